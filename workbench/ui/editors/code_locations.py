"""Opens the code a stack frame names, and marks the line where the last run failed until it is edited."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from ...core.function.invocation_result import InvocationResult
from ...core.function.stack_frames import CodeLocation, failing_location, resolve
from .editor_tabs import EditorTabs


class CodeLocations(QObject):
    """Turns (path, line, column) from the log or the Response panel into an open tab at that place."""

    sig_notice = Signal(str)
    """One line for the status bar (a frame outside the workspace, a file that is gone)."""

    def __init__(self, tabs: EditorTabs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tabs = tabs
        self._folder: Path | None = None
        self._marked = None  # the editor holding the failure mark

    def set_workspace(self, folder: Path) -> None:
        self._folder = Path(folder)
        self._clear_mark()

    @Slot(str, int, int)
    def open(self, path: str, line: int, column: int = 1) -> bool:
        """Open `path` (relative to the workspace, or absolute inside it) at 1-based line and column."""
        if self._folder is None:
            return False
        resolved = resolve(CodeLocation(path, line, column), self._folder)
        if resolved is None:
            self.sig_notice.emit(f"{path} is not a file of this workspace (a runtime or library frame)")
            return False
        try:
            editor = self._tabs.open_file(resolved)
        except OSError as error:
            self.sig_notice.emit(f"Could not open {resolved}: {error.strerror or error}")
            return False
        editor.go_to(line, column)
        editor.setFocus()
        return True

    def mark_failure(self, result: InvocationResult) -> Path | None:
        """After a run: mark the workspace line the error points at (innermost frame, or a syntax error's line).

        The mark stays until that file is edited or the next run. Returns the marked file.
        """
        self._clear_mark()
        if self._folder is None or result.succeeded:
            return None
        document = result.error_document() or {}
        frames = document.get("stackTrace", document.get("trace")) or []
        texts = [str(frame) for frame in frames] if isinstance(frames, list) else []
        texts.append(str(document.get("errorMessage", "")))
        found = failing_location(texts, self._folder)
        if found is None:
            return None
        path, location = found
        try:
            editor = self._tabs.open_file(path)
        except OSError:
            return None
        editor.mark_error(location.line, location.column)
        editor.go_to(location.line, location.column)
        self._marked = editor
        editor.document().contentsChanged.connect(self._clear_mark)
        return path

    @Slot()
    def _clear_mark(self) -> None:
        editor, self._marked = self._marked, None
        if editor is None:
            return
        try:
            editor.document().contentsChanged.disconnect(self._clear_mark)
            editor.clear_error_mark()
        except RuntimeError:
            pass  # the tab was closed meanwhile
