"""Continue, the steps and Stop in a row of icons above the call stack (their names and keys in the
tooltips): narrow enough for a 1024-pixel window, drawn in the palette's colours (again on a theme change)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QStyle, QToolBar, QWidget

from ..theme import palette_icon
from .debug_actions import DebugActions

_PIXMAPS = (QStyle.StandardPixmap.SP_MediaPlay, QStyle.StandardPixmap.SP_ArrowForward,
            QStyle.StandardPixmap.SP_ArrowDown, QStyle.StandardPixmap.SP_ArrowUp, QStyle.StandardPixmap.SP_MediaStop)


class SteppingBar(QToolBar):
    def __init__(self, actions: DebugActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("debug_steps")
        self.setIconSize(QSize(16, 16))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self._actions = (*actions.stepping, actions.stop)
        for action in self._actions:
            self.addAction(action)
        self._paint_icons()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icons()
        super().changeEvent(event)

    def _paint_icons(self) -> None:
        if not hasattr(self, "_actions"):
            return  # a palette event while the bar is still being built
        for action, pixmap in zip(self._actions, _PIXMAPS):
            action.setIcon(palette_icon(self.style(), pixmap, self.palette()))
