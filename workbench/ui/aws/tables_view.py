"""DynamoDB in the AWS dock: the tables, the items of the one picked as a table (the key attributes first,
maps and lists as JSON), and Add, Edit and Delete of an item as JSON."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ...engine.services_desk import ServicesDesk
from .item_dialog import ItemDialog


def columns_of(items: list[dict], key_names: list[str]) -> list[str]:
    """The key attributes, then every other attribute any item has, in name order."""
    others = sorted({name for item in items for name in item} - set(key_names))
    return list(key_names) + others


def cell_text(value) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class TablesView(QWidget):
    notice = Signal(str)
    """A line for the status bar (str)."""

    def __init__(self, desk: ServicesDesk, parent: QWidget | None = None, ask_item=None) -> None:
        """ask_item(table, key names, item or None) -> the item to save, or None (the dialog, by default)."""
        super().__init__(parent)
        self._desk = desk
        self._ask_item = ask_item or self._ask_with_dialog
        self._items: list[dict] = []
        self._keys: list[str] = []
        self.tables = QComboBox(self, objectName="table_combo")
        self.tables.setMinimumContentsLength(16)
        self.tables.currentTextChanged.connect(self._load)
        self.count = QLabel(self)
        self.grid = QTableWidget(0, 0, self, objectName="item_table")
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.cellDoubleClicked.connect(lambda *_: self.edit_item())
        self.grid.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton("Add…", self, enabled=False)
        self.edit_button = QPushButton("Edit…", self, enabled=False)
        self.delete_button = QPushButton("Delete", self, enabled=False)
        self.add_button.clicked.connect(self.add_item)
        self.edit_button.clicked.connect(self.edit_item)
        self.delete_button.clicked.connect(self.delete_item)
        top = QHBoxLayout()
        top.addWidget(QLabel("Table", self))
        top.addWidget(self.tables)
        top.addWidget(self.count, 1)
        for button in (self.add_button, self.edit_button, self.delete_button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.grid, 1)

    @property
    def table(self) -> str:
        return self.tables.currentText()

    @Slot()
    def refresh(self) -> None:
        reply = self._desk.ask("tables")
        reply.done.connect(self._set_tables)
        reply.failed.connect(self.notice)

    def items(self) -> list[dict]:
        return list(self._items)

    @Slot()
    def add_item(self) -> None:
        self._save(self._ask_item(self.table, self._keys, None))

    @Slot()
    def edit_item(self) -> None:
        row = self.grid.currentRow()
        if 0 <= row < len(self._items):
            original = self._items[row]
            item = self._ask_item(self.table, self._keys, original)
            if item is not None and any(item.get(k) != original.get(k) for k in self._keys):
                self._delete(original)  # a new key is another item: the old one goes
            self._save(item)

    @Slot()
    def delete_item(self) -> None:
        row = self.grid.currentRow()
        if 0 <= row < len(self._items):
            self._delete(self._items[row])

    # --- Internals

    def _ask_with_dialog(self, table: str, key_names: list[str], item: dict | None) -> dict | None:
        dialog = ItemDialog(table, key_names, item, self)
        return dialog.item if dialog.exec() else None

    def _save(self, item: dict | None) -> None:
        if item is None or not self.table:
            return
        table = self.table
        reply = self._desk.ask("put_item", table, item)
        reply.done.connect(lambda _r: self._load(table))
        reply.failed.connect(self.notice)

    def _delete(self, item: dict) -> None:
        table = self.table
        reply = self._desk.ask("delete_item", table, {name: item[name] for name in self._keys})
        reply.done.connect(lambda _r: self._load(table))
        reply.failed.connect(self.notice)

    def _set_tables(self, names: list) -> None:
        current = self.table
        self.tables.blockSignals(True)
        self.tables.clear()
        self.tables.addItems(names)
        self.tables.blockSignals(False)
        if current in names:
            self.tables.setCurrentText(current)
        self._load(self.tables.currentText())

    @Slot(str)
    def _load(self, table: str) -> None:
        if not table:
            self._show("", [], [])
            return
        keys = self._desk.ask("key_names", table)
        keys.failed.connect(self.notice)

        def with_keys(key_names: list) -> None:
            reply = self._desk.ask("items", table)
            reply.done.connect(lambda items: self._show(table, key_names, items))
            reply.failed.connect(self.notice)

        keys.done.connect(with_keys)

    def _show(self, table: str, key_names: list, items: list) -> None:
        if table != self.table:
            return
        self._keys, self._items = list(key_names), list(items)
        columns = columns_of(self._items, self._keys)
        self.grid.clear()
        self.grid.setColumnCount(len(columns))
        self.grid.setHorizontalHeaderLabels(columns)
        self.grid.setRowCount(len(self._items))
        for row, item in enumerate(self._items):
            for column, name in enumerate(columns):
                if name in item:
                    cell = QTableWidgetItem(cell_text(item[name]))
                    cell.setToolTip(cell_text(item[name]))
                    self.grid.setItem(row, column, cell)
        self.grid.resizeColumnsToContents()
        for column in range(len(columns)):
            self.grid.setColumnWidth(column, min(self.grid.columnWidth(column), 260))
        self.count.setText(f"  {len(items)} item{'s' if len(items) != 1 else ''}" if table else
                           "  No table: the template's AWS::DynamoDB::Table resources appear here.")
        self.add_button.setEnabled(bool(table))
        self._update_buttons()

    def _update_buttons(self) -> None:
        picked = bool(self.grid.selectionModel().selectedRows())
        self.edit_button.setEnabled(picked)
        self.delete_button.setEnabled(picked)
