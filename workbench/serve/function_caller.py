"""Runs the served calls through the run session (so each is recorded in history with source "serve"):
the workspace's current functions, several environments per function, awaitable from asyncio.

The workspace is read again when its template or workbench.json changes, so an edited setting applies to
the next call (a cold start, as after a deploy); code edits are the engine's to notice.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..core.function.function_config import FunctionConfig
from ..core.workspace.function_events import FunctionEvents, load_function_events
from ..core.function.invocation_request import RunProblem, prepare_invocation
from ..core.function.invocation_result import InvocationResult
from ..core.history.run_record import RunRecord
from ..core.workspace.sam_template import find_template
from ..core.workspace.workspace import Workspace, load_workspace
from ..core.workspace.workspace_file import workspace_file_path
from ..engine.engine import Engine
from ..engine.run_session import Run, RunSession
from ..core.vocabulary import RunSource
from ..engine.history_writer import HistoryWriter

SOURCE = RunSource.SERVE


@dataclass(frozen=True)
class CallOutcome:
    record: RunRecord
    run_id: str | None
    """The run's id in the workspace's history (None when history is off or could not be written)."""

    @property
    def result(self) -> InvocationResult:
        return self.record.result

    @property
    def log(self) -> tuple[str, ...]:
        return self.record.log

    @property
    def config(self) -> FunctionConfig:
        return self.record.config


@dataclass
class _Cache:
    stamp: tuple = ()
    workspace: Workspace | None = None
    events: FunctionEvents | None = None


class FunctionCaller:
    """The workspace's functions and one awaitable call; `max_environments` per function, the rest queued."""

    def __init__(self, folder: Path | str, session: RunSession | None = None, max_environments: int = 10,
                 history: HistoryWriter | None = None) -> None:
        self.folder = Path(folder).resolve()
        # Serving from the window shares its session (its history, its environments); serve alone owns one.
        self._owns_session = session is None
        self.session = session or RunSession(history=history, engine=Engine(max_environments=max_environments))
        self._previous_max = self.session.engine.max_environments
        self.session.engine.max_environments = max(1, max_environments)
        self._cache = _Cache()
        self._in_flight: set[asyncio.Future] = set()
        self.on_outcome: Callable[[CallOutcome], None] | None = None
        """Hears of every finished call (the server's log, the window's list, history)."""

    def workspace(self) -> Workspace:
        self._refresh()
        return self._cache.workspace

    def events(self) -> FunctionEvents:
        """The workspace's routes and schedules, read again when its files change."""
        self._refresh()
        return self._cache.events

    def _refresh(self) -> None:
        stamp = tuple(_stamp(path) for path in (find_template(self.folder), workspace_file_path(self.folder)))
        if self._cache.workspace is None or stamp != self._cache.stamp:
            self._cache.workspace = load_workspace(self.folder)
            self._cache.events = load_function_events(self.folder)
            self._cache.stamp = stamp

    def function(self, name: str) -> FunctionConfig | None:
        found = self.workspace().function(name)
        return found.config if found is not None and found.runnable else None

    async def call(self, config: FunctionConfig, event: bytes, client_context: dict | None = None,
                   on_run: Callable[[Run], None] | None = None, source: str = SOURCE,
                   trace_id: str | None = None, origin: str | None = None) -> CallOutcome | list[RunProblem]:
        """Run one call to its end (success, error, timeout...), or the reasons Lambda would refuse it.
        on_run hears of the Run as it starts (to follow a streamed response as it arrives). `source` is
        "serve", or the event source of a call the services host's triggers made; `origin` says who called,
        for History (core/provenance/run_origin.py)."""
        prepared = prepare_invocation(config, event, "request body")
        if isinstance(prepared, list):
            return prepared
        prepared = dataclasses.replace(prepared, origin=origin)
        loop = asyncio.get_running_loop()
        done: asyncio.Future = loop.create_future()
        run = self.session.run(prepared, source=source, client_context=client_context, trace_id=trace_id)
        if on_run is not None:
            on_run(run)
        run.finished.connect(lambda record: done.done() or done.set_result(record))
        done.run = run
        self._in_flight.add(done)
        try:
            record = await done
        except asyncio.CancelledError:
            run.cancel()
            raise
        finally:
            self._in_flight.discard(done)
        outcome = CallOutcome(record, run.run_id)
        if self.on_outcome is not None:
            self.on_outcome(outcome)
        return outcome

    async def stop_calls(self, timeout_s: float = 10.0) -> int:
        """Stop every call in flight as `invoke` stops its own on SIGTERM: each ends as Sandbox.Stopped, is
        recorded, and its caller gets that answer. Returns how many were stopped."""
        pending = [future for future in self._in_flight if not future.done()]
        for future in pending:
            future.run.cancel()
        if pending:
            await asyncio.wait(pending, timeout=timeout_s)
            await asyncio.sleep(0)  # let the handlers write their answers
        return len(pending)

    def shutdown(self) -> None:
        """Serve's own session: kill every environment. The window's: give back its one-at-a-time limit."""
        if self._owns_session:
            self.session.shutdown()
        else:
            self.session.engine.max_environments = self._previous_max


def _stamp(path: Path | None) -> tuple:
    if path is None:
        return ()
    try:
        info = path.stat()
    except OSError:
        return (str(path),)
    return (str(path), info.st_mtime_ns, info.st_size)
