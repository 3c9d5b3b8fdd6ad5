"""Amazon's own Python runtime client as the oracle: each fixture runs once through our bootstrap and once
through awslambdaric (as a custom runtime against the same engine), and both must answer the same."""

import json
import re
import sys

import pytest

from workbench.core.function.function_config import FunctionConfig
from workbench.engine.engine import InvokeOptions

pytest.importorskip("awslambdaric")

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

CLIENT_CONTEXT = {"custom": {"tier": "gold"}, "env": {"locale": "fr"},
                  "client": {"installation_id": "i-1", "app_title": "Shop"},
                  "w3c": {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                          "tracestate": "congo=t61rcWkgMzE", "baggage": 7}}

# name: (handler, event, function environment, invoke options)
CASES = {
    "success": ("success.handler", {"order": "A-1", "note": "café ☕"}, (), None),
    "bytes": ("returns_bytes.handler", {}, (), None),
    "marshal_types": ("marshal_types.handler", {}, (), None),
    "subfolder": ("pkg/mod.handler", {}, (), None),
    "context": ("context_dump.handler", {}, (), None),
    "client_context": ("context_dump.handler", {}, (), InvokeOptions(client_context=CLIENT_CONTEXT)),
    "environment": ("env_dump.handler", {}, (("USER_SETTING", "on"),), None),
    "exception": ("nested_error.handler", {"order": "B-7"}, (), None),
    "import_error": ("import_error.handler", {}, (), None),
    "missing_module": ("missing_module.handler", {}, (), None),
    "syntax_error": ("syntax_error.handler", {}, (), None),
    "missing_handler": ("no_handler.handler", {}, (), None),
    "malformed_handler": ("success", {}, (), None),
    "builtin_module": ("sys.handler", {}, (), None),
    "exception_at_import": ("import_exception.handler", {}, (), None),
    "marshal_error": ("marshal_error.handler", {}, (), None),
    "not_json": ("success.handler", b"{not json", (), None),
    "trailing_comma": ("success.handler", b'{"items": [1, 2,]}', (), None),
    "nan_in_event": ("success.handler", b'{"ratio": NaN}', (), None),
    "extra_data": ("success.handler", b'{"a": 1}\n{"b": 2}', (), None),
    "bad_escape": ("success.handler", b'{"path": "C:\\query"}', (), None),
    "not_utf8": ("success.handler", b'{"name": "caf\xe9"}', (), None),
    "byte_order_mark": ("success.handler", b'\xef\xbb\xbf{"order": "A-1"}', (), None),
    "exit_at_import": ("exit_at_import.handler", {}, (), None),
    "no_newline": ("logs.no_newline", {}, (), None),
    "exit": ("faults.handler", {"do": "exit", "status": 3}, (), None),
    "segfault": ("faults.handler", {"do": "segv"}, (), None),
    "stderr": ("logs.to_stderr", {}, (), None),
    "logging_default": ("logs.handler", {"value": 1}, (), None),
    "logging_info": ("logs.handler", {"value": 1}, (("AWS_LAMBDA_LOG_LEVEL", "INFO"),), None),
    "logging_trace": ("logs.handler", {"value": 1}, (("AWS_LAMBDA_LOG_LEVEL", "TRACE"),), None),
    "logging_level_lowercase": ("logs.handler", {"value": 1}, (("AWS_LAMBDA_LOG_LEVEL", "info"),), None),
    "logging_trace_lowercase": ("logs.handler", {"value": 1}, (("AWS_LAMBDA_LOG_LEVEL", "trace"),), None),
    "logging_json": ("logs.handler", {"value": "é"},
                     (("AWS_LAMBDA_LOG_FORMAT", "JSON"), ("AWS_LAMBDA_LOG_LEVEL", "INFO")), None),
    "logged_exception_json": ("logs.logs_exception", {},
                              (("AWS_LAMBDA_LOG_FORMAT", "JSON"), ("AWS_LAMBDA_LOG_LEVEL", "INFO")), None),
    "error_json": ("logs.fails", {}, (("AWS_LAMBDA_LOG_FORMAT", "JSON"),), None),
    "init_error_json": ("import_error.handler", {}, (("AWS_LAMBDA_LOG_FORMAT", "JSON"),), None),
}


def _write_oracle_bootstrap(code_dir, runtime):
    """A custom runtime whose bootstrap is Amazon's client, claiming the same managed runtime as ours."""
    bootstrap = code_dir / "bootstrap"
    bootstrap.write_text("#!/bin/sh\n"
                         f"export AWS_EXECUTION_ENV=AWS_Lambda_{runtime}\n"
                         f'exec "{sys.executable}" -m awslambdaric "$_HANDLER"\n')
    bootstrap.chmod(0o755)


def _normalise(text, request_id):
    """What legitimately differs between two runs: ids, clocks, ports and the environment's random name."""
    text = text.replace(request_id, "<request-id>")
    text = re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z", "<timestamp>", text)
    text = re.sub(r"\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}", "<log-stream>", text)
    text = re.sub(r'"remaining_ms": \d+', '"remaining_ms": <ms>', text)
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<port>", text)
    text = re.sub(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]", "<trace-id>", text)
    return re.sub(UUID, "<uuid>", text)


def _function_output(ran):
    """The lines the runtime itself wrote: everything but the platform's START/END/REPORT lines."""
    return [_normalise(line, ran.result.request_id) for line in ran.lines
            if not line.startswith(("START ", "END ", "REPORT ", "INIT_REPORT ", "WARNING: python3"))]


def _both(python_code, run, case, runtime):
    handler, event, environment, options = CASES[case]
    _write_oracle_bootstrap(python_code, runtime)
    # Both on the interpreter Amazon's client is installed in, so tracebacks through importlib match (ours
    # says so in a WARNING line when that is not the runtime's version, left out of the comparison).
    ours = run(FunctionConfig(name="oracle", handler=handler, runtime=runtime, code_dir=str(python_code),
                              environment=environment, interpreter=sys.executable), event, options=options)
    amazon = run(FunctionConfig(name="oracle", handler=handler, runtime="provided.al2023",
                                code_dir=str(python_code), environment=environment), event, options=options)
    assert amazon.cold is True  # a new environment: Amazon's client really ran
    return ours, amazon


@pytest.mark.parametrize("case", list(CASES))
def test_our_bootstrap_answers_like_awslambdaric(python_code, run, case):
    """The payload, error type and status are the same as with Amazon's runtime client."""
    ours, amazon = _both(python_code, run, case, "python3.12")
    assert (ours.result.status, ours.result.error_type) == (amazon.result.status, amazon.result.error_type)
    assert _normalise(ours.text, ours.result.request_id) == _normalise(amazon.text, amazon.result.request_id)
    if not ours.result.error_type and case not in ("context", "client_context", "environment"):
        # Successful payloads are compared byte for byte, untouched.
        assert ours.result.payload == amazon.result.payload


@pytest.mark.parametrize("case", list(CASES))
def test_our_bootstrap_logs_like_awslambdaric(python_code, run, case):
    """The function's own log lines ([ERROR], [WARNING], [INFO], JSON records, prints) are the same."""
    ours, amazon = _both(python_code, run, case, "python3.12")
    if case == "stderr":
        # stdout and stderr are two pipes: their relative order is not something either client decides.
        assert sorted(_function_output(ours)) == sorted(_function_output(amazon))
    else:
        assert _function_output(ours) == _function_output(amazon)


@pytest.mark.parametrize("runtime", ["python3.11", "python3.12", "python3.13"])
def test_non_ascii_escaping_follows_the_runtime_version(python_code, run, runtime):
    """Both clients escape non-ASCII before python3.12 and keep it from python3.12 on."""
    ours, amazon = _both(python_code, run, "success", runtime)
    assert ours.result.payload == amazon.result.payload
    assert ("日本語" in ours.text) is (runtime != "python3.11")


def test_the_oracle_really_is_amazons_client(python_code, run):
    """The custom-runtime side of these comparisons runs `python -m awslambdaric`, not our bootstrap."""
    _write_oracle_bootstrap(python_code, "python3.12")
    ran = run(FunctionConfig(name="oracle", handler="faults.handler", runtime="provided.al2023",
                             code_dir=str(python_code)))
    pid = json.loads(ran.result.payload)["pid"]
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        arguments = f.read().split(b"\0")
    assert arguments[1:4] == [b"-m", b"awslambdaric", b"faults.handler"]
