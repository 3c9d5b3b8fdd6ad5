"""Add or edit a DynamoDB item as JSON: plain JSON values (numbers, strings, lists, maps), the table's key
attributes required; what is wrong is said under the text before anything is written."""

from __future__ import annotations

import json

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


def item_problem(text: str, key_names: list[str]) -> tuple[dict | None, str | None]:
    """(the item, None) or (None, what is wrong with the text)."""
    try:
        item = json.loads(text)
    except ValueError as error:
        return None, f"Not JSON: {error}"
    if not isinstance(item, dict):
        return None, "An item is a JSON object: {\"id\": \"...\", ...}"
    missing = [name for name in key_names if name not in item]
    if missing:
        return None, "The table's key needs " + ", ".join(repr(name) for name in missing)
    return item, None


class ItemDialog(QDialog):
    def __init__(self, table: str, key_names: list[str], item: dict | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{'Edit' if item else 'Add'} item — {table}")
        self.key_names = key_names
        self.item: dict | None = None
        self.editor = QPlainTextEdit(self, objectName="item_editor")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        template = item if item is not None else {name: "" for name in key_names}
        self.editor.setPlainText(json.dumps(template, indent=2, ensure_ascii=False))
        self.problem = QLabel(self, objectName="item_problem", wordWrap=True)
        self.problem.setStyleSheet("color: #c53030;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Key: {', '.join(key_names)}. Numbers, strings, booleans, lists and maps.", self))
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(480, 360)

    def accept(self) -> None:
        item, problem = item_problem(self.editor.toPlainText(), self.key_names)
        if problem is not None:
            self.problem.setText(problem)
            return
        self.item = item
        super().accept()
