"""The Tests panel: every preset as a test case, filling live as the cases run, the summary, and the
selected case's difference from its expectation."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QPushButton,
                               QSplitter, QTableView, QVBoxLayout, QWidget)

from ...core.expectations.case_plan import PlannedCase
from ...core.expectations.case_report import FAILED, CaseResult, Summary, summarise
from .case_results_model import COLUMNS, FIRST_DIFFERENCE_COLUMN, CaseResultsModel, failure_colour

_HINT = ("Run Tests (Ctrl+Shift+Enter) runs every preset of every function against its expectation "
         "(<preset>.expect.yaml beside it), as `lambda-workbench test` does.")


class CaseResultsPanel(QWidget):
    __test__ = False

    sig_run_requested = Signal()
    """The user asked to run the tests."""
    sig_stop_requested = Signal()
    """The user asked to stop the test run."""
    sig_case_selected = Signal(object)
    """A finished case was selected (its CaseResult): show its log and response."""
    sig_debug_requested = Signal(object)
    """Debug Case: run the selected case (a PlannedCase) alone, under the debugger."""
    sig_save_requested = Signal(object)
    """Save as expectation was asked for this CaseResult."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CaseResultsModel(self)
        self._seconds = 0.0  # the last run's, kept for the summary when a row is judged again
        self._build()
        self.set_running(False)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        header = QHBoxLayout()
        self.run_button = QPushButton("Run Tests", self)
        self.run_button.clicked.connect(self.sig_run_requested)
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.clicked.connect(self.sig_stop_requested)
        self.save_button = QPushButton("Save as Expectation", self)
        self.save_button.setToolTip("Record the selected run into its preset's .expect.yaml (created or updated; "
                                    "your comments, rules and budgets stay)")
        self.save_button.clicked.connect(self._save_selected)
        self.debug_button = QPushButton("Debug Case", self)
        self.debug_button.setToolTip("Run the selected case alone under the debugger: it stops at the breakpoints "
                                     "set in the gutter")
        self.debug_button.clicked.connect(self._debug_selected)
        self.summary_label = QLabel(self)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in (self.run_button, self.stop_button, self.save_button, self.debug_button):
            header.addWidget(widget)
        header.addWidget(self.summary_label, 1)
        layout.addLayout(header)

        self.table = QTableView(self)
        self.table.setObjectName("test_results_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header_view = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            mode = (QHeaderView.ResizeMode.Stretch if column == FIRST_DIFFERENCE_COLUMN
                    else QHeaderView.ResizeMode.ResizeToContents)
            header_view.setSectionResizeMode(column, mode)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)

        self.difference_view = QPlainTextEdit(self)
        self.difference_view.setObjectName("test_difference")
        self.difference_view.setReadOnly(True)
        self.difference_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.difference_view.setPlaceholderText(_HINT)
        self.difference_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # Side by side: the dock is wide and low, and the table needs its height for rows.
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("splitter_tests")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.difference_view)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([800, 230])
        self.difference_view.setMinimumWidth(200)
        layout.addWidget(self.splitter, 1)

    # --- Driven by the test run ------------------------------------------------------------------

    def start(self, cases: list[PlannedCase]) -> None:
        """A new run: the old results and summary go, the planned cases show as queued."""
        self.model.set_cases(cases)
        self.difference_view.clear()
        self._set_summary(f"Running {len(cases)} case{'s' if len(cases) != 1 else ''}…", failed=False)
        self.set_running(True)

    @Slot(object)
    def case_started(self, case: PlannedCase) -> None:
        self.model.mark_running(case)

    @Slot(object)
    def case_finished(self, item: CaseResult) -> None:
        row = self.model.set_result(item)
        if row is not None and row == self.table.currentIndex().row():
            self._on_row_changed(self.table.currentIndex(), None)
        # Follow the run until the user picks a row themselves.
        if row is not None and not self.table.selectionModel().hasSelection():
            self.table.scrollTo(self.model.index(row, 0))

    def finish(self, summary: Summary) -> None:
        """The summary stays until the next run starts (or a saved expectation judges a row again); the
        first failure is scrolled into view, where the run's own following may have left it out."""
        self.set_running(False)
        self._seconds = summary.seconds
        self._set_summary(str(summary), failed=not summary.ok)
        failed = next((row for row in range(self.model.rowCount()) if self.model.state(row) == FAILED), None)
        if failed is not None:
            self.table.scrollTo(self.model.index(failed, 0), QAbstractItemView.ScrollHint.PositionAtTop)

    def clear_results(self) -> None:
        """No results (another workspace is open, its presets not run yet)."""
        self.model.set_cases([])
        self.difference_view.clear()
        self._set_summary("", failed=False)
        self.set_running(False)

    def show_problem(self, text: str) -> None:
        """Nothing ran (a broken file): say where, in red, until the next run."""
        self.model.set_cases([])
        self.difference_view.setPlainText(text)
        self._set_summary("Not run: " + text.splitlines()[0], failed=True)
        self.set_running(False)

    def replace_result(self, item: CaseResult) -> None:
        """A finished case judged again (its expectation saved): the row and the summary follow."""
        self.case_finished(item)
        if self.run_button.isEnabled():
            summary = summarise(self.model.results(), self._seconds)
            self._set_summary(str(summary), failed=not summary.ok)

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self._update_save_button()

    def selected_result(self) -> CaseResult | None:
        index = self.table.currentIndex()
        return self.model.result(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    # --- Protected -------------------------------------------------------------------------------

    def _set_summary(self, text: str, failed: bool) -> None:
        self.summary_label.setText(text)
        colour = failure_colour().name() if failed else ""
        self.summary_label.setStyleSheet(f"color: {colour}; font-weight: bold;" if failed else "font-weight: bold;")

    def _on_row_changed(self, current, _previous) -> None:
        item = self.model.result(current.row()) if current.isValid() else None
        self._update_save_button()
        if item is None:
            self.difference_view.clear()
            return
        self.difference_view.setPlainText(_difference_text(item))
        if item.result is not None:
            self.sig_case_selected.emit(item)

    def _update_save_button(self) -> None:
        item = self.selected_result()
        self.save_button.setEnabled(item is not None and item.result is not None)
        case = self.selected_case()
        self.debug_button.setEnabled(self.run_button.isEnabled() and case is not None and case.prepared is not None)

    def selected_case(self) -> PlannedCase | None:
        index = self.table.currentIndex()
        return self.model.case(index.row()) if index.isValid() else None

    def _debug_selected(self) -> None:
        case = self.selected_case()
        if case is not None and case.prepared is not None:
            self.sig_debug_requested.emit(case)

    def _save_selected(self) -> None:
        item = self.selected_result()
        if item is not None and item.result is not None:
            self.sig_save_requested.emit(item)


def _difference_text(item: CaseResult) -> str:
    case = item.case
    lines = [f"{case.function} · {case.name}"]
    if case.expectation is None:
        lines.append(f"No expectation: {_in_events(case.expectation_path)} does not exist, so the run must succeed.")
    else:
        lines.append(f"Expectation: {_in_events(case.expectation_path)}")
    if item.verdict is not None and item.verdict.differences:
        lines.append("")
        for difference in item.verdict.differences:
            where = f"   (line {difference.line})" if difference.line else ""
            lines.append(f"✗ {difference}{where}")
    elif item.status == FAILED:
        lines.append(item.reason)
    else:
        lines.append("")
        lines.append(item.reason or ("✓ as expected" if item.verdict is not None else ""))
    if item.reason and item.verdict is not None and item.verdict.differences:
        lines.append(item.reason)
    return "\n".join(lines)


def _in_events(path) -> str:
    """events/Fn/new-order.expect.yaml: the path as the workspace's git shows it."""
    parts = path.parts
    return "/".join(parts[len(parts) - 1 - parts[::-1].index("events"):]) if "events" in parts else str(path)
