"""Keeps the event editor and the preset list in step with the preset files on disk."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QObject, Slot

from ..core.workspace.preset_store import Preset
from ..core.text.text_diff import unified_difference
from .disk_watch import DiskWatch, read_bytes_or_none


class PresetDiskWatch(QObject):
    """Watches the function's preset folders and the preset being edited.

    A preset file changed elsewhere reloads into an unedited event editor; with unsaved edits the
    editor asks Reload / Keep Mine with the difference shown, and until then saving refuses to
    replace the file. Presets added or removed on disk appear in, or leave, the picker.
    """

    def __init__(self, session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._watch = DiskWatch(self)
        self._watch.changed.connect(self._on_changed)
        bar = session.editor.frame.disk_bar
        bar.reload.connect(self._reload_current)
        bar.keep_mine.connect(self._keep_mine)

    def follow(self, folders: list[Path], current: Preset | None) -> None:
        """Watch these preset folders and the current preset's file (nothing else)."""
        self._watch.clear()
        for folder in folders:
            self._watch.watch(folder)
        if current is not None:
            self._watch.watch(current.path)
        self._session.editor.frame.disk_bar.hide()

    def acknowledge(self, preset: Preset) -> None:
        """The session just wrote this preset: not a change from elsewhere."""
        self._watch.watch(preset.path)
        self._watch.acknowledge(preset.path.parent)

    def may_save(self, preset: Preset) -> bool:
        """False (and the question shown) when the file changed on disk since it was loaded."""
        disk = _text_or_none(preset.path)
        if disk is None or disk == preset.text:
            return True
        self._ask(preset, disk)
        self._session.notice.emit(f"Not saved: {preset.path.name} changed on disk since it was "
                                      "loaded; choose Reload or Keep Mine above the event.")
        return False

    @Slot(str)
    def _on_changed(self, path: str) -> None:
        session = self._session
        current = session.current
        if Path(path).is_dir() or (current is not None and Path(path) != current.path.resolve()):
            session.reload(load=False)
            return
        if current is None:
            return
        disk = _text_or_none(current.path)
        if disk is None or disk == current.text:
            return
        if not session.editor.is_modified():
            self._reload_current()
        else:
            self._ask(current, disk)

    def _ask(self, preset: Preset, disk: str) -> None:
        difference = unified_difference(disk, self._session.editor.text(), preset.path.name)
        self._session.editor.frame.disk_bar.ask(
            f"Preset {preset.name} changed on disk, and the event has unsaved edits. Reload, or keep yours?",
            difference)

    @Slot()
    def _reload_current(self) -> None:
        session = self._session
        if session.current is not None:
            session.reload(select=session.current.name, load=True)

    @Slot()
    def _keep_mine(self) -> None:
        # The user chose their text over the disk's: the next save may replace the file.
        session = self._session
        if session.current is not None:
            disk = _text_or_none(session.current.path)
            if disk is not None:
                session.current = dataclasses.replace(session.current, text=disk)


def _text_or_none(path: Path) -> str | None:
    raw = read_bytes_or_none(path)
    if raw is None:
        return None
    return raw.decode("utf-8-sig", errors="replace")
