"""Finds the recorded run behind something in the AWS dock (an email in the Outbox, an object in a bucket),
reading the workspace's history: the runs around that moment, then the calls of those few
(core.services.run_links decides)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ...core.history.history_store import HistoryStore
from ...core.services.run_links import RunSpan, run_that_sent, run_that_wrote, spans_around

# The runs looked at: the newest this many (an email older than them is not linked).
RECENT_RUNS = 500


class RunFinder:
    def __init__(self, store: Callable[[], HistoryStore | None]) -> None:
        self._store = store
        # The run list read again only when the history changed; a recorded run's calls never change.
        self._runs: tuple[object, list] = (None, [])
        self._calls: dict[str, tuple] = {}

    def sender_of(self, mail: dict) -> RunSpan | None:
        return run_that_sent(mail, self._spans(float(mail.get("time", 0.0))))

    def writer_of(self, bucket: str, key: str, moment: float) -> RunSpan | None:
        return run_that_wrote(bucket, key, moment, self._spans(moment))

    def _spans(self, moment: float) -> list[RunSpan]:
        store = self._store()
        if store is None:
            return []
        try:
            version = (id(store), store.version())
            if self._runs[0] != version:
                self._runs = (version, [(s.id, s.function, s.started_at,
                                         ((s.init_duration_ms or 0.0) + s.duration_ms) / 1000)
                                        for s in store.list(limit=RECENT_RUNS)])
            spans = []
            for run_id, function, started, lasted in spans_around(moment, self._runs[1]):
                if run_id not in self._calls:
                    self._calls[run_id] = tuple(store.get(run_id).aws_calls)
                spans.append(RunSpan(run_id, function, started, started + lasted, self._calls[run_id]))
            return spans
        except (sqlite3.Error, LookupError, OSError):
            return []  # a history being written or moved aside: no link this time
