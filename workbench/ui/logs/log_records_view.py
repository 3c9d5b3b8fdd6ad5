"""JSON log records in columns (time, level, message); a row expands to the whole record; Copy gives the raw
lines, exactly as the function or the platform wrote them."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from workbench.core.logging_config.record_columns import record_columns

RAW_LINE = Qt.ItemDataRole.UserRole
# Rows kept, the newest: the log panel keeps the whole log for Copy All and Save.
ROW_CAP = 5_000


class LogRecordsView(QTreeWidget):
    """Fed with the whole log by `sync`, which appends only what is new."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="log_records")
        self.hide()  # until switched on
        self.setColumnCount(3)
        self.setHeaderLabels(["Time", "Level", "Message"])
        self.setRootIsDecorated(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        metrics = self.fontMetrics()
        # The time column holds a whole millisecond timestamp beside the expand arrow.
        self.setColumnWidth(0, self.indentation() + metrics.horizontalAdvance("2026-01-01T00:00:00.000Z  "))
        self.setColumnWidth(1, metrics.horizontalAdvance("WARNING  "))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self, self.copy_raw,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self._source: list[str] | None = None
        self._taken = 0

    def sync(self, lines: list[str], count: int | None = None) -> None:
        """Show the first `count` of `lines` (a log, all of it by default), appending only what is new; another
        log, or a shorter one, starts over. Nothing is done while switched off."""
        count = len(lines) if count is None else count
        if self.isHidden():
            return
        if lines is not self._source or count < self._taken:
            self.clear()
            self._source, self._taken = lines, 0
        new = lines[self._taken:count][-ROW_CAP:]
        self._taken = count
        at_end = self.verticalScrollBar().value() >= self.verticalScrollBar().maximum()
        self.addTopLevelItems([self._item(line) for line in new])
        excess = self.topLevelItemCount() - ROW_CAP
        for _ in range(max(excess, 0)):
            self.takeTopLevelItem(0)
        if at_end:
            self.scrollToBottom()

    def raw_lines(self, items: list[QTreeWidgetItem]) -> list[str]:
        """The raw lines of `items` (a detail row stands for its record), in log order, once each."""
        tops = []
        for item in items:
            top = item.parent() or item
            if top not in tops:
                tops.append(top)
        tops.sort(key=self.indexOfTopLevelItem)
        return [top.data(0, RAW_LINE) for top in tops]

    def copy_raw(self) -> None:
        """The selected records' raw lines, or every row's when nothing is selected."""
        items = self.selectedItems() or [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        QGuiApplication.clipboard().setText("\n".join(self.raw_lines(items)))

    def _item(self, line: str) -> QTreeWidgetItem:
        columns = record_columns(line)
        item = QTreeWidgetItem([columns.time, columns.level, columns.message])
        item.setData(0, RAW_LINE, line)
        item.setToolTip(2, line[:2000])
        if columns.record is not None:
            detail = QTreeWidgetItem([json.dumps(columns.record, indent=2, ensure_ascii=False)])
            detail.setFirstColumnSpanned(True)
            item.addChild(detail)
        return item

    def addTopLevelItems(self, items: list[QTreeWidgetItem]) -> None:
        super().addTopLevelItems(items)
        for item in items:
            if item.childCount():
                item.child(0).setFirstColumnSpanned(True)

    def _menu(self, point) -> None:
        menu = QMenu(self)
        menu.addAction("&Copy Raw Lines", self.copy_raw)
        menu.exec(self.viewport().mapToGlobal(point))
