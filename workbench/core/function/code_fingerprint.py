"""A cheap snapshot of a function's code folder: any edit changes its fingerprint, so the next run
starts cold, and comparing two snapshots names the files that changed."""

from __future__ import annotations

import hashlib
import os

from ..history.run_record import CodeFile

# Folders that hold tools, not the function's code; big and irrelevant to a deploy.
_SKIPPED_DIRS = {".git", ".venv", "__pycache__", ".aws-sam", ".pytest_cache", "events", ".workbench"}
# Folders of installed packages: too many files to walk on every invoke; the folder's own time stamp
# changes when a package is added or removed, which is what a deploy of new dependencies looks like.
_SUMMARISED_DIRS = {"node_modules"}
_MAX_FILES = 5000


def code_snapshot(code_dir: str) -> tuple[CodeFile, ...]:
    """Every file below code_dir (path relative to it, size, modification time), in a stable order; a
    deployment package given as the code (a .jar or .zip) is its one file."""
    if os.path.isfile(code_dir):
        stat = os.stat(code_dir)
        return (CodeFile(os.path.basename(code_dir), stat.st_size, stat.st_mtime_ns),)
    files: list[CodeFile] = []
    for root, dirs, names in os.walk(code_dir):
        relative_root = os.path.relpath(root, code_dir)
        prefix = "" if relative_root == "." else relative_root + "/"
        for name in sorted(d for d in dirs if d in _SUMMARISED_DIRS):
            try:
                files.append(CodeFile(f"{prefix}{name}/", 0, os.stat(os.path.join(root, name)).st_mtime_ns))
            except OSError:
                pass
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and d not in _SUMMARISED_DIRS)
        for name in sorted(names):
            try:
                stat = os.stat(os.path.join(root, name))
            except OSError:
                continue
            files.append(CodeFile(prefix + name, stat.st_size, stat.st_mtime_ns))
            if len(files) >= _MAX_FILES:
                return tuple(files)
    return tuple(files)


def snapshot_fingerprint(files: tuple[CodeFile, ...]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for file in files:
        digest.update(f"{file.path}\0{file.size}\0{file.mtime_ns}\n".encode())
    return digest.hexdigest()


def code_fingerprint(code_dir: str) -> str:
    """Hash of every file's path, size and modification time below code_dir."""
    return snapshot_fingerprint(code_snapshot(code_dir))


def changed_files(before: tuple[CodeFile, ...], after: tuple[CodeFile, ...]) -> list[str]:
    """Paths added, removed or changed between two snapshots, sorted."""
    old = {f.path: f for f in before}
    new = {f.path: f for f in after}
    return sorted(path for path in old.keys() | new.keys() if old.get(path) != new.get(path))
