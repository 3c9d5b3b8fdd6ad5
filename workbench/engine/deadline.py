"""A single-shot deadline that never fires early: a call's timeout, an init's 10 s.

A precise QTimer needs Qt.TimerType, and naming anything in the Qt namespace builds all of its enums
(about 27 ms of every command). Coarse timers need nothing, but may fire up to 5% early; so the deadline
waits in coarse steps that all end before it, then in a precise one: Qt treats timers of 20 ms and less
as precise whatever their type.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

# Qt's limits for coarse timers: at most this long, a timer keeps within 5%; at most 20 ms, it is precise.
_PRECISE_MS = 20
_COARSE_MAX_MS = 19_999


class Deadline(QObject):
    """expired() once the time given to start() has passed (never before); stop() cancels."""

    expired = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._due: float | None = None
        self._left_s: float | None = None
        """While paused: what was left of the time."""
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._step)

    def start(self, ms: int) -> None:
        self._left_s = None
        self._due = time.monotonic() + ms / 1000
        self._step()

    def stop(self) -> None:
        self._due = None
        self._left_s = None
        self._timer.stop()

    def pause(self) -> None:
        """The time stops running (a debugged program is stopped) until resume()."""
        if self._due is not None:
            self._left_s = max(self._due - time.monotonic(), 0.0)
            self._due = None
            self._timer.stop()

    def resume(self) -> None:
        if self._left_s is not None:
            left, self._left_s = self._left_s, None
            self._due = time.monotonic() + left
            self._step()

    def is_active(self) -> bool:
        return self._due is not None or self._left_s is not None

    def _step(self) -> None:
        if self._due is None:
            return
        remaining_ms = (self._due - time.monotonic()) * 1000
        if remaining_ms <= 0:
            self._due = None
            self.expired.emit()
        elif remaining_ms <= _PRECISE_MS:
            self._timer.start(max(1, int(remaining_ms + 0.999)))
        else:
            # 5% late or early at most: a step of 90% (and never the last 20 ms) ends before the deadline.
            self._timer.start(int(min(remaining_ms * 0.9, remaining_ms - _PRECISE_MS, _COARSE_MAX_MS)))
