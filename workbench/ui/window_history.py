"""The main window's side of the history: the session records into the workspace's history, the History
dock reads it, and a past run shows in the usual panels under its banner. Mixed into MainWindow, whose
panels and session these methods use."""

from __future__ import annotations

from PySide6.QtCore import Slot

from ..core.history.history_store import HistoryStore
from ..core.function.invocation_request import prepare_invocation
from ..core.workspace.workspace import Workspace
from ..engine.history_writer import history_writer_for


class WindowHistoryMixin:
    def _open_history(self, workspace: Workspace) -> None:
        """The workspace's history: the session records into it, the History dock reads it."""
        if self.history_store is not None:
            self.history_store.close()
        self.history_store = HistoryStore.for_workspace(workspace.folder, on_notice=self._notice)
        # The session writes on a thread of its own (recording never lengthens a call); the dock reads here.
        self.session.set_history(history_writer_for(workspace.folder, self))
        self.history.config_for = lambda name: (self.workspace.function(name).config
                                                if self.workspace and self.workspace.function(name) else None)
        self.history.set_store(self.history_store, str(workspace.folder))

    @Slot(object, object)
    def _show_past_run(self, record, summary) -> None:
        if self.running:
            self._notice("A call is running: the panels show it until it finishes.")
            return
        self.panels.show_recorded(record.log, record.result)
        self.past_run_banner.show_run(summary)

    @Slot()
    def _leave_past_run(self) -> None:
        # Unmarked, a past run would pass for the latest one: the panels show the function's own again.
        self.history.panel.table.clearSelection()
        self.panels.show_own()

    @Slot(object, str, object)
    def _run_again(self, config, event_text: str, preset) -> None:
        if self.running:
            self._notice("A call is already running: stop it first (Shift+F5).")
            return
        prepared = prepare_invocation(config, event_text, f"run again ({preset or 'past event'})", preset=preset)
        if isinstance(prepared, list):
            self._notice(str(prepared[0]))
            return
        if self.function is not None and config.name != self.function.config.name \
                and self.workspace is not None and self.workspace.function(config.name) is not None:
            # The run writes to its function's log and result: the window shows that function.
            self.toolbar.function_combo.setCurrentText(config.name)
        self._start(self.session.run(prepared, source="window"))

    @Slot(str)
    def _save_event_as_preset(self, event_text: str) -> None:
        if self.presets.resolve_unsaved():
            self.presets.use_text(event_text)
            self.preset_picker.ask_save_as()
