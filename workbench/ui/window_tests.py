"""The window's test runs: plan the workspace's cases, drive a SuiteRun into the Tests panel, and record a
run (a case's, or a single run's) as its preset's expectation when asked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..core.expectations.expectation import ExpectationError, expectation_path, load_expectation_file
from ..core.expectations.expectation_check import evaluate
from ..core.expectations.expectation_record import save_recording
from ..core.function.invocation_result import InvocationResult
from ..core.workspace.preset_store import SHARED, Preset
from ..core.expectations.case_plan import PlanError, plan_tests
from ..core.expectations.case_report import CaseResult, judged, summarise
from ..core.workspace.workspace import Workspace
from ..engine.suite_run import Starter, SuiteRun
from .testing.case_results_panel import CaseResultsPanel


class WindowTests(QObject):
    sig_notice = Signal(str)
    """One line for the status bar."""
    sig_finished = Signal(object)
    """The run's CaseResults, once it ends (stopped or not)."""

    def __init__(self, panel: CaseResultsPanel, starter: Starter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        self.current: SuiteRun | None = None
        self._starter = starter
        panel.sig_stop_requested.connect(self.stop)
        panel.sig_save_requested.connect(self.save_case)

    @property
    def running(self) -> bool:
        return self.current is not None

    def run(self, workspace: Workspace) -> SuiteRun | None:
        """Start every preset of every function; None when nothing could start (the panel says why)."""
        if self.current is not None:
            return None
        try:
            plan = plan_tests(workspace)
        except PlanError as error:
            self.panel.show_problem(str(error))
            return None
        if plan.problems:
            self.panel.show_problem("\n".join(_relative(str(p), workspace.folder) for p in plan.problems))
            self.sig_notice.emit(f"Tests not run: {_relative(str(plan.problems[0]), workspace.folder)}")
            return None
        run = SuiteRun(list(plan.cases), self._starter, parent=self)
        self.current = run
        self.panel.start(list(plan.cases))
        run.case_started.connect(self.panel.case_started)
        run.case_finished.connect(self.panel.case_finished)
        run.finished.connect(self._on_finished)
        run.start()
        return run

    def run_case(self, case) -> SuiteRun | None:
        """Run one planned case again (Debug Case); its row shows the new result, the others stay."""
        if self.current is not None:
            return None
        run = SuiteRun([case], self._starter, parent=self)
        self.current = run
        self._one_case = True
        self.panel.set_running(True)
        run.case_started.connect(self.panel.case_started)
        run.case_finished.connect(self.panel.case_finished)
        run.finished.connect(self._on_finished)
        run.start()
        return run

    def stop(self) -> None:
        if self.current is not None:
            self.current.cancel()

    def save_case(self, item: CaseResult) -> None:
        """Record a case's run into its expectation; every row judged by that file is judged again."""
        case = item.case
        if self._save(case.expectation_path, item.result, case.preset, case.function, case.shared_by) is not False:
            self._judge_again(case.expectation_path)

    def save_run(self, result: InvocationResult, preset: Preset, function_name: str, function_count: int) -> bool:
        """Record a single run of `preset` (from the Run button) as its expectation; the Tests panel's rows
        that file judges are judged again, so its header says what the file now says."""
        shared_by = function_count if preset.scope == SHARED else 1
        path = expectation_path(preset.path)
        if self._save(path, result, preset, function_name, shared_by) is False:
            return False
        self._judge_again(path)
        return True

    def _judge_again(self, path: Path) -> None:
        """The rows whose expectation is `path`, judged against the file as it is now (their runs kept)."""
        if self.current is not None:
            return  # a running suite judges each case as it finishes
        for item in self.panel.model.results():
            if item.case.expectation_path != path or item.result is None:
                continue
            try:
                expectation = load_expectation_file(path).for_function(item.case.function)
            except (ExpectationError, OSError):
                continue  # _save said why
            case = item.case.with_expectation(expectation)
            verdict = evaluate(expectation, item.result, item.log)
            self.panel.replace_result(judged(case, item.result, item.log, verdict, item.cold))

    def _save(self, path: Path, result: InvocationResult, preset: Preset, function_name: str, shared_by: int):
        try:
            save_recording(path, result, f"{path.parent.name}/{preset.path.name}", function_name, shared_by)
            expectation = load_expectation_file(path).for_function(function_name)
        except ExpectationError as error:
            self.sig_notice.emit(f"Expectation not saved: {error}")
            return False
        except OSError as error:
            self.sig_notice.emit(f"Expectation not saved: {path}: {error.strerror or error}")
            return False
        self.sig_notice.emit(f"Saved {path.name}: {preset.name} now expects what this run did.")
        return expectation

    def _on_finished(self, results: list) -> None:
        run, self.current = self.current, None
        if getattr(self, "_one_case", False):  # one case again: the summary is of every row on screen
            self._one_case = False
            results = self.panel.model.results()
        summary = summarise(results, run.seconds if run is not None else 0.0)
        self.panel.finish(summary)
        self.sig_notice.emit(f"Tests: {summary}")
        self.sig_finished.emit(results)


def _relative(text: str, folder: Path) -> str:
    return text.replace(f"{folder}/", "")
