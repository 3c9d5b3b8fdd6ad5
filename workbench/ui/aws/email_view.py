"""One Outbox email: who sent it to whom, when, and which run sent it; its HTML rendered (nothing fetched),
its text, the MIME message, and its attachments (saved from a raw send's message)."""

from __future__ import annotations

import html
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QPushButton, QTabWidget, QVBoxLayout, QWidget)

from ...core.services.email_mime import attachment_bytes, mime_text
from .html_view import HtmlView


def when(moment: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(moment)) if moment else ""


class EmailView(QWidget):
    run_requested = Signal(str)
    """Show in History the run (its id) that sent the email on screen."""
    notice = Signal(str)
    """A line for the status bar (str)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mail: dict | None = None
        self.header = QLabel(self, objectName="email_header", textFormat=Qt.TextFormat.RichText, wordWrap=True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.header.linkActivated.connect(lambda link: self.run_requested.emit(link.removeprefix("run:")))
        self.parts = QTabWidget(self, objectName="email_parts")
        self.html_view = HtmlView(self)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.text_view = QPlainTextEdit(self, readOnly=True)
        self.mime_view = QPlainTextEdit(self, readOnly=True, lineWrapMode=QPlainTextEdit.LineWrapMode.NoWrap)
        self.mime_view.setFont(fixed)
        attachments = QWidget(self)
        self.attachment_list = QListWidget(attachments)
        self.save_attachment = QPushButton("Save…", attachments, enabled=False)
        self.save_attachment.clicked.connect(self._save_attachment)
        self.attachment_list.currentItemChanged.connect(self._on_attachment_picked)
        column = QVBoxLayout(attachments)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(self.attachment_list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_attachment)
        column.addLayout(row)
        self.parts.addTab(self.html_view, "HTML")
        self.parts.addTab(self.text_view, "Text")
        self.parts.addTab(self.mime_view, "MIME")
        self.parts.addTab(attachments, "Attachments")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.parts, 1)
        self.show_email(None)

    def show_email(self, mail: dict | None, sent_by: tuple[str, str] | None = None) -> None:
        """mail: an Outbox entry, or None; sent_by: (run id, function) of the run that sent it."""
        self._mail = mail
        if mail is None:
            self.header.setText("<i>No email picked.</i>")
            for view in (self.html_view, self.text_view, self.mime_view):
                view.clear()
            self.attachment_list.clear()
            self.parts.setTabText(3, "Attachments")
            return
        # Two lines, so a short dock keeps its room for the message: subject and when; who to whom.
        e = html.escape
        subject = e(str(mail.get("subject", "")) or "(no subject)")
        text = f"<b>{subject}</b> &nbsp;·&nbsp; {e(when(float(mail.get('time', 0.0))))}"
        if sent_by is not None:
            text += (f" &nbsp;·&nbsp; sent by <a href='run:{e(sent_by[0])}'>{e(sent_by[1])} {e(sent_by[0][:8])}</a>")
        text += f"<br>{e(str(mail.get('from', '')))} → {e(', '.join(mail.get('to', [])))}"
        for name, key in (("Cc", "cc"), ("Bcc", "bcc")):
            if mail.get(key):
                text += f" &nbsp;·&nbsp; {name}: {e(', '.join(mail[key]))}"
        if mail.get("template"):
            text += f" &nbsp;·&nbsp; template {e(str(mail['template']))}"
        self.header.setText(text)
        if mail.get("html") is not None:
            self.html_view.setHtml(mail["html"])
        else:
            self.html_view.setPlainText("(no HTML part)")
        self.text_view.setPlainText(mail["text"] if mail.get("text") is not None else "(no text part)")
        self.mime_view.setPlainText(mime_text(mail))
        self.attachment_list.clear()
        for attachment in mail.get("attachments", []):
            item = QListWidgetItem(f"{attachment['filename']}  ({attachment['contentType']}, "
                                   f"{attachment['size']:,} bytes)")
            item.setData(Qt.ItemDataRole.UserRole, attachment["filename"])
            self.attachment_list.addItem(item)
        count = len(mail.get("attachments", []))
        self.parts.setTabText(3, f"Attachments ({count})" if count else "Attachments")
        self.parts.setCurrentIndex(0 if mail.get("html") is not None else 1)

    @Slot()
    def _on_attachment_picked(self) -> None:
        item = self.attachment_list.currentItem()
        self.save_attachment.setEnabled(item is not None and bool(self._mail and self._mail.get("raw")))

    @Slot()
    def _save_attachment(self) -> None:
        item = self.attachment_list.currentItem()
        if item is None or self._mail is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        content = attachment_bytes(self._mail, name)
        if content is None:
            self.notice.emit(f"{name}: not in the message")
            return
        target, _ = QFileDialog.getSaveFileName(self, "Save Attachment", name)
        if target:
            try:
                Path(target).write_bytes(content)
            except OSError as error:
                self.notice.emit(f"Could not save {target}: {error.strerror or error}")
