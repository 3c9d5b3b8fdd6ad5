"""The window's side of a run: refuse what Lambda would refuse, start the call, relay what it streams.

It owns the Engine for the window; widgets only hear its signals.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, Signal, Slot

from ..core.child_environment import reserved_keys_message, reserved_keys_used
from ..core.function_config import FunctionConfig, validate_config
from ..core.json_check import check_json
from ..core.lambda_errors import MAX_REQUEST_BYTES, request_too_large_message
from ..engine.engine import Engine, Invocation, InvokeOptions


class RunController(QObject):
    sig_started = Signal(object, bool)
    """An Invocation began; True when it starts a new environment (cold)."""
    sig_log_lines = Signal(list)
    """Log lines of the running call, in batches."""
    sig_finished = Signal(object)
    """The InvocationResult of the call."""
    sig_environment_changed = Signal(str, str)
    """function name, "cold" / "starting" / "ready" / "running"."""
    sig_notice = Signal(str)
    """One line for the status bar."""

    def __init__(self, engine: Engine | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine or Engine(self)
        self.engine.environment_changed.connect(self.sig_environment_changed)
        self.current: Invocation | None = None
        self._had_environment = False

    @property
    def running(self) -> bool:
        return self.current is not None

    def check(self, config: FunctionConfig, event_text: str) -> str | None:
        """Why Lambda would refuse this call, or None."""
        problems = [p.message for p in validate_config(config)]
        reserved = reserved_keys_used(config.env_dict())
        if reserved:
            problems.append(reserved_keys_message(reserved))
        problem = check_json(event_text)
        if problem is not None:
            problems.append(f"Event is not valid JSON: {problem}")
        elif len(event_text.encode("utf-8")) > MAX_REQUEST_BYTES:
            problems.append(request_too_large_message(len(event_text.encode("utf-8"))))
        return "\n".join(problems) or None

    def run(self, config: FunctionConfig, event_text: str) -> Invocation | None:
        """Start a call; None (and a notice) when it is refused or one is already running."""
        if self.current is not None:
            self.sig_notice.emit("A call is already running: stop it first (Shift+F5).")
            return None
        problem = self.check(config, event_text)
        if problem:
            self.sig_notice.emit(problem.splitlines()[0])
            return None
        # Cheap to ask now; whether the call reuses that environment is known when it starts.
        self._had_environment = self.engine.environment_state(config.name) != "cold"
        invocation = self.engine.invoke(config, event_text.encode("utf-8"), InvokeOptions())
        self.current = invocation
        invocation.log_lines.connect(self.sig_log_lines)
        invocation.started.connect(self._on_started)
        invocation.finished.connect(self._on_finished)
        return invocation

    async def run_and_wait(self, config: FunctionConfig, event_text: str):
        """Coroutine form for flows at the UI edge: the InvocationResult, or None when refused."""
        invocation = self.run(config, event_text)
        if invocation is None:
            return None
        future = asyncio.get_running_loop().create_future()
        invocation.finished.connect(lambda result: future.done() or future.set_result(result))
        return await future

    def stop(self) -> None:
        if self.current is not None:
            self.current.cancel()

    def reset(self, function_name: str) -> None:
        self.engine.reset(function_name)
        self.sig_notice.emit(f"{function_name}: environment discarded; the next run starts cold.")

    def shutdown(self) -> None:
        self.engine.shutdown()

    @Slot(bool)
    def _on_started(self, cold: bool) -> None:
        if cold and self._had_environment:
            self.sig_notice.emit("The function's code or settings changed: this run starts a new environment "
                                 "(cold start), as after a deploy.")
        self.sig_started.emit(self.current, cold)

    @Slot(object)
    def _on_finished(self, result) -> None:
        self.current = None
        self.sig_finished.emit(result)
