"""An S3 object's content as a person reads it: JSON pretty-printed, text as text, an image as the image;
anything else as its size and type."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QPixmap
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QScrollArea, QStackedWidget, QWidget

# Shown whole up to this size; a larger text is cut (the download has it all).
TEXT_LIMIT = 512 * 1024


def looks_like_text(content: bytes) -> bool:
    try:
        content[:4096].decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start > 4090  # a character cut at the sample's end
    return b"\0" not in content[:4096]


class ObjectViewer(QStackedWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit(self, readOnly=True, objectName="object_text")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.image = QLabel(self, objectName="object_image", alignment=Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea(self, widgetResizable=True)
        scroll.setWidget(self.image)
        self.note = QLabel(self, alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        for page in (self.text, scroll, self.note):
            self.addWidget(page)
        self.kind = ""
        self.show_note("Pick an object to see it; drop files on the list to upload them.")

    def show_note(self, text: str) -> None:
        self.kind = "note"
        self.note.setText(text)
        self.setCurrentWidget(self.note)

    def show_content(self, key: str, content: bytes, content_type: str) -> None:
        """kind becomes json, text, image or binary."""
        pixmap = QPixmap()
        if content_type.startswith("image/") or key.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".bmp",
                                                                       ".svg", ".webp")):
            if pixmap.loadFromData(content):
                self.kind = "image"
                self.image.setPixmap(pixmap)
                self.image.setToolTip(f"{pixmap.width()}×{pixmap.height()}")
                self.setCurrentIndex(1)
                return
        if looks_like_text(content):
            text = content[:TEXT_LIMIT].decode("utf-8", "replace")
            self.kind = "text"
            if "json" in content_type or key.lower().endswith(".json") or text.lstrip()[:1] in ("{", "["):
                try:
                    text = json.dumps(json.loads(content), indent=2, ensure_ascii=False)
                    self.kind = "json"
                except ValueError:
                    pass
            if len(content) > TEXT_LIMIT:
                text += f"\n… ({len(content):,} bytes; Download has them all)"
            self.text.setPlainText(text)
            self.setCurrentWidget(self.text)
            return
        self.show_note(f"{key}\n{len(content):,} bytes of {content_type or 'binary data'}: Download to open it.")
        self.kind = "binary"
