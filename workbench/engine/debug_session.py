"""A debugger attached to one environment's runtime: the requests a debug panel makes (stack, variables,
evaluate, steps) and the events it needs (stopped, continued, ended), whatever protocol the runtime speaks.

DapSession (Python, debugpy) and CdpSession (Node.js, the inspector) implement it. Every answer comes
back through a callback on the Qt thread; a request the session can no longer send answers with an error.
The Sandbox listens to stopped/continued to stop and restart the call's clock.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal

from ..core.debugging.debug_model import Breakpoint

Reply = Callable[[object], None]


class DebugSession(QObject):
    sig_ready = Signal()
    """Attached and configured: the program runs from here until a breakpoint."""
    sig_stopped = Signal(object)
    """StopInfo: the program is stopped (its clock does not run)."""
    sig_continued = Signal()
    """The program runs again."""
    sig_output = Signal(str)
    """A log point's message or the debugger's own note, for the debug console."""
    sig_ended = Signal(str)
    """The session is over ("" when it was closed on purpose, else why): the program runs on."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stopped_thread: int | None = None
        self.ended = False
        self._breakpoints: tuple[Breakpoint, ...] = ()

    @property
    def breakpoints(self) -> tuple[Breakpoint, ...]:
        """What the session was last given (attach or set_breakpoints)."""
        return self._breakpoints

    # Implemented by each protocol.
    def attach(self, breakpoints: tuple[Breakpoint, ...]) -> None:
        raise NotImplementedError

    def set_breakpoints(self, breakpoints: tuple[Breakpoint, ...], done: Callable[[], None] | None = None) -> None:
        """Replace every breakpoint; done() once the debugger has taken them in (or could not)."""
        raise NotImplementedError

    def threads(self, reply: Reply) -> None:
        raise NotImplementedError

    def stack_trace(self, thread_id: int, reply: Reply) -> None:
        """reply(list[StackFrame]) innermost first."""
        raise NotImplementedError

    def scopes(self, frame_id, reply: Reply) -> None:
        """reply(list[Scope])."""
        raise NotImplementedError

    def variables(self, reference, reply: Reply) -> None:
        """reply(list[Variable])."""
        raise NotImplementedError

    def evaluate(self, expression: str, frame_id, reply: Reply) -> None:
        """reply(EvaluateResult), in the frame (or globally when frame_id is None)."""
        raise NotImplementedError

    def resume(self) -> None:
        raise NotImplementedError

    def step_over(self) -> None:
        raise NotImplementedError

    def step_into(self) -> None:
        raise NotImplementedError

    def step_out(self) -> None:
        raise NotImplementedError

    def close(self, wait_ms: int = 0) -> None:
        """Detach: the program runs on without a debugger (the debugger itself stays loaded, so a later
        debugged call in the same warm environment attaches again). wait_ms: wait that long for the
        runtime to take the detach in, before its environment is frozen."""
        raise NotImplementedError

    @property
    def is_stopped(self) -> bool:
        return self.stopped_thread is not None
