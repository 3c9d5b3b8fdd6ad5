"""The History dock: the run list, Compare and the charts in one place, reading the workspace's HistoryStore.

It turns the panel's requests into records and diffs (through core) and hands the window only what it
shows or runs; the window owns the store's life and the running.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QTabWidget, QVBoxLayout, QWidget

from ...core.function.function_config import FunctionConfig
from ...core.history.history_store import HistoryStore, RunNotFound
from ...core.function.invoke_command import invoke_command_line
from ...core.history.run_chart_data import chart_data
from ...core.history.run_diff import diff_runs
from ...core.provenance.sweep_groups import SWEEPS_ALL, SWEEPS_NONE
from ...core.privacy.secret_values import restore_environment
from .compare_view import CompareView
from .history_panel import HistoryPanel

CHART_RUNS = 500
POLL_MS = 1000


class HistoryDock(QDockWidget):
    sig_run_shown = Signal(object, object)
    """(RunRecord, RunSummary) of the run the user selected: show it in the usual panels as a past run."""
    sig_run_again_requested = Signal(object, str, object)
    """(FunctionConfig, event text, preset name or None): run this again, secrets from the current settings."""
    sig_save_event_requested = Signal(str)
    """A past run's event text, to be saved as a new preset."""
    sig_notice = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("History", parent)
        self.setObjectName("history_dock")
        self.store: HistoryStore | None = None
        self.workspace_folder = ""
        self.config_for: Callable[[str], FunctionConfig | None] = lambda _name: None
        """The function's current settings by name (the window's workspace), for secrets and commands."""
        self.panel = HistoryPanel(self)
        # Compare and the charts (pyqtgraph's plots take a few hundred milliseconds) are built when first
        # needed, so opening the window and the History list waits for neither.
        self.compare: CompareView | None = None
        self.charts = None
        """The HistoryCharts, once the Charts tab was opened."""
        self._compare_page = _page(self)
        self._charts_page = _page(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("history_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.panel, "Runs")
        self.tabs.addTab(self._compare_page, "Compare")
        self.tabs.addTab(self._charts_page, "Charts")
        self.setWidget(self.tabs)
        self.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
                             | Qt.DockWidgetArea.LeftDockWidgetArea)
        self._charted: str | None = None
        self._charts_stale = False
        self._selected: str | None = None
        self.panel.sig_run_selected.connect(self.show_run)
        self.panel.sig_compare_requested.connect(self.compare_runs)
        self.panel.sig_run_again_requested.connect(self._run_again)
        self.panel.sig_save_event_requested.connect(self._save_event)
        self.panel.sig_copy_command_requested.connect(self._copy_command)
        self.panel.sig_notice.connect(self.sig_notice)
        self.panel.sig_sweep_calls_toggled.connect(lambda _shown: self._charted and self.chart_function(self._charted))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        # Runs recorded elsewhere (`invoke` in a terminal, `serve`) appear without the user asking.
        self._seen_version: tuple[int, int] | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._poll_store)

    def set_store(self, store: HistoryStore | None, workspace_folder: str = "") -> None:
        self.store = store
        self.workspace_folder = workspace_folder
        self._charted = None
        self.panel.set_store(store)
        self._seen_version = store.version() if store is not None else None
        self._poll.start() if store is not None else self._poll.stop()

    def refresh(self) -> None:
        """A run was recorded (or the file changed): list it, and chart it when its function is charted."""
        if self.store is None:
            return
        self._seen_version = self.store.version()
        self.panel.refresh()
        if self._charted is not None:
            self.chart_function(self._charted)

    def forget_charts(self) -> None:
        """Another workspace is open: no function charted until one is shown."""
        self._charted = None
        if self.charts is not None:
            self.charts.set_data(chart_data([]), "no runs yet")

    def chart_function(self, function: str) -> None:
        """Chart one function's runs (now when the Charts tab is open, else when it is next opened)."""
        self._charted = function
        self._charts_stale = True
        if self.tabs.currentWidget() is self._charts_page:
            self._draw_charts()

    def show_charts(self):
        """Open the Charts tab (building the charts the first time)."""
        self.tabs.setCurrentWidget(self._charts_page)
        return self.charts

    def _on_tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self._compare_page:
            self._ensure_compare()
        if self.tabs.currentWidget() is self._charts_page:
            if self.charts is None:
                from .history_charts import HistoryCharts  # pyqtgraph and numpy: only when charting

                self.charts = HistoryCharts(self._charts_page)
                self._charts_page.layout().addWidget(self.charts)
                self.charts.sig_run_selected.connect(self.panel.select_run)
                self.charts.mark_run(self._selected)
            self._draw_charts()

    def _draw_charts(self) -> None:
        if self.charts is None or self.store is None or self._charted is None or not self._charts_stale:
            return
        self._charts_stale = False
        # A sweep's calls (dozens, at other memory sizes) stay out of the charts unless Sweep calls is ticked.
        sweeps = SWEEPS_ALL if self.panel.model.sweep_runs_shown else SWEEPS_NONE
        self.charts.set_data(chart_data(self.store.list(self._charted, limit=CHART_RUNS, sweeps=sweeps)),
                             self._charted)

    # --- Slots ------------------------------------------------------------------------------------

    @Slot(str)
    def show_run(self, run_id: str) -> None:
        found = self._get(run_id)
        if found is None:
            return
        record, summary = found
        self._selected = summary.id
        if summary.function != self._charted:
            self.chart_function(summary.function)
        if self.charts is not None:
            self.charts.mark_run(summary.id)
        self.sig_run_shown.emit(record, summary)

    @Slot(str, str)
    def compare_runs(self, before_id: str, after_id: str) -> None:
        before, after = self._get(before_id), self._get(after_id)
        if before is None or after is None:
            return
        self._ensure_compare().show_diff(diff_runs(before[0], after[0]), before[1], after[1])
        self.tabs.setCurrentWidget(self._compare_page)

    def _ensure_compare(self) -> CompareView:
        if self.compare is None:
            self.compare = CompareView(self._compare_page)
            self._compare_page.layout().addWidget(self.compare)
        return self.compare

    def _poll_store(self) -> None:
        if self.store is None or not self.isVisible():
            return
        try:
            version = self.store.version()
        except Exception:  # noqa: BLE001 - a busy or moved file is looked at again on the next tick
            return
        if version != self._seen_version:
            self.refresh()

    def _run_again(self, run_id: str) -> None:
        found = self._get(run_id)
        if found is None:
            return
        record = found[0]
        current = self.config_for(record.function)
        env_now = current.env_dict() if current is not None else {}
        config = dataclasses.replace(record.config, environment=restore_environment(record.config.environment,
                                                                                    env_now))
        self.sig_run_again_requested.emit(config, record.event.decode("utf-8", errors="replace"), record.preset)

    def _save_event(self, run_id: str) -> None:
        found = self._get(run_id)
        if found is not None:
            self.sig_save_event_requested.emit(found[0].event.decode("utf-8", errors="replace"))

    def _copy_command(self, run_id: str) -> None:
        found = self._get(run_id)
        if found is None:
            return
        record = found[0]
        line = invoke_command_line(record, self.workspace_folder, self.config_for(record.function))
        QGuiApplication.clipboard().setText(line)
        self.sig_notice.emit(f"Copied the command that repeats run {run_id}.")

    def _get(self, run_id: str):
        if self.store is None:
            return None
        try:
            return self.store.get(run_id), self.store.summary(run_id)
        except RunNotFound as error:
            self.sig_notice.emit(str(error))
            self.panel.refresh()
            return None


def _page(parent: QWidget) -> QWidget:
    """An empty tab page whose content is added later."""
    page = QWidget(parent)
    QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
    return page
