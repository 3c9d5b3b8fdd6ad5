"""The Watches panel: expressions evaluated in the selected frame at every stop; typed in the field, removed
with Delete or the menu. They are kept with the workspace's breakpoints."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget


NOT_STOPPED = "(not stopped)"


class WatchesPanel(QWidget):
    sig_added = Signal(str)
    """An expression typed in and confirmed."""
    sig_removed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("watches_panel")
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Add a watch expression (Enter)")
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self._add)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Expression", "Value"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().resizeSection(0, 150)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        remove = QAction("Remove Watch", self.tree)
        remove.setShortcut(QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self._remove_current)
        self.tree.addAction(remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.field)
        layout.addWidget(self.tree, 1)

    def set_watches(self, expressions: tuple[str, ...]) -> None:
        values = {self.tree.topLevelItem(i).text(0): self.tree.topLevelItem(i).text(1)
                  for i in range(self.tree.topLevelItemCount())}
        self.tree.clear()
        for expression in expressions:
            self.tree.addTopLevelItem(QTreeWidgetItem([expression, values.get(expression, NOT_STOPPED)]))

    def expressions(self) -> list[str]:
        return [self.tree.topLevelItem(i).text(0) for i in range(self.tree.topLevelItemCount())]

    def set_value(self, expression: str, value: str, error: str = "") -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.text(0) == expression:
                item.setText(1, error or value)
                item.setToolTip(1, (error or value)[:2000])
                item.setForeground(1, self.palette().placeholderText() if error else self.palette().text())

    def value_of(self, expression: str) -> str | None:
        for i in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(i).text(0) == expression:
                return self.tree.topLevelItem(i).text(1)
        return None

    def mark_running(self) -> None:
        for i in range(self.tree.topLevelItemCount()):
            self.tree.topLevelItem(i).setText(1, NOT_STOPPED)

    def _add(self) -> None:
        text = self.field.text().strip()
        if text:
            self.field.clear()
            self.sig_added.emit(text)

    def _remove_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.sig_removed.emit(item.text(0))
