"""Shared by the debugging tests: a debugged call driven step by step, waiting on the session's answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.core.debugging.debug_model import Breakpoint, DebugRequest
from workbench.engine.engine import InvokeOptions


@dataclass
class DebuggedCall:
    invocation: object
    qtbot: object
    session: object = None
    lines: list = field(default_factory=list)
    stops: list = field(default_factory=list)
    result: object = None

    def wait_session(self, timeout_ms=20_000):
        self.qtbot.waitUntil(lambda: self.session is not None, timeout=timeout_ms)
        return self.session

    def wait_stop(self, count, timeout_ms=20_000):
        """Wait for the count-th stop of the call; returns its StopInfo."""
        self.qtbot.waitUntil(lambda: len(self.stops) >= count and self.session.is_stopped, timeout=timeout_ms)
        return self.stops[count - 1]

    def ask(self, method, *args, timeout_ms=10_000):
        """Call a session request and wait for its reply."""
        box = []
        method(*args, box.append)
        self.qtbot.waitUntil(lambda: bool(box), timeout=timeout_ms)
        return box[0]

    def top_frame(self):
        return self.ask(self.session.stack_trace, self.session.stopped_thread)[0]

    def locals_of(self, frame):
        scopes = self.ask(self.session.scopes, frame.id)
        return {variable.name: variable for variable in self.ask(self.session.variables, scopes[0].reference)}

    def wait_finished(self, timeout_ms=30_000):
        self.qtbot.waitUntil(lambda: self.result is not None, timeout=timeout_ms)
        return self.result


def debug_call(engine, qtbot, config, event, breakpoints=(), cold=False) -> DebuggedCall:
    options = InvokeOptions(cold=cold, debug=DebugRequest(tuple(breakpoints)))
    invocation = engine.invoke(config, event, options)
    call = DebuggedCall(invocation, qtbot)
    invocation.log_lines.connect(call.lines.extend)
    invocation.debug_session_started.connect(lambda session: setattr(call, "session", session))
    invocation.debug_session_started.connect(lambda session: session.sig_stopped.connect(call.stops.append))
    invocation.finished.connect(lambda result: setattr(call, "result", result))
    return call


def at(path, line, **options) -> Breakpoint:
    return Breakpoint(str(path), line, **options)
