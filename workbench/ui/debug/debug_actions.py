"""The debugger's actions, with their keys: Debug (F9), Continue (F8), Step Over (F10), Step Into (F11),
Step Out (Shift+F11), Stop Debugging, and Debug the Next Call (a toggle for the current function)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPixmap, QPolygonF
from PySide6.QtWidgets import QWidget


class DebugActions(QObject):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.debug = self._action("Debug", "F9", "Debug: run the current preset under the debugger; it stops at "
                                  "the breakpoints set in the gutter (F9)")
        self.debug.setIcon(debug_icon())
        self.resume = self._action("Continue", "F8", "Run on to the next breakpoint (F8)")
        self.step_over = self._action("Step Over", "F10", "Run the current line and stop at the next one (F10)")
        self.step_into = self._action("Step Into", "F11", "Stop inside the function the line calls (F11)")
        self.step_out = self._action("Step Out", "Shift+F11", "Run to the end of this function and stop in its "
                                     "caller (Shift+F11)")
        self.stop = self._action("Stop", "", "Stop the debugged call: its environment is ended, as Stop does")
        self.debug_next = self._action("Debug the Next Call", "", "The function's next call, whoever makes it "
                                       "(Serve, a trigger, a test), runs under the debugger")
        self.debug_next.setCheckable(True)
        self.stepping = (self.resume, self.step_over, self.step_into, self.step_out)
        self.set_stopped(False)
        self.stop.setEnabled(False)

    def _action(self, text: str, key: str, tip: str) -> QAction:
        action = QAction(text, self)
        if key:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(tip)
        self.parent().addAction(action)  # the keys work wherever the focus is in the window
        return action

    def set_stopped(self, stopped: bool) -> None:
        for action in self.stepping:
            action.setEnabled(stopped)


def debug_icon(size: int = 16) -> QIcon:
    """Debug's icon: Run's triangle on a breakpoint's red dot (run, stopping at the breakpoints)."""
    icon = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e51400"))
        painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
        painter.setBrush(QColor("white"))
        third = size / 3
        painter.drawPolygon(QPolygonF([QPointF(third * 1.15, third * 0.8), QPointF(third * 2.3, size / 2),
                                       QPointF(third * 1.15, third * 2.2)]))
        painter.end()
        icon.addPixmap(pixmap)
    return icon
