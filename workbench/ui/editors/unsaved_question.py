"""The one question asked before work could be lost: Save, Discard or Cancel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
AskUnsaved = Callable[[QWidget, str], str]
"""ask(parent, what) -> SAVE, DISCARD or CANCEL; injectable so tests answer without a modal loop."""


def ask_unsaved_with_dialog(parent: QWidget, what: str) -> str:
    buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
               | QMessageBox.StandardButton.Cancel)
    answer = QMessageBox.question(parent, "Unsaved changes", f"{what}\n\nSave them first?", buttons,
                                  QMessageBox.StandardButton.Save)
    return {QMessageBox.StandardButton.Save: SAVE, QMessageBox.StandardButton.Discard: DISCARD}.get(answer, CANCEL)
