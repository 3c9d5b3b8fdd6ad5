"""A started runtime process (engine/environment_launch.py) seen from Qt's event loop: its output as it
arrives, its exit when it happens.

The process is started with subprocess, not QProcess, so that it can be started before Qt is imported;
here its pipe and a pidfd (Linux 5.3+; else a poll) become socket notifiers on the Qt thread.
"""

from __future__ import annotations

import os
import select
import subprocess

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

_READ_CHUNK = 1 << 16
# At most this much per read(): a runtime that prints without pause must not keep the Qt thread reading
# (the notifier fires again on the next turn of the loop for the rest).
_READ_LIMIT = 1 << 20
# Without a pidfd, how often the exit is looked for.
_EXIT_POLL_MS = 20


class RuntimeProcess(QObject):
    """Signals: output_ready() when the pipe has data, exited(exit_code, signal_number) once (one of the
    two is None)."""

    output_ready = Signal()
    """The runtime wrote something (stdout or the telemetry descriptor)."""
    exited = Signal(object, object)
    """The runtime process ended: its exit code and signal number (int or None each)."""

    def __init__(self, process: subprocess.Popen, parent: QObject | None = None, telemetry_fd: int = -1) -> None:
        """telemetry_fd: the read end of the runtime's telemetry log descriptor (owned from now on), or -1."""
        super().__init__(parent)
        self._process = process
        self._telemetry_fd = telemetry_fd
        self._telemetry: QSocketNotifier | None = None
        if telemetry_fd >= 0:
            self._telemetry = QSocketNotifier(telemetry_fd, QSocketNotifier.Type.Read, self)
            self._telemetry.activated.connect(self._on_output)
        self._fd = process.stdout.fileno()
        self._eof = False
        self._reported = False
        self._closed = False
        self._output = QSocketNotifier(self._fd, QSocketNotifier.Type.Read, self)
        self._output.activated.connect(self._on_output)
        self._pidfd = -1
        self._poll: QTimer | None = None
        try:
            self._pidfd = os.pidfd_open(process.pid)
        except (AttributeError, OSError):
            self._poll = QTimer(self, interval=_EXIT_POLL_MS, timeout=self._check_exit)
            self._poll.start()
        else:
            self._exit = QSocketNotifier(self._pidfd, QSocketNotifier.Type.Read, self)
            self._exit.activated.connect(self._check_exit)

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def running(self) -> bool:
        return self._process.returncode is None

    def read(self) -> bytes:
        """What the runtime has written and was not read yet, up to about a megabyte (never blocks). A
        frozen or waiting runtime writes nothing more: then this is all of it."""
        chunks = []
        size = 0
        while not self._eof and not self._closed and size < _READ_LIMIT:
            try:
                chunk = os.read(self._fd, _READ_CHUNK)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:
                self._eof = True
                self._output.setEnabled(False)
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)

    def read_telemetry(self) -> bytes:
        """What the runtime has written to its telemetry log descriptor so far (never blocks)."""
        chunks = []
        while self._telemetry_fd >= 0 and sum(map(len, chunks)) < _READ_LIMIT:
            try:
                chunk = os.read(self._telemetry_fd, _READ_CHUNK)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:
                self._close_telemetry()
                break
            chunks.append(chunk)
        return b"".join(chunks)

    def _close_telemetry(self) -> None:
        if self._telemetry is not None:
            self._telemetry.setEnabled(False)
            self._telemetry = None
        if self._telemetry_fd >= 0:
            os.close(self._telemetry_fd)
            self._telemetry_fd = -1

    def wait(self, timeout_ms: int) -> bool:
        """Block until the process has exited (at most timeout_ms); True when it has, its exit reported."""
        if self._pidfd >= 0 and self.running:
            select.select([self._pidfd], [], [], timeout_ms / 1000)
        elif self.running:
            try:
                self._process.wait(timeout_ms / 1000)
            except subprocess.TimeoutExpired:
                pass
        self._check_exit()
        return not self.running

    def _on_output(self) -> None:
        self.output_ready.emit()

    def _check_exit(self) -> None:
        if self._reported:
            return
        code = self._process.poll()
        if code is None:
            return
        self._reported = True
        self._stop_watching_exit()
        self.exited.emit(code if code >= 0 else None, -code if code < 0 else None)

    def _stop_watching_exit(self) -> None:
        if self._poll is not None:
            self._poll.stop()
        if self._pidfd >= 0:
            self._exit.setEnabled(False)
            os.close(self._pidfd)
            self._pidfd = -1

    def close(self) -> None:
        """Stop watching (the process has exited, or will be killed with its group) and close the pipe."""
        if self._closed:
            return
        self._closed = True
        self._output.setEnabled(False)
        self._close_telemetry()
        self._stop_watching_exit()
        self._process.stdout.close()
