"""One workspace at a time: what opening another folder clears or moves along (tabs, logs and results, the Tests
panel, Charts, the Serve list), so nothing of the previous folder passes for the new one's."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Slot


class WorkspaceSwitch(QObject):
    """Built by the window with the panels it clears; `leave` is called before the new workspace is shown."""

    def __init__(self, window, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        window.sig_workspace_opened.connect(self._chart_current)
        window.toolbar.sig_function_selected.connect(self._chart_current)

    def leave(self, old, new) -> None:
        """`old` (a Workspace, or None) gives way to `new`. Reopening the same folder (after a new function, an
        env-vars file) keeps its tabs and results; only the functions' logs and latest results start over."""
        window = self._window
        window.panels.forget()
        if old is None or Path(old.folder).resolve() == Path(new.folder).resolve():
            return
        folder = Path(new.folder).resolve()
        for path in window.tabs.open_paths():
            if not path.is_relative_to(folder):
                window.tabs.close_file(path)
        window.tests_dock.stop()
        window.tests_dock.forget_results()
        window.serve_panel.clear_calls()
        window.history.forget_charts()
        # The last run's words were about the previous folder's function.
        window.status.progress(f"Opened {folder.name}")

    @Slot()
    def _chart_current(self, *_args) -> None:
        """Charts follow the function on screen (not the one a past selection charted in another folder)."""
        function = self._window.function
        if function is not None:
            self._window.history.chart_function(function.config.name)
