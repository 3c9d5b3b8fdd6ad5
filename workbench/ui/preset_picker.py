"""The preset picker: the current function's event presets in a combo, with Save, Save as, Rename and
Delete. It only asks and tells; the event text and the files belong to whoever listens."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QMenu, QMessageBox, QSizePolicy,
    QStyle, QToolButton, QWidget,
)

from workbench.core.workspace.preset_store import FUNCTION, SHARED, Preset, check_preset_name

PresetRole = Qt.ItemDataRole.UserRole
_MODIFIED = "• modified"
AskText = Callable[[QWidget, str, str, str], "tuple[str, bool]"]
Confirm = Callable[[QWidget, str, str], bool]
AskScope = Callable[[QWidget, str, str], "str | None"]


def ask_text_with_dialog(parent: QWidget, title: str, label: str, text: str) -> tuple[str, bool]:
    return QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)


def confirm_with_dialog(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def ask_scope_with_dialog(parent: QWidget, preset_name: str, function_name: str) -> str | None:
    """FUNCTION, SHARED, or None when cancelled: where a new preset's file goes."""
    box = QMessageBox(QMessageBox.Icon.Question, "Save new preset",
                      f"Save '{preset_name}' for {function_name or 'this function'} only, or share it with "
                      "every function of the workspace?", QMessageBox.StandardButton.Cancel, parent)
    only = box.addButton(f"Only {function_name or 'this function'}", QMessageBox.ButtonRole.AcceptRole)
    shared = box.addButton("Shared", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(only)
    box.setInformativeText(f"events/{function_name}/{preset_name}.json, or events/{preset_name}.json")
    box.exec()
    return {only: FUNCTION, shared: SHARED}.get(box.clickedButton())


class PresetPicker(QWidget):
    """Combo of presets plus a Save split button; the dialogs come in through `ask_text` and `confirm`."""

    sig_preset_selected = Signal(object)
    """The user chose another preset (a Preset, perhaps a broken one)."""

    sig_save_requested = Signal()
    """Save the editor's text into the current preset (the user agreed if that file was broken)."""

    sig_save_as_requested = Signal(str)
    """Save the editor's text as a new preset with this checked name."""

    sig_save_shared_requested = Signal(str)
    """Save the editor's text as a new preset shared by every function (events/<name>.json)."""

    sig_rename_requested = Signal(object, str)
    """Rename this Preset to this checked name, which no preset of its folder uses yet."""

    sig_delete_requested = Signal(object)
    """Delete this Preset; the user has confirmed."""

    def __init__(self, parent: QWidget | None = None, *, ask_text: AskText = ask_text_with_dialog,
                 confirm: Confirm = confirm_with_dialog, ask_scope: AskScope = ask_scope_with_dialog):
        super().__init__(parent)
        self._ask_text = ask_text
        self._confirm = confirm
        self._ask_scope = ask_scope
        self._presets: list[Preset] = []
        self._pending: str | None = None  # the name of a new, unsaved event (from a template)
        self._function_name = ""
        self._updating = False

        self._combo = QComboBox(objectName="preset_combo")
        self._combo.setPlaceholderText("No presets")
        self._combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._combo.setMinimumContentsLength(16)
        self._combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._combo.currentIndexChanged.connect(self._on_index_changed)

        self._modified = QLabel("", objectName="modified_label")
        self._modified.setToolTip("The event has changes that are not saved in a preset")
        # Fixed width so the buttons do not jump when the marker appears.
        self._modified.setFixedWidth(self._modified.fontMetrics().horizontalAdvance(f"{_MODIFIED}  "))

        menu = QMenu(self)
        self._save_as_action = menu.addAction("Save as…", self._on_save_as)
        self._rename_action = menu.addAction("Rename…", self._on_rename)
        menu.addSeparator()
        self._delete_action = menu.addAction("Delete…", self._on_delete)
        for action, name in ((self._save_as_action, "save_as_action"), (self._rename_action, "rename_action"),
                             (self._delete_action, "delete_action")):
            action.setObjectName(name)

        self._save = QToolButton(objectName="save_button", text="Save")
        self._save.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._save.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self._save.setMenu(menu)
        self._save.setToolTip("Save the event into the current preset (the arrow: Save as, Rename, Delete)")
        self._save.clicked.connect(self._on_save)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._combo, 1)
        layout.addWidget(self._modified)
        layout.addWidget(self._save)
        self._update_actions()

    # Public interface

    def set_presets(self, presets: list[Preset], current_name: str | None) -> None:
        """Show these presets (function's first, then shared) and select `current_name` without signalling."""
        self._presets = list(presets)
        self._pending = None
        self._updating = True
        try:
            self._combo.clear()
            warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            previous_scope = None
            for preset in self._presets:
                # A line between the function's own presets and the shared ones.
                if previous_scope == FUNCTION and preset.scope != FUNCTION:
                    self._combo.insertSeparator(self._combo.count())
                previous_scope = preset.scope
                self._combo.addItem(self._label(preset), preset)
                row = self._combo.count() - 1
                self._combo.setItemData(row, self._tooltip(preset), Qt.ItemDataRole.ToolTipRole)
                if preset.is_broken:
                    self._combo.setItemIcon(row, warning)
            self._combo.setCurrentIndex(self._row_of(current_name))
        finally:
            self._updating = False
        self._update_actions()

    def set_function_name(self, name: str) -> None:
        self._function_name = name

    def show_new(self, name: str) -> None:
        """List a new, unsaved event named `name` first and select it; Save then asks where it goes."""
        self._updating = True
        try:
            if self._pending is not None:
                self._combo.removeItem(0)
            self._pending = name
            self._combo.insertItem(0, f"{name}  (new, unsaved)", None)
            self._combo.setItemData(0, "Not saved yet: Save asks for this function only or shared",
                                    Qt.ItemDataRole.ToolTipRole)
            self._combo.setCurrentIndex(0)
        finally:
            self._updating = False
        self._update_actions()

    def pending_name(self) -> str | None:
        return self._pending

    def presets(self) -> list[Preset]:
        """The presets the picker lists, in its order."""
        return list(self._presets)

    def current_preset(self) -> Preset | None:
        data = self._combo.currentData(PresetRole)
        return data if isinstance(data, Preset) else None

    def set_modified(self, modified: bool) -> None:
        """Show or hide the unsaved-changes marker."""
        self._modified.setText(_MODIFIED if modified else "")

    def is_modified(self) -> bool:
        return bool(self._modified.text())

    # Protected interface

    @staticmethod
    def _label(preset: Preset) -> str:
        label = preset.name if preset.scope == FUNCTION else f"{preset.name}  (shared)"
        return f"{label}  (broken)" if preset.is_broken else label

    @staticmethod
    def _tooltip(preset: Preset) -> str:
        if preset.is_broken:
            return f"Does not parse: {preset.problem}\n{preset.path}"
        return str(preset.path)

    def _row_of(self, name: str | None) -> int:
        for row in range(self._combo.count()):
            preset = self._combo.itemData(row, PresetRole)
            if isinstance(preset, Preset) and preset.name == name:
                return row
        return -1

    def _update_actions(self) -> None:
        preset = self.current_preset()
        self._rename_action.setEnabled(preset is not None)
        self._delete_action.setEnabled(preset is not None)
        self._combo.setToolTip(self._tooltip(preset) if preset else "")

    def _ask_name(self, title: str, label: str, text: str, taken: set[str]) -> str | None:
        """Ask until the name is usable or the user cancels; each refusal is shown above the field."""
        problem = None
        while True:
            prompt = f"{problem}\n\n{label}" if problem else label
            text, accepted = self._ask_text(self, title, prompt, text)
            if not accepted:
                return None
            name = text.strip()
            # Typing the file name is a natural slip; the extension is ours to add.
            if name.lower().endswith(".json") and len(name) > 5:
                name = name[:-5]
            problem = check_preset_name(name)
            if problem is None and name in taken:
                problem = f"A preset named '{name}' already exists; choose another name."
            if problem is None:
                return name

    @Slot(int)
    def _on_index_changed(self, _row: int) -> None:
        self._update_actions()
        preset = self.current_preset()
        if not self._updating and preset is not None:
            self.sig_preset_selected.emit(preset)

    @Slot()
    def _on_save(self) -> None:
        preset = self.current_preset()
        if preset is None and self._pending is not None:
            self._save_new(self._pending)
            return
        if preset is None:
            self._on_save_as()
            return
        if preset.is_broken and not self._confirm(
                self, "Replace broken preset",
                f"'{preset.name}' does not parse ({preset.problem}).\n\n"
                "Saving replaces the whole file with the event in the editor."):
            return
        self.sig_save_requested.emit()

    def ask_name_and_save(self) -> None:
        """An event with no preset behind it: named (asked) and saved, as Save does for a template's new one."""
        if self._pending is not None:
            self._save_new(self._pending)
        else:
            self._on_save_as()

    def ask_save_as(self) -> None:
        """Ask for a new preset's name and save the editor's text under it (as the Save As… item does)."""
        self._on_save_as()

    @Slot()
    def _on_save_as(self) -> None:
        current = self.current_preset()
        suggestion = f"{current.name}-copy" if current else "new-event"
        taken = {p.name for p in self._presets}
        name = self._ask_name("Save preset as", "Name of the new preset:", suggestion, taken)
        if name is not None:
            self.sig_save_as_requested.emit(name)

    def _save_new(self, suggestion: str) -> None:
        taken = {p.name for p in self._presets}
        name = suggestion if suggestion not in taken and check_preset_name(suggestion) is None else \
            self._ask_name("Save new preset", "Name of the new preset:", suggestion, taken)
        if name is None:
            return
        scope = self._ask_scope(self, name, self._function_name)
        if scope == FUNCTION:
            self.sig_save_as_requested.emit(name)
        elif scope == SHARED:
            self.sig_save_shared_requested.emit(name)

    @Slot()
    def _on_rename(self) -> None:
        preset = self.current_preset()
        if preset is None:
            return
        taken = {p.name for p in self._presets if p.scope == preset.scope and p.name != preset.name}
        name = self._ask_name("Rename preset", f"New name for '{preset.name}':", preset.name, taken)
        if name is not None and name != preset.name:
            self.sig_rename_requested.emit(preset, name)

    @Slot()
    def _on_delete(self) -> None:
        preset = self.current_preset()
        if preset is not None and self._confirm(
                self, "Delete preset",
                f"Delete the preset '{preset.name}'?\n\nThe file {preset.path} is removed."):
            self.sig_delete_requested.emit(preset)
