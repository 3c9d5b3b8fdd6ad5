"""The workbench's Chrome DevTools Protocol client, for Node.js runtimes (the V8 inspector).

Node's inspector listens in the runtime (node:inspector, opened by runtimes/node/debugger.mjs) and waits
for Runtime.runIfWaitingForDebugger. The WebSocket is aiohttp's client, on an asyncio loop of the session's
own thread; what arrives is handed to the Qt thread through a queued signal, where everything else runs.
Protocol: https://chromedevtools.github.io/devtools-protocol/ (Debugger, Runtime domains).
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from urllib.parse import unquote, urlparse

from PySide6.QtCore import QObject, Signal

from ..core.debugging.debug_model import (Breakpoint, DebugTarget, EvaluateResult, Scope, StackFrame, StopInfo,
                                          ThreadInfo, Variable)
from .debug_session import DebugSession, Reply

CONNECT_LIMIT_S = 15.0


class CdpSession(DebugSession):
    _arrived = Signal(object)
    """A message from the inspector, or ("ended", why), carried from the session's thread."""

    def __init__(self, target: DebugTarget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self._arrived.connect(self._on_message)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._socket = None
        self._id = 0
        self._replies: dict[int, tuple[Reply | None, Reply | None]] = {}
        self._scripts: dict[str, str] = {}
        self._call_frames: list[dict] = []
        self._breakpoint_ids: list[str] = []
        self._breakpoints: tuple[Breakpoint, ...] = ()
        self._thread: threading.Thread | None = None

    # --- Attaching -----------------------------------------------------------------------------

    def attach(self, breakpoints: tuple[Breakpoint, ...]) -> None:
        self._breakpoints = breakpoints
        self._thread = threading.Thread(target=self._run_loop, name="cdp-session", daemon=True)
        self._thread.start()

    def _run_loop(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._connect_and_read())
        finally:
            loop.close()

    async def _connect_and_read(self) -> None:
        # Here: aiohttp's websocket client is loaded only by a Node.js debug session, not by every engine start
        import aiohttp

        until = time.monotonic() + CONNECT_LIMIT_S
        async with aiohttp.ClientSession() as http:
            address = None
            while address is None:
                try:
                    async with http.get(f"http://127.0.0.1:{self.target.port}/json/list") as answer:
                        targets = await answer.json(content_type=None)
                    address = targets[0]["webSocketDebuggerUrl"]
                except (aiohttp.ClientError, OSError, ValueError, IndexError, KeyError) as error:
                    if time.monotonic() > until:
                        self._hand_over(("ended", f"the inspector did not answer on "
                                            f"127.0.0.1:{self.target.port}: {error}"))
                        return
                    await asyncio.sleep(0.02)
            try:
                async with http.ws_connect(address, max_msg_size=0) as socket:
                    self._socket = socket
                    self._hand_over(("connected", ""))
                    async for message in socket:
                        if message.type == aiohttp.WSMsgType.TEXT:
                            self._hand_over(json.loads(message.data))
            except (aiohttp.ClientError, OSError) as error:
                self._hand_over(("ended", f"the inspector's connection broke: {error}"))
                return
        self._hand_over(("ended", "the inspector closed the connection"))

    def _hand_over(self, message) -> None:
        """To the Qt thread; nothing when the session is gone already (its environment shut down)."""
        try:
            self._arrived.emit(message)
        except RuntimeError:
            pass

    def _configure(self) -> None:
        self._send("Runtime.enable")
        self._send("Debugger.enable")
        self.set_breakpoints(self._breakpoints)
        self._send("Runtime.runIfWaitingForDebugger", reply=lambda _r: self.ready.emit())

    def set_breakpoints(self, breakpoints: tuple[Breakpoint, ...], done=None) -> None:
        self._breakpoints = breakpoints
        if self._socket is None or (not breakpoints and not self._breakpoint_ids):
            if done is not None:
                done()
            return
        waiting = [len(self._breakpoint_ids) + len(breakpoints)]

        def answered(_reply=None) -> None:
            waiting[0] -= 1
            if waiting[0] == 0 and done is not None:
                done()
        for breakpoint_id in self._breakpoint_ids:
            self._send("Debugger.removeBreakpoint", {"breakpointId": breakpoint_id}, answered, answered)
        self._breakpoint_ids = []
        for point in breakpoints:
            condition = point.condition
            if point.log_message:
                # A log point is a condition that prints and is never true, as VS Code's js-debug does.
                condition = f"console.log({_template_literal(point.log_message)}), false"
            # ES modules and CommonJS name their scripts by file URL (or path): match either.
            pattern = "^(file://)?" + re.escape(point.path) + "$"
            self._send("Debugger.setBreakpointByUrl", {"lineNumber": point.line - 1, "urlRegex": pattern,
                                                       "condition": condition},
                       reply=lambda r: (self._breakpoint_ids.append(r["breakpointId"]), answered()),
                       on_error=answered)

    # --- Requests ------------------------------------------------------------------------------

    def threads(self, reply: Reply) -> None:
        reply([ThreadInfo(1, "main")])

    def stack_trace(self, thread_id: int, reply: Reply) -> None:
        frames = []
        for index, frame in enumerate(self._call_frames):
            path = _path_of(frame.get("url") or self._scripts.get(frame["location"]["scriptId"], ""))
            if any(path.startswith(excluded) for excluded in self.target.excluded_paths):
                continue
            location = frame["location"]
            frames.append(StackFrame(index, frame.get("functionName") or "(anonymous)", path,
                                     location["lineNumber"] + 1, location.get("columnNumber", 0) + 1))
        reply(frames)

    def scopes(self, frame_id, reply: Reply) -> None:
        frame = self._call_frames[frame_id] if 0 <= frame_id < len(self._call_frames) else {"scopeChain": []}
        reply([Scope(scope["type"].capitalize(), scope["object"]["objectId"], scope["type"] == "global")
               for scope in frame["scopeChain"]])

    def variables(self, reference, reply: Reply) -> None:
        def listed(result):
            reply([_variable(item["name"], item.get("value") or {}) for item in result.get("result", [])
                   if "value" in item])
        self._send("Runtime.getProperties", {"objectId": reference, "ownProperties": True,
                                             "generatePreview": False}, listed, lambda e: reply([]))

    def evaluate(self, expression: str, frame_id, reply: Reply) -> None:
        def answered(result):
            if "exceptionDetails" in result:
                details = result["exceptionDetails"]
                reply(EvaluateResult("", error=(details.get("exception") or {}).get("description")
                                     or details.get("text", "error")))
            else:
                value = _variable("", result.get("result") or {})
                reply(EvaluateResult(value.value, value.type, value.reference))
        failed = lambda error: reply(EvaluateResult("", error=str(error)))  # noqa: E731
        if frame_id is not None and 0 <= frame_id < len(self._call_frames):
            self._send("Debugger.evaluateOnCallFrame", {"callFrameId": self._call_frames[frame_id]["callFrameId"],
                                                        "expression": expression}, answered, failed)
        else:
            self._send("Runtime.evaluate", {"expression": expression}, answered, failed)

    def resume(self) -> None:
        self._step("Debugger.resume")

    def step_over(self) -> None:
        self._step("Debugger.stepOver")

    def step_into(self) -> None:
        self._step("Debugger.stepInto")

    def step_out(self) -> None:
        self._step("Debugger.stepOut")

    def _step(self, method: str) -> None:
        if self.stopped_thread is not None:
            self._send(method)

    def close(self, wait_ms: int = 0) -> None:
        if self.ended:
            return
        # Leaving, the inspector resumes a paused program and drops our breakpoints.
        self._send("Debugger.disable")
        socket, loop = self._socket, self._loop
        if socket is not None and loop is not None and loop.is_running():
            future = asyncio.run_coroutine_threadsafe(socket.close(), loop)
            try:
                future.result(timeout=max(wait_ms, 200) / 1000)
            except Exception:  # noqa: BLE001 - the connection is going either way
                pass
        self._end("")

    # --- Wire ----------------------------------------------------------------------------------

    def _send(self, method: str, params: dict | None = None, reply: Reply | None = None,
              on_error: Reply | None = None) -> None:
        socket, loop = self._socket, self._loop
        if socket is None or loop is None or self.ended:
            if on_error is not None:
                on_error(RuntimeError("the debugger is not attached"))
            return
        self._id += 1
        self._replies[self._id] = (reply, on_error)
        text = json.dumps({"id": self._id, "method": method, "params": params or {}})
        loop.call_soon_threadsafe(lambda: loop.create_task(socket.send_str(text)))

    def _on_message(self, message) -> None:
        if self.ended:
            return
        if isinstance(message, tuple):
            kind, why = message
            if kind == "connected":
                self._configure()
            else:
                self._end(why)
            return
        if "id" in message:
            reply, on_error = self._replies.pop(message["id"], (None, None))
            if "error" in message:
                if on_error is not None:
                    on_error(RuntimeError(message["error"].get("message", "error")))
            elif reply is not None:
                reply(message.get("result") or {})
            return
        method, params = message.get("method"), message.get("params") or {}
        if method == "Debugger.scriptParsed":
            self._scripts[params["scriptId"]] = params.get("url", "")
        elif method == "Debugger.paused":
            self._call_frames = params.get("callFrames", [])
            self.stopped_thread = 1
            reason = {"other": "breakpoint", "Break on start": "entry"}.get(params.get("reason"), params.get("reason"))
            if params.get("hitBreakpoints"):
                reason = "breakpoint"
            self.stopped.emit(StopInfo(reason or "pause", 1))
        elif method == "Debugger.resumed":
            self._call_frames = []
            if self.stopped_thread is not None:
                self.stopped_thread = None
                self.continued.emit()

    def _end(self, why: str) -> None:
        if self.ended:
            return
        self.ended = True
        socket, loop = self._socket, self._loop
        self._socket = None
        if socket is not None and loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(lambda: loop.create_task(socket.close()))
            except RuntimeError:
                pass
        failed = list(self._replies.values())
        self._replies.clear()
        for _reply, on_error in failed:
            if on_error is not None:
                on_error(RuntimeError(why or "the debugger detached"))
        if self.stopped_thread is not None:
            self.stopped_thread = None
            self.continued.emit()
        self.session_ended.emit(why)


def _path_of(url: str) -> str:
    return unquote(urlparse(url).path) if url.startswith("file://") else url


def _template_literal(text: str) -> str:
    return "`" + text.replace("\\", "\\\\").replace("`", "\\`").replace("{", "${") + "`"


def _variable(name: str, remote: dict) -> Variable:
    """A CDP RemoteObject as a variable: primitives by value, objects by their description and id."""
    kind = remote.get("subtype") or remote.get("type", "")
    if "value" in remote and remote.get("type") != "object":
        value = json.dumps(remote["value"]) if remote.get("type") == "string" else str(remote["value"]).lower() \
            if isinstance(remote["value"], bool) else str(remote["value"])
    else:
        value = remote.get("description") or remote.get("unserializableValue") or kind
    return Variable(name, value, kind, remote.get("objectId", 0) if remote.get("type") == "object" else 0)
