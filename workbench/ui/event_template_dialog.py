"""Choose an event template (S3 put, API Gateway, SQS, ...), fill in its parameters and preview the event."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel, QLineEdit,
                               QPlainTextEdit, QScrollArea, QSplitter, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from ..core.workspace.event_templates import (EventTemplate, get_template, list_events, list_services, render_event,
                                    service_title)
from .editors.pygments_highlighter import PygmentsHighlighter

_EVENT_ROLE = Qt.ItemDataRole.UserRole


class EventTemplateDialog(QDialog):
    """The catalogue `generate-event` uses, searchable, with each template's tags as fields.

    `event_text()` is the event as rendered with the fields' values; `suggested_name()` names a
    preset after the template (s3-put). Return accepts whenever an event is chosen.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Event from Template")
        self.resize(980, 600)
        self._template: EventTemplate | None = None
        self._fields: dict[str, QLineEdit] = {}

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self._tree = QTreeWidget(self)
        self._tree.setHeaderHidden(True)
        self._tree.setColumnCount(1)
        self._tree.setUniformRowHeights(True)
        self._tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        # Long service names scroll sideways instead of being cut off.
        self._tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self._tree.header().setStretchLastSection(False)
        count = 0
        for service in list_services():
            group = QTreeWidgetItem(self._tree, [f"{service_title(service)}  ({service})"])
            group.setToolTip(0, f"{service_title(service)} — generate-event {service} ...")
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            for template in list_events(service):
                item = QTreeWidgetItem(group, [template.event])
                item.setToolTip(0, template.description)
                item.setData(0, _EVENT_ROLE, (service, template.event))
                count += 1
        self.search.setPlaceholderText(f"Search {count} events (service, event or description)")

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self._tree, 1)

        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self._form_host = QWidget(self)
        self._form = QFormLayout(self._form_host)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form_scroll = QScrollArea(self)
        form_scroll.setWidgetResizable(True)
        form_scroll.setWidget(self._form_host)
        form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self._form_scroll = form_scroll
        self._preview = QPlainTextEdit(self)
        self._preview.setReadOnly(True)
        self._preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._highlighter = PygmentsHighlighter(self._preview.document(), "json")
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.description)
        right_layout.addWidget(form_scroll)
        right_layout.addWidget(self._preview, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([400, 580])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText("Use this event")
        self._ok.setDefault(True)
        self._ok.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

        self.search.textChanged.connect(self._filter)
        self._tree.currentItemChanged.connect(self._on_current_changed)
        self._tree.itemActivated.connect(lambda item, _col: item.data(0, _EVENT_ROLE) and self.accept())
        self.search.setFocus()

    # --- What the caller reads

    def select(self, service: str, event: str) -> None:
        for item in self._event_items():
            if item.data(0, _EVENT_ROLE) == (service, event):
                self._tree.setCurrentItem(item)

    def event_text(self) -> str:
        return self._preview.toPlainText() if self._ok.isEnabled() else ""

    def suggested_name(self) -> str:
        """A preset name after the chosen template: s3-put, apigateway-aws-proxy."""
        if self._template is None:
            return "new-event"
        return re.sub(r"[^a-z0-9-]+", "-", f"{self._template.service}-{self._template.event}".lower())

    def field(self, tag: str) -> QLineEdit:
        return self._fields[tag]

    def visible_events(self) -> list[tuple[str, str]]:
        return [item.data(0, _EVENT_ROLE) for item in self._event_items() if not item.isHidden()]

    # --- Reacting

    @Slot(str)
    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        first_match = None
        root = self._tree.invisibleRootItem()
        for i in range(root.childCount()):
            group = root.child(i)
            group_text = group.text(0).casefold()
            shown = 0
            for j in range(group.childCount()):
                item = group.child(j)
                haystack = f"{group_text} {item.text(0)} {item.toolTip(0)}".casefold()
                hidden = not all(word in haystack for word in words)
                item.setHidden(hidden)
                if not hidden:
                    shown += 1
                    first_match = first_match or item
            group.setHidden(shown == 0)
            group.setExpanded(bool(words) and shown > 0)
        current = self._tree.currentItem()
        if first_match is not None and (current is None or current.isHidden()):
            # So that typing a few letters and pressing Return takes the first match.
            self._tree.setCurrentItem(first_match)

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_current_changed(self, item: QTreeWidgetItem | None, _previous) -> None:
        key = item.data(0, _EVENT_ROLE) if item is not None else None
        self._ok.setEnabled(bool(key))
        self._template = get_template(*key) if key else None
        self._build_fields()
        self._render()

    def _build_fields(self) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self._fields = {}
        template = self._template
        self.description.setText(template.description if template else "Choose an event on the left.")
        if template is None:
            return
        if not template.tags:
            self._form.addRow(QLabel("This event has no parameters.", self._form_host))
        for tag in template.tags:
            field = QLineEdit(tag.default, self._form_host)
            field.setPlaceholderText(tag.default)
            how = ", ".join(x for x in (tag.encoding and f"{tag.encoding}-encoded",
                                        tag.hashing and f"{tag.hashing} hash") if x)
            field.setToolTip(f"--{tag.name} in generate-event" + (f" (written {how})" if how else ""))
            field.textChanged.connect(self._render)
            self._form.addRow(f"{tag.name}:", field)
            self._fields[tag.name] = field
        # As tall as the fields (up to about six of them); the preview takes the rest.
        # Counted from the rows: widgets just added to a shown dialog are not laid out yet.
        rows = max(1, self._form.rowCount())
        row_height = QLineEdit().sizeHint().height()
        spacing = max(0, self._form.spacing())
        self._form_scroll.setFixedHeight(min(rows * (row_height + spacing) + 4, 200))

    @Slot()
    def _render(self) -> None:
        template = self._template
        if template is None:
            self._preview.setPlainText("")
            return
        values = {name: field.text() for name, field in self._fields.items()}
        self._preview.setPlainText(render_event(template.service, template.event, values))

    def _event_items(self) -> list[QTreeWidgetItem]:
        root = self._tree.invisibleRootItem()
        return [root.child(i).child(j) for i in range(root.childCount()) for j in range(root.child(i).childCount())]
