"""The window's side of the history: the session records into the workspace's history, the History dock
reads it, a past run shows in the usual panels under its banner, and a past event runs again or becomes a
preset."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from ..core.function.invocation_request import prepare_invocation
from ..core.history.history_store import HistoryStore
from ..core.workspace.workspace import Workspace
from ..engine.history_writer import history_writer_for
from ..engine.run_session import RunSession
from .function_panels import FunctionPanels
from .history.history_dock import HistoryDock
from .history.past_run_banner import PastRunBanner
from .preset_picker import PresetPicker
from .preset_session import PresetSession


class WindowHistory(QObject):
    notice = Signal(str)
    """A line for the status bar."""
    run_requested = Signal(object)
    """Run again: the PreparedInvocation of a past run's event, to start as a window run."""

    def __init__(self, session: RunSession, dock: HistoryDock, panels: FunctionPanels, banner: PastRunBanner,
                 presets: PresetSession, picker: PresetPicker, workspace: Callable[[], Workspace | None],
                 running: Callable[[], bool], parent: QObject | None = None) -> None:
        """workspace() is the open Workspace (its functions' settings as they are now); running() whether a
        window run is in progress."""
        super().__init__(parent)
        self._session, self._dock, self._panels, self._banner = session, dock, panels, banner
        self._presets, self._picker = presets, picker
        self._workspace, self._running = workspace, running
        self.store: HistoryStore | None = None

    def open(self, workspace: Workspace) -> None:
        """The workspace's history: the session records into it, the History dock reads it."""
        # The dock lets go first: the previous writer's last "recorded" arrives while the stores change hands.
        self._dock.set_store(None)
        self.close()
        self.store = HistoryStore.for_workspace(workspace.folder, on_notice=self.notice.emit)
        # The session writes on a thread of its own (recording never lengthens a call); the dock reads here.
        self._session.set_history(history_writer_for(workspace.folder, self))
        self._dock.config_for = self._config_for
        self._dock.set_store(self.store, str(workspace.folder))

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def _config_for(self, name: str):
        workspace = self._workspace()
        function = workspace.function(name) if workspace else None
        return function.config if function else None

    @Slot(object, object)
    def show_past_run(self, record, summary) -> None:
        if self._running():
            self.notice.emit("A call is running: the panels show it until it finishes.")
            return
        linked = self.store.linked(summary.id) if self.store is not None and summary is not None else []
        self._panels.show_recorded(record.log, record.result, record.aws_calls, record.trigger, linked)
        self._banner.show_run(summary)

    @Slot()
    def leave_past_run(self) -> None:
        # Unmarked, a past run would pass for the latest one: the panels show the function's own again.
        self._dock.panel.table.clearSelection()
        self._panels.show_own()

    @Slot(str)
    def reveal_run(self, run_id: str) -> None:
        """A run named elsewhere (what it sent or wrote, in the AWS dock): picked in History, which comes forward."""
        self._dock.show()
        self._dock.raise_()
        self._dock.panel.set_function_filter(None)
        if not self._dock.panel.select_run(run_id):
            self.notice.emit(f"Run {run_id[:8]} is no longer in the history.")

    @Slot(object, str, object)
    def run_again(self, config, event_text: str, preset) -> None:
        if self._running():
            self.notice.emit("A call is already running: stop it first (Shift+F5).")
            return
        prepared = prepare_invocation(config, event_text, f"run again ({preset or 'past event'})", preset=preset)
        if isinstance(prepared, list):
            self.notice.emit(str(prepared[0]))
            return
        self.run_requested.emit(prepared)

    @Slot(str)
    def save_event_as_preset(self, event_text: str) -> None:
        if self._presets.resolve_unsaved():
            self._presets.use_text(event_text)
            self._picker.ask_save_as()
