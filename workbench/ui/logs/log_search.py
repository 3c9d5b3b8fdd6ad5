"""Search in the Logs panel's view: the matches of the search text, a current one to step through, and
the highlighting of those on screen."""

from __future__ import annotations

import bisect
import re

from PySide6.QtCore import QObject, QPoint, QTimer, Slot
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTextEdit

from workbench.ui.logs.log_fold_area import LogFoldArea

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def match_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Where `needle` occurs in `text`, case-insensitive, as (start, end) in Qt's positions (UTF-16 units)."""
    if not needle:
        return []
    spans = [m.span() for m in re.finditer(re.escape(needle), text, re.IGNORECASE)]
    # Each character beyond the BMP before a match adds one unit.
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if astral:
        spans = [(s + bisect.bisect_left(astral, s), e + bisect.bisect_left(astral, e)) for s, e in spans]
    return spans


class LogSearch(QObject):
    """Finds the search box's text in the view's document and keeps "n of m" beside the box.

    `current` is the match stepped to (-1: none yet); the panel keeps it with each log it switches
    between. Only the matches on screen are painted: a log can hold thousands of them.
    """

    def __init__(self, view: QPlainTextEdit, search: QLineEdit, label: QLabel, folds: LogFoldArea,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view, self._search, self._label, self._folds = view, search, label, folds
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self._match_format = QTextCharFormat()
        self._current_format = QTextCharFormat()
        # Streaming re-counts matches at most a few times a second.
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.refresh)

    def set_colours(self, dark: bool) -> None:
        self._match_format.setBackground(QColor("#5c4d00" if dark else "#fff176"))
        self._current_format.setBackground(QColor("#b35c00" if dark else "#ffa726"))

    def forget(self) -> None:
        """The view is about to show another document: the matches were positions in the old one."""
        self.matches = []
        self._view.setExtraSelections([])

    def lines_added(self) -> None:
        """New lines reached the view: count again soon."""
        if self._search.text() and not self._timer.isActive():
            self._timer.start()

    def restart(self) -> None:
        """The search text changed: start from the first match on screen, so typing does not jump far away."""
        self.current = -1
        self.refresh()
        if self.matches:
            top = self._view.cursorForPosition(QPoint(0, 0)).position()
            self.current = bisect.bisect_left(self.matches, (top, 0)) % len(self.matches)
            self._reveal_current()

    @Slot()
    def refresh(self) -> None:
        needle = self._search.text()
        self.matches = match_spans(self._view.document().toPlainText(), needle) if needle else []
        if self.current >= len(self.matches):
            self.current = len(self.matches) - 1
        self._update_label()
        self.paint()

    def step(self, step: int) -> None:
        self.refresh()
        if not self.matches:
            return
        self.current = (self.current + step) % len(self.matches) if self.current >= 0 else (
            0 if step > 0 else len(self.matches) - 1)
        self._reveal_current()

    @Slot()
    def paint(self) -> None:
        """Highlight the matches on screen, the current one in its own colour."""
        if not self.matches:
            if self._view.extraSelections():
                self._view.setExtraSelections([])
            return
        viewport = self._view.viewport()
        top = self._view.cursorForPosition(QPoint(0, 0)).position()
        bottom = self._view.cursorForPosition(QPoint(viewport.width(), viewport.height())).position()
        first = bisect.bisect_left(self.matches, (top - 1, 0))
        last = bisect.bisect_right(self.matches, (bottom + 1, 0))
        document = self._view.document()
        selections = []
        for index in range(max(0, first - 1), min(len(self.matches), last + 1)):
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(document)
            selection.cursor.setPosition(self.matches[index][0])
            selection.cursor.setPosition(self.matches[index][1], QTextCursor.MoveMode.KeepAnchor)
            selection.format = self._current_format if index == self.current else self._match_format
            selections.append(selection)
        self._view.setExtraSelections(selections)

    def _reveal_current(self) -> None:
        cursor = QTextCursor(self._view.document())
        cursor.setPosition(self.matches[self.current][0])
        self._folds.reveal(cursor.blockNumber())
        self._view.setTextCursor(cursor)
        self._view.ensureCursorVisible()
        self._update_label()
        self.paint()

    def _update_label(self) -> None:
        if not self._search.text():
            self._label.clear()
        elif not self.matches:
            self._label.setText("no match")
        else:
            shown = self.current + 1 if self.current >= 0 else 0
            self._label.setText(f"{shown:,} of {len(self.matches):,}")
