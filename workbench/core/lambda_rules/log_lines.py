"""Lambda's platform log lines (START, END, REPORT, INIT_REPORT), character for character."""

from __future__ import annotations

from ..function.invocation_result import InvocationResult, Status

# How each platform line begins: every reader of the log (folding, diffs, REPORT parsing) uses these.
START_PREFIX = "START RequestId: "
END_PREFIX = "END RequestId: "
REPORT_PREFIX = "REPORT RequestId: "
INIT_REPORT_PREFIX = "INIT_REPORT "
INIT_START_PREFIX = "INIT_START "


def start_line(request_id: str, version: str = "$LATEST") -> str:
    return f"{START_PREFIX}{request_id} Version: {version}"


def end_line(request_id: str) -> str:
    return f"{END_PREFIX}{request_id}"


def report_line(result: InvocationResult) -> str:
    """REPORT with TAB-separated fields; success lines end with a TAB, failures with Status."""
    fields = [
        f"{REPORT_PREFIX}{result.request_id}",
        f"Duration: {result.duration_ms:.2f} ms",
        f"Billed Duration: {result.billed_duration_ms} ms",
        f"Memory Size: {result.memory_size_mb} MB",
        f"Max Memory Used: {result.max_memory_used_mb} MB",
    ]
    if result.init_duration_ms is not None:
        fields.append(f"Init Duration: {result.init_duration_ms:.2f} ms")
    # A handler's own error is a normal end for the platform: only platform failures get a Status.
    if result.status is not Status.TIMEOUT and result.platform_error_type is None:
        return "\t".join(fields) + "\t"
    fields.append(f"Status: {result.status.value}")
    if result.platform_error_type and result.status is not Status.TIMEOUT:
        fields.append(f"Error Type: {result.platform_error_type}")
    return "\t".join(fields)


def init_report_line(init_duration_ms: float, phase: str, status: Status, error_type: str | None) -> str:
    fields = [f"{INIT_REPORT_PREFIX}Init Duration: {init_duration_ms:.2f} ms", f"Phase: {phase}",
              f"Status: {status.value}"]
    if error_type and status is not Status.TIMEOUT:
        fields.append(f"Error Type: {error_type}")
    return "\t".join(fields)


def is_platform_line(line: str) -> bool:
    """START, END, REPORT and INIT_REPORT lines: the ones a log view styles apart."""
    return line.startswith((START_PREFIX, END_PREFIX, REPORT_PREFIX, INIT_REPORT_PREFIX, INIT_START_PREFIX))
