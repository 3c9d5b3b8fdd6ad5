"""Runs the served calls: the workspace's current functions, the engine's environments, awaitable from asyncio.

The workspace is read again when its template or workbench.json changes, so an edited setting applies to
the next call (a cold start, as after a deploy); code edits are the engine's to notice.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..core.function_config import FunctionConfig
from ..core.invocation_result import InvocationResult
from ..core.sam_template import find_template
from ..core.workspace import Workspace, load_workspace
from ..core.workspace_file import workspace_file_path
from ..engine.engine import Engine, InvokeOptions


@dataclass(frozen=True)
class CallOutcome:
    result: InvocationResult
    log: tuple[str, ...]
    cold: bool
    started_at: float
    config: FunctionConfig


@dataclass
class _Cache:
    stamp: tuple = ()
    workspace: Workspace | None = None


class FunctionCaller:
    """The workspace's functions and one awaitable call; `max_environments` per function, the rest queued."""

    def __init__(self, folder: Path | str, engine: Engine | None = None, max_environments: int = 10) -> None:
        self.folder = Path(folder).resolve()
        self.engine = engine or Engine(max_environments=max_environments)
        self.engine.max_environments = max(1, max_environments)
        self._cache = _Cache()
        self.on_outcome: Callable[[CallOutcome], None] | None = None
        """Hears of every finished call (the server's log, the window's list, history)."""

    def workspace(self) -> Workspace:
        stamp = tuple(_stamp(path) for path in (find_template(self.folder), workspace_file_path(self.folder)))
        if self._cache.workspace is None or stamp != self._cache.stamp:
            self._cache.workspace = load_workspace(self.folder)
            self._cache.stamp = stamp
        return self._cache.workspace

    def function(self, name: str) -> FunctionConfig | None:
        found = self.workspace().function(name)
        return found.config if found is not None and found.runnable else None

    async def call(self, config: FunctionConfig, event: bytes,
                   client_context: dict | None = None) -> CallOutcome:
        """Run one call to its end (success, error, timeout...), on the loop the engine's signals reach."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future = loop.create_future()
        lines: list[str] = []
        started = {"cold": False}
        started_at = time.time()
        invocation = self.engine.invoke(config, event, InvokeOptions(client_context=client_context))
        invocation.log_lines.connect(lines.extend)
        invocation.started.connect(lambda cold: started.__setitem__("cold", cold))
        invocation.finished.connect(lambda result: done.done() or done.set_result(result))
        try:
            result = await done
        except asyncio.CancelledError:
            invocation.cancel()
            raise
        outcome = CallOutcome(result, tuple(lines), bool(started["cold"] or result.cold), started_at, config)
        if self.on_outcome is not None:
            self.on_outcome(outcome)
        return outcome

    def shutdown(self) -> None:
        self.engine.shutdown()


def _stamp(path: Path | None) -> tuple:
    if path is None:
        return ()
    try:
        info = path.stat()
    except OSError:
        return (str(path),)
    return (str(path), info.st_mtime_ns, info.st_size)
