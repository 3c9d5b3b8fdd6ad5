"""An IDE's debugger attached to a Python runtime through the workbench (`invoke --debug-port PORT`).

The IDE connects to 127.0.0.1:PORT as it would to `debugpy --listen PORT --wait-for-client`; the runtime's
debugpy listens on a private port, and every byte is passed through unchanged both ways. The proxy only
reads along, to know when the program is stopped (a `stopped` event) and runs again (`continued`, or the
success of continue/next/stepIn/stepOut): the call's clock then counts running time only, as in the
window. An IDE that goes away leaves the program running (debugpy resumes it when its client leaves).
"""

from __future__ import annotations

import select
import socket
import time

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from ..core.debugging.dap_framing import FrameError, FrameReader, encode_message

# The seq of the one request the proxy sends itself (an IDE's own count never gets near it).
_OWN_SEQ = 2**31 - 1
_RESUMING = {"continue", "next", "stepIn", "stepOut", "goto", "reverseContinue", "stepBack"}


class DapProxy(QObject):
    sig_ready = Signal()
    """The IDE finished configuring (configurationDone answered): the program runs."""
    sig_stopped = Signal(object)
    sig_continued = Signal()
    sig_ended = Signal(str)

    def __init__(self, listen_port: int, runtime_port: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runtime_port = runtime_port
        self._listener = socket.create_server(("127.0.0.1", listen_port), reuse_port=False)
        self._listener.setblocking(False)
        self._accepting = QSocketNotifier(self._listener.fileno(), QSocketNotifier.Type.Read, self)
        self._accepting.activated.connect(self._accept)
        self._ide: socket.socket | None = None
        self._runtime: socket.socket | None = None
        self._notifiers: list[QSocketNotifier] = []
        self._from_ide = FrameReader()
        self._from_runtime = FrameReader()
        self._commands: dict[int, str] = {}
        self._stopped = False
        self.ended = False

    @property
    def port(self) -> int:
        return self._listener.getsockname()[1]

    def _accept(self) -> None:
        try:
            ide, _address = self._listener.accept()
        except OSError:
            return
        if self._ide is not None:
            ide.close()  # one IDE at a time, as debugpy itself allows
            return
        ide.setblocking(True)
        self._ide = ide
        self._connect_runtime(time.monotonic() + 15.0)

    def _connect_runtime(self, until: float) -> None:
        try:
            runtime = socket.create_connection(("127.0.0.1", self.runtime_port), timeout=1.0)
        except OSError as error:
            if time.monotonic() < until and not self.ended:
                QTimer.singleShot(20, self, lambda: self._connect_runtime(until))
            else:
                self.close(f"the runtime's debugger did not answer: {error}")
            return
        runtime.settimeout(None)
        self._runtime = runtime
        for source, sink, reader, watch in ((self._ide, runtime, self._from_ide, self._watch_ide),
                                            (runtime, self._ide, self._from_runtime, self._watch_runtime)):
            notifier = QSocketNotifier(source.fileno(), QSocketNotifier.Type.Read, self)
            notifier.activated.connect(
                lambda *_signal, s=source, d=sink, r=reader, w=watch: self._pump(s, d, r, w))
            self._notifiers.append(notifier)

    def _pump(self, source: socket.socket, sink: socket.socket, reader: FrameReader, watch) -> None:
        if self.ended:
            return
        ide_lost = False
        try:
            data = source.recv(65536)
        except OSError as error:  # an IDE gone with our messages unread resets its connection
            data, ide_lost = b"", source is self._ide
            why = f"a debugger connection broke: {error}"
        else:
            ide_lost = not data and source is self._ide
            why = "the IDE detached" if source is self._ide else "the runtime's debugger went away"
        if data:
            try:
                sink.sendall(data)
            except OSError as error:
                data, ide_lost, why = b"", sink is self._ide, f"a debugger connection broke: {error}"
        if not data:
            if ide_lost:
                self._leave_runtime()
            self.close(why)
            return
        try:
            for message in reader.feed(data):
                watch(message)
        except FrameError:
            pass  # passed through all the same; only the clock loses track of it

    def _watch_ide(self, message: dict) -> None:
        if message.get("type") == "request":
            self._commands[message.get("seq")] = message.get("command", "")

    def _watch_runtime(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "event" and message.get("event") == "stopped":
            self._stopped = True
            self.sig_stopped.emit((message.get("body") or {}).get("reason", ""))
        elif kind == "event" and message.get("event") == "continued":
            self._continued()
        elif kind == "response":
            command = self._commands.pop(message.get("request_seq"), "")
            if message.get("success") and command in _RESUMING:
                self._continued()
            elif message.get("success") and command == "configurationDone":
                self.sig_ready.emit()

    def _leave_runtime(self) -> None:
        """The IDE went away without a word (it crashed, or was closed): say `disconnect` to the runtime's
        debugpy on its behalf, which resumes a stopped program and lets it run on undebugged (debugpy, its
        client simply gone, would keep it stopped). Waits up to a second for the answer."""
        runtime = self._runtime
        if runtime is None:
            return
        try:
            runtime.sendall(encode_message({"seq": _OWN_SEQ, "type": "request", "command": "disconnect",
                                            "arguments": {"terminateDebuggee": False}}))
            until = time.monotonic() + 1.0
            while (left := until - time.monotonic()) > 0 and select.select([runtime], [], [], left)[0]:
                data = runtime.recv(65536)
                if not data or any(message.get("type") == "response" and message.get("request_seq") == _OWN_SEQ
                                   for message in self._from_runtime.feed(data)):
                    return
        except (OSError, FrameError):
            pass

    def _continued(self) -> None:
        if self._stopped:
            self._stopped = False
            self.sig_continued.emit()

    def close(self, why: str = "") -> None:
        if self.ended:
            return
        self.ended = True
        for notifier in [self._accepting, *self._notifiers]:
            notifier.setEnabled(False)
        for sock in (self._ide, self._runtime, self._listener):
            if sock is not None:
                try:
                    sock.close()
                except OSError:
                    pass
        if self._stopped:
            self._stopped = False
            self.sig_continued.emit()
        self.sig_ended.emit(why)
