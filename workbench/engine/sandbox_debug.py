"""The debugging side of one environment (a Sandbox's collaborator): the debugger it was started with or
attaches to per call, and the rule that a call's clock counts running time only.

While the program is stopped (at a breakpoint, after a step, while the debugger attaches) the call's
timeout does not advance, its Runtime API connections' idle time does not either, and Duration leaves
the time out. The runtime's context is told through a small clock file (core/debugging/debug_model.py
`clock_note`), so get_remaining_time_in_millis() agrees with the limit the workbench enforces.
"""

from __future__ import annotations

import os
import tempfile
import time
from typing import Callable

from PySide6.QtCore import QObject, Signal

from ..core.debugging.debug_model import (DEBUG_VARIABLE, DebugRequest, DebugTarget, RuntimeDebugSpec,
                                          clock_note)
from ..core.debugging.pause_clock import PauseClock
from ..core.function.function_config import runtime_family
from .deadline import Deadline
from .debug_session import DebugSession
from .dap_session import DapSession, debugpy_folder, free_loopback_port
from .cdp_session import CdpSession

# How long a detach may take to reach the runtime before its environment is frozen.
DETACH_WAIT_MS = 1000


class SandboxDebug(QObject):
    session_started = Signal(object)
    """A DebugSession attached for the call in progress (or for the init of an environment started to be
    debugged); it ends when the call does."""
    paused = Signal(bool)
    """True when the program stopped, False when it runs again (the call's clock with it)."""

    def __init__(self, config, runtime_dir: str, deadline: Deadline, server, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.family = runtime_family(config.runtime)
        self._runtime_dir = runtime_dir
        self._deadline = deadline
        self._server = server
        self.clock = PauseClock()
        self.session: DebugSession | None = None
        self.port: int | None = None
        """The port the runtime's debugger listens on, once it was asked to (it keeps it while it lives)."""
        self.external = False
        self.proxy = None
        """An IDE's connection (engine/dap_proxy.py), for a Python environment debugged from an IDE."""
        self._ide_ready = False
        self._ide_seen = False
        self._clock_file = ""
        self._deadline_epoch_ms = 0
        self._timeout_ms = 0
        self._running_since = 0.0

    @property
    def supported(self) -> bool:
        return self.family in ("python", "nodejs")

    # --- Starting ------------------------------------------------------------------------------

    def launch_variables(self, request: DebugRequest) -> dict[str, str]:
        """Variables for an environment started to be debugged: its debugger loads before init."""
        return {DEBUG_VARIABLE: self._spec(request).to_json()}

    def call_header(self, request: DebugRequest) -> str:
        """The header that asks a warm runtime to attach its debugger, or to run on when one is attached
        (the workbench's since the environment's start, or an IDE's that stays across calls)."""
        attached = (self.session is not None and not self.session.ended) or (self.external and self._ide_seen)
        spec = self._spec(request)
        self._ide_seen = self.external
        return RuntimeDebugSpec(spec.port, spec.debugger_path, spec.clock_file, wait=not attached).to_json()

    def _spec(self, request: DebugRequest) -> RuntimeDebugSpec:
        if self.port is None:
            self.external = request.port is not None
            if self.external and self.family == "python":
                # The IDE connects to its port through the workbench, which sees when the program stops.
                from .dap_proxy import DapProxy

                self.port = free_loopback_port()
                self.proxy = DapProxy(request.port, self.port, self)
                self.proxy.ready.connect(self._on_ide_ready)
                self.proxy.stopped.connect(self.pause)
                self.proxy.continued.connect(self.resume)
                self.proxy.session_ended.connect(self._on_ended)
            else:
                self.port = request.port or free_loopback_port()
        if not self._clock_file:
            handle, self._clock_file = tempfile.mkstemp(prefix="lambda-workbench-clock-")
            os.close(handle)
        return RuntimeDebugSpec(self.port, debugpy_folder() if self.family == "python" else "", self._clock_file)

    def attach(self, request: DebugRequest, ready: Callable[[], None] | None = None) -> None:
        """The workbench's own debugger attaches (for an IDE's, it waits on the port instead). The clock is
        paused until the session is configured: attaching is not the handler's running time. ready() is
        called when the call may be handed to the runtime: at once when the runtime itself waits for the
        debugger, or, with a session kept from an earlier call, once it has the call's breakpoints."""
        ready = ready or (lambda: None)
        if request.port is not None:
            if self.proxy is not None and not self._ide_ready:
                self.pause()  # until the IDE has attached and configured
            ready()
            return
        if self.session is not None and not self.session.ended:
            # Kept attached since an earlier call (a warm debugged call costs no attach).
            if request.breakpoints == self.session.breakpoints:
                ready()
                return
            self.pause()

            def configured() -> None:
                self.resume()
                ready()
            self.session.set_breakpoints(request.breakpoints, done=configured)
            return
        self.pause()
        target = DebugTarget(self.family, self.port, (os.path.realpath(self._runtime_dir),))
        if self.family == "python":
            session = DapSession(target, self)
        else:
            session = CdpSession(target, self)
        self.session = session
        session.ready.connect(self.resume)
        session.stopped.connect(self.pause)
        session.continued.connect(self.resume)
        session.session_ended.connect(self._on_ended)
        session.attach(request.breakpoints)
        self.session_started.emit(session)
        ready()

    # --- The call's clock ----------------------------------------------------------------------

    def call_started(self, deadline_epoch_ms: int, timeout_ms: int) -> None:
        self.clock.reset()
        self._deadline_epoch_ms = deadline_epoch_ms
        self._timeout_ms = timeout_ms
        self._running_since = time.monotonic()
        self._write_clock()

    def pause(self, _info=None) -> None:
        now = time.monotonic()
        if self.clock.pause(now):
            self._deadline.pause()
            self._server.pause_idle_clock()
            self._write_clock()
            self.paused.emit(True)

    def resume(self) -> None:
        now = time.monotonic()
        if self.clock.resume(now):
            self._deadline.resume()
            self._server.resume_idle_clock()
            self._write_clock()
            self.paused.emit(False)

    def paused_ms(self, now: float | None = None) -> float:
        return self.clock.paused_s(time.monotonic() if now is None else now) * 1000

    def _write_clock(self) -> None:
        if not self._clock_file or not self._timeout_ms:
            return
        paused_ms = self.paused_ms()
        if self.clock.paused:
            running_ms = (time.monotonic() - self._running_since) * 1000 - paused_ms
            note = clock_note(remaining_ms=self._timeout_ms - running_ms)
        else:
            note = clock_note(deadline_epoch_ms=self._deadline_epoch_ms + int(paused_ms))
        try:
            # Replaced whole (no fsync: nothing outlives the environment), so a read never sees half of it.
            with open(self._clock_file + ".new", "w", encoding="ascii") as file:
                file.write(note)
            os.replace(self._clock_file + ".new", self._clock_file)
        except OSError:
            pass  # the context then counts from Lambda's header, as an undebugged call does

    # --- Ending --------------------------------------------------------------------------------

    def call_ended(self) -> None:
        """Forget the call's clock. The workbench's debugger stays attached while the environment is warm,
        so the next debugged call costs no attach; a call that is not debugged detaches it first (detach).
        A thread still stopped when the call ends (the handler returned without it) runs on."""
        if self.session is not None and self.session.is_stopped:
            self.session.resume()
        self.resume()
        self._timeout_ms = 0

    def detach(self) -> None:
        """Detach the workbench's debugger (the runtime keeps its own loaded and listening); a later
        debugged call attaches again."""
        session, self.session = self.session, None
        if session is not None:
            session.close(wait_ms=DETACH_WAIT_MS)

    def _on_ide_ready(self) -> None:
        self._ide_ready = True
        self.resume()

    def _on_ended(self, _why: str) -> None:
        # A debugger gone (closed, or its connection lost) leaves the program running.
        self.resume()

    def shutdown(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            session.close()
        if self.proxy is not None:
            self.proxy.close()
        if self._clock_file:
            try:
                os.unlink(self._clock_file)
            except OSError:
                pass
            self._clock_file = ""
