"""The platform's log events in either format: START/END/REPORT lines (Text) or platform.* records (JSON).

JSON shapes from public CloudWatch captures and the Telemetry API schema reference
(https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html); see LAMBDA.md §2.4:
  {"time":"2026-10-08T07:30:41.076Z","type":"platform.start","record":{"requestId":…,"functionArn":…,"version":"$LATEST"}}
  {"time":…,"type":"platform.report","record":{"requestId":…,"metrics":{"durationMs":1233.96,
   "billedDurationMs":1698,"memorySizeMB":256,"maxMemoryUsedMB":123,"initDurationMs":463.512},"status":"success"}}
"""

from __future__ import annotations

import datetime
import json

from ..function.function_config import FunctionConfig
from ..function.invocation_result import InvocationResult, Status
from ..lambda_rules.log_lines import end_line, init_report_line, report_line, start_line
from .filtering import keeps_application_line, keeps_platform_record
from .settings import JSON, effective_levels


def record_time(now: datetime.datetime | None = None) -> str:
    """Lambda's `time`: UTC, milliseconds, Z."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return now.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def platform_record(record_type: str, record: dict, now: datetime.datetime | None = None) -> str:
    return json.dumps({"time": record_time(now), "type": record_type, "record": record},
                      separators=(",", ":"), ensure_ascii=False)


def report_status(result: InvocationResult) -> tuple[str, str | None]:
    """(status, errorType) of platform.report. The same rule as the text REPORT's Status field: a
    handler's own error is a normal end for the platform; timeouts and platform failures are not."""
    if result.status is Status.TIMEOUT:
        return "timeout", None
    if result.platform_error_type:
        return "error", result.platform_error_type
    return "success", None


def report_record(result: InvocationResult) -> dict:
    metrics = {"durationMs": round(result.duration_ms, 2), "billedDurationMs": result.billed_duration_ms,
               "memorySizeMB": result.memory_size_mb, "maxMemoryUsedMB": result.max_memory_used_mb}
    if result.init_duration_ms is not None:
        metrics["initDurationMs"] = round(result.init_duration_ms, 3)
    status, error_type = report_status(result)
    record = {"requestId": result.request_id, "metrics": metrics, "status": status}
    if error_type:
        record["errorType"] = error_type
    return record


def runtime_done_record(result: InvocationResult) -> dict:
    """platform.runtimeDone: how the runtime ended the call (a handler's error counts as "error")."""
    status = {Status.SUCCESS: "success", Status.TIMEOUT: "timeout"}.get(result.status, "error")
    record = {"requestId": result.request_id, "status": status,
              "metrics": {"durationMs": round(result.duration_ms, 3), "producedBytes": len(result.payload)}}
    error_type = result.platform_error_type or result.error_type
    if status == "error" and error_type:
        record["errorType"] = error_type
    return record


class PlatformLog:
    """The platform's lines for one function's configuration, in its log format and at its system log
    level, and the filter Lambda applies to the function's own lines at its application log level."""

    def __init__(self, config: FunctionConfig) -> None:
        self.config = config
        self.json = config.log_format == JSON
        self.application_level, self.system_level = effective_levels(
            config.log_format, config.application_log_level, config.system_log_level)

    def _records(self, *records: tuple[str, dict]) -> list[str]:
        return [platform_record(kind, record) for kind, record in records
                if keeps_platform_record(kind, self.system_level)]

    def init_start(self, phase: str, seconds_ago: float = 0.0) -> list[str]:
        """platform.initStart, JSON format only, when an environment's init begins (`seconds_ago`: how long
        before now the runtime was started). Shape from the Telemetry API schema reference; runtimeVersion
        and runtimeVersionArn, optional there, name a Lambda runtime build and have no local counterpart.
        The Text format's INIT_START line is not written for the same reason: its whole content is that ARN."""
        if not self.json:
            return []
        began = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=max(0.0, seconds_ago))
        record = {"initializationType": "on-demand", "phase": phase, "functionName": self.config.name,
                  "functionVersion": "$LATEST"}
        return [platform_record("platform.initStart", record, began)] \
            if keeps_platform_record("platform.initStart", self.system_level) else []

    def start(self, request_id: str) -> list[str]:
        if not self.json:
            return [start_line(request_id)]
        return self._records(("platform.start", {"requestId": request_id, "functionArn": self.config.function_arn,
                                                 "version": "$LATEST"}))

    def end(self, result: InvocationResult) -> list[str]:
        """END and REPORT; in JSON, platform.runtimeDone (DEBUG) and platform.report."""
        if not self.json:
            return [end_line(result.request_id), report_line(result)]
        return self._records(("platform.runtimeDone", runtime_done_record(result)),
                             ("platform.report", report_record(result)))

    def init_report(self, init_duration_ms: float, phase: str, status: Status, error_type: str | None) -> list[str]:
        if not self.json:
            return [init_report_line(init_duration_ms, phase, status, error_type)]
        record = {"initializationType": "on-demand", "phase": phase, "status": status.value}
        if error_type and status is not Status.TIMEOUT:
            record["errorType"] = error_type
        record["metrics"] = {"durationMs": round(init_duration_ms, 3)}
        return self._records(("platform.initReport", record))

    def application_lines(self, lines: list[str]) -> list[str]:
        """The function's lines Lambda sends at the application log level (all of them in Text format)."""
        if self.application_level is None:
            return lines
        return [line for line in lines if keeps_application_line(line, self.application_level)]
