"""The least-privilege IAM policy a run's AWS calls need (core.services.iam_policy), to copy into the
template's Policies."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ...core.services.iam_policy import policy_text


class IamPolicyDialog(QDialog):
    def __init__(self, calls, function: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Draft IAM Policy" + (f" — {function}" if function else ""))
        self.text = QPlainTextEdit(policy_text(calls), self, readOnly=True, objectName="iam_policy_text")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton("Copy", self)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("What this run's calls need, and nothing more: a draft to read before it goes into "
                                "the template's Policies (a later run may call more).", self, wordWrap=True))
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(560, 420)
