"""The run session: the one place where a prepared call becomes a run, for the window, the command line,
serve, tests and tuning alike.

It owns the Engine, runs single calls and series (presets, repeats), knows why a call starts cold
(`Run.cold_reason`, said in the log too), and records every finished run into the workspace's history.

    session = RunSession(history=history_writer_for(folder))   # or any object with record(RunRecord) -> id
    run = session.run(prepared, source="cli")       # prepared: core.invocation_request.PreparedInvocation
    run.log_lines.connect(...); run.finished.connect(lambda record: ...)

Signals fire on the Qt thread; `Run.finished` fires exactly once, with the RunRecord, whatever happens.
"""

from __future__ import annotations

import time
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..core.lambda_rules.cold_reason import FIRST_CALL
from ..core.function.code_fingerprint import code_snapshot, snapshot_fingerprint
from ..core.function.invocation_request import PreparedInvocation
from ..core.history.run_record import RunRecord
from .engine import Engine, Invocation, InvokeOptions, release


class History(Protocol):
    def record(self, record: RunRecord) -> str:
        """Store a run (now, or queued as engine/history_writer.py does); returns its id at once."""


def _in_background(history: History | None) -> bool:
    """A history that writes in the background (engine/history_writer.py's HistoryWriter): it says itself
    when a run is in (its `recorded` signal), and the session closes it."""
    return history is not None and hasattr(history, "recorded")


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
            aws_calls=aws_calls)
        self.run_id = self._session._record(self.record)
        self.finished.emit(self.record)
        self._session._run_done(self)


    def _aws_calls(self) -> tuple:
        """The calls this run's environment made to the local services host while the run lasted; a line in
        the log for each operation the host does not emulate, and when the host could not be asked."""
        builder, key = self._session.engine.builder, self.invocation.access_key
        if builder.local is None or not key:
            return ()
        from .services_host import calls_of, find_host

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


class Series(QObject):
    """Several calls one after another (presets, repeats); cancelling stops the current one and the rest."""

    run_started = Signal(object)
    """A Run of the series began (before its first log line)."""
    run_finished = Signal(object)
    """A Run of the series finished; its record is set."""
    finished = Signal(list)
    """Every RunRecord of the series, in order (fewer than asked when cancelled). Emitted once."""

    def __init__(self, items: list[PreparedInvocation], source: str, cold: bool, session: "RunSession") -> None:
        super().__init__(session)
        self._items = list(items)
        self._source, self._cold, self._session = source, cold, session
        self.records: list[RunRecord] = []
        self.current: Run | None = None
        self.cancelled = False
        self._done = False

    def cancel(self) -> None:
        self.cancelled = True
        self._items.clear()
        if self.current is not None:
            self.current.cancel()
        elif not self._done:
            QTimer.singleShot(0, self._finish)

    def _next(self) -> None:
        if not self._items or self.cancelled:
            self._finish()
            return
        run = self._session.run(self._items.pop(0), self._source, cold=self._cold)
        self.current = run
        run.finished.connect(self._on_run_finished)
        self.run_started.emit(run)

    @Slot(object)
    def _on_run_finished(self, record: RunRecord) -> None:
        run, self.current = self.current, None
        self.records.append(record)
        self.run_finished.emit(run)
        QTimer.singleShot(0, self._next)

    def _finish(self) -> None:
        if not self._done:
            self._done = True
            self.finished.emit(self.records)


class RunSession(QObject):
    """Owns the Engine; every call of the window, the CLI, serve, tests and tuning goes through here."""

    environment_changed = Signal(str, str)
    """function name, state: "cold" / "starting" / "ready" / "running"."""
    run_started = Signal(object)
    """A Run was started (from any caller)."""
    run_finished = Signal(object)
    """A Run finished; its record is set and, with history on, stored (run_id)."""
    run_recorded = Signal(str)
    """A run is in the history now (its id): lists of past runs can show it."""
    history_problem = Signal(str)
    """History could not be written; the run itself is unaffected. One line for the user."""
    environment_building = Signal(str, str)
    """function name, what its environment build is doing (installing its requirements, ...); "" when done."""

    def __init__(self, history: History | None = None, engine: Engine | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine or Engine(self)
        self.history: History | None = None
        self.engine.environment_changed.connect(self.environment_changed)
        self.engine.build_progress.connect(self.environment_building)
        self.set_history(history)
        self._active: list[Run] = []

    @property
    def running(self) -> bool:
        return bool(self._active)

    def runs_of(self, function_name: str) -> list[Run]:
        return [run for run in self._active if run.config.name == function_name]

    def run(self, prepared: PreparedInvocation, source: str = "window", cold: bool = False,
            client_context: dict | None = None, head_start=None) -> Run:
        """Start a call now (or after the function's current one); returns at once. `client_context` is
        what an Invoke API caller sent in X-Amz-Client-Context (the handler's context.client_context);
        `head_start` an environment started ahead for this call (engine/head_start.py)."""
        invocation = self.engine.invoke(prepared.config, prepared.event,
                                        InvokeOptions(cold=cold, client_context=client_context,
                                                      head_start=head_start))
        run = Run(prepared, source, invocation, self)
        self._active.append(run)
        self.run_started.emit(run)
        return run

    def run_series(self, items: list[PreparedInvocation], source: str = "window", cold: bool = False) -> Series:
        """Run the items one after another; the series starts on the next loop turn."""
        series = Series(items, source, cold, self)
        QTimer.singleShot(0, series._next)
        return series

    async def run_and_wait(self, prepared: PreparedInvocation, source: str = "window",
                           cold: bool = False) -> RunRecord:
        """Coroutine form for flows at the UI edge (needs a running qasync loop)."""
        import asyncio  # only coroutine callers pay for it, not every `invoke`

        run = self.run(prepared, source, cold)
        future = asyncio.get_running_loop().create_future()
        run.finished.connect(lambda record: future.done() or future.set_result(record))
        return await future

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

    def restart_services_host(self, endpoint: str) -> list[str]:
        """After the host stopped under a run: start it again (it restores the state it last saved) on the same
        port, so warm environments keep their endpoint; on another port when that one is taken meanwhile, and
        then every environment starts again with the new one. Log lines saying what happened."""
        from urllib.parse import urlsplit

        from .services_host import HostStartError, find_host, start_host

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
        if _in_background(self.history):
            self.history.close()

    def set_history(self, history: History | None) -> None:
        """Record into this history from now on (None: stop recording). A writer that works in the
        background (HistoryWriter) says itself when a run is in, and is closed by the session (at shutdown,
        or when replaced); a plain store is in when record returns."""
        previous, self.history = self.history, history
        if _in_background(previous) and previous is not history:
            previous.close()  # what it has queued still reaches its file
            previous.recorded.disconnect(self.run_recorded)
            previous.notice.disconnect(self.history_problem)
        if _in_background(history):
            history.recorded.connect(self.run_recorded)
            history.notice.connect(self.history_problem)

    def _record(self, record: RunRecord) -> str | None:
        if self.history is None:
            return None
        try:
            run_id = self.history.record(record)
        except Exception as error:  # noqa: BLE001 - a history failure must never lose the run itself
            self.history_problem.emit(f"History not written: {error}")
            return None
        if not _in_background(self.history):
            self.run_recorded.emit(run_id)
        return run_id

    def _run_done(self, run: Run) -> None:
        if run in self._active:
            self._active.remove(run)
        self.run_finished.emit(run)
        # The session is done with it: only the caller's references keep it alive from now on.
        QTimer.singleShot(0, lambda: release(run))
