"""Lambda's Runtime API (2018-06-01) for one execution environment, on loopback.

The standard library's threaded HTTP server does the HTTP. Handler threads never touch Qt: they queue
what the runtime posts and write a byte to a pipe; a QSocketNotifier on the main thread wakes, drains the
queue and emits RuntimeApiSignals there.
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PySide6.QtCore import QObject, QSocketNotifier, Signal, Slot

from ..core.lambda_errors import MAX_RESPONSE_BYTES

PREFIX = "/2018-06-01/runtime"
_OK = b'{"status":"OK"}'
_INVALID_ID = b'{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}'
_TOO_LARGE = (b'{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).",'
              b'"errorType":"RequestEntityTooLarge"}')
_NOT_FOUND = b'{"errorMessage":"Not Found","errorType":"NotFound"}'


@dataclass(frozen=True)
class PendingInvoke:
    """An event waiting for the runtime's next GET /next, with Lambda's headers."""

    request_id: str
    event: bytes
    headers: tuple[tuple[str, str], ...]


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
    response_too_large = Signal(str, int, float)
    """request id, declared size, time: Lambda fails the call with Function.ResponseSizeTooLarge."""


class RuntimeApiServer:
    """One server per execution environment, like 127.0.0.1:9001 inside a Lambda sandbox."""

    def __init__(self, owner: QObject | None = None) -> None:
        # Owned by the sandbox, so its notifier is destroyed with it on the main thread.
        self.signals = RuntimeApiSignals(owner)
        self._condition = threading.Condition()
        self._events: queue.SimpleQueue = queue.SimpleQueue()
        self._wake_read, self._wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._notifier = QSocketNotifier(self._wake_read, QSocketNotifier.Type.Read, self.signals)
        self._notifier.activated.connect(self.deliver_pending)
        self._pending: PendingInvoke | None = None
        self._current_id: str | None = None
        self._closed = False
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.api = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="runtime-api", daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"{host}:{port}"

    def dispatch(self, invoke: PendingInvoke) -> None:
        """Hand an event to the runtime's current or next GET /next."""
        with self._condition:
            self._pending = invoke
            self._condition.notify_all()

    def close(self) -> None:
        """Wake any thread blocked in /next and stop serving, without blocking the caller."""
        with self._condition:
            if self._closed:
                return
            self._closed = True
            self._pending = None
            self._condition.notify_all()
        self._notifier.setEnabled(False)
        os.close(self._wake_read)
        os.close(self._wake_write)
        threading.Thread(target=self._stop, daemon=True).start()

    @Slot()
    def deliver_pending(self) -> None:
        """Emit, on this (the main) thread, everything the runtime posted so far."""
        with self._condition:
            if self._closed:
                return
            try:
                while os.read(self._wake_read, 4096):
                    pass
            except BlockingIOError:
                pass
        while True:
            try:
                name, args = self._events.get_nowait()
            except queue.Empty:
                return
            if self._closed:
                return
            getattr(self.signals, name).emit(*args)

    def _stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # --- Called from handler threads -----------------------------------------------------------

    def _wait_for_invoke(self) -> PendingInvoke | None:
        with self._condition:
            while self._pending is None and not self._closed:
                self._condition.wait()
            if self._closed:
                return None
            invoke, self._pending = self._pending, None
            self._current_id = invoke.request_id
            return invoke

    def _is_current(self, request_id: str) -> bool:
        with self._condition:
            return not self._closed and request_id == self._current_id

    def _emit(self, name: str, *args) -> None:
        """Queue a signal for the main thread and wake it (under the lock: close() cannot pull the pipe away)."""
        with self._condition:
            if self._closed:
                return
            self._events.put((name, args))
            try:
                os.write(self._wake_write, b"\0")
            except BlockingIOError:
                pass  # the pipe is full of wake-ups already

    def _finish_current(self) -> None:
        with self._condition:
            self._current_id = None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: RuntimeApiServer

    def handle_error(self, request, client_address) -> None:
        # A runtime killed mid-request resets its connection; that is expected, not worth a traceback.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body in one write; without both, Nagle and delayed ACKs add ~40-90 ms per call.
    disable_nagle_algorithm = True
    wbufsize = -1
    server: _Server

    def log_message(self, format, *args) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        pass

    def _reply(self, status: int, body: bytes, headers: tuple[tuple[str, str], ...] = (),
               content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _discard(self, length: int) -> None:
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 20))
            if not chunk:
                self.close_connection = True
                return
            length -= len(chunk)

    def do_GET(self) -> None:
        api = self.server.api
        if self.path != PREFIX + "/invocation/next":
            self._reply(404, _NOT_FOUND)
            return
        api._emit("next_requested", time.monotonic())
        invoke = api._wait_for_invoke()
        if invoke is None:
            self.close_connection = True
            return
        headers = dict(invoke.headers)
        content_type = headers.pop("Content-Type", "application/json")
        self._reply(200, invoke.event, tuple(headers.items()), content_type)

    def do_POST(self) -> None:
        api = self.server.api
        length = int(self.headers.get("Content-Length") or 0)
        path = self.path[len(PREFIX):] if self.path.startswith(PREFIX) else ""
        parts = path.strip("/").split("/")
        if parts == ["init", "error"]:
            body = self.rfile.read(length)
            error_type = self.headers.get("Lambda-Runtime-Function-Error-Type", "")
            api._emit("init_error_posted", body, error_type, time.monotonic())
            self._reply(202, _OK)
            return
        if len(parts) != 3 or parts[0] != "invocation" or parts[2] not in ("response", "error"):
            self.rfile.read(length)
            self._reply(404, _NOT_FOUND)
            return
        request_id, kind = parts[1], parts[2]
        if not api._is_current(request_id):
            self.rfile.read(length)
            self._reply(400, _INVALID_ID)
            return
        if kind == "response" and length > MAX_RESPONSE_BYTES:
            api._finish_current()
            api._emit("response_too_large", request_id, length, time.monotonic())
            self._reply(413, _TOO_LARGE)
            # Then take in the body and drop it: closing on a client still sending it would give the
            # runtime a broken pipe instead of the 413, and kill it.
            self._discard(length)
            return
        body = self.rfile.read(length)
        done = time.monotonic()
        api._finish_current()
        # Signal before replying: the result is queued before the runtime can go on, or exit.
        if kind == "response":
            content_type = self.headers.get("Content-Type", "application/json")
            api._emit("response_posted", request_id, body, content_type, done)
        else:
            error_type = self.headers.get("Lambda-Runtime-Function-Error-Type", "")
            api._emit("error_posted", request_id, body, error_type, done)
        self._reply(202, _OK)


def lambda_headers(request_id: str, deadline_ms: int, function_arn: str, trace_id: str,
                   content_type: str = "application/json",
                   client_context: dict | None = None) -> tuple[tuple[str, str], ...]:
    """Every header Lambda sends with an event (awslambdaric stalls without Content-Type and Trace-Id)."""
    headers = [
        ("Lambda-Runtime-Aws-Request-Id", request_id),
        ("Lambda-Runtime-Deadline-Ms", str(deadline_ms)),
        ("Lambda-Runtime-Invoked-Function-Arn", function_arn),
        ("Lambda-Runtime-Trace-Id", trace_id),
        ("Content-Type", content_type),
    ]
    if client_context is not None:
        headers.append(("Lambda-Runtime-Client-Context", json.dumps(client_context)))
    return tuple(headers)
