"""SQS in the AWS dock: every queue with its messages visible, in flight and delayed and its dead-letter
queue, and a message to send to the one picked."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLineEdit, QPlainTextEdit, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ...engine.services_desk import ServicesDesk

COLUMNS = ["Queue", "Visible", "In flight", "Delayed", "Dead-letter queue"]


class QueuesView(QWidget):
    notice = Signal(str)
    """A line for the status bar (str)."""

    def __init__(self, desk: ServicesDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._queues: list[dict] = []
        self.grid = QTableWidget(0, len(COLUMNS), self, objectName="queue_table")
        self.grid.setHorizontalHeaderLabels(COLUMNS)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.verticalHeader().hide()
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.grid.itemSelectionChanged.connect(self._update_send)
        self.body = QPlainTextEdit(self, objectName="message_body", placeholderText="Message body (text or JSON)")
        self.group = QLineEdit(self, placeholderText="MessageGroupId (FIFO queues)")
        self.send_button = QPushButton("Send", self, enabled=False)
        self.send_button.clicked.connect(self.send)
        compose = QVBoxLayout()
        compose.addWidget(self.body, 1)
        row = QHBoxLayout()
        row.addWidget(self.group, 1)
        row.addWidget(self.send_button)
        compose.addLayout(row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.grid, 3)
        layout.addLayout(compose, 2)

    def queues(self) -> list[dict]:
        return list(self._queues)

    @Slot()
    def refresh(self) -> None:
        reply = self._desk.ask("queues")
        reply.done.connect(self._show)
        reply.failed.connect(self.notice)

    @Slot()
    def send(self) -> None:
        row = self.grid.currentRow()
        if not 0 <= row < len(self._queues):
            return
        queue = self._queues[row]
        group = self.group.text().strip() or (self._group_for(queue) if queue["name"].endswith(".fifo") else None)
        reply = self._desk.ask("send_message", queue["url"], self.body.toPlainText(), group)
        reply.done.connect(lambda message_id: (self.notice.emit(f"Sent message {message_id} to {queue['name']}."),
                                               self.refresh()))
        reply.failed.connect(self.notice)

    @staticmethod
    def _group_for(_queue: dict) -> str:
        return "workbench"  # a FIFO queue refuses a message without a group

    def _show(self, queues: list) -> None:
        picked = self._queues[self.grid.currentRow()]["url"] if 0 <= self.grid.currentRow() < len(self._queues) \
            else None
        self._queues = sorted(queues, key=lambda q: q["name"])
        self.grid.setRowCount(len(self._queues))
        for row, queue in enumerate(self._queues):
            dead = (queue.get("deadLetterQueue") or "").rsplit(":", 1)[-1]
            cells = [queue["name"], str(queue["visible"]), str(queue["inFlight"]), str(queue["delayed"]), dead]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip((queue.get("deadLetterQueue") or "") if column == 4 else text)
                self.grid.setItem(row, column, item)
        urls = [q["url"] for q in self._queues]
        if picked in urls:
            self.grid.selectRow(urls.index(picked))
        elif urls:
            self.grid.selectRow(0)
        self._update_send()

    def _update_send(self) -> None:
        self.send_button.setEnabled(0 <= self.grid.currentRow() < len(self._queues))
