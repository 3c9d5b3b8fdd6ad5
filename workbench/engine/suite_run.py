"""Running a test plan: each case in turn, warm per function (or cold each), judged against its expectation.

The command line and the window both drive a SuiteRun; it starts calls through a starter (the run
session), so every run is recorded like any other.
"""

from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.expectations.expectation import ExpectationError, load_expectation_file
from ..core.expectations.expectation_check import Difference, Verdict, evaluate
from ..core.expectations.side_effects import ObservedEffects
from ..core.expectations.expectation_record import save_recording
from ..core.function.invocation_request import PreparedInvocation
from ..core.expectations.case_plan import PlannedCase
from ..core.expectations.case_report import CANCELLED, FAILED, PASSED, SKIPPED, CaseResult, judged
from ..core.scenarios.scenario_check import judge_scenario
from ..core.vocabulary import RunSource
from .suite_services import SuiteServices

ACCOUNT_MODE = ("not checked: side effects are looked at when the function's AWS calls go to the local "
                "services (--aws local)")
SCENARIO_ELSEWHERE = "a scenario runs under `lambda-workbench test` (it serves the workspace's functions)"
# starter(prepared, cold) -> a call with log_lines(list) and finished(RunRecord) signals, and cancel().
Starter = Callable[[PreparedInvocation, bool], QObject]


def finished_result(payload):
    """The InvocationResult inside what a call's finished signal carries (a RunRecord or the result itself)."""
    return getattr(payload, "result", payload)


class SuiteRun(QObject):
    """Signals: case_started(PlannedCase), log_lines(list), case_finished(CaseResult), then finished(list) once."""

    __test__ = False

    case_started = Signal(object)
    """A case begins (PlannedCase)."""
    log_lines = Signal(list)
    """Log lines of the running case, as they arrive."""
    case_finished = Signal(object)
    """A case's verdict (CaseResult)."""
    finished = Signal(object)
    """Every CaseResult, in plan order (cancelled ones included)."""

    def __init__(self, cases: list[PlannedCase], starter: Starter, cold: bool = False, update: bool = False,
                 parent: QObject | None = None, services: SuiteServices | None = None,
                 scenario_starter: Callable[[PlannedCase], QObject] | None = None) -> None:
        """`services`: the workspace's local AWS in local mode (each case from the seed, side effects looked
        at); by default the one of the run session a session_starter runs the cases in (None in account
        mode). `scenario_starter(case)`: runs a scenario case (serve/scenario_stage.py); without one a
        scenario is skipped."""
        super().__init__(parent)
        self._scenario_starter = scenario_starter
        self._services = services
        self._case_started_at = 0.0
        self.cases = list(cases)
        self.results: list[CaseResult] = []
        self.started_at = 0.0
        self.seconds = 0.0
        self._starter = starter
        self._cold = cold
        self._update = update
        self._current = None
        self._current_case: PlannedCase | None = None
        self._lines: list[str] = []
        self._cancelled = False
        self._done = False

    def start(self) -> None:
        if self._services is None:
            self._services = suite_services(getattr(self._starter, "session", None))
        self.started_at = time.monotonic()
        QTimer.singleShot(0, self._next)

    def cancel(self) -> None:
        """Stop the running case (its environment is killed) and run no more; results so far stay."""
        if self._done:
            return
        self._cancelled = True
        if self._current is not None:
            self._current.cancel()
        else:
            QTimer.singleShot(0, self._next)

    @property
    def running(self) -> bool:
        return self.started_at > 0 and not self._done

    def _next(self) -> None:
        if self._done or self._current is not None:
            return
        index = len(self.results)
        if index >= len(self.cases):
            return self._finish()
        case = self.cases[index]
        if self._cancelled:
            self._record(CaseResult(case, CANCELLED, reason="not run: the test run was stopped"))
            return self._next()
        if case.skip_reason or (case.scenario is not None and self._scenario_starter is None):
            self._record(CaseResult(case, SKIPPED, reason=case.skip_reason or SCENARIO_ELSEWHERE))
            return self._next()
        self._lines = []
        problem = self._prepare_services(case)
        if problem:
            self._record(judged(case, None, (), Verdict((Difference("sideEffects", problem),)), False))
            return self._next()
        call = self._scenario_starter(case) if case.scenario is not None else self._starter(case.prepared, self._cold)
        self._current = call
        self._current_case = case
        # Bound slots, never a lambda holding self: no reference cycle through the call, so nothing of it
        # is freed by a garbage collection that happens to run on another thread.
        call.log_lines.connect(self._on_lines)
        call.finished.connect(self._on_finished)
        # After the call exists, so that a Stop pressed on this signal stops it.
        self.case_started.emit(case)

    def _on_lines(self, lines: list) -> None:
        self._lines.extend(lines)
        self.log_lines.emit(lines)

    def _on_finished(self, payload) -> None:
        case = self._current_case
        self._current = self._current_case = None
        if case.scenario is not None:
            return self._scenario_finished(case, payload)
        result = finished_result(payload)
        log = tuple(getattr(payload, "log", None) or self._lines)
        cold = bool(getattr(payload, "cold", result.cold))
        if self._cancelled:
            self._record(CaseResult(case, CANCELLED, result, log, reason="stopped while running"))
        else:
            observed = self._observe(case)
            verdict = evaluate(case.expectation, result, log, observed)
            item = judged(case, result, log, verdict, cold)
            if self._update and (not verdict.passed or case.expectation is None):
                item = self._recorded(case, result, log, cold, observed)
            self._record(item)
        QTimer.singleShot(0, self._next)

    def _scenario_finished(self, case: PlannedCase, outcome) -> None:
        """A scenario's verdict: the runs its action set off, the front door's answer, and the side effects."""
        log = tuple(self._lines)
        if self._cancelled:
            self._record(CaseResult(case, CANCELLED, outcome.result, log, reason="stopped while running"))
        else:
            verdict = judge_scenario(case.scenario, outcome.runs, outcome.http_status, self._observe(case),
                                     outcome.problem)
            self._record(CaseResult(case, PASSED if verdict.passed else FAILED, outcome.result, log, verdict,
                                    outcome.cold))
        QTimer.singleShot(0, self._next)

    def _prepare_services(self, case: PlannedCase) -> str:
        """Reset to the seed (unless the case opts out); why it could not be, or ""."""
        if self._services is None:
            return ""
        try:
            self._case_started_at = self._services.before_case(case.expectation)
        except (OSError, ValueError, KeyError) as error:
            return f"the local services could not be reset to the seed state: {error}"
        return ""

    def _observe(self, case: PlannedCase):
        if self._services is None:
            if case.expectation is not None and case.expectation.side_effects is not None:
                return ObservedEffects(problems=(ACCOUNT_MODE,))
            return None
        try:
            return self._services.observe(case.expectation, self._case_started_at)
        except (OSError, ValueError, KeyError) as error:
            return ObservedEffects(problems=(f"the local services could not be asked: {error}",))

    def _recorded(self, case: PlannedCase, result, log, cold: bool, observed=None) -> CaseResult:
        """--update: write the run into the expectation, then judge the run again by what the file now says."""
        existed = case.expectation_path.is_file()
        try:
            save_recording(case.expectation_path, result, _label(case), case.function, case.shared_by)
            expectation = load_expectation_file(case.expectation_path).for_function(case.function)
        except (ExpectationError, OSError) as error:
            verdict = evaluate(case.expectation, result, log, observed)
            item = judged(case, result, log, verdict, cold)
            return CaseResult(case, item.status, result, log, verdict, cold, reason=f"expectation not written: {error}")
        case = case.with_expectation(expectation)
        verdict = evaluate(expectation, result, log, observed)
        item = judged(case, result, log, verdict, cold)
        note = "expectation updated" if existed else "expectation recorded"
        return CaseResult(case, item.status, result, log, verdict, cold, reason=note)

    def _record(self, item: CaseResult) -> None:
        self.results.append(item)
        self.case_finished.emit(item)

    def _finish(self) -> None:
        if not self._done:
            self._done = True
            self.seconds = time.monotonic() - self.started_at
            self.finished.emit(list(self.results))


def _label(case: PlannedCase) -> str:
    parts = case.preset.path.parts
    return "/".join(parts[parts.index("events"):]) if "events" in parts else case.preset.path.name


def suite_services(session) -> SuiteServices | None:
    """The session's local AWS for a test run, None in account mode."""
    local = getattr(session, "local_services", None)
    return SuiteServices(local.workspace) if local is not None else None


def session_starter(session, source: str = RunSource.TEST) -> Starter:
    """Cases run through the run session, so each is recorded in history like any other run."""

    def start(prepared: PreparedInvocation, cold: bool):
        return session.run(prepared, source, cold=cold)

    start.session = session  # the suite asks it for the workspace's local AWS when it starts
    return start
