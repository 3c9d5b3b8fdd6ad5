"""The workspace's files, as a tree; a click previews a file, a double-click opens it, the context menu
creates, renames and deletes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir, QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFileSystemModel, QHeaderView, QTreeView, QWidget

from .file_actions import FileActions

_HIDDEN = [".git", ".venv", "__pycache__", "node_modules", ".aws-sam", ".pytest_cache", ".workbench"]


class WorkspaceTree(QTreeView):
    file_previewed = Signal(str)
    """A file was clicked once: show it in the preview tab, which the next click replaces (as in VS Code)."""

    file_activated = Signal(str)
    """A file was double-clicked, Enter was pressed on it, or it was just created: open it in an ordinary tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = QFileSystemModel(self)
        self._model.setFilter(QDir.Filter.AllEntries | QDir.Filter.NoDotAndDotDot | QDir.Filter.Hidden)
        self._model.setNameFilters([])
        self.setModel(self._model)
        for column in (1, 2, 3):
            self.hideColumn(column)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.setHeaderHidden(True)
        self.setAnimated(False)
        # Not `activated`: with some styles it fires on a single click, which must stay a preview.
        self.doubleClicked.connect(self._on_activated)
        self.clicked.connect(self._on_clicked)
        self.file_actions = FileActions(self)
        self.file_actions.file_created.connect(self.file_activated)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)
        self._root = Path()
        self.new_file_action = QAction("&New File…", self)
        self.new_file_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_file_action.setToolTip("A new file in the folder selected in the tree (else the workspace's)")
        self.new_file_action.triggered.connect(self.new_file)
        self._model.directoryLoaded.connect(lambda _path: self.refresh_filter())

    def set_root(self, folder: str | Path) -> None:
        self._root = Path(folder)
        root = self._model.setRootPath(str(folder))
        self.setRootIndex(root)

    def refresh_filter(self) -> None:
        """Hide tool folders (.git, .venv, caches) that are not the function's code."""
        root = self.rootIndex()
        for row in range(self._model.rowCount(root)):
            index = self._model.index(row, 0, root)
            self.setRowHidden(row, root, self._model.fileName(index) in _HIDDEN)

    @Slot(QModelIndex)
    def _on_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and not self._model.isDir(index):
            self.file_previewed.emit(self._model.filePath(index))

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid() and not self._model.isDir(index):
            self.file_activated.emit(self._model.filePath(index))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self._model.isDir(self.currentIndex()):
            self._on_activated(self.currentIndex())
            return
        super().keyPressEvent(event)

    def new_file(self) -> Path | None:
        """File > New File: asks for a name, in the folder selected in the tree, else at the workspace's top."""
        if self._root == Path():
            return None
        index = self.currentIndex()
        selected = Path(self._model.filePath(index)) if index.isValid() else self._root
        folder = selected if selected.is_dir() else selected.parent
        return self.file_actions.new_file(folder if folder.is_relative_to(self._root) else self._root, self._root)

    def path_at(self, point: QPoint) -> Path:
        index = self.indexAt(point)
        return Path(self._model.filePath(index)) if index.isValid() else self._root

    @Slot(QPoint)
    def _on_context_menu(self, point: QPoint) -> None:
        self.file_actions.menu_for(self.path_at(point), self._root).exec(self.viewport().mapToGlobal(point))
