"""The bundled sample workspace, copied into the app's data folder so the user's edits never touch
the installed package."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from workbench.resources import resource_path

SAMPLE_DIR_NAME = "sample-workspace"


def ensure_sample_workspace(data_dir: Path | str, source: Path | None = None) -> Path:
    """data_dir/sample-workspace, copied from the shipped sample when missing; an existing copy
    (perhaps edited by the user) is returned untouched."""
    data_dir = Path(data_dir)
    target = data_dir / SAMPLE_DIR_NAME
    if target.exists():
        return target
    source = source or resource_path("sample_workspace")
    data_dir.mkdir(parents=True, exist_ok=True)
    # Copy beside the target and rename, so an interrupted copy never looks like a finished one.
    staging = Path(tempfile.mkdtemp(prefix=f".{SAMPLE_DIR_NAME}.", dir=data_dir))
    try:
        copy = staging / SAMPLE_DIR_NAME
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".workbench"))
        _make_writable(copy)
        try:
            os.rename(copy, target)
        except OSError:
            # Another process finished its copy first; theirs is as good as ours.
            if not target.exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _make_writable(folder: Path) -> None:
    # A system-wide install may ship read-only files; the user's copy is theirs to edit.
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        if not mode & stat.S_IWUSR:
            os.chmod(path, mode | stat.S_IWUSR)
