"""Writing a text file so that readers see the old content or the new, never half of either; and
removing the temporary files that writes cut short (a kill, a crash, a power cut) left behind."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

TEMP_SUFFIX = ".tmp"
# Younger than this, a temporary file may belong to a write in progress (on another machine, over a
# shared folder, where its writer's pid means nothing here). A write takes milliseconds.
STALE_AFTER_S = 60.0
# Older than this, it is stale even when a process with the writer's pid is running (pids are reused).
ABANDONED_AFTER_S = 24 * 3600.0
# .<target name>.<writer pid>-<8 hex>.tmp; files written before the pid was part of the name lack it.
_TEMP_NAME = re.compile(r"^\..+\.(?:(?P<pid>\d+)-)?[0-9a-f]{8}\.tmp$")


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write `text` (UTF-8) to `path` via a temporary file in the same folder and os.replace.

    The temporary file lives beside the target because os.replace is only atomic within one
    file system. It is fsynced before the rename so a crash cannot leave an empty file behind.
    """
    path = Path(path)
    remove_stale_temp_files(path.parent)
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
        tmp_path = path.with_name(f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}{TEMP_SUFFIX}")
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


def remove_stale_temp_files(folder: Path | str, now: float | None = None) -> list[Path]:
    """Delete the temporary files of interrupted writes in `folder` (not below it); the paths removed.

    A temporary file is stale once it is STALE_AFTER_S old and its writer is gone: the pid in its name
    is not running, or it has none, or the file is older than ABANDONED_AFTER_S.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        pid = match.group("pid")
        writer_may_live = pid is not None and _running(int(pid)) and age < ABANDONED_AFTER_S
        if age < STALE_AFTER_S or writer_may_live:
            continue
        try:
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process writes synchronously: an old file of its own is from a failed write
    if os.name == "nt":
        return True  # os.kill(pid, 0) would end the process there; rely on the file's age alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: it exists
    return True
