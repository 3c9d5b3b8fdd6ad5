"""The window's File actions: open a folder or a recent one, add a function, use an env-vars file. They ask
the user what they need and say what to open; the window opens it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QWidget

from ..core.workspace.workspace import Workspace, add_function, set_env_vars_file
from .app_settings import AppSettings
from .new_function_dialog import NewFunctionDialog


class WorkspaceActions(QObject):
    sig_open_requested = Signal(str)
    """Open (or reopen) this workspace folder."""
    sig_notice = Signal(str)
    """A line for the status bar."""

    def __init__(self, dialog_parent: QWidget, settings: AppSettings, workspace: Callable[[], Workspace | None],
                 may_leave: Callable[[], bool], parent: QObject | None = None) -> None:
        """workspace() is the open one; may_leave() settles unsaved edits (asking) and says whether to go on."""
        super().__init__(parent)
        self._dialog_parent, self._settings = dialog_parent, settings
        self._workspace, self._may_leave = workspace, may_leave

    def new_function(self, dialog: NewFunctionDialog | None = None) -> str | None:
        """Ask for a function, write its starter handler and workbench.json entry, and select it."""
        workspace = self._workspace()
        if workspace is None:
            return None
        dialog = dialog or NewFunctionDialog(self._dialog_parent, set(workspace.function_names))
        if dialog.result() != NewFunctionDialog.DialogCode.Accepted and not dialog.exec():
            return None
        name, runtime, handler, folder = dialog.values()
        try:
            add_function(workspace, name, runtime, handler, folder)
        except (OSError, ValueError) as error:
            self.sig_notice.emit(f"Function not created: {error}")
            return None
        self._settings.remember_function(str(workspace.folder), name)
        self.sig_open_requested.emit(str(workspace.folder))
        self.sig_notice.emit(f"Created {name}: its handler is in the open tab, its settings in workbench.json")
        return name

    @Slot(str)
    def open_recent(self, folder: str) -> None:
        if Path(folder).is_dir():
            self._leave_for(folder)

    def choose_workspace(self) -> None:
        folder = QFileDialog.getExistingDirectory(self._dialog_parent, "Open Workspace Folder")
        if folder:
            self._leave_for(folder)

    def _leave_for(self, folder: str) -> None:
        """Open `folder` once the unsaved edits here are settled; otherwise say that it was not opened, never
        drop the switch silently."""
        if self._may_leave():
            self.sig_open_requested.emit(folder)
        else:
            self.sig_notice.emit(f"{Path(folder).name} not opened: the unsaved changes here are kept "
                                 "(save them, name the event, or choose Discard).")

    def choose_env_vars_file(self) -> None:
        workspace = self._workspace()
        if workspace is None:
            return
        path, _ = QFileDialog.getOpenFileName(self._dialog_parent, "Env-Vars File", str(workspace.folder),
                                              "JSON (*.json)")
        if path:
            self.use_env_vars_file(path)

    def use_env_vars_file(self, path: str | None) -> None:
        """Apply a SAM-format env-vars file to this workspace's functions (remembered in workbench.json); the
        workspace opens again with them, on the same function (the settings remember it)."""
        workspace = self._workspace()
        try:
            set_env_vars_file(workspace.folder, path)
        except (OSError, ValueError) as error:
            self.sig_notice.emit(f"Env-vars file not used: {error}")
            return
        self.sig_open_requested.emit(str(workspace.folder))
