"""SNS in the AWS dock: the topics, and a message (with an optional subject) to publish to the one picked."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from ...engine.services_desk import ServicesDesk


class TopicsView(QWidget):
    notice = Signal(str)
    """A line for the status bar (str)."""

    def __init__(self, desk: ServicesDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.topics = QListWidget(self, objectName="topic_list")
        self.topics.currentItemChanged.connect(lambda *_: self._update_publish())
        self.subject = QLineEdit(self, placeholderText="Subject (optional)")
        self.message = QPlainTextEdit(self, objectName="topic_message", placeholderText="Message")
        self.publish_button = QPushButton("Publish", self, enabled=False)
        self.publish_button.clicked.connect(self.publish)
        compose = QVBoxLayout()
        compose.addWidget(self.message, 1)
        row = QHBoxLayout()
        row.addWidget(self.subject, 1)
        row.addWidget(self.publish_button)
        compose.addLayout(row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.topics, 2)
        layout.addLayout(compose, 3)

    @Slot()
    def refresh(self) -> None:
        reply = self._desk.ask("topics")
        reply.done.connect(self._show)
        reply.failed.connect(self.notice)

    @property
    def topic_arn(self) -> str | None:
        item = self.topics.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    @Slot()
    def publish(self) -> None:
        arn = self.topic_arn
        if arn is None:
            return
        reply = self._desk.ask("publish", arn, self.message.toPlainText(), self.subject.text().strip() or None)
        reply.done.connect(lambda message_id: self.notice.emit(f"Published {message_id} to {arn.rsplit(':', 1)[-1]}."))
        reply.failed.connect(self.notice)

    def _show(self, arns: list) -> None:
        current = self.topic_arn
        self.topics.clear()
        for arn in sorted(arns):
            item = QListWidgetItem(arn.rsplit(":", 1)[-1])
            item.setToolTip(arn)
            item.setData(Qt.ItemDataRole.UserRole, arn)
            self.topics.addItem(item)
            if arn == current or (current is None and self.topics.count() == 1):
                self.topics.setCurrentItem(item)
        self._update_publish()

    def _update_publish(self) -> None:
        self.publish_button.setEnabled(self.topic_arn is not None)
