"""The Variables panel: the selected frame's scopes (Locals open, so the event and the context are right
there), each value expandable into its members, fetched from the debugger when opened."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

_REFERENCE = Qt.ItemDataRole.UserRole
_LOADED = Qt.ItemDataRole.UserRole + 1
# Members a value shows at most (debugpy pages long lists itself; this keeps the tree responsive).
MAX_CHILDREN = 300

Fetch = Callable[[object, Callable[[list], None]], None]


class VariablesPanel(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("variables_panel")
        self.setHeaderLabels(["Name", "Value", "Type"])
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        # The value takes what width there is; the name and the type keep theirs (a drag changes them).
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 160)
        header.resizeSection(2, 80)
        self._fetch: Fetch | None = None
        self._generation = 0
        self.itemExpanded.connect(self._on_expanded)

    def clear_frame(self) -> None:
        self._generation += 1
        self.clear()

    def show_scopes(self, scopes: list, fetch: Fetch) -> None:
        """The frame's scopes (core Scope), fetch(reference, reply) listing a reference's variables.
        The first scope (the frame's locals) opens at once; an expensive one (globals) waits for a click."""
        self.clear_frame()
        self._fetch = fetch
        for index, scope in enumerate(scopes):
            item = QTreeWidgetItem([scope.name, "", ""])
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            self._expandable(item, scope.reference)
            self.addTopLevelItem(item)
            if index == 0:
                item.setExpanded(True)

    def item_named(self, *names: str) -> QTreeWidgetItem | None:
        """The item at that path of names (a scope, then variables), if it is loaded."""
        items = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        found = None
        for name in names:
            found = next((item for item in items if item.text(0) == name), None)
            if found is None:
                return None
            items = [found.child(i) for i in range(found.childCount())]
        return found

    def _expandable(self, item: QTreeWidgetItem, reference) -> None:
        item.setData(0, _REFERENCE, reference)
        if reference:
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)

    @Slot(QTreeWidgetItem)
    def _on_expanded(self, item: QTreeWidgetItem) -> None:
        reference = item.data(0, _REFERENCE)
        if not reference or item.data(0, _LOADED) or self._fetch is None:
            return
        item.setData(0, _LOADED, True)
        generation = self._generation

        def listed(variables: list) -> None:
            if generation != self._generation:
                return  # another frame is shown now
            if not isinstance(variables, list):  # the debugger could not answer (it went on, or away)
                variables = []
            for variable in variables[:MAX_CHILDREN]:
                child = QTreeWidgetItem([variable.name, variable.value, variable.type])
                child.setToolTip(1, variable.value[:2000])
                self._expandable(child, variable.reference)
                item.addChild(child)
            if len(variables) > MAX_CHILDREN:
                item.addChild(QTreeWidgetItem([f"… {len(variables) - MAX_CHILDREN} more", "", ""]))
            if not variables:
                item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicator)
        self._fetch(reference, listed)
