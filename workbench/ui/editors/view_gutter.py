"""A strip in the left margin of a QPlainTextEdit's viewport that scrolls with the text beside it: what the
line-number gutter and the log's fold strip have in common."""

from __future__ import annotations

from PySide6.QtCore import QRect, Slot
from PySide6.QtWidgets import QPlainTextEdit, QWidget


class ViewGutter(QWidget):
    """A child of `view` covering the left margin of its viewport, one line of it beside each line of text.

    A subclass says how wide the margin is (margin_width()), reserves it with the view's
    setViewportMargins() and paints it; the view's owner calls place() from the view's resizeEvent.
    """

    def __init__(self, view: QPlainTextEdit) -> None:
        super().__init__(view)
        self._view = view
        view.updateRequest.connect(self._follow_view)

    def margin_width(self) -> int:
        """Pixels of the view's left margin this strip covers."""
        raise NotImplementedError

    def place(self) -> None:
        """Cover the left margin of the view; call from the view's resizeEvent."""
        contents = self._view.contentsRect()
        self.setGeometry(QRect(contents.left(), contents.top(), self.margin_width(), contents.height()))

    @Slot(QRect, int)
    def _follow_view(self, rect: QRect, dy: int) -> None:
        # The view scrolled its text by dy or repainted rect of it: the strip's lines move or repaint alike.
        if dy:
            self.scroll(0, dy)
        else:
            self.update(0, rect.y(), self.width(), rect.height())
