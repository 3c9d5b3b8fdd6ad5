"""The engine facade: invoke a function, get an Invocation that streams logs and finishes exactly once.

It keeps a pool of warm execution environments per function name (one by default; the serve endpoint
allows more, as Lambda scales out under concurrent calls) and replaces them when the function's code or
configuration changes, as a deploy does on Lambda. Calls beyond the pool's size wait in a queue.
"""

from __future__ import annotations

import json
import os
import time
from collections import deque
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..core.lambda_rules import lambda_errors
from ..core.lambda_rules.billing import invocation_cost_usd
from ..core.lambda_rules import cold_reason as reasons
from ..core.function.code_fingerprint import code_snapshot
from ..core.lambda_rules.cold_reason import EnvironmentIdentity
from ..core.function.function_config import FunctionConfig
from ..core.function.invocation_result import InvocationResult, Status
from ..core.child.built_environment import FunctionEnvironment
from ..core.privacy.secret_masking import mask_text, text_secrets
from ..core.logging_config.platform_records import PlatformLog
from ..core.child.runtime_launch import LaunchError, launch_command
from ..resources import runtime_path
from .environment_builder import BuildFailure, EnvironmentBuilder
from .invoke_request import InvokeRequest, new_request_id, new_trace_id
from .sandbox import Sandbox
from ..core.vocabulary import EnvironmentState, ErrorType

if TYPE_CHECKING:
    from .environment_build import EnvironmentBuild


@dataclass(frozen=True)
class InvokeOptions:
    cold: bool = False
    """Start a new environment even when a warm one exists."""
    client_context: dict | None = None
    head_start: object | None = None
    """A HeadStart (engine/head_start.py) made for this call's config: its environment is adopted."""
    trace_id: str | None = None
    """The X-Amzn-Trace-Id a trigger passed on (its Lineage counts a loop's hops); else a new one."""

    debug: object | None = None
    """A DebugRequest (core/debugging/debug_model.py): the call runs under the debugger. A warm environment
    attaches its debugger; a new one loads it before init, so a breakpoint in init code stops too."""


@dataclass(frozen=True)
class StartAttempt:
    """How the engine starts a call in an environment; kept while the function's environment is built."""

    force_cold: bool = False
    """A new environment even when a warm one is idle."""
    init_phase: str = "init"
    """The phase the runtime's init reports ("invoke" for Lambda's retry of a failed init, inside the call)."""
    announce: bool = True
    """Emit the call's `started` signal (a restart after a lost environment does not announce it again)."""
    requested: bool | None = None
    """Whether the caller asked for the cold start (for its reason); None: as force_cold says."""


@dataclass(frozen=True)
class PooledEnvironment:
    """One environment of a function's pool: the identity (config, code) it was started from, and its sandbox."""

    identity: EnvironmentIdentity
    sandbox: Sandbox

    @property
    def alive(self) -> bool:
        return self.sandbox.state != EnvironmentState.DEAD


class Invocation(QObject):
    """One call. Signals: log_lines(list[str]) in batches, then finished(InvocationResult) once."""

    log_lines = Signal(list)
    """A batch of log lines (START/END/REPORT included), in order."""
    started = Signal(bool)
    """The call reached an environment; True when that environment is new (a cold start)."""
    finished = Signal(object)
    """The InvocationResult. Emitted exactly once, whatever happens."""
    response_chunk = Signal(object)
    """A piece of a streamed response as it arrived (core/streaming StreamPiece)."""
    debug_session_started = Signal(object)
    """A debugged call's DebugSession (engine/debug_session.py), attached to its runtime."""
    debug_paused = Signal(bool)
    """A debugged call's program stopped (True) or runs again (False); its clock stops with it."""

    def __init__(self, config: FunctionConfig, event: bytes, options: InvokeOptions, engine: "Engine") -> None:
        super().__init__(engine)
        self.config = config
        self.event = event
        self.options = options
        self.trace_id = options.trace_id or new_trace_id()
        """The X-Amzn-Trace-Id of the call (kept on the run: it links a triggered run to its cause)."""
        self.request_id = new_request_id()
        self.result: InvocationResult | None = None
        self.cold: bool | None = None
        self.cold_reason: str | None = None
        """Why the call started a new environment (see core/lambda_rules/cold_reason.py); None when it ran warm."""
        self.identity: EnvironmentIdentity | None = None
        """The configuration and code snapshot the call ran with."""
        self.started_at: float | None = None
        self._engine = engine
        self._sandbox: Sandbox | None = None
        self.environment: FunctionEnvironment | None = None
        """What the environment was built from (interpreter, dependencies, layers, SDK), once known."""
        self._build: EnvironmentBuild | None = None
        self._after_build = StartAttempt()
        self.secrets: tuple[str, ...] = text_secrets(config.environment)
        """The values masked in this call's log (core/privacy/secret_masking.py); the credentials join once
        the environment is known. The response is never masked here: it reaches the caller as returned."""

    @property
    def sandbox(self) -> Sandbox | None:
        """The environment running the call; None while it waits in the queue or for a build."""
        return self._sandbox

    @property
    def building(self) -> bool:
        """The call waits for its function's environment to be built."""
        return self._build is not None

    def cancel(self) -> None:
        """Stop the call; its environment is killed, as on a timeout."""
        if self.result is not None:
            return
        if self._sandbox is not None:
            self._sandbox.stop()
        else:
            self._engine._drop_queued(self)
            self.fail_before_start(lambda_errors.stopped_payload(self.request_id), ErrorType.STOPPED)
            if self._build is not None:
                self._build.cancel()

    # --- Driven by the Engine: wait for a build, run in an environment, or fail before one -------------

    def wait_for_build(self, build: EnvironmentBuild, attempt: StartAttempt) -> None:
        """The call waits for its function's environment to be built (the build's output is its log); then
        the engine starts it as `attempt` says, or it fails with the build's error."""
        self._build = build
        self._after_build = attempt
        build.output.connect(self.log_lines)
        build.progress.connect(self._on_build_progress)
        build.finished.connect(self._on_environment_built)

    @Slot(str)
    def _on_build_progress(self, text: str) -> None:
        self._engine.build_progress.emit(self.config.name, text)

    @Slot(object)
    def _on_environment_built(self, outcome) -> None:
        self._build = None
        self._engine.build_progress.emit(self.config.name, "")
        if self.result is not None:
            return
        if isinstance(outcome, BuildFailure):
            self.fail_before_start(lambda_errors.start_failure_payload(self.request_id, outcome.error_type,
                                                                       outcome.message), outcome.error_type)
        else:
            self._engine._begin(self, self._after_build)

    @property
    def access_key(self) -> str | None:
        """The key the call's environment signs its AWS calls with (None before it has one)."""
        return self._sandbox.access_key if self._sandbox is not None else None

    def run_in(self, sandbox: Sandbox, cold: bool, announce: bool = True,
               environment: FunctionEnvironment | None = None) -> None:
        """Send the call to `sandbox` (new when `cold`) and follow it there until it finishes, the sandbox is
        lost (the engine restarts the call cold) or its init fails (Lambda's retry, Phase: invoke)."""
        self._sandbox = sandbox
        self.cold = cold
        self.environment = environment
        if environment is not None and environment.secrets:
            self.secrets = text_secrets(self.config.environment, environment.secrets)
        self.started_at = time.monotonic()
        if cold and environment is not None and environment.notices:
            self.log_lines.emit(list(environment.notices))
        if self.secrets:
            sandbox.log_lines.connect(self._on_lines_with_secrets)
        else:
            sandbox.log_lines.connect(self.log_lines)
        sandbox.finished.connect(self._on_sandbox_finished)
        sandbox.response_chunk.connect(self.response_chunk)
        sandbox.lost.connect(self._on_sandbox_lost)
        sandbox.init_failed.connect(self._on_sandbox_init_failed)
        sandbox.debug.session_started.connect(self.debug_session_started)
        sandbox.debug.paused.connect(self.debug_paused)
        if announce:
            self.started.emit(cold)
        if sandbox.debug.session is not None and not sandbox.debug.session.ended and self.options.debug is not None:
            # Attached at the environment's start, or kept from an earlier debugged call.
            self.debug_session_started.emit(sandbox.debug.session)
        sandbox.invoke(InvokeRequest(self.request_id, self.event, self.trace_id,
                                     self.options.client_context, self.options.debug))

    def _detach(self) -> None:
        sandbox = self._sandbox
        if self.secrets:
            sandbox.log_lines.disconnect(self._on_lines_with_secrets)
        else:
            sandbox.log_lines.disconnect(self.log_lines)
        sandbox.finished.disconnect(self._on_sandbox_finished)
        sandbox.response_chunk.disconnect(self.response_chunk)
        sandbox.lost.disconnect(self._on_sandbox_lost)
        sandbox.init_failed.disconnect(self._on_sandbox_init_failed)
        sandbox.debug.session_started.disconnect(self.debug_session_started)
        sandbox.debug.paused.disconnect(self.debug_paused)

    @Slot(list)
    def _on_lines_with_secrets(self, lines: list) -> None:
        # Secrets reach the function as on Lambda, but never a log the workbench shows or keeps.
        secrets = self.secrets
        self.log_lines.emit([mask_text(line, secrets) for line in lines])

    @Slot(object)
    def _on_sandbox_finished(self, result: InvocationResult) -> None:
        self._detach()
        self._deliver(result)

    @Slot(object)
    def _on_sandbox_lost(self, _request) -> None:
        # Its environment died between calls; like Lambda, the call gets a fresh (cold) one.
        self._detach()
        self._engine._restart_cold(self)

    @Slot(object)
    def _on_sandbox_init_failed(self, _request) -> None:
        # Lambda retries a failed init once, inside the invoke ("suppressed init", Phase: invoke).
        self._detach()
        self._engine._restart_cold(self, init_phase="invoke")

    def fail_before_start(self, payload: bytes, error_type: str) -> None:
        """Finish a call that never reached a runtime (stopped, too large, a failed build or launch): it
        still gets START, END and REPORT, as on Lambda."""
        result = InvocationResult(
            request_id=self.request_id, status=Status.ERROR, payload=payload, error_type=error_type,
            platform_error_type=error_type, duration_ms=0.0, billed_duration_ms=0, init_duration_ms=None,
            memory_size_mb=self.config.memory_mb, max_memory_used_mb=0, architecture=self.config.architecture,
            cost_usd=invocation_cost_usd(self.config.memory_mb, 0, self.config.architecture))
        platform = PlatformLog(self.config)
        self.log_lines.emit(platform.start(self.request_id) + platform.end(result))
        self._deliver(result)

    def _deliver(self, result: InvocationResult) -> None:
        if self.result is None:
            self.result = result
            self.finished.emit(result)
            self._engine._invocation_done(self)


class Engine(QObject):
    """Runs invocations in warm environments: per function, up to `max_environments` at once, the rest queued."""

    environment_changed = Signal(str, str)
    """function name, state: "cold" (none), "building", "starting", "ready" (warm), "running", "dead"."""
    build_progress = Signal(str, str)
    """function name, what its environment build is doing ("installing requirements.txt ..."); "" when done."""

    def __init__(self, parent: QObject | None = None, host_env: dict[str, str] | None = None,
                 max_environments: int = 1) -> None:
        super().__init__(parent)
        self._host_env = dict(os.environ) if host_env is None else host_env
        self.max_environments = max(1, max_environments)
        """Environments one function may have at once; a call finding them all busy waits its turn."""
        # function name -> its environments, each with the identity (config, code) it was started from
        self._pools: dict[str, list[PooledEnvironment]] = {}
        self._queues: dict[str, deque[Invocation]] = {}
        self._running: dict[str, set[Invocation]] = {}
        # Per function: what its last environment was started from, and how it went away (for cold reasons).
        self._last_identity: dict[str, EnvironmentIdentity] = {}
        self._ended: dict[str, str] = {}
        self.builder = EnvironmentBuilder(self._host_env, self)
        """Builds each function's interpreter, dependencies, layers and SDK before its first cold start."""

    def invoke(self, config: FunctionConfig, event: bytes | str | object,
               options: InvokeOptions | None = None) -> Invocation:
        """Start a call now or after the function's current one; returns at once."""
        if isinstance(event, str):
            event = event.encode("utf-8")
        elif not isinstance(event, bytes):
            event = json.dumps(event).encode("utf-8")
        invocation = Invocation(config, event, options or InvokeOptions(), self)
        self._queues.setdefault(config.name, deque()).append(invocation)
        # Start on the next loop turn, so callers can connect signals first.
        QTimer.singleShot(0, lambda name=config.name: self._run_next(name))
        return invocation

    def environment_state(self, function_name: str) -> str:
        """The busiest state among the function's environments: running, starting, ready, else cold."""
        states = {pooled.sandbox.state for pooled in self._pools.get(function_name, ())}
        busiest = (EnvironmentState.RUNNING, EnvironmentState.STARTING, EnvironmentState.READY)
        return next((state for state in busiest if state in states), EnvironmentState.COLD)

    def next_cold_reason(self, config: FunctionConfig) -> str | None:
        """Why the next call of `config` would start a new environment; None when a warm one would take it."""
        # The dependency environment is known only once a call builds it: judged by config and code here.
        code = code_snapshot(config.code_dir)
        if any(pooled.identity.config == config and pooled.identity.code == code and pooled.alive
               for pooled in self._pools.get(config.name, ())):
            return None
        previous = self._last_identity.get(config.name)
        current = EnvironmentIdentity(config, code, previous.environment_key if previous else "")
        return reasons.cold_reason(previous, current, self._ended.get(config.name))

    def environment_count(self, function_name: str) -> int:
        """How many live environments the function has now."""
        return sum(1 for pooled in self._pools.get(function_name, ()) if pooled.alive)

    def reset(self, function_name: str | None = None) -> None:
        """Discard warm environments (all, or one function's): the next call starts cold."""
        self.builder.forget()
        names = [function_name] if function_name else list(self._pools)
        for name in names:
            pool = self._pools.pop(name, None)
            if pool:
                self._ended[name] = reasons.RESET
                busy = self._busy_sandboxes(name)
                for pooled in pool:
                    if pooled.sandbox in busy:
                        pooled.sandbox.stop()
                    else:
                        pooled.sandbox.shutdown()
                        pooled.sandbox.deleteLater()
                self.environment_changed.emit(name, EnvironmentState.COLD)

    def shutdown(self) -> None:
        """Kill every environment and wait for them: nothing is left running."""
        for running in list(self._running.values()):
            for invocation in list(running):
                if invocation.building:
                    invocation.cancel()
        for pool in self._pools.values():
            for pooled in pool:
                pooled.sandbox.shutdown()
                pooled.sandbox.deleteLater()
        self._pools.clear()

    # --- Internals -----------------------------------------------------------------------------

    def _identity(self, config: FunctionConfig, environment: FunctionEnvironment) -> EnvironmentIdentity:
        return EnvironmentIdentity(config, code_snapshot(config.code_dir), environment.key)

    def _busy_sandboxes(self, name: str) -> list[Sandbox]:
        return [invocation.sandbox for invocation in self._running.get(name, ()) if invocation.sandbox]

    def _run_next(self, name: str) -> None:
        queue = self._queues.get(name)
        running = self._running.setdefault(name, set())
        if len(running) >= self.max_environments or not queue:
            return
        invocation = queue.popleft()
        if invocation.result is not None:
            return self._run_next(name)
        running.add(invocation)
        # More queued calls may fit beside this one (more environments of the same function).
        QTimer.singleShot(0, lambda: self._run_next(name))
        size = len(invocation.event)
        if size > lambda_errors.MAX_REQUEST_BYTES:
            invocation.fail_before_start(lambda_errors.compact_json(
                {"Message": lambda_errors.request_too_large_message(size)}), "RequestEntityTooLargeException")
            return
        self._begin(invocation, StartAttempt(force_cold=invocation.options.cold))

    def _restart_cold(self, invocation: Invocation, init_phase: str = "init") -> None:
        self._ended[invocation.config.name] = reasons.INIT_RETRY if init_phase == "invoke" else reasons.EXITED
        self._begin(invocation, StartAttempt(force_cold=True, init_phase=init_phase, announce=False, requested=False))

    def _begin(self, invocation: Invocation, attempt: StartAttempt) -> None:
        """Start the call in an environment: built first (off this thread, in child processes) when the
        function's dependencies, layers or SDK are not in the cache yet."""
        head_start = self._head_start_for(invocation)
        outcome = head_start.environment if head_start is not None else self.builder.ready(invocation.config)
        if outcome is None:
            self.environment_changed.emit(invocation.config.name, EnvironmentState.BUILDING)
            invocation.wait_for_build(self.builder.build(invocation.config), attempt)
            return
        if isinstance(outcome, BuildFailure):
            invocation.fail_before_start(lambda_errors.start_failure_payload(
                invocation.request_id, outcome.error_type, outcome.message), outcome.error_type)
            return
        try:
            sandbox, cold = self._sandbox_for(invocation, attempt, outcome, head_start)
        except LaunchError as error:
            invocation.fail_before_start(lambda_errors.start_failure_payload(
                invocation.request_id, error.error_type, error.message), error.error_type)
            return
        invocation.run_in(sandbox, cold, attempt.announce, outcome)

    def _head_start_for(self, invocation: Invocation):
        """The call's head start when it can still be adopted (its config is the call's, its environment is
        still alive, no warm one is there to take the call instead); a head start that cannot is discarded."""
        head_start = invocation.options.head_start
        if head_start is None or not head_start.available:
            return None
        if invocation.options.debug is not None:
            head_start.discard()  # started without the debugger, which a debugged cold start loads first
            return None
        if head_start.config != invocation.config or self.environment_count(invocation.config.name):
            head_start.discard()
            return None
        return head_start

    def _sandbox_for(self, invocation: Invocation, attempt: StartAttempt, environment: FunctionEnvironment,
                     head_start=None) -> tuple[Sandbox, bool]:
        force_cold = attempt.force_cold
        config = invocation.config
        identity = self._identity(config, environment)
        invocation.identity = identity
        pool = self._pools.setdefault(config.name, [])
        busy = self._busy_sandboxes(config.name)
        idle = [pooled for pooled in pool if pooled.sandbox not in busy]
        # Idle environments of an older deploy (or dead ones) go; a forced cold start replaces one warm one.
        stale = [pooled for pooled in idle if pooled.identity != identity or not pooled.alive]
        warm = [pooled for pooled in idle if pooled not in stale]
        if warm and not force_cold:
            invocation.cold_reason = None
            return warm[0].sandbox, False
        scaling_out = not force_cold and any(pooled.identity == identity and pooled.alive
                                             for pooled in pool if pooled.sandbox in busy)
        invocation.cold_reason = reasons.SCALE_OUT if scaling_out else reasons.cold_reason(
            self._last_identity.get(config.name), identity, self._ended.pop(config.name, None),
            requested=force_cold if attempt.requested is None else attempt.requested)
        self._last_identity[config.name] = identity
        if warm:
            stale.append(warm[0])
        for pooled in stale:
            pool.remove(pooled)
            pooled.sandbox.shutdown()
            pooled.sandbox.deleteLater()
        runtime_dir = str(runtime_path())
        if head_start is not None:
            launch = head_start.take()
            command = launch.command
        else:
            launch = None
            command = launch_command(config, runtime_dir, self._host_env.get("PATH"), environment)
        sandbox = Sandbox(config, command, self._host_env, runtime_dir, self, attempt.init_phase, launch,
                          debug=invocation.options.debug)
        # A bound slot, not a lambda holding self: no reference cycle, so the engine is freed (and its
        # Qt objects destroyed) on the thread that drops it, never by a garbage collection that happens
        # to run on a server thread.
        sandbox.state_changed.connect(self._on_state)
        pool.append(PooledEnvironment(identity, sandbox))
        sandbox.start()
        return sandbox, True

    @Slot(str, str)
    def _on_state(self, name: str, state: str) -> None:
        self.environment_changed.emit(name, EnvironmentState.COLD if state == EnvironmentState.DEAD else state)

    def _drop_queued(self, invocation: Invocation) -> None:
        queue = self._queues.get(invocation.config.name)
        if queue and invocation in queue:
            queue.remove(invocation)

    def _invocation_done(self, invocation: Invocation) -> None:
        name = invocation.config.name
        self._running.get(name, set()).discard(invocation)
        pool = self._pools.get(name, [])
        for pooled in [pooled for pooled in pool if pooled.sandbox is invocation.sandbox and not pooled.alive]:
            result = invocation.result
            self._ended.setdefault(name, reasons.after_failure(result.error_type if result else None))
            pool.remove(pooled)
            pooled.sandbox.shutdown()
            pooled.sandbox.deleteLater()
        ran = next((pooled for pooled in pool if pooled.sandbox is invocation.sandbox), None)
        if ran is not None:
            # Lambda's /var/task is read-only; here a function can write into its code folder (a cache
            # file). What changed while its call ran is the function's doing, not a deploy: the
            # environments of that deploy stay warm, and only later edits start them cold.
            started_from = ran.identity
            identity = EnvironmentIdentity(started_from.config, code_snapshot(started_from.config.code_dir),
                                           started_from.environment_key)
            if identity != started_from:
                pool[:] = [replace(pooled, identity=identity) if pooled.identity == started_from else pooled
                           for pooled in pool]
                self._last_identity[name] = identity
        QTimer.singleShot(0, lambda: self._run_next(name))
        # The engine is done with it: from now on only the caller's references keep it, and its
        # payload, alive. Deferred, so it is never deleted inside the signal that finished it.
        QTimer.singleShot(0, lambda: release(invocation))


def release(obj: QObject) -> None:
    """Hand a finished object over to its Python references alone (it may already be gone with its parent,
    when the owner was destroyed first)."""
    try:
        obj.setParent(None)
    except RuntimeError:
        pass
