"""The mouse over the log view: a stack frame is a link to its code, the folded runtime notice unfolds on a click,
and the pointer says which is which."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from workbench.core.function.stack_frames import FOLDED_WARNING, WARNING_MARK, location_at


class LogPointer(QObject):
    """Watches the view's viewport; `on_location(path, line, column)` is called for a clicked frame."""

    def __init__(self, view: QPlainTextEdit, raw_line: Callable[[int], str],
                 on_location: Callable[[str, int, int], None]) -> None:
        super().__init__(view)
        self._view, self._raw_line, self._on_location = view, raw_line, on_location
        # Kept: events still reach the viewport while the view is being destroyed, when asking it would fail.
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        self._viewport.setMouseTracking(True)

    def click_at(self, point: QPoint) -> None:
        """A click in the view: a stack frame opens its code; the folded runtime notice unfolds."""
        cursor = self._view.cursorForPosition(point)
        block = cursor.block()
        text = block.text()
        location = location_at(text, cursor.positionInBlock())
        if location is not None:
            self._on_location(location.path, location.line, location.column)
        elif FOLDED_WARNING in text:
            self._unfold_warning(block.blockNumber())

    def _unfold_warning(self, block_number: int) -> None:
        original = self._raw_line(block_number)
        block = self._view.document().findBlockByNumber(block_number)
        text = block.text()
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.MoveAnchor,
                            text.index(FOLDED_WARNING))
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, len(FOLDED_WARNING))
        notice = original[original.index(WARNING_MARK):].split("\r")[0]
        cursor.insertText(notice)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._viewport and event.type() in (QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove):
            if event.type() == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton \
                    and not self._view.textCursor().hasSelection():
                self.click_at(event.position().toPoint())
            elif event.type() == QEvent.Type.MouseMove and not event.buttons():
                cursor = self._view.cursorForPosition(event.position().toPoint())
                over = location_at(cursor.block().text(), cursor.positionInBlock()) is not None \
                    or FOLDED_WARNING in cursor.block().text()
                self._viewport.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.IBeamCursor)
        return super().eventFilter(watched, event)
