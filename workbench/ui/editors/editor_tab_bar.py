"""The editor's tab bar: a preview tab's title is drawn in italics, as VS Code draws it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QMouseEvent, QPaintEvent
from PySide6.QtWidgets import (QApplication, QStyle, QStyleOptionTab, QStyleOptionTabBarBase, QStylePainter, QTabBar,
                               QWidget)

PREVIEW = "preview"
"""The tab data of a preview tab (it moves with the tab when tabs are dragged)."""


class EditorTabBar(QTabBar):
    """A QTabBar that knows which tab is the preview; the tabs' logic stays in EditorTabs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._press: QPoint | None = None
        self._dragging = False

    def set_preview(self, index: int, preview: bool) -> None:
        self.setTabData(index, PREVIEW if preview else None)
        # The italic title is a little wider: the size hints change with it.
        self.setTabText(index, self.tabText(index))
        self.update()

    def is_preview(self, index: int) -> bool:
        return self.tabData(index) == PREVIEW

    def tabSizeHint(self, index: int) -> QSize:  # noqa: N802 - Qt override
        size = super().tabSizeHint(index)
        if self.is_preview(index):
            text = self.tabText(index)
            italic = QFontMetrics(self._font(italic=True)).horizontalAdvance(text)
            wider = italic - self.fontMetrics().horizontalAdvance(text)
            size.setWidth(size.width() + max(0, wider))
        return size

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._press = event.position().toPoint() if event.button() == Qt.MouseButton.LeftButton else None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        # A drag starts as Qt's does, past the drag distance; a plain click keeps the italics throughout.
        if self._press is not None and self.isMovable() and (
                event.position().toPoint() - self._press).manhattanLength() >= QApplication.startDragDistance():
            self._dragging = True
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._dragging, self._press = False, None
        super().mouseReleaseEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        preview = next((i for i in range(self.count()) if self.is_preview(i)), None)
        # While a tab is dragged Qt paints the tabs at offsets only it knows: let it, upright for that moment.
        if preview is None or self._dragging:
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        current = self.currentIndex()
        if self.drawBase():
            painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameTabBarBase, self._base_option(current))
        for index in [i for i in range(self.count()) if i != current] + ([current] if current >= 0 else []):
            option = QStyleOptionTab()
            self.initStyleOption(option, index)
            if not option.rect.intersects(event.rect()):
                continue
            painter.setFont(self._font(italic=index == preview))
            painter.drawControl(QStyle.ControlElement.CE_TabBarTab, option)

    def _font(self, italic: bool) -> QFont:
        font = self.font()
        font.setItalic(italic)
        return font

    def _base_option(self, current: int) -> QStyleOptionTabBarBase:
        # The line under the tabs, as QTabBar draws it for a tab bar on top (the editor's are).
        option = QStyleOptionTabBarBase()
        option.initFrom(self)
        option.shape = self.shape()
        option.documentMode = self.documentMode()
        overlap = self.style().pixelMetric(QStyle.PixelMetric.PM_TabBarBaseOverlap, None, self)
        option.rect = QRect(0, self.height() - overlap, self.width(), overlap)
        if current >= 0:
            option.selectedTabRect = self.tabRect(current)
        option.tabBarRect = self.rect()
        return option
