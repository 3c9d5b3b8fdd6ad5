"""Python's cycle collector, run on the Qt thread only.

Left to itself the collector runs in whichever thread happens to allocate past its threshold: here often
a Runtime API server thread or the history writer. A Qt object it frees there (one caught in a reference
cycle, with no parent to own it) is destroyed outside its own thread: Qt cannot unregister its timers
from there, and later dispatches a timer event into freed memory. So the automatic collector is turned
off and a timer on the Qt thread collects whenever the counts say the automatic one would have.

CPython holds a full collection back until the long-lived objects have grown by a quarter; that count is
not visible from Python, so here a full collection waits instead until it would take at most 2% of the
time (the last one's duration, fifty times over).
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

CHECK_MS = 100
FULL_COLLECTION_SHARE = 0.02


def collect_due(counts: tuple[int, int, int], thresholds: tuple[int, int, int]) -> int | None:
    """The generation the automatic collector would collect at these counts, or None (CPython's rule: a
    generation is collected with the younger ones once its count passes its threshold)."""
    due = None
    for generation in range(3):
        if thresholds[generation] and counts[generation] > thresholds[generation]:
            due = generation
        else:
            break
    return due


class MainThreadCollector(QObject):
    """Turns the automatic collector off and collects on this object's (the Qt) thread instead.

    stop() turns the automatic collector back on, as it was."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self._next_full_at = 0.0
        gc.disable()
        self._timer = QTimer(self, interval=CHECK_MS)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start()

    def collect_if_due(self) -> None:
        generation = collect_due(gc.get_count(), gc.get_threshold())
        if generation == 2 and time.monotonic() < self._next_full_at:
            generation = 1
        if generation is None:
            return
        started = time.monotonic()
        gc.collect(generation)
        if generation == 2:
            ended = time.monotonic()
            self._next_full_at = ended + (ended - started) / FULL_COLLECTION_SHARE

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
