"""The line-number gutter left of a QPlainTextEdit: its width, its place and its painting."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from workbench.ui.editors.view_gutter import ViewGutter

_PADDING = 6  # pixels either side of the numbers
_MIN_DIGITS = 2  # so the text does not jump sideways between line 9 and line 10


class LineNumberArea(ViewGutter):
    """A child of `editor` that takes a left margin of the viewport and numbers the visible lines.

    The editor calls place() from its resizeEvent and update_width() when its font changes.
    The line holding the cursor is drawn in the text colour, the others muted.
    """

    def __init__(self, editor: QPlainTextEdit):
        super().__init__(editor)
        self._applied_width = -1
        self.setFont(editor.font())
        editor.blockCountChanged.connect(self.update_width)
        editor.cursorPositionChanged.connect(self.update)
        self.update_width()

    def width_for_lines(self, line_count: int) -> int:
        """Pixels needed to show numbers up to `line_count`."""
        digits = max(_MIN_DIGITS, len(str(max(1, line_count))))
        return 2 * _PADDING + self.fontMetrics().horizontalAdvance("9") * digits

    @Slot()
    def update_width(self) -> None:
        """Resize to the current line count and font, and move the editor's text to make room."""
        self.setFont(self._view.font())
        width = self.width_for_lines(self._view.blockCount())
        if width != self._applied_width:
            self._applied_width = width
            self._view.setViewportMargins(width, 0, 0, 0)
            self.place()

    def margin_width(self) -> int:
        return self._applied_width

    # --- Qt overrides

    def sizeHint(self) -> QSize:
        return QSize(self.width_for_lines(self._view.blockCount()), 0)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Scrolling over the numbers should scroll the text, as it does in every editor.
        QApplication.sendEvent(self._view.viewport(), event)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self._view.palette()
        painter = QPainter(self)
        painter.fillRect(event.rect(), _gutter_background(palette))
        muted = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        current_line = self._view.textCursor().blockNumber()
        bold = QFont(self.font())
        bold.setBold(True)
        right = self.width() - _PADDING
        height = self.fontMetrics().height()

        block = self._view.firstVisibleBlock()
        offset = self._view.contentOffset()
        top = round(self._view.blockBoundingGeometry(block).translated(offset).top())
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self._view.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                is_current = block.blockNumber() == current_line
                painter.setFont(bold if is_current else self.font())
                painter.setPen(palette.color(QPalette.ColorRole.Text) if is_current else muted)
                painter.drawText(
                    0, top, right, height,
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    str(block.blockNumber() + 1),
                )
            block = block.next()
            top = bottom
        painter.end()


def _gutter_background(palette: QPalette) -> QColor:
    # A shade between the text area and the window, so the gutter reads as chrome in both themes.
    base = palette.color(QPalette.ColorRole.Base)
    window = palette.color(QPalette.ColorRole.Window)
    return QColor(
        (base.red() + window.red()) // 2,
        (base.green() + window.green()) // 2,
        (base.blue() + window.blue()) // 2,
    )
