"""The tabs of open workspace files: opening, dirty markers, and saving them safely to disk."""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from workbench.ui.code_editor import CodeEditor
from workbench.ui.code_editor_frame import CodeEditorFrame
from workbench.ui.pygments_highlighter import lexer_name_for_path

DIRTY_MARKER = "•"


@dataclass
class _OpenFile:
    """How a file was on disk, so saving writes it back the same way."""

    editor: CodeEditor
    page: CodeEditorFrame  # the editor with its find bars, and a notice above it when read-only
    crlf: bool = False
    bom: bool = False


class EditorTabs(QTabWidget):
    """One CodeEditor tab per open file; saving writes atomically and never pops a dialog.

    Save errors are raised as OSError for the caller to show (from save_action, sig_save_failed
    carries them). A file that is not UTF-8 opens
    read-only with a notice, so saving can never corrupt it.
    """

    sig_file_saved = Signal(str)
    """A file was written to disk; carries its path."""

    sig_dirty_changed = Signal(bool)
    """Whether any open file has unsaved edits changed; carries the new answer."""

    sig_save_failed = Signal(str, str)
    """save_action could not write a file; carries its path and the system's reason."""

    sig_close_requested = Signal(str)
    """The close button of a tab with unsaved edits was pressed; carries its path.

    The owner asks the user, then calls save_file() and/or close_file().
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._files: dict[Path, _OpenFile] = {}
        self._any_dirty = False
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setDocumentMode(True)
        self.tabCloseRequested.connect(self._on_tab_close_requested)

        self.save_action = QAction("&Save", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        # Active while focus is anywhere in the tabs, so it cannot clash with another Ctrl+S.
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self._on_save_triggered)
        self.addAction(self.save_action)

    def open_file(self, path: str | Path) -> CodeEditor:
        """Show `path` in a tab (the existing one if it is open) and return its editor.

        Raises OSError when the file cannot be read.
        """
        path = Path(path).resolve()
        if path in self._files:
            self.setCurrentWidget(self._files[path].page)
            return self._files[path].editor
        raw = path.read_bytes()
        editor = CodeEditor(language=lexer_name_for_path(path))
        bom = raw.startswith(codecs.BOM_UTF8)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, bom = raw.decode("utf-8", errors="replace"), False
            editor.setReadOnly(True)
        crlf = "\r\n" in text
        editor.setPlainText(text.replace("\r\n", "\n"))
        page = CodeEditorFrame(editor, _notice(path) if editor.isReadOnly() else None)
        self._files[path] = _OpenFile(editor, page, crlf=crlf, bom=bom)
        editor.document().modificationChanged.connect(lambda _dirty: self._on_modified(path))
        index = self.addTab(page, self._title(path))
        self.setTabToolTip(index, str(path))
        self.setCurrentIndex(index)
        return editor

    def current_frame(self) -> CodeEditorFrame | None:
        open_file = self._files.get(self.current_path()) if self.current_path() else None
        return open_file.page if open_file else None

    def current_path(self) -> Path | None:
        page = self.currentWidget()
        return next((path for path, f in self._files.items() if f.page is page), None)

    def editor_for(self, path: str | Path) -> CodeEditor | None:
        open_file = self._files.get(Path(path).resolve())
        return open_file.editor if open_file else None

    def open_paths(self) -> list[Path]:
        return list(self._files)

    def dirty_paths(self) -> list[Path]:
        return [path for path, f in self._files.items() if f.editor.document().isModified()]

    def has_unsaved(self) -> bool:
        return bool(self.dirty_paths())

    def save_file(self, path: str | Path) -> Path | None:
        """Write one open file if it has unsaved edits; returns its path when written."""
        path = Path(path).resolve()
        open_file = self._files[path]
        document = open_file.editor.document()
        if open_file.editor.isReadOnly() or not document.isModified():
            return None
        text = open_file.editor.toPlainText()
        if open_file.crlf:
            text = text.replace("\n", "\r\n")
        data = (codecs.BOM_UTF8 if open_file.bom else b"") + text.encode("utf-8")
        _write_atomically(path, data)
        document.setModified(False)
        self.sig_file_saved.emit(str(path))
        return path

    def save_current(self) -> list[Path]:
        """Save the file in the current tab; returns what was written. Raises OSError."""
        path = self.current_path()
        if path is None:
            return []
        saved = self.save_file(path)
        return [saved] if saved else []

    def save_all(self) -> list[Path]:
        """Save every file with unsaved edits; returns what was written.

        Every file is tried; if any failed, the first OSError is raised afterwards (the files
        that were written have emitted sig_file_saved and are clean).
        """
        saved: list[Path] = []
        failure: OSError | None = None
        for path in self.dirty_paths():
            try:
                if self.save_file(path):
                    saved.append(path)
            except OSError as error:
                failure = failure or error
        if failure is not None:
            raise failure
        return saved

    def close_file(self, path: str | Path) -> None:
        """Close the tab of `path`, dropping unsaved edits (ask the user first)."""
        open_file = self._files.pop(Path(path).resolve(), None)
        if open_file is None:
            return
        self.removeTab(self.indexOf(open_file.page))
        open_file.page.deleteLater()
        self._emit_if_dirty_changed()

    @Slot(int)
    def _on_tab_close_requested(self, index: int) -> None:
        page = self.widget(index)
        path = next((p for p, f in self._files.items() if f.page is page), None)
        if path is None:
            return
        if self._files[path].editor.document().isModified():
            self.sig_close_requested.emit(str(path))
        else:
            self.close_file(path)

    @Slot()
    def _on_save_triggered(self) -> None:
        # Ctrl+S and a menu entry have no caller to raise to: the failure travels as a signal.
        path = self.current_path()
        try:
            self.save_current()
        except OSError as error:
            self.sig_save_failed.emit(str(path), error.strerror or str(error))

    def _on_modified(self, path: Path) -> None:
        open_file = self._files.get(path)
        if open_file is not None:
            self.setTabText(self.indexOf(open_file.page), self._title(path))
        self._emit_if_dirty_changed()

    def _emit_if_dirty_changed(self) -> None:
        any_dirty = self.has_unsaved()
        if any_dirty != self._any_dirty:
            self._any_dirty = any_dirty
            self.sig_dirty_changed.emit(any_dirty)

    def _title(self, path: Path) -> str:
        open_file = self._files.get(path)
        if open_file is not None and open_file.editor.isReadOnly():
            return f"{path.name} (read-only)"
        if open_file is not None and open_file.editor.document().isModified():
            return f"{DIRTY_MARKER} {path.name}"
        return path.name


def _notice(path: Path) -> QLabel:
    notice = QLabel(
        f"{path.name} is not UTF-8 text. It is shown read-only so that saving cannot damage it."
    )
    notice.setWordWrap(True)
    notice.setContentsMargins(8, 4, 8, 4)
    notice.setAutoFillBackground(True)
    notice.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
    notice.setForegroundRole(QPalette.ColorRole.ToolTipText)
    return notice


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new one, never half."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes 0600 files; a bootstrap must stay executable, a handler readable.
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
