"""EventBridge in the AWS dock: an event (source, detail-type, detail as JSON) put on a bus of the workspace."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from ...engine.services_desk import ServicesDesk


class EventBusView(QWidget):
    notice = Signal(str)
    """A line for the status bar (str)."""

    def __init__(self, desk: ServicesDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.bus = QComboBox(self, objectName="bus_combo")
        self.bus.addItem("default")
        self.source = QLineEdit("workbench.local", self)
        self.detail_type = QLineEdit("Test Event", self)
        self.detail = QPlainTextEdit('{\n  "hello": "world"\n}', self, objectName="event_detail")
        self.detail.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.put_button = QPushButton("Put Event", self)
        self.put_button.clicked.connect(self.put_event)
        form = QFormLayout()
        form.addRow("Event bus", self.bus)
        form.addRow("Source", self.source)
        form.addRow("Detail type", self.detail_type)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.put_button)
        left.addLayout(row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(left, 2)
        layout.addWidget(self.detail, 3)

    @Slot()
    def refresh(self) -> None:
        reply = self._desk.ask("event_buses")
        reply.done.connect(self._show)
        reply.failed.connect(self.notice)

    @Slot()
    def put_event(self) -> None:
        try:
            detail = json.loads(self.detail.toPlainText() or "{}")
        except ValueError as error:
            self.notice.emit(f"The event's detail is not JSON: {error}")
            return
        if not isinstance(detail, dict):
            self.notice.emit("The event's detail must be a JSON object.")
            return
        bus = self.bus.currentText() or "default"
        reply = self._desk.ask("put_event", self.source.text().strip(), self.detail_type.text().strip(), detail, bus)
        reply.done.connect(lambda answer: self._done(answer, bus))
        reply.failed.connect(self.notice)

    def _done(self, answer: dict, bus: str) -> None:
        entry = (answer.get("Entries") or [{}])[0]
        if entry.get("ErrorCode"):
            self.notice.emit(f"EventBridge refused the event: {entry['ErrorCode']}: {entry.get('ErrorMessage', '')}")
        else:
            self.notice.emit(f"Put event {entry.get('EventId', '')} on {bus}.")

    def _show(self, buses: list) -> None:
        current = self.bus.currentText()
        self.bus.clear()
        self.bus.addItems(sorted(buses) or ["default"])
        if current in buses:
            self.bus.setCurrentText(current)
