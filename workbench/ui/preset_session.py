"""Which preset the event editor shows, and loading, saving, renaming and deleting it on disk."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from ..core.workspace.preset_store import FUNCTION, Preset, PresetError, PresetStore
from .app_settings import AppSettings
from .editors.event_editor import EventEditor
from .preset_disk_watch import PresetDiskWatch
from .preset_picker import PresetPicker
from .editors.unsaved_question import CANCEL, SAVE, AskUnsaved
from .event_template_dialog import EventTemplateDialog


class PresetSession(QObject):
    """Ties the preset picker and the event editor to one function's preset files."""

    notice = Signal(str)
    """One line for the status bar (saved, deleted, refused and why)."""

    def __init__(self, picker: PresetPicker, editor: EventEditor, settings: AppSettings,
                 ask_unsaved: AskUnsaved, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._picker = picker
        self._editor = editor
        self.editor = editor
        self._settings = settings
        self._ask_unsaved = ask_unsaved
        self.store: PresetStore | None = None
        self.current: Preset | None = None
        self._folder = ""
        self._function = ""
        picker.preset_selected.connect(self.on_selected)
        picker.save_requested.connect(self.save)
        picker.save_as_requested.connect(self.save_as)
        picker.save_shared_requested.connect(self.save_shared)
        picker.rename_requested.connect(self.rename)
        picker.delete_requested.connect(self.delete)
        editor.text_changed.connect(lambda: picker.set_modified(editor.is_modified()))
        self.disk_watch = PresetDiskWatch(self, self)

    def set_function(self, folder: str, function_name: str) -> None:
        """Show this function's presets and load the one used last (else the first that parses)."""
        self.store = PresetStore(folder)
        self._folder, self._function = folder, function_name
        self._picker.set_function_name(function_name)
        self.current = None
        self.reload(select=self._settings.last_preset(folder, function_name), load=True)

    def presets(self) -> list[Preset]:
        return self.store.list(self._function) if self.store else []

    def reload(self, select: str | None = None, load: bool = False) -> None:
        """Refresh the picker, choosing `select` (else the current preset, else the first usable one);
        with load, put the chosen preset's text in the event editor."""
        presets = self.presets()
        wanted = select or (self.current.name if self.current else None)
        chosen = next((p for p in presets if p.name == wanted), None)
        if chosen is None:
            chosen = next((p for p in presets if not p.is_broken), presets[0] if presets else None)
        self._picker.set_presets(presets, chosen.name if chosen else None)
        if load:
            self.load(chosen)

    def load(self, preset: Preset | None) -> None:
        self.current = preset
        if self.store is not None:
            self.disk_watch.follow([self.store.events_dir, self.store.events_dir / self._function], preset)
        if preset is not None:
            self._settings.remember_preset(self._folder, self._function, preset.name)
        self._editor.set_text(preset.text if preset else "{}")
        self._mark_saved()
        if preset is not None and preset.is_broken:
            self.notice.emit(f"Preset {preset.name} is broken ({preset.problem}); "
                                 "it is not overwritten unless you save it.")

    def use_text(self, text: str) -> None:
        """New, unsaved event text (from a template): Save As names it."""
        self._editor.set_text(text)
        self._editor.set_modified(True)
        self._picker.set_modified(True)
        self.current = None

    def new_from_template(self, parent) -> None:
        """Event > New from Template: the chosen template's event as a new, unsaved preset."""
        dialog = EventTemplateDialog(parent)
        if dialog.exec() and dialog.event_text():
            self.start_new(dialog.suggested_name(), dialog.event_text())

    def start_new(self, name: str, text: str) -> bool:
        """A new, unsaved preset called `name` (made unique) holding `text`; the current one is left as it is
        on disk (asked about first when edited). Save asks whether it is this function's or shared."""
        if not self.resolve_unsaved():
            return False
        taken = {p.name for p in self.presets()}
        unique, number = name, 2
        while unique in taken:
            unique, number = f"{name}-{number}", number + 1
        self.use_text(text)
        self.disk_watch.follow([], None)
        self._picker.show_new(unique)
        return True

    def resolve_unsaved(self) -> bool:
        """Ask about an edited event; False when the user cancels (or saving fails)."""
        if not self._editor.is_modified():
            return True
        answer = self._ask_unsaved(self._editor, "The event has unsaved changes.")
        if answer == CANCEL:
            return False
        return self.save() if answer == SAVE else True

    @Slot(object)
    def on_selected(self, preset: Preset) -> None:
        if not self.resolve_unsaved():
            self._picker.set_presets(self.presets(), self.current.name if self.current else None)
            return
        self.load(preset)

    @Slot()
    def save(self) -> bool:
        preset = self.current
        if preset is None:
            self.notice.emit("Choose Save As… to name this event.")
            return False
        if not self.disk_watch.may_save(preset):
            return False
        scope = self._function if preset.scope == FUNCTION else None
        # The picker asked before a broken file is replaced.
        return self._store(lambda: self.store.save(preset.name, self._editor.text(), scope,
                                                   overwrite_broken=preset.is_broken))

    def save_or_name(self) -> bool:
        """Save an edited event before the workspace changes: a preset in place; an unnamed one (a template's,
        say) named first, as Save asks. False, with the reason said, when it stays unsaved."""
        if not self._editor.is_modified():
            return True
        if self.current is not None:
            return self.save()
        self._picker.ask_name_and_save()
        if self._editor.is_modified():
            self.notice.emit("The event was not saved: it has no name yet (Save names it, or choose Discard).")
            return False
        return True

    @Slot(str)
    def save_as(self, name: str) -> bool:
        return self._store(lambda: self.store.save(name, self._editor.text(), self._function))

    @Slot(str)
    def save_shared(self, name: str) -> bool:
        return self._store(lambda: self.store.save(name, self._editor.text(), None))

    @Slot(object, str)
    def rename(self, preset: Preset, new_name: str) -> None:
        try:
            self.current = self.store.rename(preset, new_name)
        except PresetError as error:
            self.notice.emit(str(error))
            return
        self.reload()

    @Slot(object)
    def delete(self, preset: Preset) -> None:
        try:
            self.store.delete(preset)
        except PresetError as error:
            self.notice.emit(str(error))
            return
        self.current = None
        self.reload(load=True)
        self.notice.emit(f"Deleted preset {preset.name}")

    def _store(self, write) -> bool:
        try:
            saved = write()
        except PresetError as error:
            self.notice.emit(str(error))
            return False
        self.current = saved
        self.disk_watch.follow([self.store.events_dir, self.store.events_dir / self._function], saved)
        self._settings.remember_preset(self._folder, self._function, saved.name)
        self._mark_saved()
        self.reload()
        self.notice.emit(f"Saved {saved.path}")
        return True

    def _mark_saved(self) -> None:
        self._editor.set_modified(False)
        self._picker.set_modified(False)
