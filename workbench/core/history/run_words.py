"""A run in the words of the status bar: how it started and how it ended."""

from __future__ import annotations

from ..function.invocation_result import InvocationResult
from ..lambda_rules.cold_reason import FIRST_CALL
from ..vocabulary import ErrorType


def started_words(function: str, cold: bool, cold_reason: str | None) -> str:
    how = f"cold start: {cold_reason}" if cold and cold_reason else ("cold start" if cold else "warm")
    return f"Running {function} ({how})…"


def finished_words(function: str, result: InvocationResult, cold: bool = False, cold_reason: str | None = None,
                   where: str = "") -> str:
    """`where` names a place other than here (" on AWS"); the first call's cold start goes without saying."""
    outcome = "succeeded" if result.succeeded else (
        "was stopped" if result.error_type == ErrorType.STOPPED else f"failed: {result.error_type}")
    how = f"; cold start: {cold_reason}" if cold and cold_reason and cold_reason != FIRST_CALL else ""
    return (f"{function}{where} {outcome} in {result.duration_ms:.2f} ms "
            f"(billed {result.billed_duration_ms} ms{how})")
