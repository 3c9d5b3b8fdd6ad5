"""What the triggers did, for the Triggers panel and `/_workbench/triggers`: each firing with its batch and
every record's fate, what did not fire and why, and each trigger's live state (waiting, blocked, paused)."""

from __future__ import annotations

import threading
import time
from collections import deque

MAX_ENTRIES = 5_000
# Kinds of entries that say what became of one run's batch (the run is named by the entry's requestId).
RUN_KINDS = ("fired", "discarded")


class TriggerLog:
    def __init__(self, on_run=None) -> None:
        """on_run(request_id, document): called (outside the lock) each time what is known of a triggered run's
        batch grows: its "fired" entry, then a "discarded" one (sent to a destination or dead-letter queue)."""
        self._on_run = on_run
        self._runs: dict[str, dict] = {}
        self._entries: deque[dict] = deque(maxlen=MAX_ENTRIES)
        self._states: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._sequence = 0

    def add(self, trigger: str, source: str, kind: str, detail: str = "", **fields) -> dict:
        """kind: "fired", "not fired", "discarded", "loop stopped", "error"."""
        with self._lock:
            self._sequence += 1
            entry = {"seq": self._sequence, "time": time.time(), "trigger": trigger, "source": source,
                     "kind": kind, "detail": detail, **fields}
            self._entries.append(entry)
            run = self._run_document(entry)
        if run is not None and self._on_run is not None:
            self._on_run(entry["requestId"], run)
        return entry

    def _run_document(self, entry: dict) -> dict | None:
        """The run's batch as known so far: a "discarded" entry after the "fired" one says where the event
        went, and its records take that fate."""
        request_id = entry.get("requestId")
        if not request_id or entry["kind"] not in RUN_KINDS:
            return None
        known = self._runs.get(request_id)
        if entry["kind"] == "fired" or known is None:
            known = {name: value for name, value in entry.items() if name not in ("seq", "time", "kind")}
        else:
            known = {**known, "detail": f"{known.get('detail', '')}; {entry['detail']}".strip("; "),
                     "records": [{**record, "fate": entry["detail"]} for record in known.get("records", [])]}
        self._runs[request_id] = known
        while len(self._runs) > MAX_ENTRIES:
            self._runs.pop(next(iter(self._runs)))
        return dict(known)

    def set_state(self, trigger: str, **state) -> None:
        with self._lock:
            self._states.setdefault(trigger, {}).update(state)

    def state(self, trigger: str) -> dict:
        with self._lock:
            return dict(self._states.get(trigger, {}))

    def entries(self, since: int = 0) -> list[dict]:
        with self._lock:
            return [dict(entry) for entry in self._entries if entry["seq"] > since]

    def snapshot(self, since: int = 0) -> dict:
        with self._lock:
            states = {name: dict(state) for name, state in self._states.items()}
        return {"triggers": states, "entries": self.entries(since)}
