"""Which services stay on the AWS account while the rest are local: one service name a line, as the SDKs
name them (bedrock-runtime, sts, ...); a name that cannot be one is refused in words."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

_SERVICE = re.compile(r"^[a-z][a-z0-9-]*$")


def parse_services(text: str) -> tuple[tuple[str, ...], str | None]:
    """(names, None) or ((), what is wrong): one a line, commas allowed, duplicates dropped."""
    names: list[str] = []
    for name in re.split(r"[\s,]+", text.strip()):
        if not name:
            continue
        if not _SERVICE.match(name):
            return (), f"{name!r} is not a service name (lower-case letters, digits and dashes: bedrock-runtime)"
        if name not in names:
            names.append(name)
    return tuple(names), None


class KeepOnAccountDialog(QDialog):
    def __init__(self, services: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Services Kept on the Account")
        self.services: tuple[str, ...] = services
        self.editor = QPlainTextEdit("\n".join(services), self, objectName="keep_on_account_editor",
                                     placeholderText="bedrock-runtime")
        self.problem = QLabel(self, wordWrap=True)
        self.problem.setStyleSheet("color: #c53030;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("In local mode these services' calls go to your AWS account (your profile's "
                                "credentials); every other service stays local. One service a line.", self,
                                wordWrap=True))
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(420, 280)

    def accept(self) -> None:
        services, problem = parse_services(self.editor.toPlainText())
        if problem is not None:
            self.problem.setText(problem)
            return
        self.services = services
        super().accept()
