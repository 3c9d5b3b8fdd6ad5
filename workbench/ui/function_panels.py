"""Whose run the Logs, Response and Summary panels show: the selected function's own, or a recorded run."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from ..core.function.invocation_result import InvocationResult
from .history.past_run_banner import PastRunBanner
from .logs.log_panel import LogPanel
from .response_panel import ResponsePanel
from .summary_panel import SummaryPanel
from .testing.suite_dock import SuiteDock

# The log of a run picked in History or the Tests dock. Lambda function names have no parentheses, so no
# function's log is ever mistaken for it.
RECORDED_RUN = "(recorded run)"


class FunctionPanels(QObject):
    """Each function has its own log (its runs' START … REPORT groups, with its search, filter and level)
    and its own last result; the panels show the selected function's, so switching function and back
    loses nothing, and no result is shown beside another function's name.

    A run picked in History (under its banner) or in the Tests dock shows in a log of its own; leaving
    it, picking a function or starting a run brings the function's own back.
    """

    def __init__(self, log_panel: LogPanel, response_panel: ResponsePanel, summary_panel: SummaryPanel,
                 banner: PastRunBanner, tests_dock: SuiteDock, workspace: Callable[[], object | None],
                 current_function: Callable[[], str | None], parent: QObject | None = None) -> None:
        """workspace() is the open Workspace, current_function() the selected function's name (or None)."""
        super().__init__(parent)
        self._log, self._response, self._summary = log_panel, response_panel, summary_panel
        self._banner, self._tests_dock = banner, tests_dock
        self._workspace, self._current_function = workspace, current_function
        self._results: dict[str, InvocationResult] = {}   # each function's last result, by name
        self._runs: dict[str, object] = {}                # each function's last run from the window (RunRecord)

    def show_function(self, name: str) -> None:
        """The panels show `name`'s own log and last result (empty when it has not run yet)."""
        self._banner.hide()
        self._log.show_log(name)
        result = self._results.get(name)
        # Save Run as Expectation records the run on screen: this function's last one, if any.
        if (run := self._runs.get(name)) is not None and run.result is result:
            self._tests_dock.remember_run(run, self._workspace())
        else:
            self._tests_dock.forget_run()
        if result is None:
            self._response.clear()
            self._summary.clear()
        else:
            self._response.show_result(result)
            self._summary.show_result(result, run.log if run is not None and run.result is result else None)
        self._summary.show_aws_calls(run.aws_calls if run is not None and run.result is result else ())

    def show_recorded(self, log: list[str], result: InvocationResult, aws_calls: tuple = (), trigger=None,
                      linked=()) -> None:
        """A recorded run's log, result and AWS calls (and, triggered, its batch's fates; the runs of its trace),
        in place of the function's own until show_function."""
        self._log.clear_log(RECORDED_RUN)
        self._log.begin_run(RECORDED_RUN)  # one run: its build output and init error are its own
        self._log.append_to(RECORDED_RUN, list(log))
        self._log.show_log(RECORDED_RUN)
        self._response.show_result(result)
        self._summary.show_result(result, log)
        self._summary.show_aws_calls(aws_calls)
        self._summary.show_origin(trigger, linked)

    def show_own(self) -> None:
        """Back to the selected function's own log and result (after a recorded run)."""
        if (name := self._current_function()) is not None:
            self.show_function(name)

    def show_remote(self, record) -> None:
        """A run on AWS (a RunRecord): its log tail in its function's log, its result as the latest."""
        self._log.begin_run(record.function)
        self._log.append_to(record.function,
                            [f"--- {record.function} on AWS ({record.config.region}) ---", *record.log])
        self.remember(record.function, record.result)
        self._response.show_result(record.result)
        self._summary.show_result(record.result, record.log)

    def remember(self, name: str, result: InvocationResult) -> None:
        """`name`'s latest result, shown again whenever the function is."""
        self._results[name] = result

    def forget(self) -> None:
        """Another workspace: none of its functions has run yet."""
        self._results.clear()
        self._runs.clear()
        self._log.forget_logs()

    @Slot(object)
    def run_finished(self, record) -> None:
        """A run from the window ended: its result is its function's latest."""
        self.remember(record.function, record.result)
        self._runs[record.function] = record
        self._summary.show_aws_calls(record.aws_calls)
