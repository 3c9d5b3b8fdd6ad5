"""File > Recent Workspaces: the folders opened before, newest first, read afresh each time it opens."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QWidget

from .app_settings import AppSettings


class RecentWorkspacesMenu(QMenu):
    open_requested = Signal(str)
    """A recent folder was chosen: open it."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__("Recent &Workspaces", parent)
        self._settings = settings
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.clear()
        folders = self._settings.recent_workspaces()
        for number, folder in enumerate(folders, start=1):
            path = Path(folder)
            action = self.addAction(f"&{number} {path.name}" if number < 10 else path.name,
                                    lambda f=folder: self.open_requested.emit(f))
            action.setToolTip(folder if path.is_dir() else f"{folder} (no longer there)")
            action.setEnabled(path.is_dir())
        if not folders:
            self.addAction("No recent workspaces").setEnabled(False)
        elif len(folders) > 1:
            self.addSeparator()
            self.addAction("&Clear Recent Workspaces", self._clear)

    def _clear(self) -> None:
        self._settings.forget_recent_workspaces()
        self.refresh()
