"""The History list as a Qt table model: a thin adapter over the HistoryStore that fetches rows a page at a
time (canFetchMore / fetchMore), so opening it costs one COUNT and one page whatever the history holds."""

from __future__ import annotations

import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from ...core.lambda_rules.billing import format_cost
from ...core.history.history_codec import ERROR, TIMEOUT, RunSummary
from ...core.history.history_store import HistoryStore
from ...core.provenance.sweep_groups import SWEEPS_ALL, SWEEPS_GROUPED, SweepBrief

RunIdRole = Qt.ItemDataRole.UserRole
SummaryRole = Qt.ItemDataRole.UserRole + 1
PAGE_SIZE = 200
# (header, tooltip) per column.
COLUMNS = (
    ("Time", "When the call was made"),
    ("Function", "The function that ran"),
    ("Preset / caller", "The preset the event came from; without one, who called (a served route, the Invoke "
                        "API's caller, a schedule); a memory sweep's calls as one row"),
    ("Status", "success, error or timeout (REPORT's Status)"),
    ("Duration", "REPORT's Duration"),
    ("Billed", "REPORT's Billed Duration (Init Duration included on a cold start)"),
    ("Max Memory", "REPORT's Max Memory Used, of the Memory Size"),
    ("Cost", "What the call would cost on Lambda (us-east-1)"),
    ("Start", "cold: a new execution environment; warm: an existing one"),
    ("Source", "Where the run came from: window, cli, serve, test, tune, agent, remote (Run on AWS)"),
)
_NUMERIC = {4, 5, 6, 7}
_ERROR_RED, _ERROR_RED_DARK = QColor("#d32f2f"), QColor("#ff6b6b")
_COLD_AMBER, _COLD_AMBER_DARK = QColor("#c77700"), QColor("#ffb74d")
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_RUN_ID = int(RunIdRole.value)
_SUMMARY = int(SummaryRole)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


def time_text(started_at: float, now: float | None = None) -> str:
    """The time alone for today's runs, the date too for older ones."""
    moment, today = time.localtime(started_at), time.localtime(now)
    same_day = moment[:3] == today[:3]
    return time.strftime("%H:%M:%S" if same_day else "%Y-%m-%d %H:%M", moment)


class HistoryTableModel(QAbstractTableModel):
    """Runs newest first, of one function and/or one outcome when filtered."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._store: HistoryStore | None = None
        self._function: str | None = None
        self._outcome: str | None = None
        self._rows: list[RunSummary] = []
        self._cells: list[tuple[str, ...] | None] = []
        self._total = 0
        self._sweeps = SWEEPS_GROUPED
        self._briefs: dict[str, SweepBrief] = {}

    def set_store(self, store: HistoryStore | None) -> None:
        self._store = store
        self.refresh()

    @property
    def store(self) -> HistoryStore | None:
        return self._store

    def set_filter(self, function: str | None, outcome: str | None) -> None:
        self._function, self._outcome = function, outcome
        self.refresh()

    def set_sweep_runs(self, shown: bool) -> None:
        """A memory sweep's calls one by one (shown), or the sweep as one row (the default)."""
        self._sweeps = SWEEPS_ALL if shown else SWEEPS_GROUPED
        self.refresh()

    @property
    def sweep_runs_shown(self) -> bool:
        return self._sweeps == SWEEPS_ALL

    def sweep_brief(self, row: int) -> SweepBrief | None:
        """What the sweep a grouped row stands for adds up to; None for any other row."""
        run = self._rows[row]
        return self._briefs.get(run.sweep) if run.sweep and self._sweeps == SWEEPS_GROUPED else None

    def refresh(self) -> None:
        """Read again from the first page (after a run was recorded or deleted)."""
        self.beginResetModel()
        self._total = self._store.count(self._function, self._outcome, sweeps=self._sweeps) if self._store else 0
        self._briefs = {}
        self._rows = self._page(0) if self._total else []
        self._cells = [None] * len(self._rows)
        self.endResetModel()

    def total(self) -> int:
        """How many runs match the filter (not how many are fetched yet)."""
        return self._total

    def summary(self, row: int) -> RunSummary:
        return self._rows[row]

    def row_of(self, run_id: str) -> int | None:
        """The row of a run among those fetched so far."""
        for row, run in enumerate(self._rows):
            if run.id == run_id:
                return row
        return None

    def _page(self, offset: int) -> list[RunSummary]:
        page = self._store.list(self._function, self._outcome, limit=PAGE_SIZE, offset=offset, sweeps=self._sweeps)
        if self._sweeps == SWEEPS_GROUPED:
            self._briefs.update(self._store.sweep_briefs([run.sweep for run in page if run.sweep]))
        return page

    # --- 'QAbstractTableModel' interface ------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        if parent.isValid() or self._store is None:
            return
        page = self._page(len(self._rows))
        if not page:
            self._total = len(self._rows)  # runs were dropped meanwhile (retention, another process)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
        self._rows.extend(page)
        self._cells.extend([None] * len(page))
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section][1]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        # Called thousands of times per paint: plain ints for roles, cell texts made once per row.
        row = index.row()
        if not index.isValid() or row >= len(self._rows):
            return None
        role = int(role)
        column = index.column()
        if role == _DISPLAY:
            cells = self._cells[row]
            if cells is None:
                brief = self.sweep_brief(row)
                run = self._rows[row]
                cells = self._cells[row] = tuple(_sweep_cell(run, brief, c) if brief else _cell(run, c)
                                                 for c in range(len(COLUMNS)))
            return cells[column]
        if role == _ALIGNMENT:
            return _RIGHT if column in _NUMERIC else None
        if role == _FOREGROUND:
            run = self._rows[row]
            brief = self.sweep_brief(row)
            if column == 3 and (brief.failed if brief else run.outcome in (ERROR, TIMEOUT)):
                return _ERROR_RED if _is_light() else _ERROR_RED_DARK
            if column == 8 and run.cold:
                return _COLD_AMBER if _is_light() else _COLD_AMBER_DARK
            return None
        if role == _RUN_ID:
            return self._rows[row].id
        if role == _SUMMARY:
            return self._rows[row]
        if role == _TOOLTIP:
            brief = self.sweep_brief(row)
            return _sweep_tooltip(brief) if brief else _tooltip(self._rows[row])
        return None


def _cell(run: RunSummary, column: int) -> str:
    if column == 0:
        return time_text(run.started_at)
    if column == 1:
        return run.function
    if column == 2:
        # Where there is no preset, who called: the route or the Invoke API's caller; else the kind of caller.
        return run.preset or run.origin or _CALLERS.get(run.source, "—")
    if column == 3:
        return run.outcome if not run.error_type or run.outcome != ERROR else f"error: {run.error_type}"
    if column == 4:
        return f"{run.duration_ms:.2f} ms"
    if column == 5:
        return f"{run.billed_duration_ms} ms"
    if column == 6:
        return f"{run.max_memory_used_mb} / {run.memory_size_mb} MB"
    if column == 7:
        return format_cost(run.cost_usd)
    if column == 9:
        return run.source
    return "cold" if run.cold else "warm"


# The Preset column of a run without a preset: its caller, in brackets so it never reads as a preset's name.
_CALLERS = {"serve": "(served call)", "agent": "(agent)", "remote": "(on AWS)", "cli": "(command line)",
            "tune": "(sweep)"}


def _sweep_cell(run: RunSummary, brief: SweepBrief, column: int) -> str:
    """A sweep's row: what its calls add up to where one call's figure would mislead."""
    if column == 2:
        return brief.label
    if column == 3:
        return brief.status
    if column in (4, 5, 8):
        return "—"
    if column == 6:
        return brief.memory
    if column == 7:
        return brief.cost
    return _cell(run, column)


def _sweep_tooltip(brief: SweepBrief) -> str:
    return (f"One memory sweep: {brief.calls} calls at {brief.sizes} size(s), {brief.memory}; "
            f"{brief.cost} together.\nSelecting it shows its latest call; tick Sweep calls to list each one.")


def _tooltip(run: RunSummary) -> str:
    lines = [f"Run {run.id} · from {run.source}" + (f" · {run.origin}" if run.origin else "")]
    if run.error_type:
        lines.append(f"Error: {run.error_type}")
    if run.cold:
        lines.append(f"Cold start: {run.cold_reason}" if run.cold_reason else "Cold start")
        if run.init_duration_ms is not None:
            lines.append(f"Init Duration: {run.init_duration_ms:.2f} ms")
    return "\n".join(lines)


def _is_light() -> bool:
    palette = QApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() > 127
