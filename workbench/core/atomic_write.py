"""Writing a text file so that readers see the old content or the new, never half of either."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write `text` (UTF-8) to `path` via a temporary file in the same folder and os.replace.

    The temporary file lives beside the target because os.replace is only atomic within one
    file system. It is fsynced before the rename so a crash cannot leave an empty file behind.
    """
    path = Path(path)
    fd, tmp_path = _create_temp(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as tmp:
            tmp.write(text)
            tmp.flush()
            os.fsync(tmp.fileno())
        try:
            # A file that exists keeps its mode (e.g. group-writable in a shared checkout).
            os.chmod(tmp_path, path.stat().st_mode & 0o7777)
        except FileNotFoundError:
            pass
        os.replace(tmp_path, path)
    except BaseException:
        try:
            os.unlink(tmp_path)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


def _create_temp(path: Path) -> tuple[int, Path]:
    # Not tempfile.mkstemp: it creates 0600 files, and new presets should get the umask's mode
    # like any file the user creates, which os.open with 0o666 gives for free.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp_path = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            return os.open(tmp_path, flags, 0o666), tmp_path
        except FileExistsError:
            continue


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; opening a folder is not possible on Windows, so skip there.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
