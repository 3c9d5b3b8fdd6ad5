"""The tabs of open workspace files: opening, dirty markers, and saving them safely to disk."""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QPainter, QPaintEvent, QPalette, QTextCursor
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from workbench.core.text.text_diff import unified_difference
from workbench.ui.editors.code_editor import CodeEditor
from workbench.ui.editors.code_editor_frame import CodeEditorFrame
from workbench.ui.disk_watch import DiskWatch, read_bytes_or_none
from workbench.ui.editors.editor_tab_bar import EditorTabBar
from workbench.ui.editors.pygments_highlighter import lexer_name_for_path

DIRTY_MARKER = "•"
EMPTY_HINT = ("No file open.\n\nClick a file in the tree to preview it;\ndouble-click it to keep it open.\n\n"
              "File > New Function starts a function,\nFile > New File a file.")
PREVIEW_TIP = ("Preview: the next file you open from the tree takes this tab. "
               "Edit the file or double-click the tab to keep it open.")


class ChangedOnDiskError(OSError):
    """Saving would overwrite a file changed on disk since it was loaded; the user is asked first."""


@dataclass
class _OpenFile:
    """How a file was on disk, so saving writes it back the same way."""

    editor: CodeEditor
    page: CodeEditorFrame  # the editor with its find bars, and a notice above it when read-only
    crlf: bool = False
    bom: bool = False
    disk: bytes | None = None  # the file as last loaded or saved: what "changed on disk" compares to


class EditorTabs(QTabWidget):
    """One CodeEditor tab per open file; saving writes atomically and never pops a dialog.

    As in VS Code, a file can open as the preview: one tab, in italics, that the next preview replaces.
    Editing it, double-clicking its tab or opening it as an ordinary tab keeps it (pins it); a preview
    therefore never holds unsaved edits, so replacing it can never lose any.

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

    sig_reloaded = Signal(str)
    """An open file was loaded again from disk (changed elsewhere); carries its path."""

    sig_changed_on_disk = Signal(str)
    """A file with unsaved edits changed on disk: its tab now asks Reload / Keep Mine; carries its path."""

    sig_gutter_clicked = Signal(str, int)
    """A click in a code tab's breakpoint column: the file's path and the 1-based line."""
    sig_gutter_menu_requested = Signal(str, int, QPoint)
    """The breakpoint column's context menu: path, 1-based line, global position."""
    sig_file_opened = Signal(str)
    """A file got a tab (its path): what marks its gutter carries are set from here on."""
    sig_close_requested = Signal(str)
    """The close button of a tab with unsaved edits was pressed; carries its path.

    The owner asks the user, then calls save_file() and/or close_file().
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._files: dict[Path, _OpenFile] = {}
        self._any_dirty = False
        self._preview: Path | None = None
        self._reloading = False
        self.setTabBar(EditorTabBar(self))
        self.tabBarDoubleClicked.connect(self._on_tab_double_clicked)
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setDocumentMode(True)
        self.tabCloseRequested.connect(self._on_tab_close_requested)
        self._watch = DiskWatch(self)
        self._watch.sig_changed.connect(self.check_disk)

        self.save_action = QAction("&Save", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        # Active while focus is anywhere in the tabs, so it cannot clash with another Ctrl+S.
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self._on_save_triggered)
        self.addAction(self.save_action)

    def open_file(self, path: str | Path, preview: bool = False, read_only: bool = False) -> CodeEditor:
        """Show `path` in a tab (the existing one if it is open) and return its editor.

        With `preview`, a file not open yet takes the preview tab (replacing the file previewed before);
        without, the file gets an ordinary tab, and a preview of it is kept open. Raises OSError when the
        file cannot be read. `read_only`: a file outside the workspace (a dependency's), shown and never saved.
        """
        path = Path(path).resolve()
        if path in self._files:
            if not preview:
                self.keep_open(path)
            self.setCurrentWidget(self._files[path].page)
            return self._files[path].editor
        raw = path.read_bytes()
        index = self.count()
        if preview and self._preview is not None and self._files[self._preview].editor.document().isModified():
            self.keep_open(self._preview)  # edits are never dropped by a preview: it becomes an ordinary tab
        if preview and self._preview is not None:
            index = self.indexOf(self._files[self._preview].page)
            self.close_file(self._preview)
        editor = CodeEditor(language=lexer_name_for_path(path))
        text, bom, crlf, readable = _decode(raw)
        editor.setReadOnly(not readable or read_only)
        editor.setPlainText(text)
        page = CodeEditorFrame(editor, _notice(path, readable) if editor.isReadOnly() else None)
        editor.gutter().enable_breakpoints()
        editor.gutter().sig_line_clicked.connect(lambda line, e=editor: self._gutter_event(e, line))
        editor.gutter().sig_line_menu_requested.connect(lambda line, at, e=editor: self._gutter_event(e, line, at))
        self._files[path] = _OpenFile(editor, page, crlf=crlf, bom=bom, disk=raw)
        # Through the page, not `path`: a rename in the tree moves the tab to another path.
        editor.document().modificationChanged.connect(self._for_page(page, self._on_modified))
        editor.document().contentsChanged.connect(self._for_page(page, self._on_edited))
        page.disk_bar.sig_reload.connect(self._for_page(page, self.reload_file))
        page.disk_bar.sig_keep_mine.connect(self._for_page(page, self._keep_mine))
        index = self.insertTab(index, page, self._title(path))
        self.setTabToolTip(index, str(path))
        if preview:
            self._set_preview(path)
        self.setCurrentIndex(index)
        self._watch.watch(path)
        self._retitle()
        self.sig_file_opened.emit(str(path))
        return editor

    def _gutter_event(self, editor: CodeEditor, line: int, at: QPoint | None = None) -> None:
        path = next((p for p, f in self._files.items() if f.editor is editor), None)
        if path is not None and at is None:
            self.sig_gutter_clicked.emit(str(path), line)
        elif path is not None:
            self.sig_gutter_menu_requested.emit(str(path), line, at)

    def follow_rename(self, old: str | Path, new: str | Path) -> None:
        """A file or folder was renamed: its open tabs now show, watch and save the new path."""
        old, new = Path(old).resolve(), Path(new).resolve()
        for path in [p for p in self._files if p == old or p.is_relative_to(old)]:
            moved = new / path.relative_to(old)
            open_file = self._files.pop(path)
            self._files[moved] = open_file
            self._watch.unwatch(path)
            self._watch.watch(moved)
            if self._preview == path:
                self._preview = moved
            index = self.indexOf(open_file.page)
            self.setTabText(index, self._title(moved))
            self.setTabToolTip(index, self._tool_tip(moved))
        self._retitle()

    def preview_path(self) -> Path | None:
        """The file in the preview tab, if one is open."""
        return self._preview

    def keep_open(self, path: str | Path) -> None:
        """Make the preview of `path` an ordinary tab, which the next preview leaves alone."""
        if self._preview == Path(path).resolve():
            self._set_preview(None)

    def _set_preview(self, path: Path | None) -> None:
        previous, self._preview = self._preview, path
        for shown in (previous, path):
            if shown is not None and shown in self._files:
                index = self.indexOf(self._files[shown].page)
                self.tabBar().set_preview(index, shown == path)
                self.setTabToolTip(index, self._tool_tip(shown))

    def _tool_tip(self, path: Path) -> str:
        return f"{path}\n{PREVIEW_TIP}" if path == self._preview else str(path)

    def _for_page(self, page: QWidget, method):
        """A slot calling method(path of page), the path looked up when called (tabs follow renames)."""
        def call(*_args) -> None:
            path = self._path_of(page)
            if path is not None:
                method(path)
        return call

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self.count() == 0:  # an empty grey area says nothing; VS Code says what to do
            painter = QPainter(self)
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect().adjusted(16, 16, -16, -16),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, EMPTY_HINT)

    @Slot(int)
    def _on_tab_double_clicked(self, index: int) -> None:
        path = self._path_of(self.widget(index))
        if path is not None:
            self.keep_open(path)

    def _on_edited(self, path: Path) -> None:
        # Typing in a preview keeps it: the next preview must never take a tab with edits away.
        if not self._reloading and path == self._preview:
            self.keep_open(path)

    @Slot(str)
    def check_disk(self, path: str) -> None:
        """Compare an open file with the disk: reload it when it has no edits, else ask in its tab."""
        path = Path(path).resolve()
        open_file = self._files.get(path)
        if open_file is None:
            return
        raw = read_bytes_or_none(path)
        if raw == open_file.disk:
            open_file.page.disk_bar.hide()
            return
        if not open_file.editor.document().isModified() and raw is not None:
            self.reload_file(path)
            return
        mine = open_file.editor.toPlainText()
        if raw is None:
            message = f"{path.name} was deleted on disk. Save writes your text back; close the tab to let it go."
            open_file.page.disk_bar.ask(message, "")
            open_file.page.disk_bar.reload_button.setEnabled(False)
        else:
            theirs = _decode(raw)[0]
            message = f"{path.name} changed on disk, and you have unsaved edits here. Reload, or keep yours?"
            open_file.page.disk_bar.ask(message, unified_difference(theirs, mine, path.name))
            open_file.page.disk_bar.reload_button.setEnabled(True)
        self.sig_changed_on_disk.emit(str(path))

    def reload_file(self, path: str | Path) -> None:
        """Load the disk's version into the open tab (unmodified), keeping the cursor's line."""
        path = Path(path).resolve()
        open_file = self._files.get(path)
        raw = read_bytes_or_none(path)
        if open_file is None or raw is None:
            return
        text, bom, crlf, readable = _decode(raw)
        editor = open_file.editor
        line, column = editor.textCursor().blockNumber(), editor.textCursor().positionInBlock()
        scroll = editor.verticalScrollBar().value()
        # Through a cursor, so Ctrl+Z can bring back what was shown before the reload.
        cursor = QTextCursor(editor.document())
        cursor.select(QTextCursor.SelectionType.Document)
        self._reloading = True  # the disk's text is no edit: a preview stays a preview
        try:
            cursor.insertText(text)
        finally:
            self._reloading = False
        editor.document().setModified(False)
        block = editor.document().findBlockByNumber(min(line, editor.document().blockCount() - 1))
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + min(column, block.length() - 1))
        editor.setTextCursor(cursor)
        editor.verticalScrollBar().setValue(scroll)
        open_file.crlf, open_file.bom, open_file.disk = crlf, bom, raw
        editor.setReadOnly(not readable)
        open_file.page.disk_bar.hide()
        self._on_modified(path)
        self.sig_reloaded.emit(str(path))

    def _keep_mine(self, path: Path) -> None:
        # The user saw the difference and chose their text: the disk's version may be replaced.
        open_file = self._files.get(path)
        if open_file is not None:
            open_file.disk = read_bytes_or_none(path)
            open_file.editor.document().setModified(True)

    def current_frame(self) -> CodeEditorFrame | None:
        open_file = self._files.get(self.current_path()) if self.current_path() else None
        return open_file.page if open_file else None

    def current_path(self) -> Path | None:
        return self._path_of(self.currentWidget())

    def _path_of(self, page: QWidget | None) -> Path | None:
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
        on_disk = read_bytes_or_none(path)
        if on_disk != open_file.disk:
            self.check_disk(str(path))
            raise ChangedOnDiskError(0, "it changed on disk since it was loaded (Reload or Keep Mine first)",
                                     str(path))
        text = open_file.editor.toPlainText()
        if open_file.crlf:
            text = text.replace("\n", "\r\n")
        data = (codecs.BOM_UTF8 if open_file.bom else b"") + text.encode("utf-8")
        _write_atomically(path, data)
        open_file.disk = data
        self._watch.acknowledge(path)
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
        if self._preview == Path(path).resolve():
            self._preview = None
        self._watch.unwatch(Path(path).resolve())
        self.removeTab(self.indexOf(open_file.page))
        open_file.page.deleteLater()
        self._emit_if_dirty_changed()
        self._retitle()

    def _retitle(self) -> None:
        """Tabs of files with the same name say which folder each is in (a file's title depends on the others)."""
        for path, open_file in self._files.items():
            index = self.indexOf(open_file.page)
            if index >= 0 and self.tabText(index) != self._title(path):
                self.setTabText(index, self._title(path))

    @Slot(int)
    def _on_tab_close_requested(self, index: int) -> None:
        path = self._path_of(self.widget(index))
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
        if open_file is not None and open_file.editor.document().isModified():
            self._on_edited(path)
        if open_file is not None:
            self.setTabText(self.indexOf(open_file.page), self._title(path))
        self._emit_if_dirty_changed()

    def _emit_if_dirty_changed(self) -> None:
        any_dirty = self.has_unsaved()
        if any_dirty != self._any_dirty:
            self._any_dirty = any_dirty
            self.sig_dirty_changed.emit(any_dirty)

    def _title(self, path: Path) -> str:
        name = distinct_name(path, list(self._files))
        open_file = self._files.get(path)
        if open_file is not None and open_file.editor.isReadOnly():
            return f"{name} (read-only)"
        if open_file is not None and open_file.editor.document().isModified():
            return f"{DIRTY_MARKER} {name}"
        return name


def distinct_name(path: Path, paths: list[Path]) -> str:
    """`app.py`, or, when another open file has that name too, `app.py — fnA`: as many of its folders as tell
    the two apart (as VS Code titles its tabs)."""
    others = [other for other in paths if other != path and other.name == path.name]
    if not others:
        return path.name
    for depth in range(1, len(path.parts)):
        suffix = path.parent.parts[-depth:]
        if all(other.parent.parts[-depth:] != suffix for other in others):
            return f"{path.name} — {'/'.join(suffix)}"
    return f"{path.name} — {path.parent}"


def _decode(raw: bytes) -> tuple[str, bool, bool, bool]:
    """(text with \n line ends, had a BOM, had CRLF, is UTF-8): how a file is shown and saved back."""
    bom = raw.startswith(codecs.BOM_UTF8)
    try:
        text, readable = raw.decode("utf-8-sig"), True
    except UnicodeDecodeError:
        text, bom, readable = raw.decode("utf-8", errors="replace"), False, False
    crlf = "\r\n" in text
    return text.replace("\r\n", "\n"), bom, crlf, readable


def _notice(path: Path, readable: bool = False) -> QLabel:
    notice = QLabel(
        f"{path.name} is outside the workspace (a dependency's, a layer's or the runtime's file): read-only."
        if readable else f"{path.name} is not UTF-8 text. It is shown read-only so that saving cannot damage it."
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
