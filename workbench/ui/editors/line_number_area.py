"""The line-number gutter left of a QPlainTextEdit: its width, its place and its painting; in a code tab,
also the breakpoints (a red dot; hollow for a log point, with a bar for a condition) and the line where the
debugger stopped (an arrow), a click setting or clearing one."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (QColor, QContextMenuEvent, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette,
                           QPolygonF, QWheelEvent)
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from workbench.ui.editors.view_gutter import ViewGutter

_PADDING = 6  # pixels either side of the numbers
_MIN_DIGITS = 2  # so the text does not jump sideways between line 9 and line 10


BREAKPOINT_RED = QColor("#e51400")
PAUSED_YELLOW = QColor("#f2c500")


class LineNumberArea(ViewGutter):
    """A child of `editor` that takes a left margin of the viewport and numbers the visible lines.

    The editor calls place() from its resizeEvent and update_width() when its font changes.
    The line holding the cursor is drawn in the text colour, the others muted.
    """

    sig_line_clicked = Signal(int)
    """A click in the breakpoint column beside 1-based line (once enable_breakpoints() was called)."""
    sig_line_menu_requested = Signal(int, QPoint)
    """The context menu beside 1-based line, at a global position."""

    def __init__(self, editor: QPlainTextEdit):
        super().__init__(editor)
        self._applied_width = -1
        self._breakpoints = False
        self._marks: dict[int, str] = {}
        self._paused_line: int | None = None
        self.setFont(editor.font())
        editor.blockCountChanged.connect(self.update_width)
        editor.cursorPositionChanged.connect(self.update)
        self.update_width()

    def width_for_lines(self, line_count: int) -> int:
        """Pixels needed to show numbers up to `line_count`."""
        digits = max(_MIN_DIGITS, len(str(max(1, line_count))))
        return 2 * _PADDING + self.fontMetrics().horizontalAdvance("9") * digits + self._dot_column()

    def _dot_column(self) -> int:
        return self.fontMetrics().height() + 2 if self._breakpoints else 0

    def enable_breakpoints(self) -> None:
        """Make room for breakpoints at the left and answer clicks there (a code tab's gutter)."""
        self._breakpoints = True
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._applied_width = -1
        self.update_width()

    def set_marks(self, marks: dict[int, str]) -> None:
        """Breakpoints by 1-based line: "plain", "condition" or "log"."""
        self._marks = dict(marks)
        self.update()

    def marks(self) -> dict[int, str]:
        return dict(self._marks)

    def set_paused_line(self, line: int | None) -> None:
        self._paused_line = line
        self.update()

    def line_at(self, y: int) -> int:
        """The 1-based line beside height y of the gutter (the last line below the text)."""
        cursor = self._view.cursorForPosition(QPoint(0, y))
        return cursor.blockNumber() + 1

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

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._breakpoints and event.button() == Qt.MouseButton.LeftButton:
            self.sig_line_clicked.emit(self.line_at(round(event.position().y())))
            return
        super().mousePressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self._breakpoints:
            self.sig_line_menu_requested.emit(self.line_at(event.pos().y()), event.globalPos())
            return
        super().contextMenuEvent(event)

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
                if self._breakpoints:
                    self._paint_marks(painter, block.blockNumber() + 1, top, height)
            block = block.next()
            top = bottom
        painter.end()

    def _paint_marks(self, painter: QPainter, line: int, top: int, height: int) -> None:
        size = self._dot_column() - 2
        diameter = max(6, int(size * 0.7))
        left = 2 + (size - diameter) / 2
        centre_y = top + height / 2
        kind = self._marks.get(line)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if kind is not None:
            painter.setPen(BREAKPOINT_RED.darker(130))
            painter.setBrush(Qt.BrushStyle.NoBrush if kind == "log" else BREAKPOINT_RED)
            painter.drawEllipse(QPointF(left + diameter / 2, centre_y), diameter / 2, diameter / 2)
            if kind == "condition":
                painter.setPen(QColor("white"))
                painter.drawLine(QPointF(left + diameter * 0.3, centre_y), QPointF(left + diameter * 0.7, centre_y))
        if line == self._paused_line:
            painter.setPen(PAUSED_YELLOW.darker(150))
            painter.setBrush(PAUSED_YELLOW)
            half = diameter / 2
            arrow = QPolygonF([QPointF(left, centre_y - half), QPointF(left + diameter * 0.55, centre_y - half),
                               QPointF(left + diameter, centre_y), QPointF(left + diameter * 0.55, centre_y + half),
                               QPointF(left, centre_y + half)])
            painter.drawPolygon(arrow)
        painter.restore()


def _gutter_background(palette: QPalette) -> QColor:
    # A shade between the text area and the window, so the gutter reads as chrome in both themes.
    base = palette.color(QPalette.ColorRole.Base)
    window = palette.color(QPalette.ColorRole.Window)
    return QColor(
        (base.red() + window.red()) // 2,
        (base.green() + window.green()) // 2,
        (base.blue() + window.blue()) // 2,
    )
