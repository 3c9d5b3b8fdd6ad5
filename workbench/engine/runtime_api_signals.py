"""The Qt side of a Runtime API server (engine/runtime_api_server.py): its signals, emitted on the Qt
thread, and the notifier that wakes that thread when a handler thread has queued something."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, Signal


class RuntimeApiSignals(QObject):
    """Emitted on the main thread, in the order the runtime's requests arrived."""

    next_requested = Signal(float)
    """The runtime asked for work (monotonic time). The first one ends the init phase."""
    response_posted = Signal(str, object, str, float)
    """request id, body, content type, monotonic time the body was complete."""
    error_posted = Signal(str, object, str, float)
    """request id, body, Lambda-Runtime-Function-Error-Type header ('' if absent), time."""
    init_error_posted = Signal(object, str, float)
    """body, error type header, time."""
    stream_started = Signal(str, str, float)
    """request id, Content-Type, time: a streamed response began (Lambda-Runtime-Function-Response-Mode)."""
    response_chunk = Signal(str, object, float)
    """request id, a piece of the streamed body, the time it arrived."""
    stream_ended = Signal(str, int, bool, object, float)
    """request id, bytes streamed, whether that was over Lambda's limit, the trailers (dict), time."""
    response_too_large = Signal(str, int, float)
    """request id, declared size, time: Lambda fails the call with Function.ResponseSizeTooLarge."""


def wake_notifier(fd: int, owner: QObject, wake: Callable[[], None]) -> QSocketNotifier:
    """Calls wake() on the Qt thread whenever fd (the server's wake-up pipe) is readable."""
    notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, owner)
    notifier.activated.connect(wake)
    return notifier
