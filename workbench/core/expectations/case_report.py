"""What a test run reports: one result per case, the line printed for it, the summary, the JSON document.

Pure, so the command line, the window and the JUnit file say the same thing about the same run.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..lambda_rules.billing import format_cost
from .expectation_check import Verdict
from ..function.invocation_result import InvocationResult
from .case_plan import PlannedCase

PASSED = "passed"
FAILED = "failed"
SKIPPED = "skipped"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class CaseResult:
    """One case after its run (or instead of it, when skipped or cancelled)."""

    case: PlannedCase
    status: str
    """PASSED, FAILED, SKIPPED or CANCELLED."""
    result: InvocationResult | None = None
    log: tuple[str, ...] = ()
    verdict: Verdict | None = None
    cold: bool = False
    reason: str = ""
    """For SKIPPED and CANCELLED: why."""

    @property
    def first_difference(self) -> str:
        if self.verdict is not None and not self.verdict.passed:
            return self.verdict.first
        return self.reason


def judged(case: PlannedCase, result: InvocationResult, log: tuple[str, ...], verdict: Verdict, cold: bool) -> CaseResult:
    return CaseResult(case, PASSED if verdict.passed else FAILED, result, tuple(log), verdict, cold)


def case_line(item: CaseResult, name_width: int = 0) -> str:
    """'PASS  Function  preset  12.34 ms  45 MB  $0.0000002  cold' and, on failure, the first difference."""
    label = {PASSED: "PASS", FAILED: "FAIL", SKIPPED: "SKIP", CANCELLED: "STOP"}[item.status]
    name = f"{item.case.function} {item.case.name}".ljust(name_width)
    parts = [f"{label}  {name}"]
    if item.result is not None:
        parts.append(f"{item.result.duration_ms:9.2f} ms  {item.result.max_memory_used_mb:4d} MB  "
                     f"{format_cost(item.result.cost_usd):>14}  {'cold' if item.cold else 'warm'}")
    if item.first_difference:
        parts.append(item.first_difference)
    return "  ".join(parts)


@dataclass(frozen=True)
class Summary:
    passed: int
    failed: int
    skipped: int
    cancelled: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.cancelled == 0

    def __str__(self) -> str:
        text = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            text += f", {self.skipped} skipped"
        if self.cancelled:
            text += f", {self.cancelled} not run (stopped)"
        return text + f" in {self.seconds:.2f} s"


def summarise(results: list[CaseResult], seconds: float) -> Summary:
    count = lambda status: sum(1 for r in results if r.status == status)  # noqa: E731
    return Summary(count(PASSED), count(FAILED), count(SKIPPED), count(CANCELLED), seconds)


def report_document(results: list[CaseResult], summary: Summary) -> dict:
    """The --json document: the summary, then one object per case with every figure."""
    cases = []
    for item in results:
        entry = {"function": item.case.function, "preset": item.case.name, "presetFile": str(item.case.preset.path),
                 "expectationFile": str(item.case.expectation_path) if item.case.expectation else None,
                 "status": item.status, "firstDifference": item.first_difference or None,
                 "differences": [str(d) for d in item.verdict.differences] if item.verdict else []}
        if item.result is not None:
            r = item.result
            entry.update({"requestId": r.request_id, "errorType": r.error_type, "cold": item.cold,
                          "durationMs": r.duration_ms, "billedDurationMs": r.billed_duration_ms,
                          "initDurationMs": r.init_duration_ms, "memorySizeMB": r.memory_size_mb,
                          "maxMemoryUsedMB": r.max_memory_used_mb, "costUSD": r.cost_usd})
        cases.append(entry)
    return {"passed": summary.passed, "failed": summary.failed, "skipped": summary.skipped,
            "cancelled": summary.cancelled, "seconds": round(summary.seconds, 3), "cases": cases}
