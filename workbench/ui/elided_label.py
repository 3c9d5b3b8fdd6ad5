"""A one-line label whose text may grow without widening the window: what does not fit is elided."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class ElidedLabel(QLabel):
    """A QLabel for plain text whose minimum width is `minimum_text`'s, whatever it shows.

    A layout gives it its full text's width when there is room (sizeHint); where there is not, the
    text is drawn elided and the tooltip holds it whole, before any tooltip of the label's own. So a
    count or a name that grows with the content never raises the window's minimum size nor moves a
    splitter.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None, *, minimum_text: str = "",
                 mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight, objectName: str = "") -> None:  # noqa: N803
        super().__init__(text, parent, objectName=objectName)
        self._minimum_text = minimum_text
        self._mode = mode
        self._own_tip = ""
        self._show_tip()

    # --- Public interface

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self._show_tip()

    def setToolTip(self, tip: str) -> None:  # noqa: N802 - Qt override
        self._own_tip = tip
        self._show_tip()

    def is_elided(self) -> bool:
        """True when the text is wider than the room the label has (it is drawn shortened)."""
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def shown_text(self) -> str:
        """The text as drawn: whole, or elided to the label's width."""
        return self.fontMetrics().elidedText(self.text(), self._mode, self.contentsRect().width())

    # --- Qt overrides

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._minimum_text or "…") + margins.left() + margins.right()
        # The same whatever the text: a minimum that followed the text would move the splitters.
        return QSize(width, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._show_tip()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self.is_elided():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()), self.palette(),
                                  self.isEnabled(), self.shown_text(), self.foregroundRole())

    # --- Protected

    def _show_tip(self) -> None:
        whole = self.text() if self.text() and self.is_elided() and self.text() not in self._own_tip else ""
        super().setToolTip("\n".join(part for part in (whole, self._own_tip) if part))
