"""A cheap fingerprint of a function's code folder: any edit changes it, so the next run starts cold."""

from __future__ import annotations

import hashlib
import os

# Folders that hold tools, not the function's code; big and irrelevant to a deploy.
_SKIPPED_DIRS = {".git", ".venv", "__pycache__", ".aws-sam", ".pytest_cache", "events"}
_MAX_FILES = 5000


def code_fingerprint(code_dir: str) -> str:
    """Hash of every file's path, size and modification time below code_dir."""
    digest = hashlib.blake2b(digest_size=16)
    count = 0
    for root, dirs, files in os.walk(code_dir):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
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
