"""Watches the files that define a workspace's functions (workbench.json, template.yaml) for outside edits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from ..core.workspace.sam_template import TEMPLATE_NAMES
from ..core.workspace.workspace_file import workspace_file_path
from .disk_watch import DiskWatch


class WorkspaceDiskWatch(QObject):
    """Says when workbench.json or the SAM template changed on disk, other than by our own write."""

    definition_changed = Signal()
    """A file defining the functions changed (or appeared, or went): load the workspace again."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watch = DiskWatch(self)
        self._watch.changed.connect(self._on_changed)

    def follow(self, folder: Path) -> None:
        self._watch.clear()
        for path in self.definition_files(folder):
            self._watch.watch(path)

    def acknowledge(self, folder: Path) -> None:
        """We just wrote the workspace's files (a settings edit): that is not a change from outside."""
        for path in self.definition_files(folder):
            self._watch.acknowledge(path)

    @staticmethod
    def definition_files(folder: Path) -> list[Path]:
        return [workspace_file_path(folder)] + [Path(folder) / name for name in TEMPLATE_NAMES]

    @Slot(str)
    def _on_changed(self, _path: str) -> None:
        self.definition_changed.emit()
