"""The workbench's Debug Adapter Protocol client, for Python runtimes running debugpy.

debugpy listens in the runtime (its adapter in process, so the runtime starts no second process); this
connects over loopback, retrying while the runtime starts, then initialize, attach, setBreakpoints,
configurationDone (https://microsoft.github.io/debug-adapter-protocol/specification). The socket is read
on the Qt thread through a notifier: messages are small and loopback writes do not block for long.
"""

from __future__ import annotations

import os
import select
import socket
import time
from collections import defaultdict

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from ..core.debugging.dap_framing import FrameError, FrameReader, encode_message
from ..core.debugging.debug_model import (Breakpoint, DebugTarget, EvaluateResult, Scope, StackFrame, StopInfo,
                                          ThreadInfo, Variable)
from .debug_session import DebugSession, Reply
from ..core.child.dependency_cache import cache_root

CONNECT_RETRY_MS = 20
CONNECT_LIMIT_S = 15.0
"""How long the runtime may take to load its debugger and listen (a cold start included)."""
# Requests after which the program runs again: their success means "continued" even without the event.
_RESUMING = {"continue", "next", "stepIn", "stepOut"}


class DapSession(DebugSession):
    def __init__(self, target: DebugTarget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self._socket: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._reader = FrameReader()
        self._seq = 0
        self._replies: dict[int, Reply] = {}
        self._breakpoints: tuple[Breakpoint, ...] = ()
        self._connect_until = 0.0
        self._retry = QTimer(self, singleShot=True, interval=CONNECT_RETRY_MS, timeout=self._try_connect)
        self._configured = False

    # --- Attaching -----------------------------------------------------------------------------

    def attach(self, breakpoints: tuple[Breakpoint, ...]) -> None:
        self._breakpoints = breakpoints
        self._connect_until = time.monotonic() + CONNECT_LIMIT_S
        self._try_connect()

    def _try_connect(self) -> None:
        if self.ended:
            return
        try:
            sock = socket.create_connection(("127.0.0.1", self.target.port), timeout=1.0)
        except OSError as error:
            if time.monotonic() < self._connect_until:
                self._retry.start()
            else:
                self._end(f"the debugger did not answer on 127.0.0.1:{self.target.port}: {error}")
            return
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(None)
        self._socket = sock
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)
        self._request("initialize", {"clientID": "lambda-workbench", "clientName": "Lambda Workbench",
                                     "adapterID": "debugpy", "linesStartAt1": True, "columnsStartAt1": True,
                                     "pathFormat": "path", "supportsVariableType": True})
        # Frames of the workbench's runtime client are not the user's: no stepping into them, none shown.
        rules = [{"path": path, "include": False} for path in self.target.excluded_paths]
        self._request("attach", {"justMyCode": False, "subProcess": False, "redirectOutput": False,
                                 "rules": rules, "showReturnValue": True})

    def _configure(self) -> None:
        self.set_breakpoints(self._breakpoints)
        self._request("setExceptionBreakpoints", {"filters": []})
        self._request("configurationDone", {}, lambda _body: self._on_configured())

    def _on_configured(self) -> None:
        self._configured = True
        self.ready.emit()

    def set_breakpoints(self, breakpoints: tuple[Breakpoint, ...], done=None) -> None:
        previous = {point.path for point in self._breakpoints}
        self._breakpoints = breakpoints
        by_file: dict[str, list[Breakpoint]] = defaultdict(list)
        for point in breakpoints:
            by_file[point.path].append(point)
        paths = sorted(previous | set(by_file))
        if self._socket is None or not paths:
            if done is not None:
                done()
            return
        waiting = set(paths)

        def answered(path: str) -> None:
            waiting.discard(path)
            if not waiting and done is not None:
                done()
        for path in paths:
            points = []
            for point in by_file.get(path, ()):
                entry = {"line": point.line}
                if point.condition:
                    entry["condition"] = point.condition
                if point.log_message:
                    entry["logMessage"] = point.log_message
                points.append(entry)
            self._request("setBreakpoints", {"source": {"path": path}, "breakpoints": points},
                          lambda _body, p=path: answered(p), lambda _error, p=path: answered(p))

    # --- Requests ------------------------------------------------------------------------------

    def threads(self, reply: Reply) -> None:
        self._request("threads", {}, lambda body: reply(
            [ThreadInfo(t["id"], t.get("name", "")) for t in (body or {}).get("threads", [])]), reply)

    def stack_trace(self, thread_id: int, reply: Reply) -> None:
        def frames(body):
            out = []
            for frame in (body or {}).get("stackFrames", []):
                path = (frame.get("source") or {}).get("path", "")
                if any(path.startswith(excluded) for excluded in self.target.excluded_paths):
                    continue
                out.append(StackFrame(frame["id"], frame.get("name", ""), path, frame.get("line", 0),
                                      frame.get("column", 1)))
            reply(out)
        self._request("stackTrace", {"threadId": thread_id}, frames, reply)

    def scopes(self, frame_id, reply: Reply) -> None:
        self._request("scopes", {"frameId": frame_id}, lambda body: reply(
            [Scope(s["name"], s["variablesReference"], s.get("expensive", False))
             for s in (body or {}).get("scopes", [])]), reply)

    def variables(self, reference, reply: Reply) -> None:
        self._request("variables", {"variablesReference": reference}, lambda body: reply(
            [Variable(v["name"], v.get("value", ""), v.get("type", ""), v.get("variablesReference", 0))
             for v in (body or {}).get("variables", [])]), reply)

    def evaluate(self, expression: str, frame_id, reply: Reply) -> None:
        arguments = {"expression": expression, "context": "repl"}
        if frame_id is not None:
            arguments["frameId"] = frame_id
        self._request("evaluate", arguments, lambda body: reply(EvaluateResult(
            body.get("result", ""), body.get("type", ""), body.get("variablesReference", 0))),
            lambda error: reply(EvaluateResult("", error=str(error))))

    def resume(self) -> None:
        self._step("continue")

    def step_over(self) -> None:
        self._step("next")

    def step_into(self) -> None:
        self._step("stepIn")

    def step_out(self) -> None:
        self._step("stepOut")

    def _step(self, command: str) -> None:
        if self.stopped_thread is None:
            return
        self._request(command, {"threadId": self.stopped_thread})

    def close(self, wait_ms: int = 0) -> None:
        if self.ended:
            return
        if self._socket is not None and self._configured:
            seq = self._request("disconnect", {"terminateDebuggee": False})
            if wait_ms:
                self._wait_for(seq, wait_ms)
        self._end("")

    def _wait_for(self, seq: int, wait_ms: int) -> None:
        """Read (blocking, up to wait_ms) until the reply to seq has come."""
        until = time.monotonic() + wait_ms / 1000
        while seq in self._replies and self._socket is not None:
            left = until - time.monotonic()
            if left <= 0 or not select.select([self._socket], [], [], left)[0]:
                return
            self._on_readable()

    # --- Wire ----------------------------------------------------------------------------------

    def _request(self, command: str, arguments: dict, reply: Reply | None = None,
                 on_error: Reply | None = None) -> int:
        self._seq += 1
        if self._socket is None or self.ended:
            if on_error is not None:
                on_error(RuntimeError("the debugger is not attached"))
            return self._seq
        self._replies[self._seq] = (command, reply, on_error)
        try:
            self._socket.sendall(encode_message({"seq": self._seq, "type": "request", "command": command,
                                                 "arguments": arguments}))
        except OSError as error:
            self._end(f"the debugger's connection broke: {error}")
        return self._seq

    def _on_readable(self) -> None:
        if self._socket is None:
            return
        try:
            data = self._socket.recv(65536)
        except OSError as error:
            self._end(f"the debugger's connection broke: {error}")
            return
        if not data:
            self._end("the debugger closed the connection")
            return
        try:
            messages = self._reader.feed(data)
        except FrameError as error:
            self._end(str(error))
            return
        for message in messages:
            if self.ended:
                return
            kind = message.get("type")
            if kind == "response":
                self._on_response(message)
            elif kind == "event":
                self._on_event(message.get("event", ""), message.get("body") or {})

    def _on_response(self, message: dict) -> None:
        command, reply, on_error = self._replies.pop(message.get("request_seq"), (None, None, None))
        if not message.get("success", False):
            if on_error is not None:
                on_error(RuntimeError(message.get("message") or f"{command} failed"))
            return
        if command in _RESUMING:
            self._on_continued()
        if reply is not None:
            reply(message.get("body") or {})

    def _on_event(self, event: str, body: dict) -> None:
        if event == "initialized":
            self._configure()
        elif event == "stopped":
            self.stopped_thread = body.get("threadId")
            self.stopped.emit(StopInfo(body.get("reason", ""), body.get("threadId") or 0,
                                           body.get("description") or body.get("text") or "",
                                           body.get("allThreadsStopped", True)))
        elif event == "continued":
            self._on_continued()
        elif event == "output" and body.get("category") in ("console", "stdout", "stderr", "important"):
            self.output.emit(body.get("output", ""))
        elif event in ("terminated", "exited"):
            self._end("the program ended")

    def _on_continued(self) -> None:
        if self.stopped_thread is not None:
            self.stopped_thread = None
            self.continued.emit()

    def _end(self, why: str) -> None:
        if self.ended:
            return
        self.ended = True
        self._retry.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._socket is not None:
            try:
                self._socket.close()
            except OSError:
                pass
            self._socket = None
        failed = list(self._replies.values())
        self._replies.clear()
        for _command, _reply, on_error in failed:
            if on_error is not None:
                on_error(RuntimeError(why or "the debugger detached"))
        was_stopped = self.stopped_thread is not None
        self.stopped_thread = None
        if was_stopped:
            self.continued.emit()
        self.session_ended.emit(why)


def free_loopback_port() -> int:
    """A port free on 127.0.0.1 now (the runtime binds it moments later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def debugpy_folder() -> str:
    """A folder holding only debugpy (a link to the workbench's own), for the end of a runtime's sys.path:
    the runtime finds its debugger there and the handler's imports find nothing else of ours."""
    import debugpy  # noqa: PLC0415 - only a debugged call needs it

    package = os.path.dirname(os.path.abspath(debugpy.__file__))
    folder = os.path.join(cache_root(os.environ), f"debugpy-{debugpy.__version__}")
    link = os.path.join(folder, "debugpy")
    if os.path.realpath(link) != os.path.realpath(package):
        os.makedirs(folder, exist_ok=True)
        temporary = f"{link}.{os.getpid()}"
        try:
            os.symlink(package, temporary)
            os.replace(temporary, link)
        except OSError:
            if os.path.lexists(temporary):
                os.unlink(temporary)
            if not os.path.isdir(link):
                raise
    return folder
