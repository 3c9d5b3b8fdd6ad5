"""Lambda's Runtime API (2018-06-01) for one execution environment, on loopback.

The standard library's threaded HTTP server does the HTTP. Handler threads never touch Qt: they queue
what the runtime posts and write a byte to a pipe; once attached to the Qt thread, a QSocketNotifier there
wakes, drains the queue and emits RuntimeApiSignals (engine/runtime_api_signals.py). The server can serve
before Qt is imported at all: what arrives meanwhile waits in the queue, with the time it arrived.

Only the environment may talk to it: each connection's peer process is identified once, when it
connects (workbench/engine/loopback_peer.py), and the connection is closed unanswered unless the
`peer_allowed` predicate the environment provides says that process is one of its own. As on Lambda,
`/init/error` is accepted only during init, one `/next` waits at a time, bodies over Lambda's payload
limit are refused and dropped as they arrive, and connections idle past the environment's longest
legitimate wait are closed.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from ..core.lambda_rules.lambda_errors import MAX_RESPONSE_BYTES
from ..core.streaming.streamed_response import is_streaming_request
from .environment_launch import loopback_listener
from .http_server_module import BaseHTTPRequestHandler, ThreadingHTTPServer
from .invoke_request import PendingInvoke
from .loopback_peer import identify_peer
from .runtime_api_connections import ConnectionTracker, peer_hung_up as _peer_hung_up
from .runtime_api_stream import OK_BODY, TOO_LARGE_BODY, StreamedBodies
import logging

PREFIX = "/2018-06-01/runtime"
_OK = OK_BODY
_INVALID_ID = b'{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}'
_TOO_LARGE = TOO_LARGE_BODY
_NOT_FOUND = b'{"errorMessage":"Not Found","errorType":"NotFound"}'
_INTERNAL = b'{"errorMessage":"Internal Server Error","errorType":"InternalServerError"}'
# What Go's net/http (Lambda's Runtime API server) answers to a Content-Length it cannot read.
_BAD_LENGTH = b"400 Bad Request: bad Content-Length"

# Lambda's runtime states (RAPID internal/lambda/core/runtime_state_names.go).
STARTED, INIT_ERROR, READY, RUNNING, RESPONSE_SENT = (
    "Started", "InitError", "Ready", "Running", "RuntimeResponseSentState")

# Past the limit, a body is read and dropped in pieces of this size: memory stays bounded.
_DISCARD_CHUNK = 64 * 1024
# A request's line, headers and body must arrive within this once its first line has.
REQUEST_READ_TIMEOUT_S = 10.0
IDLE_TIMEOUT_S = 60.0
MAX_CONNECTIONS = 64

def _log():
    """This module's logger; logging is imported only once there is something to say."""
    return logging.getLogger(__name__)

PeerAllowed = Callable[[int], bool]


def state_transition_refused(current: str, wanted: str) -> bytes:
    """Lambda's 403 body for a call the runtime's state does not allow (RAPID rapi/handler)."""
    return json.dumps({"errorMessage": f"State transition from {current} to {wanted} failed for runtime. "
                                       "Error: State transition is not allowed",
                       "errorType": "InvalidStateTransition"}, separators=(",", ":")).encode()


class RuntimeApiServer:
    """One server per execution environment, like 127.0.0.1:9001 inside a Lambda sandbox.

    `peer_allowed(pid)` says whether a process belongs to the environment; `likely_peers()` names the
    processes to look at first when identifying a connection's peer (the runtime and its children), so
    the usual case does not scan every process on the machine.
    """

    def __init__(self, owner=None, *, peer_allowed: PeerAllowed,
                 likely_peers: Callable[[], Iterable[int]] = tuple,
                 idle_timeout_s: float = IDLE_TIMEOUT_S, max_connections: int = MAX_CONNECTIONS,
                 listener: socket.socket | None = None, attach: bool = True) -> None:
        """listener: the listening socket to serve (bound ahead, so a runtime could be told its address
        before the server existed); by default a new one on 127.0.0.1. attach=False: serve now, deliver
        to the Qt thread from attach() on (owner is then attach's)."""
        self.signals = None
        self._notifier = None
        self.peer_allowed = peer_allowed
        self.likely_peers = likely_peers
        self.connections = ConnectionTracker(idle_timeout_s, max_connections)
        self._condition = threading.Condition()
        self._events: queue.SimpleQueue = queue.SimpleQueue()
        self._wake_read, self._wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._pending: PendingInvoke | None = None
        self._current_id: str | None = None
        self._state = STARTED
        # The connection whose GET /next is waiting, and a number that changes when it is given up.
        self._waiter: socket.socket | None = None
        self._waiter_generation = 0
        self._closed = False
        listener = listener or loopback_listener()
        # Not bound by the server itself: HTTPServer.server_bind would also look up the host's name.
        self._httpd = _Server(listener.getsockname()[:2], _Handler, bind_and_activate=False)
        self._httpd.socket.close()
        self._httpd.socket = listener
        self._httpd.server_address = listener.getsockname()[:2]
        self._httpd.api = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="runtime-api", daemon=True)
        self._thread.start()
        if attach:
            self.attach(owner)

    def attach(self, owner) -> None:
        """Deliver to the Qt thread from now on: RuntimeApiSignals owned by `owner` (so its notifier is
        destroyed with it, on that thread). What arrived before is delivered on the loop's next turn."""
        # Imported here: a server started before Qt is imported must not import it.
        from .runtime_api_signals import RuntimeApiSignals, wake_notifier

        self.signals = RuntimeApiSignals(owner)
        self._notifier = wake_notifier(self._wake_read, self.signals, self.deliver_pending)

    @property
    def address(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"{host}:{port}"

    def dispatch(self, invoke: PendingInvoke) -> None:
        """Hand an event to the runtime's current or next GET /next."""
        with self._condition:
            self._pending = invoke
            self._condition.notify_all()

    def pause_idle_clock(self) -> None:
        """The environment is frozen: its connections' idle time stops counting."""
        self.connections.pause()

    def resume_idle_clock(self) -> None:
        self.connections.resume()

    def close(self) -> None:
        """Wake any thread blocked in /next and stop serving, without blocking the caller."""
        with self._condition:
            if self._closed:
                return
            self._closed = True
            self._pending = None
            self._condition.notify_all()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        os.close(self._wake_read)
        os.close(self._wake_write)
        threading.Thread(target=self._stop, daemon=True).start()

    def deliver_pending(self) -> None:
        """Emit, on this (the main) thread, everything the runtime posted so far (once attached)."""
        with self._condition:
            if self._closed or self.signals is None:
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

    def _admits(self, connection: socket.socket, client_address: tuple[str, int]) -> bool:
        """Whether the process at the other end of a new connection belongs to the environment."""
        ours = connection.getsockname()[:2]
        try:
            likely = list(self.likely_peers())
        except Exception:  # a predicate's bug must not open the door, nor go unnoticed
            _log().exception("Runtime API %s: listing the environment's processes failed", self.address)
            likely = []
        peer = identify_peer(ours, client_address[:2], likely)
        try:
            allowed = peer is not None and peer.pid is not None and bool(self.peer_allowed(peer.pid))
        except Exception:
            _log().exception("Runtime API %s: asking whether pid %s belongs to the environment failed",
                          self.address, peer.pid if peer else None)
            allowed = False
        if not allowed:
            who = "a process that is gone" if peer is None or peer.pid is None else f"pid {peer.pid}"
            uid = f", uid {peer.uid}" if peer is not None else ""
            _log().warning("Runtime API %s: refused a connection from %s%s: not a process of this "
                        "execution environment", self.address, who, uid)
        return allowed

    def _claim_next(self, connection: socket.socket) -> int | str:
        """Make this connection's GET /next the one waiting: a number to wait with, or the state to
        name in a 403 when another /next is waiting already (or init failed)."""
        with self._condition:
            if self._state == INIT_ERROR:
                return INIT_ERROR
            if self._waiter is not None and self._waiter is not connection:
                if not _peer_hung_up(self._waiter):
                    return READY
                # The runtime gave up its earlier /next (a client timeout) and asks again.
                self._waiter_generation += 1
                self._condition.notify_all()
            self._waiter = connection
            if self._current_id is None:
                self._state = READY
            return self._waiter_generation

    def _wait_for_invoke(self, generation: int) -> PendingInvoke | None:
        """The event for the claimed GET /next; None when the environment closed or the wait was
        given up for a newer one."""
        with self._condition:
            while self._pending is None and not self._closed and generation == self._waiter_generation:
                self._condition.wait()
            if self._closed or generation != self._waiter_generation:
                return None
            self._waiter = None
            invoke, self._pending = self._pending, None
            self._current_id = invoke.request_id
            self._state = RUNNING
            return invoke

    def _requeue(self, invoke: PendingInvoke) -> None:
        """The runtime's connection broke while its event was being sent: the next /next gets it."""
        with self._condition:
            if not self._closed and self._pending is None and self._current_id == invoke.request_id:
                self._pending, self._current_id = invoke, None
                self._condition.notify_all()

    def _is_current(self, request_id: str) -> bool:
        with self._condition:
            return not self._closed and request_id == self._current_id

    def _begin_init_error(self) -> str | None:
        """None when /init/error is allowed now (and the runtime is then in InitError), else the
        state to name in the 403."""
        with self._condition:
            if self._state != STARTED:
                return self._state
            self._state = INIT_ERROR
            return None

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
            self._state = RESPONSE_SENT


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: RuntimeApiServer

    def service_actions(self) -> None:
        # Runs between polls of the accept loop, at least every poll_interval.
        self.api.connections.close_idle()

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        # A runtime killed mid-request resets its connection; that is expected, not worth a traceback.
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        _log().error("Runtime API %s: a request from %s failed", self.api.address, client_address, exc_info=True)


class _Handler(StreamedBodies, BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body in one write; without both, Nagle and delayed ACKs add ~40-90 ms per call.
    disable_nagle_algorithm = True
    wbufsize = -1
    server: _Server

    def log_message(self, format, *args) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        pass

    # --- One connection: checked once, then tracked while idle -----------------------------------

    def handle(self) -> None:
        api = self.server.api
        if not api._admits(self.connection, self.client_address):
            return  # closed unanswered: nothing of the environment reaches another process
        api.connections.admit(self.connection)
        try:
            super().handle()
        finally:
            api.connections.forget(self.connection)

    def handle_one_request(self) -> None:
        # Waiting for the next request: no read timeout (the runtime may be frozen between calls);
        # the idle sweep hangs up a connection that stays silent too long.
        self.server.api.connections.idle(self.connection)
        self.connection.settimeout(None)
        super().handle_one_request()

    def parse_request(self) -> bool:
        self.server.api.connections.busy(self.connection)
        self.connection.settimeout(REQUEST_READ_TIMEOUT_S)
        return super().parse_request()

    # --- Replies and bodies ------------------------------------------------------------------------

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
        self._replied = True

    def _content_length(self) -> int | None:
        text = self.headers.get("Content-Length")
        if text is None:
            return 0
        try:
            length = int(text)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._reply(400, _BAD_LENGTH, content_type="text/plain; charset=utf-8")
            return None
        return length

    def _discard(self, length: int) -> None:
        """Read and drop a body in small pieces, so the client hears the reply and memory stays flat."""
        while length > 0:
            chunk = self.rfile.read(min(length, _DISCARD_CHUNK))
            if not chunk:
                self.close_connection = True
                return
            length -= len(chunk)

    def _read_body(self, length: int) -> bytes | None:
        """The body when it is within Lambda's payload limit; otherwise it is dropped, a 413 is sent,
        and None returned."""
        if length > MAX_RESPONSE_BYTES:
            self._reply(413, _TOO_LARGE)
            self._discard(length)
            return None
        return self.rfile.read(length)

    # --- Requests ----------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._guarded(self._get)

    def do_POST(self) -> None:
        self._guarded(self._post)

    def _guarded(self, serve: Callable[[], None]) -> None:
        self._replied = False
        self._socket_rfile = None
        try:
            serve()
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the runtime went away mid-request
        except Exception:
            _log().error("Runtime API %s: %s %s failed", self.server.api.address, self.command, self.path,
                      exc_info=True)
            self.close_connection = True
            if not self._replied:
                try:
                    self._reply(500, _INTERNAL)
                except OSError:
                    pass
        finally:
            if self._socket_rfile is not None:  # a chunked body was served from memory
                self.rfile = self._socket_rfile

    def _get(self) -> None:
        api = self.server.api
        if self.path != PREFIX + "/invocation/next":
            self._reply(404, _NOT_FOUND)
            return
        claim = api._claim_next(self.connection)
        if isinstance(claim, str):
            self._reply(403, state_transition_refused(claim, READY))
            return
        api._emit("next_requested", time.monotonic())
        invoke = api._wait_for_invoke(claim)
        if invoke is None:
            self.close_connection = True
            return
        headers = dict(invoke.headers)
        content_type = headers.pop("Content-Type", "application/json")
        try:
            self._reply(200, invoke.event, tuple(headers.items()), content_type)
        except OSError:
            api._requeue(invoke)
            raise

    def _post(self) -> None:
        api = self.server.api
        path = self.path[len(PREFIX):] if self.path.startswith(PREFIX) else ""
        parts = path.strip("/").split("/")
        if (len(parts) == 3 and parts[0] == "invocation" and parts[2] == "response"
                and is_streaming_request(self.headers) and api._is_current(parts[1])):
            self._post_stream(parts[1])
            return
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        length = self._buffer_chunked() if chunked else self._content_length()
        if length is None:
            return
        if parts == ["init", "error"]:
            self._post_init_error(length)
            return
        if len(parts) != 3 or parts[0] != "invocation" or parts[2] not in ("response", "error"):
            self._discard(length)
            self._reply(404, _NOT_FOUND)
            return
        request_id, kind = parts[1], parts[2]
        if not api._is_current(request_id):
            self._discard(length)
            self._reply(400, _INVALID_ID)
            return
        if kind == "response" and length > MAX_RESPONSE_BYTES:
            api._finish_current()
            api._emit("response_too_large", request_id, length, time.monotonic())
            # Then take in the body and drop it: closing on a client still sending it would give the
            # runtime a broken pipe instead of the 413, and kill it.
            self._read_body(length)
            return
        body = self._read_body(length)
        if body is None:
            return
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

    def _post_init_error(self, length: int) -> None:
        api = self.server.api
        if length > MAX_RESPONSE_BYTES:
            self._read_body(length)  # refused (413) and dropped; the runtime is still initialising
            return
        refused_in = api._begin_init_error()
        if refused_in is not None:
            self._discard(length)
            self._reply(403, state_transition_refused(refused_in, INIT_ERROR))
            return
        body = self._read_body(length)
        if body is None:
            return
        error_type = self.headers.get("Lambda-Runtime-Function-Error-Type", "")
        api._emit("init_error_posted", body, error_type, time.monotonic())
        self._reply(202, _OK)

