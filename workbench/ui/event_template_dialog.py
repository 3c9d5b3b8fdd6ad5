"""Choose an event template (S3 put, API Gateway, SQS, ...) and preview the event it makes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QPlainTextEdit, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from ..core.event_templates import list_events, list_services, render_event, service_title
from .pygments_highlighter import PygmentsHighlighter

_EVENT_ROLE = Qt.ItemDataRole.UserRole


class EventTemplateDialog(QDialog):
    """The catalogue `generate-event` uses: one source of truth for both."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Event from Template")
        self.resize(900, 560)
        self._tree = QTreeWidget(self)
        self._tree.setHeaderLabels(["Service / event"])
        self._tree.setMinimumWidth(300)
        for service in list_services():
            parent_item = QTreeWidgetItem(self._tree, [f"{service_title(service)}  ({service})"])
            parent_item.setFlags(parent_item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            for template in list_events(service):
                item = QTreeWidgetItem(parent_item, [template.event])
                item.setToolTip(0, template.description)
                item.setData(0, _EVENT_ROLE, (service, template.event))
        self._preview = QPlainTextEdit(self)
        self._preview.setReadOnly(True)
        self._highlighter = PygmentsHighlighter(self._preview.document(), "json")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText("Use this event")
        self._ok.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self._tree, 2)
        row.addWidget(self._preview, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self._tree.currentItemChanged.connect(self._on_current_changed)
        self._tree.itemDoubleClicked.connect(lambda item, _col: item.data(0, _EVENT_ROLE) and self.accept())

    def select(self, service: str, event: str) -> None:
        root = self._tree.invisibleRootItem()
        for i in range(root.childCount()):
            group = root.child(i)
            for j in range(group.childCount()):
                if group.child(j).data(0, _EVENT_ROLE) == (service, event):
                    self._tree.setCurrentItem(group.child(j))

    def event_text(self) -> str:
        return self._preview.toPlainText() if self._ok.isEnabled() else ""

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_current_changed(self, item: QTreeWidgetItem | None, _previous) -> None:
        key = item.data(0, _EVENT_ROLE) if item is not None else None
        self._ok.setEnabled(bool(key))
        self._preview.setPlainText(render_event(*key) if key else "")
