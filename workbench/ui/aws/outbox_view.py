"""The Outbox: every email the workspace's functions sent through SES, newest first (time, from, to,
subject), and the one picked below the list. Its count is the AWS dock's badge."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QHBoxLayout, QLabel, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ...engine.services_desk import ServicesDesk
from .email_view import EmailView, when
from .run_finder import RunFinder


class OutboxView(QWidget):
    count_changed = Signal(int)
    """How many emails the Outbox holds now."""
    run_requested = Signal(str)
    """Show this run (its id) in History."""
    notice = Signal(str)
    """A line for the status bar (str)."""

    def __init__(self, desk: ServicesDesk, finder: RunFinder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk, self._finder = desk, finder
        self._mails: list[dict] = []
        self.count = 0
        self.summary = QLabel(self, objectName="outbox_summary")
        self.clear_button = QPushButton("Empty Outbox", self)
        self.clear_button.setToolTip("Forget every email sent (the rest of the local services stay as they are)")
        self.clear_button.clicked.connect(self._empty)
        self.table = QTableWidget(0, 4, self, objectName="outbox_table")
        self.table.setHorizontalHeaderLabels(["Sent", "From", "To", "Subject"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda row, *_: self._show(row))
        self.email = EmailView(self)
        self.email.run_requested.connect(self.run_requested)
        self.email.notice.connect(self.notice)
        top = QWidget(self)
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.clear_button)
        column.addLayout(row)
        column.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(self.email)
        splitter.setSizes([420, 580])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._set_mails([])

    @Slot()
    def refresh(self) -> None:
        reply = self._desk.ask("outbox")
        reply.done.connect(self._set_mails)
        reply.failed.connect(self.notice)

    def mails(self) -> list[dict]:
        return list(self._mails)

    def _set_mails(self, mails: list) -> None:
        picked = self._mails[self.table.currentRow()].get("id") if 0 <= self.table.currentRow() < len(self._mails) \
            else None
        self._mails = list(mails)
        self.table.setRowCount(len(mails))
        for row, mail in enumerate(mails):
            cells = [when(float(mail.get("time", 0.0))), str(mail.get("from", "")), ", ".join(mail.get("to", [])),
                     str(mail.get("subject", "")) or "(no subject)"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.summary.setText(f"{len(mails)} email{'s' if len(mails) != 1 else ''} sent, newest first" if mails
                             else "No email sent yet: what the functions send with SES lands here.")
        self.clear_button.setEnabled(bool(mails))
        ids = [mail.get("id") for mail in mails]
        row = ids.index(picked) if picked in ids else (0 if mails else -1)
        if row >= 0:
            self.table.setCurrentCell(row, 0)
            self._show(row)  # the same row picked again does not signal
        else:
            self.email.show_email(None)
        if len(mails) != self.count:
            self.count = len(mails)
            self.count_changed.emit(self.count)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._mails):
            return
        mail = self._mails[row]
        run = self._finder.sender_of(mail)
        self.email.show_email(mail, (run.run_id, run.function) if run is not None else None)

    @Slot()
    def _empty(self) -> None:
        reply = self._desk.ask("reset", "outbox")
        reply.done.connect(lambda _answer: self.refresh())
        reply.failed.connect(self.notice)
