"""A cheap fingerprint of a function's code folder: any edit changes it, so the next run starts cold."""

from __future__ import annotations

import hashlib
import os

# Folders that hold tools, not the function's code; big and irrelevant to a deploy.
_SKIPPED_DIRS = {".git", ".venv", "__pycache__", ".aws-sam", ".pytest_cache", "events"}
# Folders of installed packages: too many files to walk on every invoke; the folder's own time stamp
# changes when a package is added or removed, which is what a deploy of new dependencies looks like.
_SUMMARISED_DIRS = {"node_modules"}
_MAX_FILES = 5000


def code_fingerprint(code_dir: str) -> str:
    """Hash of every file's path, size and modification time below code_dir."""
    digest = hashlib.blake2b(digest_size=16)
    count = 0
    for root, dirs, files in os.walk(code_dir):
        for name in sorted(d for d in dirs if d in _SUMMARISED_DIRS):
            try:
                digest.update(f"{os.path.join(root, name)}\0{os.stat(os.path.join(root, name)).st_mtime_ns}\n".encode())
            except OSError:
                pass
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and d not in _SUMMARISED_DIRS)
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
            count += 1
            if count >= _MAX_FILES:
                return digest.hexdigest()
    return digest.hexdigest()
