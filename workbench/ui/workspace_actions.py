"""The main window's File actions: open a folder or a recent one, add a function, use an env-vars file.
Mixed into MainWindow, whose workspace, settings and panels these methods use."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFileDialog

from ..core.workspace.workspace import add_function, set_env_vars_file
from .new_function_dialog import NewFunctionDialog
from .editors.unsaved_question import DISCARD, SAVE


class WorkspaceActionsMixin:
    def _new_function(self, dialog: NewFunctionDialog | None = None) -> str | None:
        """Ask for a function, write its starter handler and workbench.json entry, and select it."""
        if self.workspace is None:
            return None
        dialog = dialog or NewFunctionDialog(self, set(self.workspace.function_names))
        if dialog.result() != NewFunctionDialog.DialogCode.Accepted and not dialog.exec():
            return None
        name, runtime, handler, folder = dialog.values()
        try:
            add_function(self.workspace, name, runtime, handler, folder)
        except (OSError, ValueError) as error:
            self._notice(f"Function not created: {error}")
            return None
        self.settings.remember_function(str(self.workspace.folder), name)
        self.open_workspace(self.workspace.folder)
        self._notice(f"Created {name}: its handler is in the open tab, its settings in workbench.json")
        return name

    @Slot(str)
    def _open_recent(self, folder: str) -> None:
        if Path(folder).is_dir() and (not self.has_unsaved() or self._ask_and_save()):
            self.open_workspace(folder)

    def _choose_workspace(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open Workspace Folder")
        if folder and (not self.has_unsaved() or self._ask_and_save()):
            self.open_workspace(folder)

    def _choose_env_vars_file(self) -> None:
        if self.workspace is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Env-Vars File", str(self.workspace.folder), "JSON (*.json)")
        if path:
            self.use_env_vars_file(path)

    def use_env_vars_file(self, path: str | None) -> None:
        """Apply a SAM-format env-vars file to this workspace's functions (remembered in workbench.json)."""
        try:
            set_env_vars_file(self.workspace.folder, path)
        except (OSError, ValueError) as error:
            self._notice(f"Env-vars file not used: {error}")
            return
        current = self.function.config.name if self.function else None
        self.open_workspace(self.workspace.folder)
        if current:
            self.toolbar.set_functions(self.workspace.function_names, current)
            self.select_function(current)

    def _ask_and_save(self) -> bool:
        answer = self._ask_unsaved(self, "This workspace has unsaved changes.")
        return answer == DISCARD or (answer == SAVE and self._save_before_close())
