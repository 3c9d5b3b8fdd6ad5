"""An email's HTML, rendered the way a careful mail reader shows it: nothing is fetched (remote images,
style sheets), links open nothing by themselves."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget


class HtmlView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    # --- QTextBrowser interface

    def loadResource(self, kind: int, name: QUrl):  # noqa: N802 - Qt override
        # Only what the message carries inline (data: URLs); a remote or local file is never read.
        if name.scheme() == "data":
            return super().loadResource(kind, name)
        return None
