"""The open connections of one Runtime API server: how long each has been idle, and closing the ones
that have been idle too long or are one too many.

"Idle" counts only the environment's running time: between calls Lambda freezes the whole sandbox, its
Runtime API included, so a runtime frozen right after posting a result finds its keep-alive connection
still open when it thaws. Here the server is not frozen, so its idle clock is paused instead.
"""

from __future__ import annotations

import select
import socket
import threading
import time


class ConnectionTracker:
    """Thread-safe book of the server's admitted connections."""

    def __init__(self, idle_timeout_s: float, max_connections: int) -> None:
        self.idle_timeout_s = idle_timeout_s
        self.max_connections = max_connections
        self._lock = threading.Lock()
        # socket -> idle since (on the running clock), or None while a request is in progress.
        self._idle_since: dict[socket.socket, float | None] = {}
        self._paused_at: float | None = None
        self._paused_total = 0.0

    def running_clock(self) -> float:
        """Monotonic seconds, not counting the time the environment spent frozen."""
        with self._lock:
            return self._running_clock_locked()

    def _running_clock_locked(self) -> float:
        now = self._paused_at if self._paused_at is not None else time.monotonic()
        return now - self._paused_total

    def pause(self) -> None:
        with self._lock:
            if self._paused_at is None:
                self._paused_at = time.monotonic()

    def resume(self) -> None:
        with self._lock:
            if self._paused_at is not None:
                self._paused_total += time.monotonic() - self._paused_at
                self._paused_at = None

    def admit(self, connection: socket.socket) -> None:
        """Count a connection in; past the limit the one idle longest is closed to make room."""
        with self._lock:
            if len(self._idle_since) >= self.max_connections:
                idle = [(since, sock) for sock, since in self._idle_since.items() if since is not None]
                if idle:
                    oldest = min(idle, key=lambda item: item[0])[1]
                    del self._idle_since[oldest]
                    _hang_up(oldest)
            self._idle_since[connection] = self._running_clock_locked()

    def forget(self, connection: socket.socket) -> None:
        """The connection's thread is done with it (it may have been hung up and dropped already)."""
        with self._lock:
            self._idle_since.pop(connection, None)

    def idle(self, connection: socket.socket) -> None:
        with self._lock:
            if connection in self._idle_since:
                self._idle_since[connection] = self._running_clock_locked()

    def busy(self, connection: socket.socket) -> None:
        with self._lock:
            if connection in self._idle_since:
                self._idle_since[connection] = None

    def close_idle(self) -> int:
        """Hang up every connection idle for longer than the timeout; how many were."""
        with self._lock:
            limit = self._running_clock_locked() - self.idle_timeout_s
            stale = [sock for sock, since in self._idle_since.items() if since is not None and since < limit]
            for sock in stale:
                # No longer counted: its thread winds down on its own.
                del self._idle_since[sock]
                _hang_up(sock)
            return len(stale)

    def __len__(self) -> int:
        with self._lock:
            return len(self._idle_since)


def _hang_up(sock: socket.socket) -> None:
    # shutdown, not close: the thread blocked reading it wakes with end-of-file and closes it itself.
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def peer_hung_up(connection: socket.socket) -> bool:
    """Whether the client closed this connection (end-of-file waiting on it), without reading it."""
    try:
        # select first: on a socket with a timeout, recv waits for data even with MSG_DONTWAIT.
        if not select.select([connection], [], [], 0)[0]:
            return False
        return connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except (OSError, ValueError):
        return True
