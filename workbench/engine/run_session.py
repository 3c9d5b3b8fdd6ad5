"""The run session: the one place where a prepared call becomes a run, for the window, the command line,
serve, tests and tuning alike.

It owns the Engine, runs calls (a series of them is its caller's: engine/suite_run.py, engine/tune_run.py),
knows why a call starts cold (`Run.cold_reason`, said in the log too), and records every finished run into
the workspace's history.

    session = RunSession(history=history_writer_for(folder))   # engine/history_writer.py
    run = session.run(prepared, source="cli")       # prepared: core.invocation_request.PreparedInvocation
    run.log_lines.connect(...); run.finished.connect(lambda record: ...)

Signals fire on the Qt thread; `Run.finished` fires exactly once, with the RunRecord, whatever happens.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..core.lambda_rules.cold_reason import FIRST_CALL
from ..core.function.code_fingerprint import code_snapshot, snapshot_fingerprint
from ..core.function.invocation_request import PreparedInvocation
from ..core.history.run_record import RunRecord
from ..core.vocabulary import RunSource
from .engine import Engine, Invocation, InvokeOptions, release
from .services_host import HostStartError, calls_of, find_host, start_host
from urllib.parse import urlsplit

# Triggered runs whose fates are awaited at most (a host that never tells does not grow the session).
MAX_AWAITED_TRIGGERS = 1000

if TYPE_CHECKING:
    # Only named here: `invoke --no-history` never loads the writer (its Qt notifier costs the start-up ~2 ms).
    from .history_writer import HistoryWriter


def cold_start_line(reason: str) -> str:
    """The log line that says why a call starts a new environment (before INIT_START/START)."""
    return f"[workbench] Cold start: {reason}"


class Run(QObject):
    """One call through the session. Signals: started(cold), log_lines(list[str]), finished(RunRecord)."""

    started = Signal(bool)
    """The call reached an environment; True when it is new (then cold_reason says why)."""
    log_lines = Signal(list)
    """A batch of log lines, in order; on a cold start the first says why."""
    finished = Signal(object)
    """The RunRecord; emitted exactly once."""
    response_chunk = Signal(object)
    """A piece of a streamed response the moment it arrived (core/streaming StreamPiece)."""

    def __init__(self, prepared: PreparedInvocation, source: str, invocation: Invocation,
                 session: "RunSession") -> None:
        super().__init__(session)
        self.prepared = prepared
        self.source = source
        self.invocation = invocation
        self.started_at = time.time()
        self.record: RunRecord | None = None
        self.run_id: str | None = None
        """The history id, once recorded (None when history is off or could not be written)."""
        self._lines: list[str] = []
        self._session = session
        invocation.started.connect(self._on_started)
        invocation.log_lines.connect(self._on_lines)
        invocation.finished.connect(self._on_finished)
        invocation.response_chunk.connect(self.response_chunk)

    @property
    def config(self):
        return self.prepared.config

    @property
    def cold_reason(self) -> str | None:
        return self.invocation.cold_reason

    @property
    def done(self) -> bool:
        return self.record is not None

    def cancel(self) -> None:
        """Stop the call; its environment is killed, as on a timeout."""
        self.invocation.cancel()

    @Slot(bool)
    def _on_started(self, cold: bool) -> None:
        self.started.emit(cold)
        # The first call of a function is cold by nature: a line saying so on every CLI call is noise.
        reason = self.invocation.cold_reason
        if cold and reason and reason != FIRST_CALL:
            self._on_lines([cold_start_line(reason)])

    @Slot(list)
    def _on_lines(self, lines: list) -> None:
        self._lines.extend(lines)
        self.log_lines.emit(lines)

    @Slot(object)
    def _on_finished(self, result) -> None:
        invocation = self.invocation
        identity = invocation.identity
        code = identity.code if identity is not None else code_snapshot(self.config.code_dir)
        aws_calls = self._aws_calls()
        self.record = RunRecord(
            started_at=self.started_at, source=self.source, config=self.config, event=self.prepared.event,
            result=result, log=tuple(self._lines), cold=bool(invocation.cold),
            cold_reason=invocation.cold_reason if invocation.cold else None,
            code_fingerprint=snapshot_fingerprint(code), code_files=code, preset=self.prepared.preset,
            environment_key=invocation.environment.key if invocation.environment is not None else None,
            secrets=invocation.environment.secrets if invocation.environment is not None else (),
            aws_calls=aws_calls, origin=self.prepared.origin, sweep=self.prepared.sweep,
            trace_id=getattr(invocation, "trace_id", None))
        self.run_id = self._session._record(self.record)
        self.finished.emit(self.record)
        self._session._run_done(self)


    def _aws_calls(self) -> tuple:
        """The calls this run's environment made to the local services host while the run lasted; a line in
        the log for each operation the host does not emulate, and when the host could not be asked."""
        builder, key = self._session.engine.builder, self.invocation.access_key
        if builder.local is None or not key:
            return ()

        environment = self.invocation.environment
        # The host this run's environment was given (it may have been started ahead of the session, by the
        # head start); else the one running now.
        endpoint = dict(environment.variables).get("AWS_ENDPOINT_URL") if environment is not None else None
        if endpoint is None and builder.local_endpoint is None:
            running = find_host(builder.local.workspace)
            builder.local_endpoint = running.endpoint if running is not None else None
        endpoint = endpoint or builder.local_endpoint
        if endpoint is None:
            return ()

        try:
            calls = calls_of(endpoint, key, self.started_at, time.time())
        except (OSError, ValueError, KeyError) as error:
            self._on_lines([f"[workbench] The local AWS services host at {endpoint} did not answer "
                            f"({error}): it stopped during this run; it is started again with the state it "
                            "last saved.", *self._session.restart_services_host(endpoint)])
            return ()
        missing = sorted({f"{call.api or call.service}.{call.operation}" for call in calls
                          if call.error == "NotImplemented"})
        if missing:
            self._on_lines([f"[workbench] Not emulated locally: {name} (the handler got AWS's NotImplemented "
                            "error)" for name in missing])
        return tuple(calls)


class RunSession(QObject):
    """Owns the Engine; every call of the window, the CLI, serve, tests and tuning goes through here."""

    environment_changed = Signal(str, str)
    """function name, state: "cold" / "starting" / "ready" / "running"."""
    run_started = Signal(object)
    """A Run was started (from any caller)."""
    run_finished = Signal(object)
    """A Run finished; its record is set and, with history on, queued for the history (run_id)."""
    run_recorded = Signal(str)
    """A run is in the history now (its id): lists of past runs can show it."""
    history_problem = Signal(str)
    """History could not be written; the run itself is unaffected. One line for the user."""
    environment_building = Signal(str, str)
    """function name, what its environment build is doing (installing its requirements, ...); "" when done."""
    debug_armed = Signal(str, bool)
    """function name, whether its next call (from anywhere: the window, serve, a trigger, a test) will run
    under the debugger; False again once a call took it."""

    def __init__(self, history: HistoryWriter | None = None, engine: Engine | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine or Engine(self)
        self.history: HistoryWriter | None = None
        self.engine.environment_changed.connect(self.environment_changed)
        self.engine.build_progress.connect(self.environment_building)
        self.set_history(history)
        self._active: list[Run] = []
        self._triggered: dict[str, str] = {}
        """Request id -> history id of the triggered runs whose fates the services host has not sent yet."""
        self._armed: dict[str, object] = {}

    @property
    def running(self) -> bool:
        return bool(self._active)

    def run(self, prepared: PreparedInvocation, source: str = "window", cold: bool = False,
            client_context: dict | None = None, head_start=None, trace_id: str | None = None, debug=None) -> Run:
        """Start a call now (or after the function's current one); returns at once. `client_context` is
        what an Invoke API caller sent in X-Amz-Client-Context (the handler's context.client_context);
        `head_start` an environment started ahead for this call (engine/head_start.py); `debug` a
        DebugRequest (core/debugging/debug_model.py) to run it under the debugger; without one, a function
        armed by arm_debug runs this call under the debugger."""
        if debug is None and prepared.config.name in self._armed:
            debug = self._armed.pop(prepared.config.name)
            self.debug_armed.emit(prepared.config.name, False)
        invocation = self.engine.invoke(prepared.config, prepared.event,
                                        InvokeOptions(cold=cold, client_context=client_context,
                                                      head_start=head_start, trace_id=trace_id, debug=debug))
        run = Run(prepared, source, invocation, self)
        self._active.append(run)
        self.run_started.emit(run)
        return run

    def arm_debug(self, function_name: str, request=None) -> None:
        """The function's next call, whoever makes it, runs under the debugger with `request` (a
        DebugRequest); None disarms. Arming again replaces the request (the breakpoints changed)."""
        was = function_name in self._armed
        if request is None:
            self._armed.pop(function_name, None)
        else:
            self._armed[function_name] = request
        if was != (request is not None):
            self.debug_armed.emit(function_name, request is not None)

    def debug_armed_for(self, function_name: str) -> bool:
        return function_name in self._armed

    def environment_state(self, function_name: str) -> str:
        return self.engine.environment_state(function_name)

    def next_cold_reason(self, config) -> str | None:
        """Why the next call would start cold (a change since the warm one started, a reset); None if warm."""
        return self.engine.next_cold_reason(config)

    def reset(self, function_name: str | None = None) -> None:
        """Discard warm environments: the next call starts cold (and says "environment reset")."""
        self.engine.reset(function_name)

    # --- Function environments (interpreter, dependencies, layers, SDK, AWS access) -----------------

    def describe_environment(self, config):
        """The function's EnvironmentReport: what its environment is made of, built or not."""
        return self.engine.builder.describe(config)

    def rebuild_environment(self, config):
        """Discard the function's dependency entries and build them now (an EnvironmentBuild: output,
        progress, finished); its next call starts cold."""
        self.engine.reset(config.name)
        return self.engine.builder.rebuild(config)

    local_services = None
    """core.services.settings.LocalServices while the functions' calls go to the services host."""

    def set_aws(self, profile: str | None, region: str | None, endpoints: dict[str, str], local=None) -> None:
        """The workspace's AWS profile, region and endpoint URLs, for the environments started from now on;
        local (core.services.settings.LocalServices): calls go to the services host instead."""
        self.local_services = local
        self.engine.builder.set_aws(profile, region, endpoints, local)
        self.engine.reset()

    def use_services_endpoint(self, endpoint: str) -> None:
        """The workspace's services host answers at `endpoint` (started ahead of the first call, or again after
        it died): local-mode environments started from now on get it; warm ones given another endpoint are
        discarded, as theirs leads nowhere."""
        builder = self.engine.builder
        if builder.local is None or builder.local_endpoint == endpoint:
            return
        previous, builder.local_endpoint = builder.local_endpoint, endpoint
        builder.forget()
        if previous is not None:
            self.engine.reset()

    def restart_services_host(self, endpoint: str) -> list[str]:
        """After the host stopped under a run: start it again (it restores the state it last saved) on the same
        port, so warm environments keep their endpoint; on another port when that one is taken meanwhile, and
        then every environment starts again with the new one. Log lines saying what happened."""
        builder = self.engine.builder
        local = builder.local
        if local is None:
            return []
        port = urlsplit(endpoint).port or 0
        try:
            record = find_host(local.workspace) or start_host(local.workspace, port=port, region=local.region)
        except (HostStartError, OSError):
            try:
                record = start_host(local.workspace, region=local.region)
            except (HostStartError, OSError) as error:
                builder.local_endpoint = None
                self.engine.reset()
                return [f"[workbench] The local AWS services could not start again: {error}"]
        if record.endpoint != endpoint:
            builder.local_endpoint = record.endpoint
            self.engine.reset()
        return [f"[workbench] The local AWS services run again at {record.endpoint} (pid {record.pid})."]

    def shutdown(self) -> None:
        """Kill every environment; nothing is left running."""
        for run in list(self._active):
            run.cancel()
        self.engine.shutdown()
        if self.history is not None:
            self.history.close()

    def set_history(self, history: HistoryWriter | None) -> None:
        """Record through this writer from now on (None: stop recording). The session closes it (at
        shutdown, or when replaced): what it has queued still reaches its file. run_recorded and
        history_problem pass on what the writer says."""
        previous, self.history = self.history, history
        if previous is not None and previous is not history:
            previous.close()
            previous.recorded.disconnect(self.run_recorded)
            previous.notice.disconnect(self.history_problem)
        if history is not None and history is not previous:
            history.recorded.connect(self.run_recorded)
            history.notice.connect(self.history_problem)

    def record_external(self, record: RunRecord) -> str | None:
        """Record a run that did not go through the engine (Run on AWS: serve/remote_invoke.py) like any
        other: its history id (None when history is off), and run_recorded once it is in."""
        return self._record(record)

    def note_trigger(self, request_id: str, trigger) -> bool:
        """The services host's word on a triggered run (its batch and each record's fate,
        core.triggers.triggered_batch.TriggeredBatch), sent once it has judged the call's answer: kept on the
        run in history. False when no run of this session had that request id (or history is off)."""
        run_id = self._triggered.pop(request_id, None)
        if run_id is None or self.history is None:
            return False
        self.history.set_trigger(run_id, trigger)
        return True

    def _record(self, record: RunRecord) -> str | None:
        if self.history is None:
            return None
        try:
            run_id = self.history.record(record)
        except Exception as error:  # noqa: BLE001 - a history failure must never lose the run itself
            self.history_problem.emit(f"History not written: {error}")
            return None
        if record.source in RunSource.TRIGGERS:
            # Before the answer goes back to the host: its word on the batch can only come after this.
            self._triggered[record.result.request_id] = run_id
            while len(self._triggered) > MAX_AWAITED_TRIGGERS:
                self._triggered.pop(next(iter(self._triggered)))
        return run_id

    def _run_done(self, run: Run) -> None:
        if run in self._active:
            self._active.remove(run)

        self.run_finished.emit(run)
        # The session is done with it: only the caller's references keep it alive from now on.
        QTimer.singleShot(0, lambda: release(run))
