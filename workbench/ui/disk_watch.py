"""Watches files on disk for changes made elsewhere (another editor, git), atomic replacements included."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, Slot

_SETTLE_MS = 150  # editors write in steps (truncate, write, rename): report once they are done


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


class DiskWatch(QObject):
    """Reports each watched file whose content may have changed on disk (or that was deleted).

    Watching the parent folders too catches the editors and tools that save by writing a new
    file and renaming it over the old one, which ends a plain file watch. A report only says
    the file's signature (time stamp, size, inode) moved; the owner compares the content.
    """

    changed = Signal(str)
    """A watched file changed, appeared or disappeared on disk; carries its path."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._signatures: dict[Path, tuple[int, int, int] | None] = {}
        self._pending: set[Path] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_SETTLE_MS)
        self._timer.timeout.connect(self._report)
        self._watcher.fileChanged.connect(self._on_event)
        self._watcher.directoryChanged.connect(self._on_event)

    def watch(self, path: str | Path) -> None:
        path = Path(path).resolve()
        self._signatures[path] = _signature(path)
        self._add(path)

    def unwatch(self, path: str | Path) -> None:
        path = Path(path).resolve()
        self._signatures.pop(path, None)
        if str(path) in self._watcher.files():
            self._watcher.removePath(str(path))
        folder = str(path.parent)
        if folder in self._watcher.directories() and not any(p.parent == path.parent for p in self._signatures):
            self._watcher.removePath(folder)

    def clear(self) -> None:
        for path in list(self._signatures):
            self.unwatch(path)

    def watched(self) -> list[Path]:
        return list(self._signatures)

    def acknowledge(self, path: str | Path) -> None:
        """The file was just written by us: its new signature is not a change from outside."""
        path = Path(path).resolve()
        if path in self._signatures:
            self._signatures[path] = _signature(path)
            self._add(path)

    def _add(self, path: Path) -> None:
        if path.exists() and str(path) not in self._watcher.files():
            self._watcher.addPath(str(path))
        if path.parent.is_dir() and str(path.parent) not in self._watcher.directories():
            self._watcher.addPath(str(path.parent))

    @Slot(str)
    def _on_event(self, changed: str) -> None:
        changed_path = Path(changed)
        for path in self._signatures:
            if path == changed_path or path.parent == changed_path:
                self._pending.add(path)
        self._timer.start()

    @Slot()
    def _report(self) -> None:
        pending, self._pending = self._pending, set()
        for path in sorted(pending):
            if path not in self._signatures:
                continue
            signature = _signature(path)
            self._add(path)  # a replaced file needs its watch again
            if signature != self._signatures[path]:
                self._signatures[path] = signature
                self.changed.emit(str(path))


def read_bytes_or_none(path: str | os.PathLike) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None
