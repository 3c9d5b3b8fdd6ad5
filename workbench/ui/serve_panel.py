"""The Serve panel: a toggle that serves the workspace (the Invoke API and the HTTP routes), its two base
URLs, its schedules (each off until ticked, and fired once on request), and every incoming call, live."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from ..core.function.served_call import ServedCall

# The list keeps the newest calls only: a burst of thousands must not grow the window without bound.
MAX_ROWS = 1000
COLUMNS = ("Time", "Call", "Status", "Duration")
# The note (the function behind a route, or why the answer is an error) is each row's tooltip and the line
# under the list, where it has room for a whole sentence.
NOTE_ROLE = Qt.ItemDataRole.UserRole
_ENTRY_LABELS = {"invoke": "", "event": "Event", "schedule": "Schedule", "http": ""}
_ERROR = QColor("#c62828")


class ServePanel(QWidget):
    serve_toggled = Signal(bool)
    """The user switched serving on (True) or off."""
    schedule_toggled = Signal(str, bool)
    """function name, enabled: run that function's schedules on time while serving."""
    fire_requested = Signal(str, str)
    """function name, event name: fire that schedule once, now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serve_panel")
        self.toggle = QPushButton("Serve", self, checkable=True)
        self.toggle.setToolTip("Serve this workspace's functions as AWS reaches them: the Lambda Invoke API "
                               "(boto3, the AWS CLI, SDKs with an endpoint URL) and the HTTP routes of its Events")
        self.toggle.toggled.connect(self.serve_toggled)
        self.status = QLabel("Not serving.", self)
        # Wrapped: the addresses served are long, and must not widen the window past a 1024-pixel screen.
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        clear = QPushButton("Clear", self)
        clear.clicked.connect(self.clear_calls)
        top = QHBoxLayout()
        top.addWidget(self.toggle)
        top.addStretch(1)
        top.addWidget(clear)

        self.schedules = QTreeWidget(self)
        self.schedules.setHeaderLabels(["Schedule", "Expression"])
        self.schedules.headerItem().setToolTip(0, "Tick a schedule to run its function on time while serving")
        self.schedules.setRootIsDecorated(False)
        self.schedules.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.schedules.itemChanged.connect(self._on_schedule_changed)
        self.fire_button = QPushButton("Fire Now", self)
        self.fire_button.setToolTip("Send the selected schedule's event once, now (as EventBridge would)")
        self.fire_button.clicked.connect(self._fire_selected)
        self.schedule_row = QWidget(self)
        row = QHBoxLayout(self.schedule_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.schedules, 1)
        row.addWidget(self.fire_button, 0, Qt.AlignmentFlag.AlignTop)
        self.schedule_row.hide()

        self.calls = QTableWidget(0, len(COLUMNS), self)
        self.calls.setHorizontalHeaderLabels(COLUMNS)
        self.calls.verticalHeader().hide()
        self.calls.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.calls.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.calls.setWordWrap(False)
        self.calls.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.calls.itemSelectionChanged.connect(self._show_selected)
        # The full explanation of the selected call (or of the latest error): which rule, which key.
        self.detail = QLabel("", self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = self.calls.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Method and path at the start, the function at the end: the middle gives way in a narrow panel.
        self.calls.setTextElideMode(Qt.TextElideMode.ElideMiddle)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        # Under the buttons, not between them: the addresses take a line each in a narrow panel.
        layout.addWidget(self.status)
        layout.addWidget(self.schedule_row)
        layout.addWidget(self.calls, 1)
        layout.addWidget(self.detail)

    # --- What the server reports ---------------------------------------------------------------

    @Slot(bool, str)
    def set_serving(self, serving: bool, description: str) -> None:
        """Reflect the server's real state (a port may be taken: then it is off, with the reason)."""
        self.toggle.blockSignals(True)
        self.toggle.setChecked(serving)
        self.toggle.blockSignals(False)
        self.toggle.setText("Serving" if serving else "Serve")
        self.status.setText(description)

    def set_schedules(self, schedules: list[tuple[str, str, str]], enabled: set[str]) -> None:
        """(function, event name, expression) rows; a function's schedules are ticked together."""
        self.schedules.blockSignals(True)
        self.schedules.clear()
        for function, event_name, expression in schedules:
            item = QTreeWidgetItem([f"{function}.{event_name}", expression])
            item.setData(0, Qt.ItemDataRole.UserRole, (function, event_name))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if function in enabled else Qt.CheckState.Unchecked)
            self.schedules.addTopLevelItem(item)
        self.schedules.blockSignals(False)
        rows = max(1, len(schedules))
        self.schedules.setFixedHeight(self.schedules.header().sizeHint().height()
                                      + rows * (self.fontMetrics().height() + 6) + 4)
        self.schedule_row.setVisible(bool(schedules))

    @Slot(object)
    def add_call(self, call: ServedCall) -> None:
        """One answered call, newest at the bottom (the view follows only when already at the bottom)."""
        bar = self.calls.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 2
        if self.calls.rowCount() >= MAX_ROWS:
            self.calls.removeRow(0)
        row = self.calls.rowCount()
        self.calls.insertRow(row)
        method = call.method or _ENTRY_LABELS.get(call.entry, "")
        if call.entry == "event" and call.attempt > 1:
            method = f"Event, attempt {call.attempt},"
        note = call.explanation or ""
        if call.function_error:
            note = f"the function failed: {call.function_error}" + (f"; {note}" if note else "")
        if call.function and call.function != call.target:
            note = f"{call.function}: {note}" if note else call.function
        # A function error answered 200 (the Invoke API's way) still reads as a failure.
        status = f"{call.status} {call.function_error}" if call.function_error else str(call.status)
        values = (time.strftime("%H:%M:%S", time.localtime(call.at)), f"{method} {call.target}".strip(),
                  status, f"{call.duration_ms:.1f} ms")
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if call.failed:
                item.setForeground(QBrush(_ERROR))
            # The whole call in the tooltip: a narrow panel elides the Call column in its middle.
            item.setToolTip(f"{values[1]}: {note}" if note else values[1])
            item.setData(NOTE_ROLE, note)
            self.calls.setItem(row, column, item)
        if follow:
            self.calls.scrollToBottom()
        if (call.explanation or call.function_error) and not self.calls.selectedItems():
            self.detail.setText(f"{values[1]} → {status}: {note}")

    @Slot()
    def clear_calls(self) -> None:
        self.calls.setRowCount(0)
        self.detail.clear()

    def row_texts(self) -> list[list[str]]:
        """What the list shows, row by row (for tests and for copying)."""
        return [[self.calls.item(row, column).text() for column in range(self.calls.columnCount())]
                + [self.calls.item(row, 0).data(NOTE_ROLE)] for row in range(self.calls.rowCount())]

    # --- Internals -----------------------------------------------------------------------------

    @Slot()
    def _show_selected(self) -> None:
        rows = {index.row() for index in self.calls.selectedIndexes()}
        if len(rows) == 1:
            texts = self.row_texts()[rows.pop()]
            self.detail.setText(f"{texts[1]} → {texts[2]}" + (f": {texts[4]}" if texts[4] else ""))

    @Slot(QTreeWidgetItem, int)
    def _on_schedule_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        function, _event = item.data(0, Qt.ItemDataRole.UserRole)
        enabled = item.checkState(0) == Qt.CheckState.Checked
        # Every schedule of the function follows (the server enables them per function).
        self.schedules.blockSignals(True)
        for index in range(self.schedules.topLevelItemCount()):
            other = self.schedules.topLevelItem(index)
            if other.data(0, Qt.ItemDataRole.UserRole)[0] == function:
                other.setCheckState(0, item.checkState(0))
        self.schedules.blockSignals(False)
        self.schedule_toggled.emit(function, enabled)

    @Slot()
    def _fire_selected(self) -> None:
        item = self.schedules.currentItem() or self.schedules.topLevelItem(0)
        if item is not None:
            function, event_name = item.data(0, Qt.ItemDataRole.UserRole)
            self.fire_requested.emit(function, event_name)
