"""Secrets Manager and SSM Parameter Store in the AWS dock: secret names (a value only when asked for, as
a secret's should be), and every parameter with its type and value (a SecureString's hidden until asked)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ...engine.services_desk import ServicesDesk

HIDDEN = "••••••"


class SecretsView(QWidget):
    notice = Signal(str)
    """A line for the status bar (str)."""

    def __init__(self, desk: ServicesDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._parameters: list[dict] = []
        secrets_box = QGroupBox("Secrets Manager", self)
        self.secrets = QListWidget(secrets_box, objectName="secret_list")
        self.secret_value = QLabel(HIDDEN, secrets_box, objectName="secret_value", wordWrap=True)
        self.secret_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reveal_button = QPushButton("Show Value", secrets_box, enabled=False)
        self.reveal_button.clicked.connect(self.reveal)
        self.secrets.currentItemChanged.connect(self._on_secret_picked)
        secret_column = QVBoxLayout(secrets_box)
        secret_column.addWidget(self.secrets, 1)
        row = QHBoxLayout()
        row.addWidget(self.secret_value, 1)
        row.addWidget(self.reveal_button)
        secret_column.addLayout(row)
        parameters_box = QGroupBox("Parameter Store", self)
        self.parameters = QTableWidget(0, 3, parameters_box, objectName="parameter_table")
        self.parameters.setHorizontalHeaderLabels(["Name", "Type", "Value"])
        self.parameters.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.parameters.verticalHeader().hide()
        header = self.parameters.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.parameters.cellDoubleClicked.connect(self._reveal_parameter)
        parameter_column = QVBoxLayout(parameters_box)
        parameter_column.addWidget(self.parameters)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(secrets_box, 2)
        layout.addWidget(parameters_box, 3)

    @Slot()
    def refresh(self) -> None:
        secrets = self._desk.ask("secrets")
        secrets.done.connect(self._show_secrets)
        secrets.failed.connect(self.notice)
        parameters = self._desk.ask("parameters")
        parameters.done.connect(self._show_parameters)
        parameters.failed.connect(self.notice)

    @Slot()
    def reveal(self) -> None:
        item = self.secrets.currentItem()
        if item is None:
            return
        name = item.text()
        reply = self._desk.ask("secret_value", name)
        reply.done.connect(lambda value: self.secrets.currentItem() is item and self.secret_value.setText(value))
        reply.failed.connect(self.notice)

    def _on_secret_picked(self) -> None:
        self.secret_value.setText(HIDDEN if self.secrets.currentItem() is not None else "")
        self.reveal_button.setEnabled(self.secrets.currentItem() is not None)

    def _show_secrets(self, secrets: list) -> None:
        self.secrets.clear()
        for secret in sorted(secrets, key=lambda s: s["name"]):
            item = QListWidgetItem(secret["name"])
            item.setToolTip(secret["arn"])
            self.secrets.addItem(item)
        self._on_secret_picked()

    def _show_parameters(self, parameters: list) -> None:
        self._parameters = sorted(parameters, key=lambda p: p["name"])
        self.parameters.setRowCount(len(self._parameters))
        for row, parameter in enumerate(self._parameters):
            secure = parameter["type"] == "SecureString"
            cells = [parameter["name"], parameter["type"], HIDDEN if secure else parameter["value"]]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip("Double-click to show the value" if secure and column == 2 else text)
                self.parameters.setItem(row, column, item)

    def _reveal_parameter(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._parameters):
            self.parameters.item(row, 2).setText(self._parameters[row]["value"])
