"""The window's side of the triggers: the Triggers dock (tabified with History, like the AWS dock) fed by the
engine's watch of the workspace's services host; a malformed event configuration named with its file and line
in the status bar and the dock as soon as the workspace opens; an object sent as an S3 event from the AWS
dock; a triggered batch saved as a preset of its function (its event, read back from history)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QDockWidget, QWidget

from ..core.history.history_store import HistoryStore
from ..core.triggers.trigger_reader import load_triggers
from ..engine.triggers_watch import TriggersWatch
from .triggers_panel import TriggersPanel


class WindowTriggers(QObject):
    notice = Signal(str)
    """A line for the status bar."""
    save_event_requested = Signal(str, str)
    """function, event text: a triggered batch to save as a preset of the function."""

    def __init__(self, history_store: Callable[[], HistoryStore | None], parent: QWidget | None = None) -> None:
        """history_store(): the workspace's open history (a batch's event is read back from its run)."""
        super().__init__(parent)
        self._history_store = history_store
        self.panel = TriggersPanel()
        self.dock = QDockWidget("Triggers", parent, objectName="triggers_dock")
        self.dock.setWidget(self.panel)
        self.watch: TriggersWatch | None = None
        self.panel.save_batch_requested.connect(self.save_batch)

    def set_workspace(self, folder: Path) -> None:
        """Read the workspace's triggers (their problems said at once) and watch its host while it has any."""
        self.close()
        found = load_triggers(folder)
        problems = [str(problem) for problem in found.problems]
        self.panel.show_configuration(len(found.triggers), problems)
        if problems:
            more = f" (and {len(problems) - 1} more in the Triggers tab)" if len(problems) > 1 else ""
            self.notice.emit(f"{problems[0]}{more}")
        if not found.triggers and not problems:
            return
        self.watch = TriggersWatch(folder, self)
        self.watch.snapshot.connect(self.panel.show_snapshot)
        self.watch.unavailable.connect(self.panel.show_unavailable)
        self.watch.notice.connect(self.notice)
        self.panel.pause_requested.connect(self.watch.set_paused)
        self.watch.start()

    def close(self) -> None:
        if self.watch is not None:
            self.watch.stop()
            self.panel.pause_requested.disconnect(self.watch.set_paused)
            self.watch.deleteLater()
            self.watch = None

    @Slot(str, str)
    def send_as_s3_event(self, bucket: str, key: str) -> None:
        """The AWS dock's "Send as S3 Event": the object through its bucket's S3 triggers, as a put would."""
        if self.watch is None:
            self.notice.emit("The workspace declares no trigger: nothing to send the object to")
            return
        self.watch.fire_object(bucket, key)

    @Slot(str, str)
    def save_batch(self, function: str, request_id: str) -> None:
        store = self._history_store()
        try:
            run_id = store.run_of_request(request_id) if store is not None and request_id else None
            record = store.get(run_id) if run_id else None
        except (sqlite3.Error, LookupError) as error:
            self.notice.emit(f"The batch's run could not be read from history: {error}")
            return
        if record is None:
            self.notice.emit(f"The run of that batch ({request_id or 'no request id'}) is not in this window's "
                                 "history (it was run by another process with its history off)")
            return
        self.save_event_requested.emit(function, record.event.decode("utf-8", errors="replace"))
