"""The AWS calls a run made to the local services, in its Summary: service, operation and resource, an
operation the host does not emulate marked; and the draft IAM policy they need."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)
from .iam_policy_dialog import IamPolicyDialog

# The table grows with the calls up to this many rows, then scrolls.
VISIBLE_ROWS = 8


class RunAwsCalls(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("run_aws_calls")
        self._calls: tuple = ()
        self.policy_dialog = None
        self.title = QLabel(self)
        self.title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.policy_button = QPushButton("Draft IAM Policy…", self, objectName="draft_policy_button")
        self.policy_button.setToolTip("The least-privilege policy these calls need, to copy into the template")
        self.policy_button.clicked.connect(self.show_policy)
        self.table = QTableWidget(0, 3, self, objectName="aws_calls_table")
        self.table.setHorizontalHeaderLabels(["Service", "Operation", "Resource"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideLeft)  # an ARN's end names the thing
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(self.policy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.table)
        self.show_calls(())

    @property
    def calls(self) -> tuple:
        return self._calls

    @Slot(object)
    def show_calls(self, calls) -> None:
        """The run's core.services.api_calls.AwsCall list; none hides the section."""
        self._calls = tuple(calls)
        self.setVisible(bool(self._calls))
        self.title.setText(f"AWS calls ({len(self._calls)})")
        self.table.setRowCount(len(self._calls))
        for row, call in enumerate(self._calls):
            operation = call.operation + (f"  ({call.error})" if call.error else "")
            for column, text in enumerate((call.api or call.service, operation, call.resource or "")):
                item = QTableWidgetItem(text)
                item.setToolTip(text if column != 1 or not call.error else
                                f"{call.operation} failed: {call.error}" + (
                                    " (not emulated locally)" if call.error == "NotImplemented" else ""))
                self.table.setItem(row, column, item)
        shown = min(len(self._calls), VISIBLE_ROWS)
        height = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(row) for row in range(shown))
        self.table.setFixedHeight(height)

    @Slot()
    def show_policy(self) -> None:
        self.policy_dialog = IamPolicyDialog(self._calls, parent=self)
        self.policy_dialog.open()
