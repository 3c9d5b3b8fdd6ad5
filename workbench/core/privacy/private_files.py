"""Owner-only files: what the workbench keeps about your runs is readable by your user alone.

The history holds every event, response and log, and the key of its secret digests; a world-readable
copy would let any local user read them and confirm a guessed password against a digest. So its folder
is 0700 and every file in it 0600, whatever the umask; older folders and files are tightened when opened.
SQLite gives its -wal and -shm files the database file's own mode, so a 0600 database keeps them 0600.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(folder: Path) -> Path:
    """Create the folder (and its parents, with the umask's modes) and make it owner-only."""
    folder.mkdir(parents=True, exist_ok=True)
    _tighten(folder, FOLDER_MODE)
    return folder


def private_file(path: Path) -> Path:
    """Create the file empty if it is not there, owner-only either way (never truncates).

    An existing file is never opened here: closing any descriptor of a file drops every POSIX lock this
    process holds on it, and SQLite's locks on an open database (the window's History reader, say) would
    be gone, leaving that connection reading a stale snapshot."""
    if not path.exists():
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE))
        except FileExistsError:
            pass
    _tighten(path, FILE_MODE)
    return path


def tighten_folder_files(folder: Path) -> None:
    """Every regular file directly in the folder made owner-only (files of an older version, moved-aside
    databases); sub-folders owner-only too."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_symlink():
            continue
        if entry.is_file():
            _tighten(Path(entry.path), FILE_MODE)
        elif entry.is_dir():
            _tighten(Path(entry.path), FOLDER_MODE)


def _tighten(path: Path, mode: int) -> None:
    try:
        info = path.stat()
        # Only our own files: another user's are theirs to set (and chmod would fail anyway).
        if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) & ~mode:
            os.chmod(path, stat.S_IMODE(info.st_mode) & mode)
    except OSError:
        pass
