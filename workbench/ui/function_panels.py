"""Whose run the Logs, Response and Summary panels show: the selected function's own, or a recorded run."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from ..core.function.invocation_result import InvocationResult

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

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self._results: dict[str, InvocationResult] = {}   # each function's last result, by name
        self._runs: dict[str, object] = {}                # each function's last run from the window (RunRecord)
        window.sig_run_finished.connect(self._on_run_finished)

    def show_function(self, name: str) -> None:
        """The panels show `name`'s own log and last result (empty when it has not run yet)."""
        window = self._window
        window.past_run_banner.hide()
        window.log_panel.show_log(name)
        result = self._results.get(name)
        # Save Run as Expectation records the run on screen: this function's last one, if any.
        if (run := self._runs.get(name)) is not None and run.result is result:
            window.tests_dock.remember_run(run, window.workspace)
        else:
            window.tests_dock.forget_run()
        for panel in (window.response_panel, window.summary_panel):
            if result is None:
                panel.clear()
            else:
                panel.show_result(result)

    def show_recorded(self, log: list[str], result: InvocationResult) -> None:
        """A recorded run's log and result, in place of the function's own until show_function."""
        window = self._window
        window.log_panel.clear_log(RECORDED_RUN)
        window.log_panel.append_to(RECORDED_RUN, list(log))
        window.log_panel.show_log(RECORDED_RUN)
        window.response_panel.show_result(result)
        window.summary_panel.show_result(result)

    def show_own(self) -> None:
        """Back to the selected function's own log and result (after a recorded run)."""
        if self._window.function is not None:
            self.show_function(self._window.function.config.name)

    def remember(self, name: str, result: InvocationResult) -> None:
        """`name`'s latest result, shown again whenever the function is."""
        self._results[name] = result

    def forget(self) -> None:
        """Another workspace: none of its functions has run yet."""
        self._results.clear()
        self._runs.clear()
        self._window.log_panel.forget_logs()

    @Slot(object)
    def _on_run_finished(self, record) -> None:
        self.remember(record.function, record.result)
        self._runs[record.function] = record
