"""Reading Lambda's REPORT line back into figures: what a call on AWS measured (the inverse of
log_lines.report_line; the fields and their order as in LAMBDA.md §2.1)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .billing import invocation_cost_usd
from ..function.invocation_result import InvocationResult, Status
from .lambda_errors import error_type_of
from .log_lines import REPORT_PREFIX

REPORT_KEYWORD = REPORT_PREFIX.split(" ", 1)[0] + " "

_FIELD = re.compile(r"(RequestId|Duration|Billed Duration|Memory Size|Max Memory Used|Init Duration|Status|"
                    r"Error Type): ([^\t]+?)(?: ms| MB)?$")


@dataclass(frozen=True)
class ReportFigures:
    request_id: str
    duration_ms: float
    billed_duration_ms: int
    memory_size_mb: int
    max_memory_used_mb: int
    init_duration_ms: float | None = None
    status: str | None = None
    error_type: str | None = None


def parse_report_line(line: str) -> ReportFigures | None:
    """The figures of one `REPORT RequestId: ...` line; None for any other line or a truncated one."""
    if not line.startswith(REPORT_PREFIX):
        return None
    values = {}
    # "RequestId: …" is the first TAB-separated field once the keyword is off.
    for part in line[len(REPORT_KEYWORD):].rstrip("\n").split("\t"):
        match = _FIELD.match(part.strip())
        if match:
            values[match[1]] = match[2]
    try:
        return ReportFigures(
            request_id=values["RequestId"], duration_ms=float(values["Duration"]),
            billed_duration_ms=int(values["Billed Duration"]), memory_size_mb=int(values["Memory Size"]),
            max_memory_used_mb=int(values["Max Memory Used"]),
            init_duration_ms=float(values["Init Duration"]) if "Init Duration" in values else None,
            status=values.get("Status"), error_type=values.get("Error Type"))
    except (KeyError, ValueError):
        return None


def last_report(log: str) -> ReportFigures | None:
    for line in reversed(log.splitlines()):
        if (figures := parse_report_line(line)) is not None:
            return figures
    return None


def remote_result(request_id: str, payload: bytes, function_error: str | None, log: str,
                  architecture: str = "x86_64") -> InvocationResult:
    """An InvocationResult for a call made on AWS: its payload, and the figures its REPORT line gives
    (zeros when the 4 KB tail held no REPORT line)."""
    figures = last_report(log)
    error_type = None
    if function_error:
        error_type = error_type_of(payload, function_error)
    status = Status.SUCCESS if not function_error else Status.ERROR
    if figures is not None and figures.status == "timeout":
        status = Status.TIMEOUT
    memory = figures.memory_size_mb if figures else 0
    billed = figures.billed_duration_ms if figures else 0
    return InvocationResult(
        request_id=figures.request_id if figures else request_id, status=status, payload=payload,
        error_type=error_type, platform_error_type=figures.error_type if figures else None,
        duration_ms=figures.duration_ms if figures else 0.0, billed_duration_ms=billed,
        init_duration_ms=figures.init_duration_ms if figures else None, memory_size_mb=memory,
        max_memory_used_mb=figures.max_memory_used_mb if figures else 0, architecture=architecture,
        cost_usd=invocation_cost_usd(memory, billed, architecture) if figures else 0.0)
