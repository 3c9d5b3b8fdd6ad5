"""The workspace tree's context menu: New File, Rename, Delete and Copy Path, on real files."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QMessageBox, QWidget

AskText = Callable[[QWidget, str, str, str], "tuple[str, bool]"]
Confirm = Callable[[QWidget, str, str], bool]


def ask_text_with_dialog(parent: QWidget, title: str, label: str, text: str) -> tuple[str, bool]:
    return QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)


def confirm_with_dialog(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a new file's name (relative paths such as lib/util.py are allowed)."""
    if not name.strip():
        return "A file name cannot be empty."
    if name.startswith("/") or ".." in Path(name).parts:
        return "The file must stay inside the workspace."
    return None


class FileActions(QObject):
    """Creates, renames and deletes files under a folder, asking through injectable dialogs."""

    file_created = Signal(str)
    """A new file exists (open it)."""

    renamed = Signal(str, str)
    """A file or folder was renamed (old path, new path): open tabs follow it."""

    notice = Signal(str)
    """One line for the status bar: what was done, or why not."""

    def __init__(self, parent: QWidget, ask_text: AskText = ask_text_with_dialog,
                 confirm: Confirm = confirm_with_dialog) -> None:
        super().__init__(parent)
        self._parent = parent
        self._ask_text = ask_text
        self._confirm = confirm

    def menu_for(self, path: Path, root: Path) -> QMenu:
        """The context menu for `path` (a file or folder of the tree; the root when on empty space)."""
        menu = QMenu(self._parent)
        folder = path if path.is_dir() else path.parent
        menu.addAction("New &File…", lambda: self.new_file(folder, root))
        if path != root:
            menu.addAction("&Rename…", lambda: self.rename(path))
            menu.addAction("&Delete…", lambda: self.delete(path))
        menu.addSeparator()
        menu.addAction("Copy &Path", lambda: self.copy_path(path))
        menu.addAction("Copy &Relative Path", lambda: self.copy_path(path, root))
        return menu

    def new_file(self, folder: Path, root: Path) -> Path | None:
        name, accepted = self._ask_text(self._parent, "New File", f"File name (in {folder.name or folder}):", "")
        if not accepted:
            return None
        problem = name_problem(name)
        target = (folder / name.strip())
        if problem is None and not target.resolve().is_relative_to(root.resolve()):
            problem = "The file must stay inside the workspace."
        if problem is None and target.exists():
            problem = f"{target.name} already exists."
        if problem:
            self.notice.emit(f"No file created: {problem}")
            return None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.touch()
        except OSError as error:
            self.notice.emit(f"No file created: {target}: {error.strerror or error}")
            return None
        self.file_created.emit(str(target))
        return target

    def rename(self, path: Path) -> Path | None:
        name, accepted = self._ask_text(self._parent, "Rename", f"New name for {path.name}:", path.name)
        if not accepted or name.strip() == path.name:
            return None
        target = path.with_name(name.strip())
        if "/" in name or not name.strip():
            self.notice.emit("Not renamed: give a name without /.")
            return None
        if target.exists():
            self.notice.emit(f"Not renamed: {target.name} already exists.")
            return None
        try:
            path.rename(target)
        except OSError as error:
            self.notice.emit(f"Not renamed: {path}: {error.strerror or error}")
            return None
        self.renamed.emit(str(path), str(target))
        self.notice.emit(f"Renamed {path.name} to {target.name}")
        return target

    def delete(self, path: Path) -> bool:
        what = "the folder and everything in it" if path.is_dir() else "the file"
        if not self._confirm(self._parent, "Delete", f"Delete {path.name}? This removes {what} from disk."):
            return False
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError as error:
            self.notice.emit(f"Not deleted: {error.filename or path}: {error.strerror or error}")
            return False
        self.notice.emit(f"Deleted {path.name}")
        return True

    def copy_path(self, path: Path, root: Path | None = None) -> str:
        text = str(path.relative_to(root)) if root is not None and path != root else str(path)
        QGuiApplication.clipboard().setText(text)
        return text
