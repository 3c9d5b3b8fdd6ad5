"""RunRecords for the history tests, built as the engine builds its results (no engine needed)."""

import dataclasses
import json
import uuid

from workbench.core.lambda_rules.billing import billed_duration_ms, invocation_cost_usd
from workbench.core.function.function_config import FunctionConfig
from workbench.core.function.invocation_result import InvocationResult, Status
from workbench.core.lambda_rules.log_lines import end_line, report_line, start_line
from workbench.core.history.run_record import CodeFile, RunRecord

CONFIG = FunctionConfig(name="OrderConfirmation", handler="app.handler", runtime="python3.12",
                        code_dir="/ws/order", memory_mb=256, timeout_s=3,
                        environment=(("TABLE", "orders"), ("API_TOKEN", "tok-9f8e7d6c5b4a")))


def make_record(*, function="OrderConfirmation", response=None, error_type=None, status=Status.SUCCESS,
                duration_ms=12.5, init_ms=None, max_memory_mb=40, memory_mb=256, started_at=1_780_000_000.0,
                preset="new-order", log_lines=("hello",), cold_reason=None, config=None,
                code_files=(CodeFile("app.py", 120, 1),), fingerprint="f1", event=b'{"id": 1}'):
    request_id = str(uuid.uuid4())
    config = dataclasses.replace(config or CONFIG, name=function, memory_mb=memory_mb)
    payload = json.dumps({"errorType": error_type, "errorMessage": "boom"} if error_type
                         else (response if response is not None else {"statusCode": 200})).encode()
    billed = billed_duration_ms(duration_ms, init_ms)
    result = InvocationResult(
        request_id=request_id, status=status, payload=payload, error_type=error_type,
        platform_error_type="Sandbox.Timedout" if status is Status.TIMEOUT else None,
        duration_ms=duration_ms, billed_duration_ms=billed, init_duration_ms=init_ms, memory_size_mb=memory_mb,
        max_memory_used_mb=max_memory_mb, cost_usd=invocation_cost_usd(memory_mb, billed))
    log = (start_line(request_id), *log_lines, end_line(request_id), report_line(result))
    return RunRecord(started_at=started_at, source="cli", config=config, event=event, result=result, log=log,
                     cold=init_ms is not None, cold_reason=cold_reason if init_ms is not None else None,
                     code_fingerprint=fingerprint, code_files=code_files, preset=preset,
                     environment_key="py312-abc")
