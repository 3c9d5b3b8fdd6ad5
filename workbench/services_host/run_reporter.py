"""Tells the process that ran a triggered call what became of its batch (each record's fate), once the host
has judged the answer: POST /workbench/triggered-runs/{requestId} on the Invoke API that made the run, which
keeps it on the run in history. From a thread of its own, so a poller never waits for it."""

from __future__ import annotations

import json
import queue
import threading
import urllib.error
import urllib.request
from urllib.parse import quote

_STOP = None


class RunReporter:
    def __init__(self, endpoint) -> None:
        """endpoint(): the registered Invoke API (None when there is none: nothing is sent)."""
        self._endpoint = endpoint
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="trigger run reporter", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(_STOP)

    def report(self, request_id: str, document: dict) -> None:
        self._queue.put((request_id, document))

    def _loop(self) -> None:
        while (item := self._queue.get()) is not _STOP:
            endpoint = self._endpoint()
            if endpoint is None:
                continue
            request_id, document = item
            request = urllib.request.Request(
                f"{endpoint}/workbench/triggered-runs/{quote(request_id, safe='')}", method="POST",
                data=json.dumps(document, separators=(",", ":")).encode(), headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=5):
                    pass
            except (OSError, urllib.error.HTTPError):
                # The run is not that process's (restarted meanwhile) or it has gone: its log still has it.
                pass
