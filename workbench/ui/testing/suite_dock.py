"""The Tests dock: the Tests panel across the bottom of the window, and the test runs behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QWidget

from ...core.workspace.preset_store import PresetStore
from ...core.workspace.workspace import Workspace
from ...engine.suite_run import Starter
from .case_results_panel import CaseResultsPanel
from ..window_tests import WindowTests


class SuiteDock(QDockWidget):
    __test__ = False

    sig_case_selected = Signal(object)
    """A finished case was selected in the table (its CaseResult)."""
    sig_run_requested = Signal()
    """Run Tests was pressed in the panel."""

    def __init__(self, starter: Starter, parent: QWidget | None = None) -> None:
        super().__init__("Tests", parent)
        self.setObjectName("tests_dock")
        self.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.panel = CaseResultsPanel(self)
        self.setWidget(self.panel)
        self.tests = WindowTests(self.panel, starter, self)
        self.sig_notice = self.tests.sig_notice
        self.panel.sig_case_selected.connect(self.sig_case_selected)
        self.panel.sig_run_requested.connect(self.sig_run_requested)
        self.save_run_action = QAction("Save Run as E&xpectation", self)
        self.save_run_action.setToolTip("Record the run on screen (the last run of a preset, or one picked in "
                                        "History) into its preset's .expect.yaml")
        self.save_run_action.setEnabled(False)
        self.save_run_action.triggered.connect(self.save_last_run)
        self._last_run = None

    def remember_run(self, record, workspace: Workspace | None) -> None:
        """A run from the Run button finished: it can be saved as its preset's expectation."""
        self._last_run = (record, workspace) if record.preset and workspace is not None else None
        self.save_run_action.setEnabled(self._last_run is not None)

    def forget_run(self) -> None:
        """The panels show no run any more (another function, which has not run): nothing to save."""
        self._last_run = None
        self.save_run_action.setEnabled(False)

    def save_last_run(self) -> bool:
        if self._last_run is None:
            return False
        record, workspace = self._last_run
        preset = next((p for p in PresetStore(workspace.folder).list(record.function)
                       if p.name == record.preset and not p.is_broken), None)
        if preset is None:
            self.sig_notice.emit(f"Expectation not saved: the preset {record.preset} is gone.")
            return False
        return self.tests.save_run(record.result, preset, record.function, len(workspace.functions))

    def run(self, workspace: Workspace):
        if not self.isVisible():
            self.show()
            window = self.parentWidget()
            if window is not None and hasattr(window, "resizeDocks"):
                # A third of the window: room for the rows without hiding the editors.
                window.resizeDocks([self], [max(200, window.height() // 3)], Qt.Orientation.Vertical)
        self.raise_()
        return self.tests.run(workspace)

    def stop(self) -> None:
        self.tests.stop()

    def forget_results(self) -> None:
        """Another workspace is open: the last run's results were of the previous one's presets."""
        self.panel.clear_results()
        self.forget_run()
