"""Writes finished runs into the workspace's history on a thread of its own, so that recording a run
never lengthens a call: runs that finish close together are written in one transaction once the calls
pause (or within a second), instead of one SQLite transaction per run beside the next call.

The writer thread owns its own store (SQLite connections stay on the thread that made them) and never
touches Qt: it queues what happened and writes a byte to a pipe; a QSocketNotifier on the main thread
wakes and emits `recorded` and `notice` there. close() writes whatever is still waiting; what cannot be
written in time (the file locked by another program) is kept beside the history for a later start to record,
and the notice names those runs."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QSocketNotifier, Signal, Slot

from ..core.history.run_record import RunRecord

_STOP = object()


class _TriggerNote:
    __slots__ = ("run_id", "trigger")

    def __init__(self, run_id: str, trigger) -> None:
        self.run_id, self.trigger = run_id, trigger
# Runs are written once calls pause this long, or at the latest this long after the first one waiting.
QUIET_S = 0.05
MAX_DELAY_S = 1.0
MAX_BATCH = 1000


class History(Protocol):
    """The store the writer writes into, on its own thread (core/history/history_store.py's HistoryStore).
    Every run is recorded through a HistoryWriter; nothing else writes runs into a history."""

    def record_many(self, items: list[tuple[str, RunRecord]]) -> None:
        """Store several runs (id, record) in one transaction."""

    def close(self) -> None:
        """Write what is still kept in memory, then let go of the file."""


class HistoryWriter(QObject):
    recorded = Signal(str)
    """A run is in the history now (its id)."""
    notice = Signal(str)
    """Something about the history file the user should hear (moved aside, busy, not writable)."""

    def __init__(self, open_history: Callable[[Callable[[str], None]], History], new_id: Callable[[], str],
                 parent: QObject | None = None,
                 keep_unwritten: Callable[[list[tuple[str, RunRecord]], str], str] | None = None) -> None:
        """open_history(on_notice) makes the store, on the writer thread; new_id() names a run at once;
        keep_unwritten(runs, reason) keeps the runs close() could not wait for and says where."""
        super().__init__(parent)
        self._new_id = new_id
        self._keep_unwritten = keep_unwritten
        self._unwritten: dict[str, RunRecord] = {}
        self._unwritten_lock = threading.Lock()
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._wake_read, self._wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._notifier = QSocketNotifier(self._wake_read, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._deliver)
        self._closed = False
        self._thread = threading.Thread(target=self._write_all, args=(open_history,), name="history-writer",
                                        daemon=True)
        self._thread.start()

    def record(self, record: RunRecord) -> str:
        """Queue a run for the history; its id, at once."""
        run_id = self._new_id()
        with self._unwritten_lock:
            self._unwritten[run_id] = record
        self._inbox.put((run_id, record))
        return run_id

    def set_trigger(self, run_id: str, trigger) -> None:
        """Queue a triggered run's batch and fates (core.triggers.triggered_batch.TriggeredBatch) for the run
        recorded as run_id; written after it, in the order queued."""
        self._inbox.put(_TriggerNote(run_id, trigger))

    def close(self, timeout_s: float = 10.0) -> None:
        """Write what is queued, then stop (every run of this process reaches the file)."""
        if self._closed:
            return
        self._closed = True
        self._inbox.put(_STOP)
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            self._keep_stuck_runs(timeout_s)
        self._deliver()
        self._notifier.setEnabled(False)
        os.close(self._wake_read)
        os.close(self._wake_write)

    # --- The writer thread (no Qt here) ---------------------------------------------------------

    def _write_all(self, open_history) -> None:
        try:
            store = open_history(lambda text: self._post("notice", text))
        except Exception as error:  # noqa: BLE001 - said to the user; the runs themselves are unaffected
            self._post("notice", f"History not opened: {error}")
            store = None
        stopping = False
        while not stopping:
            batch, stopping = self._next_batch()
            if store is None or not batch:
                continue
            notes = [item for item in batch if isinstance(item, _TriggerNote)]
            batch = [item for item in batch if not isinstance(item, _TriggerNote)]
            try:
                if batch:
                    store.record_many(batch)
            except Exception as error:  # noqa: BLE001 - a history failure must never lose the run itself
                self._post("notice", f"History not written: {error}")
            else:
                with self._unwritten_lock:
                    for run_id, _record in batch:
                        self._unwritten.pop(run_id, None)
                for run_id, _record in batch:
                    self._post("recorded", run_id)
            # A note always follows its run in the queue: written after the runs of the same batch.
            for note in notes:
                try:
                    store.set_trigger(note.run_id, note.trigger)
                except Exception as error:  # noqa: BLE001 - the run is kept; only its fates are missing
                    self._post("notice", f"History: the fates of run {note.run_id}'s batch not written: {error}")
        if store is not None:
            store.close()  # what it still holds it keeps beside the history, and says so
        with self._unwritten_lock:
            self._unwritten.clear()

    def _next_batch(self) -> tuple[list, bool]:
        """The runs to write together, and whether close() asked to stop. Runs arriving close together
        (a series, serve under load) are written once the calls pause for QUIET_S, or after MAX_DELAY_S:
        one transaction for all of them, and no write competing with a call in flight."""
        first = self._inbox.get()
        if first is _STOP:
            return [], True
        batch, started = [first], time.monotonic()
        while len(batch) < MAX_BATCH:
            wait = min(QUIET_S, MAX_DELAY_S - (time.monotonic() - started))
            if wait <= 0:
                break
            try:
                item = self._inbox.get(timeout=wait)
            except queue.Empty:
                break
            if item is _STOP:
                return batch, True
            batch.append(item)
        return batch, False

    def _keep_stuck_runs(self, waited_s: float) -> None:
        """The writer is still waiting for the file: keep what it has not written, never drop it silently."""
        with self._unwritten_lock:
            items = list(self._unwritten.items())
            self._unwritten.clear()
        if not items:
            return
        reason = f"History not written within {waited_s:.0f} s (its file is locked by another program, or not writable)"
        if self._keep_unwritten is None:
            self._post("notice", f"{reason}: run(s) {', '.join(run_id for run_id, _ in items)} not recorded")
            return
        try:
            self._post("notice", self._keep_unwritten(items, reason))
        except Exception as error:  # noqa: BLE001 - the user must hear of it whatever went wrong
            self._post("notice", f"{reason}: run(s) {', '.join(run_id for run_id, _ in items)} not recorded "
                                 f"and could not be kept ({error})")

    def _post(self, kind: str, value: str) -> None:
        self._outbox.put((kind, value))
        try:
            os.write(self._wake_write, b"\0")
        except (BlockingIOError, OSError):
            pass  # the pipe is full (the main thread will drain it) or closed (close() drains it)

    # --- Back on the main thread -----------------------------------------------------------------

    @Slot()
    def _deliver(self) -> None:
        try:
            while os.read(self._wake_read, 4096):
                pass
        except (BlockingIOError, OSError):
            pass
        while True:
            try:
                kind, value = self._outbox.get_nowait()
            except queue.Empty:
                return
            (self.recorded if kind == "recorded" else self.notice).emit(value)


def history_writer_for(workspace_folder, parent: QObject | None = None) -> HistoryWriter:
    """A writer into the workspace's own history (core/history/history_store.py says where it lives)."""
    # Here, not at the top: `invoke` imports this module after its head start, and --no-history skips sqlite.
    from ..core.history.history_store import HistoryStore, history_path, keep_unrecorded_records, new_run_id

    path = history_path(workspace_folder)
    return HistoryWriter(lambda on_notice: HistoryStore(path, on_notice=on_notice), new_run_id, parent,
                         lambda items, reason: keep_unrecorded_records(path, items, reason))
