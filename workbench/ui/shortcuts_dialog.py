"""Help > Keyboard Shortcuts: every shortcut the window's actions have, read from the actions themselves."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

# Keys that live inside one editor or panel, not on a window action (their owners handle them).
EDITOR_KEYS = [
    ("Editors", "Find", "Ctrl+F"), ("Editors", "Replace", "Ctrl+H"), ("Editors", "Go to Line", "Ctrl+G"),
    ("Editors", "Toggle comment", "Ctrl+/"), ("Editors", "Next / previous match", "Enter / Shift+Enter"),
    ("Editors", "Indent / dedent", "Tab / Shift+Tab"), ("Event", "Format JSON", "Ctrl+Shift+F"),
    ("Logs", "Search the log", "Ctrl+F (in the Logs panel)"),
]


def window_shortcuts(window: QWidget) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every action of the window's menus that has a shortcut."""
    rows = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        for action in _actions_of(menu):
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
            label = action.text().replace("&", "")
            if "\t" in label:  # an entry that only shows keys an editor owns
                label, keys = label.split("\t", 1)
            if keys:
                rows.append((menu_action.text().replace("&", ""), label.rstrip("…"), keys))
    return rows


def _actions_of(menu) -> list[QAction]:
    found = []
    for action in menu.actions():
        found += _actions_of(action.menu()) if action.menu() else [action]
    return found


class ShortcutsDialog(QDialog):
    """A table of the window's shortcuts and the editors' own keys."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(560, 520)
        self.table = QTreeWidget(self)
        self.table.setHeaderLabels(["Where", "Action", "Keys"])
        self.table.setRootIsDecorated(False)
        seen = set()
        for row in window_shortcuts(window) + EDITOR_KEYS:
            key = (row[1].lower(), row[2])
            if key not in seen:
                seen.add(key)
                QTreeWidgetItem(self.table, list(row))
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str, str]]:
        return [tuple(self.table.topLevelItem(i).text(c) for c in range(3))
                for i in range(self.table.topLevelItemCount())]
