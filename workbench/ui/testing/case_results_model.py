"""The rows of the test results table: a thin Qt adapter over a list of cases and their results."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from ...core.lambda_rules.billing import format_cost
from ...core.expectations.case_plan import PlannedCase
from ...core.expectations.case_report import CANCELLED, FAILED, PASSED, SKIPPED, CaseResult

COLUMNS = ("Preset", "Function", "Outcome", "First difference", "Duration", "Max Memory Used", "Cost")
FIRST_DIFFERENCE_COLUMN = COLUMNS.index("First difference")
# The CaseResult of a row (None while the case is queued or running).
CaseResultRole = Qt.ItemDataRole.UserRole
QUEUED, RUNNING = "queued", "running"
_OUTCOME_TEXT = {PASSED: "passed", FAILED: "FAILED", SKIPPED: "skipped", CANCELLED: "not run",
                 QUEUED: "queued", RUNNING: "running…"}


class CaseResultsModel(QAbstractTableModel):
    """One row per case: queued, then running, then its result."""

    __test__ = False

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._cases: list[PlannedCase] = []
        self._states: list[str] = []
        self._results: list[CaseResult | None] = []

    # --- Store interface -------------------------------------------------------------------------

    def set_cases(self, cases: list[PlannedCase]) -> None:
        self.beginResetModel()
        self._cases = list(cases)
        self._states = [QUEUED] * len(cases)
        self._results = [None] * len(cases)
        self.endResetModel()

    def mark_running(self, case: PlannedCase) -> None:
        row = self._row_of(case)
        if row is not None:
            self._states[row] = RUNNING
            self._changed(row)

    def set_result(self, item: CaseResult) -> int | None:
        """Show a case's result (a new one replaces the old, as after Save as expectation); returns its row."""
        row = self._row_of(item.case)
        if row is not None:
            self._cases[row] = item.case
            self._states[row] = item.status
            self._results[row] = item
            self._changed(row)
        return row

    def case(self, row: int) -> PlannedCase | None:
        return self._cases[row] if 0 <= row < len(self._cases) else None

    def result(self, row: int) -> CaseResult | None:
        return self._results[row] if 0 <= row < len(self._results) else None

    def results(self) -> list[CaseResult]:
        return [r for r in self._results if r is not None]

    def state(self, row: int) -> str:
        return self._states[row]

    # --- Qt interface ----------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._cases)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt override
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._cases):
            return None
        row, column = index.row(), index.column()
        item = self._results[row]
        if role == CaseResultRole:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            scope = "shared by every function" if case_scope(self._cases[row]) == "shared" else "the function's own"
            return f"{self._cases[row].preset.path} ({scope})"
        if role == Qt.ItemDataRole.ToolTipRole and column == FIRST_DIFFERENCE_COLUMN and item is not None:
            return "\n".join(str(d) for d in item.verdict.differences) if item.verdict else item.reason or None
        if role == Qt.ItemDataRole.ForegroundRole and self._states[row] == FAILED:
            return failure_colour()
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= COLUMNS.index("Duration"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # --- Protected -------------------------------------------------------------------------------

    def _text(self, row: int, column: int) -> str:
        case, item = self._cases[row], self._results[row]
        result = item.result if item is not None else None
        if column == 0:
            return case.name
        if column == 1:
            return case.function
        if column == 2:
            return _OUTCOME_TEXT[self._states[row]]
        if column == 3:
            return item.first_difference if item is not None else ""
        if result is None:
            return ""
        if column == 4:
            return f"{result.duration_ms:.2f} ms"
        if column == 5:
            return f"{result.max_memory_used_mb} MB"
        return format_cost(result.cost_usd)

    def _row_of(self, case: PlannedCase) -> int | None:
        return next((row for row, c in enumerate(self._cases) if c.key == case.key), None)

    def _changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))


def case_scope(case: PlannedCase) -> str:
    return case.preset.scope


def failure_colour() -> QColor:
    """A red that reads on the current palette, light or dark."""
    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    return QColor("#ff8a80") if base.lightness() < 128 else QColor("#c62828")
