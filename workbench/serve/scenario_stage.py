"""Where scenarios run (core/scenarios): the test run's session behind a front door and an Invoke API of its
own on free loopback ports, registered with the workspace's services host, so an action (an HTTP call, an
object put, an item written, a message sent) sets off the runs a user would see, each recorded like any run.

A ScenarioCall looks like a run to the suite (log_lines, finished exactly once, cancel): it does the action,
collects the runs of the session that start after it until every expected run has come (or waitSeconds), then
finishes with a ScenarioOutcome for core.scenarios.scenario_check to judge."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from PySide6.QtCore import QObject, Signal

from ..core.scenarios.scenario import Scenario
from ..core.scenarios.scenario_check import SeenRun, runs_complete
from ..engine.run_session import RunSession
from .server import ServeOptions, ServeServer
from ..engine.trigger_link import link_triggers, unlink_triggers
from ..engine.services_client import ServicesClient
from ..engine.services_host import find_host

# After the expected runs came: a moment more, so a run that should not have come (a count exceeded) is seen.
SETTLE_S = 0.5


@dataclass(frozen=True)
class ScenarioOutcome:
    runs: tuple[SeenRun, ...]
    http_status: int | None
    problem: str = ""
    """Why the action could not be done (the front door refused the connection, no such bucket, ...)."""
    result: object = None
    """The InvocationResult of the first run (its figures stand for the case), None when none came."""
    log: tuple[str, ...] = field(default=())
    cold: bool = False


class ScenarioStage(QObject):
    def __init__(self, session: RunSession, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.folder = session, Path(folder)
        self.server: ServeServer | None = None
        self.lines: list[str] = []
        """What making the triggers live said (the triggers, their configuration's problems)."""

    async def start(self) -> None:
        """Raises OSError (a port) or engine.services_host.HostStartError."""
        server = ServeServer(self.folder, ServeOptions("127.0.0.1", 0, 0), session=self.session, parent=self)
        await server.start()
        self.server = server
        self.lines = await asyncio.to_thread(link_triggers, self.folder, None, server.lambda_url)

    async def stop(self) -> None:
        server, self.server = self.server, None
        if server is None:
            return

        await asyncio.to_thread(unlink_triggers, self.folder, server.lambda_url)
        await server.stop()
        server.deleteLater()

    def starter(self, case) -> "ScenarioCall":
        return ScenarioCall(self, case.scenario)


class ScenarioCall(QObject):
    log_lines = Signal(list)
    """Log lines of the scenario's runs (list[str]), as they arrive."""
    finished = Signal(object)
    """The ScenarioOutcome, exactly once."""

    def __init__(self, stage: ScenarioStage, scenario: Scenario) -> None:
        super().__init__(stage)
        self.stage, self.scenario = stage, scenario
        self._runs: list = []
        self._done = False
        self._started_at = 0.0
        self._task = asyncio.ensure_future(self._run())

    def cancel(self) -> None:
        self._task.cancel()

    def _on_run(self, run) -> None:
        record = run.record
        if record is not None and record.started_at >= self._started_at:
            self._runs.append(record)
            self.log_lines.emit([f"--- {record.function} from {record.source} ---", *record.log])

    async def _run(self) -> None:
        session = self.stage.session
        session.run_finished.connect(self._on_run)
        status, problem = None, ""
        try:
            self._started_at = time.time()
            try:
                status = await self._act()
            except Exception as error:  # noqa: BLE001 - a failed action is the case's failure, in words
                problem = f"{self.scenario.action.words()} failed: {type(error).__name__}: {error}"
            deadline = time.monotonic() + self.scenario.wait_s
            while not problem and time.monotonic() < deadline and not runs_complete(self.scenario, self._seen()):
                await asyncio.sleep(0.05)
            await asyncio.sleep(SETTLE_S)
            while session.running and time.monotonic() < deadline:
                await asyncio.sleep(0.05)  # a run in flight is counted once it has finished
        except asyncio.CancelledError:
            problem = "stopped"
        finally:
            session.run_finished.disconnect(self._on_run)
        first = self._runs[0] if self._runs else None
        self.finished.emit(ScenarioOutcome(self._seen(), status, problem, first.result if first else None,
                                           tuple(first.log) if first else (), bool(first and first.cold)))

    def _seen(self) -> tuple[SeenRun, ...]:
        return tuple(SeenRun(r.function, r.source, r.result.succeeded) for r in self._runs)

    async def _act(self) -> int | None:
        action = self.scenario.action
        if action.kind == "http":
            headers = {"Content-Type": "application/json", **{str(k): str(v) for k, v in
                                                               dict(action.get("headers") or {}).items()}}
            async with aiohttp.ClientSession() as client:
                async with client.request(str(action.get("method", "POST")).upper(),
                                          f"{self.stage.server.api_url}{action.get('path')}",
                                          data=action.payload("body") if action.get("body") is not None else None,
                                          headers=headers) as response:
                    await response.read()
                    return response.status
        await asyncio.to_thread(_write, self.stage.folder, action)
        return None


def _write(folder: Path, action) -> None:
    record = find_host(folder)
    if record is None:
        raise RuntimeError("the workspace's local services are not running")
    client = ServicesClient(record)
    names = {r["logicalId"]: r["name"] for r in client.resources()["resources"]}
    if action.kind == "object":
        bucket = str(action.get("bucket"))
        client.put_object(names.get(bucket, bucket), str(action.get("key")), action.payload("content"))
    elif action.kind == "item":
        table = str(action.get("table"))
        client.put_item(names.get(table, table), dict(action.get("item")))
    else:
        queue = str(action.get("queue"))
        sqs = client.client("sqs")
        url = sqs.get_queue_url(QueueName=names.get(queue, queue))["QueueUrl"]
        client.send_message(url, action.payload("body").decode())
