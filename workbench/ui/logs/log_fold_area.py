"""The strip left of the log view: one fold marker per run (its first line … REPORT), and which lines are shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPalette, QTextBlock
from PySide6.QtWidgets import QPlainTextEdit

from workbench.core.lambda_rules.log_levels import log_level, shown_at
from workbench.core.log_reading.run_groups import is_run_report, start_request_id
from workbench.ui.editors.view_gutter import ViewGutter

# QTextBlock.userState of a run's first line: its group is expanded or collapsed.
EXPANDED, COLLAPSED = 1, 2


@dataclass(frozen=True)
class FoldState:
    """The filters a document's line visibility was set with; kept with each log the panel switches between."""

    filter: str = ""
    level: str | None = None
    newest_collapsed: bool = False


class LogFoldArea(ViewGutter):
    """Folds each run of a log view and filters its lines by text and by level.

    A run is the lines from its first (core/log_reading/run_groups.py says which) to its REPORT. A new
    run collapses the earlier ones (the newest is what one reads); a collapsed run keeps its first line,
    START and REPORT in sight. Filtering hides the lines that do not match, keeping every run's first
    line and START as its header. Every rule reads the line as written (`raw_line(block number)`), not
    as the view shows it.
    """

    def __init__(self, view: QPlainTextEdit, raw_line: Callable[[int], str] | None = None) -> None:
        super().__init__(view)
        self._raw = raw_line or (lambda number: view.document().findBlockByNumber(number).text())
        self._filter = ""
        self._level: str | None = None
        self._newest_collapsed = False  # the user folded the run still being written
        self._width = view.fontMetrics().horizontalAdvance("▾") + 8
        view.setViewportMargins(self._width, 0, 0, 0)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    # --- What the panel calls

    def set_filter(self, text: str) -> None:
        """Show only lines containing `text` (case-insensitive), plus the runs' START lines; "" shows all."""
        self._filter = text.casefold()
        self.apply()

    def set_level(self, threshold: str | None) -> None:
        """Show only lines at `threshold` or more severe (ERROR, WARN, INFO, DEBUG); None shows all."""
        self._level = threshold
        self.apply()

    def state(self) -> FoldState:
        return FoldState(self._filter, self._level, self._newest_collapsed)

    def restore(self, state: FoldState) -> None:
        """The view now shows another document, whose lines were folded and filtered with `state`."""
        self._filter, self._level, self._newest_collapsed = state.filter, state.level, state.newest_collapsed
        self.update()

    def filtering(self) -> bool:
        return bool(self._filter) or self._level is not None

    def new_lines(self, first_block: int, count: int, starts: list[int]) -> None:
        """`count` lines were appended as blocks from `first_block` on, those at `starts` (offsets) opening a
        run's group: mark them and apply the filters.

        Called for every flush of a stream, so the common case (no new run, no filter, the newest
        run open) returns at once: new blocks are visible by default.
        """
        if not starts and not self.filtering() and not self._newest_collapsed:
            return
        document = self._view.document()
        for index in starts:
            document.findBlockByNumber(first_block + index).setUserState(EXPANDED)
        if starts:
            self._collapse_all_but_last()
            self._newest_collapsed = False
        self.apply(from_block=0 if starts else first_block)

    def toggle(self, block_number: int) -> None:
        block = self._view.document().findBlockByNumber(block_number)
        if block.userState() in (EXPANDED, COLLAPSED):
            block.setUserState(COLLAPSED if block.userState() == EXPANDED else EXPANDED)
            self._newest_collapsed = self._last_start_collapsed()
            self.apply()

    def reveal(self, block_number: int) -> None:
        """Expand the run holding this line (a search match inside a collapsed run)."""
        block = self._view.document().findBlockByNumber(block_number)
        while block.isValid() and block.userState() not in (EXPANDED, COLLAPSED):
            block = block.previous()
        if block.isValid() and block.userState() == COLLAPSED:
            block.setUserState(EXPANDED)
            self.apply()

    def collapsed_runs(self) -> int:
        return sum(1 for block in self._blocks() if block.userState() == COLLAPSED)

    def run_starts(self) -> list[int]:
        return [block.blockNumber() for block in self._blocks() if block.userState() in (EXPANDED, COLLAPSED)]

    def apply(self, from_block: int = 0) -> None:
        """Set each line's visibility from its run's fold state and the filters."""
        document = self._view.document()
        block = document.findBlockByNumber(max(0, from_block))
        # The state of the run the first block belongs to.
        collapsed = False
        back = block
        while back.isValid():
            if back.userState() in (EXPANDED, COLLAPSED):
                collapsed = back.userState() == COLLAPSED
                break
            back = back.previous()
        changed = False
        while block.isValid():
            text = self._raw(block.blockNumber())
            state = block.userState()
            if state in (EXPANDED, COLLAPSED):
                collapsed = state == COLLAPSED
                visible = True
            elif start_request_id(text) is not None:
                visible = True
            elif is_run_report(text):
                visible = self._passes(text)
            else:
                visible = not collapsed and self._passes(text)
            if block.isVisible() != visible:
                block.setVisible(visible)
                changed = True
            block = block.next()
        if changed:
            start = document.findBlockByNumber(max(0, from_block)).position()
            document.markContentsDirty(start, document.characterCount() - start)
            self._view.viewport().update()
        self.update()

    # --- Protected

    def _passes(self, text: str) -> bool:
        if self._filter and self._filter not in text.casefold():
            return False
        return shown_at(log_level(text), self._level)

    def _last_start_collapsed(self) -> bool:
        block = self._view.document().lastBlock()
        while block.isValid() and block.userState() not in (EXPANDED, COLLAPSED):
            block = block.previous()
        return block.isValid() and block.userState() == COLLAPSED

    def _collapse_all_but_last(self) -> None:
        starts = [block for block in self._blocks() if block.userState() in (EXPANDED, COLLAPSED)]
        for block in starts[:-1]:
            block.setUserState(COLLAPSED)

    def _blocks(self):
        block = self._view.document().firstBlock()
        while block.isValid():
            yield block
            block = block.next()

    def margin_width(self) -> int:
        return self._width

    # --- Qt overrides

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._width, 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.Base))
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        block: QTextBlock = self._view.firstVisibleBlock()
        offset = self._view.contentOffset()
        height = self._view.fontMetrics().height()
        while block.isValid():
            geometry = self._view.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > event.rect().bottom():
                break
            if block.isVisible() and block.userState() in (EXPANDED, COLLAPSED):
                marker = "▾" if block.userState() == EXPANDED else "▸"
                painter.drawText(QRect(0, int(geometry.top()), self._width, height),
                                 Qt.AlignmentFlag.AlignCenter, marker)
            block = block.next()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        cursor = self._view.cursorForPosition(QPoint(0, int(event.position().y())))
        self.toggle(cursor.blockNumber())
