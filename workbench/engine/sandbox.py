"""One execution environment: a runtime process in its own session and cgroup, its Runtime API, its limits.

A Sandbox runs invocations one at a time, stays warm between them, and dies (for good) on a timeout,
an out-of-memory kill, a crash or a stop. Every invocation it accepts ends in exactly one
sig_finished, whatever happens.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..core.lambda_rules import lambda_errors
from ..core.lambda_rules.billing import billed_duration_ms, invocation_cost_usd
from ..core.child.containment import PIDS_LIMIT_LINE
from ..core.function.function_config import FunctionConfig
from ..core.function.invocation_result import InvocationResult, Status
from ..core.logging_config.platform_records import PlatformLog
from ..core.child.runtime_launch import LaunchCommand
from ..core.debugging.debug_model import DEBUG_HEADER
from .deadline import Deadline
from .environment_launch import INIT_LIMIT_S, EnvironmentLaunch
from .invoke_request import InvokeRequest, PendingInvoke, lambda_headers
from .runtime_process import RuntimeProcess
from .sandbox_output import SandboxOutput
from .stream_relay import StreamRelay
from .sandbox_debug import SandboxDebug
from ..core.vocabulary import EnvironmentState, ErrorType

MEMORY_POLL_MS = 10
# Lambda ends an invocation when the runtime asks for the next event, not when the result arrives
# (the Runtime Interface Emulator likewise waits for /next before its END and REPORT): what a runtime
# logs after posting its result (Amazon's Java client logs a fault after posting /error) belongs to
# the call. The wait is bounded, so a runtime that never asks again cannot hold the call open.
NEXT_AFTER_RESULT_MS = 2000


class Sandbox(QObject):
    sig_log_lines = Signal(list)
    """A batch of log lines, in the order Lambda would store them."""
    sig_finished = Signal(object)
    """InvocationResult of the invocation in progress; exactly once per invoke()."""
    sig_init_failed = Signal(object)
    """The InvokeRequest whose environment failed its init: Lambda retries the init inside the call."""
    sig_lost = Signal(object)
    """The InvokeRequest held for a runtime that died before asking for it: run it in a new environment."""
    sig_state_changed = Signal(str, str)
    """function name, and "starting", "ready", "running" or "dead"."""
    sig_response_chunk = Signal(object)
    """A piece of a streamed response as it arrived (core/streaming StreamPiece)."""

    def __init__(self, config: FunctionConfig, command: LaunchCommand, host_env: dict[str, str],
                 runtime_dir: str, parent: QObject | None = None, init_phase: str = "init",
                 launch: EnvironmentLaunch | None = None, debug=None) -> None:
        """launch: the environment's start, when it was made (and maybe its runtime started) ahead.
        debug: a DebugRequest when the environment starts under the debugger (init breakpoints stop)."""
        super().__init__(parent)
        self.config = config
        # "init": a normal init. "invoke": Lambda's retry of a failed init inside the first call (a
        # suppressed init), whose time is folded into Duration and reported as Phase: invoke.
        self.init_phase = init_phase
        self.state = "new"
        self._command = command
        self._pid = 0
        self._launch = launch or EnvironmentLaunch(config, command, host_env, runtime_dir)
        self._group = self._launch.group
        self._server = self._launch.serve()
        self._server.attach(self)
        self.containment = self._group.containment
        signals = self._server.signals
        signals.next_requested.connect(self._on_next_requested)
        signals.response_posted.connect(self._on_response)
        signals.error_posted.connect(self._on_error)
        signals.init_error_posted.connect(self._on_init_error)
        signals.response_too_large.connect(self._on_response_too_large)
        self._stream = StreamRelay(signals, self, lambda: self._request and self._request.request_id,
                                   lambda: self._dispatched_at, self._complete)
        self._stream.chunk.connect(self.sig_response_chunk)
        self._process: RuntimeProcess | None = None
        # START/END/REPORT or platform.* records, and Lambda's level filters (LoggingConfig).
        self._platform = PlatformLog(config)
        self._output = SandboxOutput(self._platform, lambda: self._init_ms is not None, self)
        self._output.lines.connect(self.sig_log_lines)
        self._deadline = Deadline(self)
        self._deadline.expired.connect(self._on_deadline)
        self.debug = SandboxDebug(config, runtime_dir, self._deadline, self._server, self)
        self._debug_launch = debug if self.debug.supported else None
        self._memory_timer = QTimer(self, interval=MEMORY_POLL_MS, timeout=self._check_memory)
        self._started_at = 0.0
        self._init_ms: float | None = None
        self._init_reported = False
        # (payload, the payload's errorType, the Error Type INIT_REPORT and REPORT show)
        self._init_error: tuple[bytes, str, str] | None = None
        self._init_timed_out = False
        self._request: InvokeRequest | None = None
        self._dispatched_at = 0.0
        self._peak_kb = 0
        self._planned_end: tuple[Status, bytes, str] | None = None
        # The result the runtime posted, held until its next /next (or the bound) ends the invocation.
        self._posted: tuple[Status, bytes, str | None, float] | None = None
        self._next_wait = QTimer(self, singleShot=True, interval=NEXT_AFTER_RESULT_MS, timeout=self._end_posted)
        self._runtime_waiting = False
        self._frozen = False
        self._pids_warned = False
        self._exit: tuple[int | None, int | None] = (None, None)

    # The AWS access key the environment's runtime was given (its own key in local mode).
    access_key = property(lambda self: self._launch.variables.get("AWS_ACCESS_KEY_ID"))

    busy = property(lambda self: self._request is not None)

    def owns_peer(self, pid: int) -> bool:
        """Whether process pid belongs to this environment (the Runtime API answers only those).
        Asked from the server's threads; nothing belongs before the environment exists."""
        group = self._group
        return group is not None and group.owns(pid)

    # --- Public interface ----------------------------------------------------------------------

    def start(self) -> None:
        """Start the runtime process (or adopt the one started ahead); init runs until its first GET /next."""
        self._set_state(EnvironmentState.STARTING)
        if self._group.warning:
            self._output.queue([self._group.warning])
        launch = self._launch
        if self._debug_launch is not None and not launch.spawned:
            launch.variables.update(self.debug.launch_variables(self._debug_launch))
        if not launch.spawned:
            try:
                launch.spawn()
            except OSError as error:
                self._failed_to_start(error)
                return
        self._pid = launch.pid
        self._started_at = launch.started_at
        if self.init_phase == "init":  # the retry inside a call is the same init to the log: no second record
            self._output.queue(self._platform.init_start("init", time.monotonic() - self._started_at))
        self._process = RuntimeProcess(launch.process, self, launch.telemetry_fd)
        launch.telemetry_fd = -1  # the RuntimeProcess owns it now
        self._process.output_ready.connect(lambda: self._output.read(self._process))
        self._process.exited.connect(self._on_process_exited)
        # The retry of a failed init inside the first call is bounded by the function's timeout.
        init_limit_s = INIT_LIMIT_S if self.init_phase == "init" else float(self.config.timeout_s)
        elapsed_ms = (time.monotonic() - self._started_at) * 1000
        self._deadline.start(max(0, int(init_limit_s * 1000 - elapsed_ms)))
        if self._debug_launch is not None:
            self.debug.attach(self._debug_launch)
        if self.init_phase == "invoke":
            self._group.init_done()
        self._memory_timer.start()

    def invoke(self, request: InvokeRequest) -> None:
        """Run one event. The caller waits for sig_finished before the next invoke()."""
        if self._request is not None:
            raise RuntimeError("an invocation is already running in this environment")
        self._request = request
        self._planned_end = None
        if self._frozen:
            self._output.drain(self._process)  # written before the freeze: the last call's, before START
            self._output.hold_until_start()
        self._thaw()
        if self.state == EnvironmentState.DEAD:
            self._finish_without_runtime()
        elif self._runtime_waiting:
            self._begin_invoke()
        # Otherwise the runtime's next GET /next begins it: Lambda hands an event only to a runtime that
        # asks, and one that exits after its last response never gets it.

    def _freeze(self) -> None:
        """Between calls Lambda freezes the environment: what the handler left running waits."""
        if self._runtime_running():
            self._group.freeze()
            self._frozen = True
            self._server.pause_idle_clock()

    def _thaw(self) -> None:
        if self._frozen:
            self._frozen = False
            self._server.resume_idle_clock()
            self._group.thaw()

    def stop(self) -> None:
        """Kill the environment; an invocation in progress ends as stopped."""
        if self._request is not None:
            self._kill(Status.ERROR, lambda_errors.stopped_payload(self._request.request_id), ErrorType.STOPPED)
        else:
            self._kill(None, b"", "")

    def shutdown(self) -> None:
        """Kill without reporting (engine teardown); waits for the process to be reaped."""
        self._request = None
        self._kill(None, b"", "")
        self._output.stop()
        if self._runtime_running():
            self._process.wait(2000)
        if self._process is not None:
            self._process.close()
        self._group.kill(runtime_alive=False)
        self._group.release(wait_s=0.5)

    # --- Invocation lifecycle ------------------------------------------------------------------

    def _begin_invoke(self) -> None:
        request = self._request
        self._runtime_waiting = False
        if not self._output.holding:
            self._output.drain(self._process)  # init output (a cold start) precedes START, as on Lambda
        self._output.emit_start(request.request_id)
        self._set_state(EnvironmentState.RUNNING)
        timeout_ms = self.config.timeout_s * 1000
        deadline_epoch_ms = int(time.time() * 1000) + timeout_ms
        headers = lambda_headers(request.request_id, deadline_epoch_ms, self.config.function_arn,
                                 request.trace_id, client_context=request.client_context)
        debugged = request.debug is not None and self.debug.supported
        if debugged:
            headers += ((DEBUG_HEADER, self.debug.call_header(request.debug)),)
        elif self.debug.session is not None:
            self.debug.detach()  # a call that is not debugged runs without the debugger kept from earlier ones
        self._dispatched_at = time.monotonic()
        self._deadline.start(timeout_ms)
        self._memory_timer.start()
        pending = PendingInvoke(request.request_id, request.event, headers)
        if debugged:
            self.debug.call_started(deadline_epoch_ms, timeout_ms)
            # Dispatched once the debugger has the call's breakpoints (the clock stands still until then).
            self.debug.attach(request.debug, ready=lambda: self._dispatch_debugged(pending))
        else:
            self._server.dispatch(pending)

    def _dispatch_debugged(self, pending: PendingInvoke) -> None:
        if self._request is not None and self._request.request_id == pending.request_id \
                and self.state != EnvironmentState.DEAD:
            self._server.dispatch(pending)

    def _complete(self, status: Status, payload: bytes, error_type: str | None,
                  platform_error_type: str | None, ended_at: float, timed_out: bool = False) -> None:
        """End the invocation in progress: END, REPORT, then sig_finished."""
        request = self._request
        if request is None:
            return
        self._posted = None
        self._next_wait.stop()
        self._deadline.stop()
        paused_ms = self.debug.paused_ms(ended_at)
        self.debug.call_ended()  # the debugger stays attached for the environment's next debugged call
        self._check_memory()
        if self.state != EnvironmentState.DEAD:
            self._memory_timer.stop()
            # Frozen first, then read: everything written before the freeze lands in this invocation.
            self._freeze()
        self._output.drain(self._process, final=True)
        if timed_out:
            duration_ms = self.config.timeout_s * 1000.0
        elif self._dispatched_at:
            duration_ms = max((ended_at - self._dispatched_at) * 1000 - paused_ms, 0.0)
            if self.init_phase == "invoke" and not self._init_reported:
                duration_ms += self._init_ms or 0.0
        else:
            # The call never reached the handler: the failed init counts as the invoke's duration.
            duration_ms = max(ended_at - self._started_at, 0.0) * 1000
        reports_init = not self._init_reported and self._dispatched_at and self.init_phase == "init"
        init_ms = self._init_ms if reports_init else None
        self._init_reported = True
        billed = billed_duration_ms(duration_ms, init_ms)
        # Lambda's memory limit is hard: usage never shows above the size. Polling can catch a runtime
        # a little past it before the out-of-memory kill lands.
        memory_mb = min(-(-self._peak_kb // 1024), self.config.memory_mb)
        result = InvocationResult(
            request_id=request.request_id, status=status, payload=payload, error_type=error_type,
            platform_error_type=platform_error_type, duration_ms=duration_ms, billed_duration_ms=billed,
            init_duration_ms=init_ms, memory_size_mb=self.config.memory_mb, max_memory_used_mb=memory_mb,
            architecture=self.config.architecture,
            cost_usd=invocation_cost_usd(self.config.memory_mb, billed, self.config.architecture),
            containment=self.containment, stream=self._stream.take(), paused_ms=paused_ms)
        self._output.emit_now(self._platform.end(result))
        self._request = None
        self._dispatched_at = 0.0
        if self.state != EnvironmentState.DEAD:
            self._set_state(EnvironmentState.READY)
        self.sig_finished.emit(result)

    def _finish_without_runtime(self) -> None:
        """An invoke on an environment that died before it could run (failed init, failed start)."""
        request = self._request
        self._output.emit_start(request.request_id)
        if self._init_timed_out:
            payload = lambda_errors.timeout_payload(request.request_id, float(self.config.timeout_s))
            self._complete(Status.TIMEOUT, payload, ErrorType.TIMED_OUT, ErrorType.TIMED_OUT, time.monotonic(),
                           timed_out=True)
            return
        if self._init_error is None and self._output.exec_failure:
            self._init_error = (lambda_errors.start_failure_payload(
                request.request_id, ErrorType.INVALID_ENTRYPOINT, self._output.exec_failure), ErrorType.INVALID_ENTRYPOINT,
                ErrorType.INVALID_ENTRYPOINT)
        payload, error_type, reported_type = self._init_error or (
            lambda_errors.exit_error_payload(request.request_id, *self._exit), ErrorType.EXIT_ERROR,
            ErrorType.EXIT_ERROR)
        self._complete(Status.ERROR, payload, error_type, reported_type, time.monotonic())

    # --- Runtime API events --------------------------------------------------------------------

    @Slot(float)
    def _on_next_requested(self, at: float) -> None:
        if self.state == EnvironmentState.DEAD:
            return
        self._runtime_waiting = True
        if self._posted is not None:
            self._end_posted()
        if self._init_ms is None:
            self._init_ms = (at - self._started_at) * 1000 - self.debug.paused_ms(at)
            self._deadline.stop()
            self._group.init_done()
            self._set_state(EnvironmentState.READY)
        if self._request is not None and not self._dispatched_at:
            self._begin_invoke()

    @Slot(str, object, str, float)
    def _on_response(self, request_id: str, body: bytes, content_type: str, at: float) -> None:
        if self._request is None or request_id != self._request.request_id:
            return
        self._await_next(Status.SUCCESS, body, None, at)

    @Slot(str, object, str, float)
    def _on_error(self, request_id: str, body: bytes, header_type: str, at: float) -> None:
        if self._request is None or request_id != self._request.request_id:
            return
        error_type = lambda_errors.error_type_of(body, header_type or ErrorType.FUNCTION_UNKNOWN)
        self._await_next(Status.ERROR, body, error_type, at)

    def _await_next(self, status: Status, body: bytes, error_type: str | None, at: float) -> None:
        """Hold the posted result until the runtime asks for the next event: the call's Duration ends
        here, its log when the runtime is done."""
        if self._posted is not None:
            return
        self._posted = (status, body, error_type, at)
        self._deadline.stop()
        self._next_wait.start()

    @Slot()
    def _end_posted(self) -> None:
        posted = self._posted
        if posted is not None and self._request is not None:
            status, body, error_type, at = posted
            self._complete(status, body, error_type, None, at)

    @Slot(object, str, float)
    def _on_init_error(self, body: bytes, header_type: str, at: float) -> None:
        error_type = lambda_errors.error_type_of(body, header_type or ErrorType.UNKNOWN)
        self._init_error = (body, error_type, lambda_errors.reported_error_type(header_type))
        # Lambda ends an environment whose init failed, whether or not the runtime exits by itself.
        self._kill(None, b"", "")

    @Slot(str, int, float)
    def _on_response_too_large(self, request_id: str, size: int, at: float) -> None:
        if self._request is None or request_id != self._request.request_id:
            return
        self._complete(Status.ERROR, lambda_errors.response_too_large_payload(size),
                       ErrorType.RESPONSE_TOO_LARGE, ErrorType.RESPONSE_TOO_LARGE, at)

    # --- Limits --------------------------------------------------------------------------------

    @Slot()
    def _on_deadline(self) -> None:
        if self._init_ms is None:
            # Init ran past its limit (10 s; the function's timeout for the retry inside the call).
            self._init_timed_out = True
            self._kill(None, b"", "")
            return
        if self._request is not None:
            payload = lambda_errors.timeout_payload(self._request.request_id, float(self.config.timeout_s))
            self._kill(Status.TIMEOUT, payload, ErrorType.TIMED_OUT)

    @Slot()
    def _check_memory(self) -> None:
        if not self._runtime_running():
            return
        self._peak_kb = max(self._peak_kb, self._group.memory_kb())
        if self._group.new_pids_limit_hits() and not self._pids_warned:
            self._pids_warned = True
            self._output.queue([PIDS_LIMIT_LINE])
        if self.state != EnvironmentState.DEAD and self._group.out_of_memory():
            request_id = self._request.request_id if self._request else ""
            self._kill(Status.ERROR, lambda_errors.out_of_memory_payload(request_id), ErrorType.OUT_OF_MEMORY)

    def _kill(self, status: Status | None, payload: bytes, error_type: str) -> None:
        """Kill the whole process tree; the invocation ends when the process is reaped."""
        if status is not None and self._planned_end is None:
            self._planned_end = (status, payload, error_type)
        pid = self._pid if self._runtime_running() else 0
        self._set_state(EnvironmentState.DEAD)
        self._deadline.stop()
        self._memory_timer.stop()
        self._server.close()
        self.debug.shutdown()
        if pid:
            self._group.kill(runtime_alive=True)
        elif self._request is not None and not self._runtime_running():
            self._end_after_death()

    # --- Process events ------------------------------------------------------------------------

    _runtime_running = lambda self: self._process is not None and self._process.running  # noqa: E731

    @Slot(object, object)
    def _on_process_exited(self, exit_code: int | None, signal_number: int | None) -> None:
        # A result or init error posted just before the exit must be handled before the exit is, and
        # the launcher's last words read.
        self._server.deliver_pending()
        self._output.read(self._process)
        self._exit = (exit_code, signal_number)
        was_dead = self.state == EnvironmentState.DEAD
        self._set_state(EnvironmentState.DEAD)
        self._deadline.stop()
        self._memory_timer.stop()
        self._server.close()
        self.debug.shutdown()
        if not was_dead and self._group.out_of_memory():
            # The kernel killed the runtime (or one of its processes) at the group's memory limit.
            self._planned_end = self._planned_end or (Status.ERROR, lambda_errors.out_of_memory_payload(
                self._request.request_id if self._request else ""), ErrorType.OUT_OF_MEMORY)
        if self._output.exec_failure and self._init_ms is None:
            self._init_error = (lambda_errors.start_failure_payload(
                self._request.request_id if self._request else "", ErrorType.INVALID_ENTRYPOINT,
                self._output.exec_failure), ErrorType.INVALID_ENTRYPOINT, ErrorType.INVALID_ENTRYPOINT)
        # Anything the runtime left running goes with it, as when Lambda reclaims a sandbox.
        self._group.kill(runtime_alive=False)
        self._process.close()
        self._release_group()
        if not was_dead and self._init_ms is None and self._request is None:
            return  # died during init with nobody waiting; the next invoke() reports it
        self._end_after_death()

    def _failed_to_start(self, error: OSError) -> None:
        self._exit = (None, None)
        # Reported (with the call's request id) when the call comes: Lambda's Runtime.InvalidEntrypoint.
        program = error.filename or self._command.program
        self._output.exec_failure = f"fork/exec {program}: {(error.strerror or str(error)).lower()}"
        self._set_state(EnvironmentState.DEAD)
        self._deadline.stop()
        self._memory_timer.stop()
        self._server.close()
        if self._request is not None:
            self._finish_without_runtime()

    def _end_after_death(self) -> None:
        if self._request is None:
            return
        if self._posted is not None and self._planned_end is None:
            # The runtime exited after posting its result (an OutOfMemoryError in Java's, say): the call
            # has its result; the next one starts a new environment.
            self._end_posted()
            return
        now = time.monotonic()
        if self._planned_end is not None:
            status, payload, error_type = self._planned_end
            if not self._dispatched_at and self._init_ms is None:
                self._output.emit_start(self._request.request_id)
            self._complete(status, payload, error_type, error_type, now, timed_out=status is Status.TIMEOUT
                           and self._init_ms is not None)
            return
        if not self._dispatched_at and self._init_ms is not None:
            # The runtime exited between calls, before asking for this one.
            request, self._request = self._request, None
            self.sig_lost.emit(request)
            return
        if not self._dispatched_at:
            self._report_failed_init(now)
            if self.init_phase == "init":
                request, self._request = self._request, None
                self.sig_init_failed.emit(request)
                return
            self._finish_without_runtime()
            return
        payload = lambda_errors.exit_error_payload(self._request.request_id, *self._exit)
        self._complete(Status.ERROR, payload, ErrorType.EXIT_ERROR, ErrorType.EXIT_ERROR, now)

    def _report_failed_init(self, now: float) -> None:
        error_type = self._init_error[2] if self._init_error else ErrorType.EXIT_ERROR
        status = Status.TIMEOUT if self._init_timed_out else Status.ERROR
        self._output.drain(self._process)
        self._output.emit_now(self._platform.init_report((now - self._started_at) * 1000, self.init_phase, status,
                                                    error_type))

    def _release_group(self, tries: int = 20) -> None:  # once its killed processes have left it
        if not self._group.release() and tries:
            QTimer.singleShot(50, self, lambda: self._release_group(tries - 1))

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.sig_state_changed.emit(self.config.name, state)

