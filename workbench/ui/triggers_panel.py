"""The Triggers panel: each trigger of the workspace with its live state (idle, waiting, running, blocked with
its reason, paused), and what fired, what did not and why, newest first, with each record's fate."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QScrollArea, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

MAX_ENTRIES = 1000
TRIGGER_COLUMNS = ("Trigger", "Source", "Resource", "State")
ENTRY_COLUMNS = ("Time", "Trigger", "What", "Records")
_ATTENTION = {"blocked": QColor("#c62828"), "discarded": QColor("#c62828"), "loop stopped": QColor("#c62828"),
              "error": QColor("#c62828"), "not fired": QColor("#8d6e00"), "paused": QColor("#8d6e00")}
NOTE_ROLE = Qt.ItemDataRole.UserRole


class TriggersPanel(QWidget):
    pause_requested = Signal(str, bool)
    """trigger ("Function.Event"), paused: stop (True) or resume (False) that trigger."""
    save_batch_requested = Signal(str, str)
    """function, request id: save the event of the selected firing (its batch) as a preset of the function."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("triggers_panel")
        self.status = QLabel("No triggers yet.", self)
        self.status.setWordWrap(True)
        self.pause_button = QPushButton("Pause", self)
        self.pause_button.setToolTip("Stop the selected trigger firing (its events wait), or let it fire again")
        self.pause_button.setEnabled(False)
        self.pause_button.clicked.connect(self._toggle_pause)
        self.save_button = QPushButton("Save Batch as Preset…", self, objectName="save_batch_button")
        self.save_button.setToolTip("The selected firing's event (its batch of records) as a preset of its function")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._save_batch)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.pause_button, 0, Qt.AlignmentFlag.AlignTop)

        self.triggers = self._table(TRIGGER_COLUMNS, stretch=3)
        self.triggers.itemSelectionChanged.connect(self._on_trigger_selected)
        self.entries = self._table(ENTRY_COLUMNS, stretch=2)
        self.entries.itemSelectionChanged.connect(self._show_entry)
        # The trigger's name is in the left table already: What (the reason) gets the room in a narrow window.
        self.entries.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.entries.setColumnWidth(1, 140)
        self.entries.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # The whole story of the selected firing: its outcome, and each record's fate with the reason.
        self.detail = QLabel("", self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        detail_scroll = QScrollArea(self, widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        detail_scroll.setWidget(self.detail)
        # Side by side: the dock sits at the bottom, wide and short, tabified with History.
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        for widget in (self.triggers, self.entries, detail_scroll):
            split.addWidget(widget)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 2)
        split.setSizes([380, 520, 320])  # the trigger's state and the firing's fates readable at 1024 wide

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._states: dict[str, dict] = {}
        self._problems: list[str] = []

    def _table(self, columns: tuple[str, ...], stretch: int) -> QTableWidget:
        table = QTableWidget(0, len(columns), self)
        table.setHorizontalHeaderLabels(columns)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(False)
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = table.horizontalHeader()
        for column in range(len(columns)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return table

    # --- What the host reports -----------------------------------------------------------------

    @Slot(dict)
    def show_snapshot(self, snapshot: dict) -> None:
        """The host's /_workbench/triggers answer: states replace the table, entries are added on top."""
        selected = self.selected_trigger()
        triggers = snapshot.get("triggers", [])
        self._states = {t["trigger"]: t for t in triggers}
        self.triggers.setRowCount(len(triggers))
        for row, trigger in enumerate(triggers):
            state, why = _state_text(trigger)
            cells = (trigger["trigger"], trigger.get("source", ""), trigger.get("resource", ""), state)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(why or text)
                colour = _ATTENTION.get(trigger.get("state", "")) or _ATTENTION.get("paused" if trigger.get("paused")
                                                                                      else "")
                if column == 3 and colour is not None:
                    item.setForeground(colour)
                self.triggers.setItem(row, column, item)
            if trigger["trigger"] == selected:
                self.triggers.selectRow(row)
        for entry in snapshot.get("entries", []):
            self.add_entry(entry)
        problems = snapshot.get("problems", [])
        invoker = snapshot.get("invoker")
        words = [f"{len(triggers)} trigger{'s' if len(triggers) != 1 else ''}"]
        words.append("live" if invoker else "waiting: nothing that runs functions is connected (serve the workspace)")
        if problems:
            words.append(f"{len(problems)} configuration problem{'s' if len(problems) != 1 else ''}: "
                         + "; ".join(problems[:3]))
        self.status.setText(", ".join(words[:2]) + (". " + words[2] if len(words) > 2 else "."))
        self._on_trigger_selected()

    @Slot(str)
    def show_unavailable(self, why: str) -> None:
        self.status.setText(why + self._problem_words())

    def show_configuration(self, count: int, problems: list[str]) -> None:
        """What the workspace declares, before any host answers: how many triggers, each problem with its file
        and line (a malformed event configuration is named here and in the status bar)."""
        self._problems = list(problems)
        self.status.setText(f"{count} trigger{'s' if count != 1 else ''} declared." + self._problem_words())

    def _problem_words(self) -> str:
        problems = self._problems
        if not problems:
            return ""
        return (f" {len(problems)} configuration problem{'s' if len(problems) != 1 else ''}: "
                + "; ".join(problems[:3]))

    def add_entry(self, entry: dict) -> None:
        self.entries.insertRow(0)
        records = entry.get("records") or []
        fates: dict[str, int] = {}
        for record in records:
            fates[record["fate"]] = fates.get(record["fate"], 0) + 1
        summary = ", ".join(f"{count} {fate}" for fate, count in fates.items())
        what = entry["kind"] if not entry.get("detail") else f"{entry['kind']}: {entry['detail']}"
        cells = (time.strftime("%H:%M:%S", time.localtime(entry["time"])), entry["trigger"], what, summary)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(NOTE_ROLE, entry)
            item.setToolTip(what)
            colour = _ATTENTION.get(entry["kind"]) or (_ATTENTION["error"] if entry.get("outcome") == "failure"
                                                       else None)
            if colour is not None and column == 2:
                item.setForeground(colour)
            self.entries.setItem(0, column, item)
        while self.entries.rowCount() > MAX_ENTRIES:
            self.entries.removeRow(self.entries.rowCount() - 1)

    # --- Selection -----------------------------------------------------------------------------

    def selected_trigger(self) -> str | None:
        rows = self.triggers.selectionModel().selectedRows()
        return self.triggers.item(rows[0].row(), 0).text() if rows else None

    def _on_trigger_selected(self) -> None:
        name = self.selected_trigger()
        self.pause_button.setEnabled(name is not None)
        paused = bool(name and self._states.get(name, {}).get("paused"))
        self.pause_button.setText("Resume" if paused else "Pause")

    def _toggle_pause(self) -> None:
        name = self.selected_trigger()
        if name is not None:
            self.pause_requested.emit(name, not self._states.get(name, {}).get("paused", False))

    def _show_entry(self) -> None:
        rows = self.entries.selectionModel().selectedRows()
        if not rows:
            return
        entry = self.entries.item(rows[0].row(), 0).data(NOTE_ROLE)
        self.save_button.setEnabled(entry["kind"] == "fired" and bool(entry.get("requestId")))
        lines = [f"{entry['trigger']} — {entry['kind']}" + (f": {entry['detail']}" if entry.get("detail") else "")]
        if entry.get("requestId"):
            lines.append(f"RequestId {entry['requestId']}")
        for record in (entry.get("records") or [])[:20]:
            when = f" at {time.strftime('%H:%M:%S', time.localtime(record['visibleAt']))}" \
                if record.get("visibleAt") else ""
            why = f" — {record['why']}" if record.get("why") else ""
            lines.append(f"{record['id']}: {record['fate']}{when}{why}")
        self.detail.setText("\n".join(lines))

    def _save_batch(self) -> None:
        rows = self.entries.selectionModel().selectedRows()
        if rows:
            entry = self.entries.item(rows[0].row(), 0).data(NOTE_ROLE)
            function = self._states.get(entry["trigger"], {}).get("function") or entry["trigger"].split(".")[0]
            self.save_batch_requested.emit(function, entry.get("requestId", ""))

    def row_texts(self, table: QTableWidget) -> list[list[str]]:
        return [[table.item(row, column).text() for column in range(table.columnCount())]
                for row in range(table.rowCount())]


def _state_text(trigger: dict) -> tuple[str, str]:
    if trigger.get("paused"):
        return "paused", ("Paused: queue messages and stream records wait; S3, SNS and EventBridge events "
                          "are not sent to it")
    if not trigger.get("enabled", True):
        return "disabled", "Enabled: false in the configuration"
    state = trigger.get("state", "idle")
    why = trigger.get("why", "")
    if trigger.get("waiting"):
        state = f"{state}, {trigger['waiting']} waiting"
    return (f"{state}: {why}" if why else state), why
