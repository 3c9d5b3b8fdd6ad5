"""What the triggers did, for the Triggers panel and `/_workbench/triggers`: each firing with its batch and
every record's fate, what did not fire and why, and each trigger's live state (waiting, blocked, paused)."""

from __future__ import annotations

import threading
import time
from collections import deque

MAX_ENTRIES = 5_000


class TriggerLog:
    def __init__(self) -> None:
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
            return entry

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
