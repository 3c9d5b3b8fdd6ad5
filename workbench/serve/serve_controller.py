"""Serving from the window: starts and stops a ServeServer for the open workspace on the window's run session
(so served calls land in the same history), and reports its state, its calls and its schedules as signals
the Serve panel shows. The app wires the two; neither imports the other."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot

from ..engine.run_session import RunSession
from ..core.workspace.aws_settings import AwsSettings, load_aws_settings
from .remote_invoke import invoke_remote, remote_client
from ..engine.trigger_link import link_triggers, unlink_triggers
from .server import ServeOptions, ServeServer, exposure_warning


class ServeController(QObject):
    serving_changed = Signal(bool, str)
    """serving?, a description for the user (the two base URLs, or why it is off)."""
    call_served = Signal(object)
    """A ServedCall, as the server answered it."""
    schedules_listed = Signal(list, set)
    """(function, event name, expression) rows and the functions whose schedules are on."""
    problem = Signal(str)
    remote_finished = Signal(object)
    """The RunRecord of a Run on AWS (source "remote"), recorded through the session like any run."""

    def __init__(self, folder: Callable[[], Path | None], session: RunSession,
                 options: ServeOptions = ServeOptions(), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder = folder
        self._session = session
        self.options = options
        self.server: ServeServer | None = None
        self._busy = False
        self._triggers_linked = False
        """The services host calls this server's Invoke API for the workspace's triggers."""
        self.remote_endpoint_url: str | None = None
        """Run on AWS against another endpoint (tests: a serve of our own); None: AWS, or AWS_ENDPOINT_URL_LAMBDA."""

    @Slot(bool)
    def set_serving(self, on: bool) -> None:
        """Start or stop (on the running qasync loop); the panel follows serving_changed."""
        asyncio.ensure_future(self.start() if on else self.stop())

    async def start(self) -> None:
        folder = self._folder()
        if self.server is not None or self._busy:
            return
        if folder is None:
            self.serving_changed.emit(False, "Open a workspace to serve it.")
            return
        self._busy = True
        server = ServeServer(folder, self.options, session=self._session, parent=self)
        server.call_served.connect(self.call_served)
        server.problem.connect(self.problem)
        try:
            await server.start()
        except OSError as error:
            self.serving_changed.emit(False, f"Not serving: {error}.")
            server.deleteLater()
            return
        finally:
            self._busy = False
        self.server = server
        warning = exposure_warning(self.options.host, self.options.allow_other_users)
        text = f"Invoke API  {server.lambda_url}\nHTTP routes  {server.api_url}\n" + route_lines(server)
        self.serving_changed.emit(True, f"{warning}\n{text}" if warning else text)
        self._list_schedules()
        try:
            lines = await asyncio.to_thread(link_triggers, folder, None, server.lambda_url)
        except Exception as error:  # noqa: BLE001 - serving goes on; the triggers stay off and say why
            lines = [f"Triggers are off: {error}"]
        self._triggers_linked = bool(lines)
        if lines and self.server is server:
            text += "".join(f"\n{line}" for line in lines)
            self.serving_changed.emit(True, f"{warning}\n{text}" if warning else text)

    async def stop(self) -> None:
        server, self.server = self.server, None
        if server is None:
            self.serving_changed.emit(False, "Not serving.")
            return
        if self._triggers_linked:
            self._triggers_linked = False
            await asyncio.to_thread(unlink_triggers, server.caller.folder, server.lambda_url)
        dropped = await server.stop()
        server.deleteLater()
        note = f" {dropped} accepted Event call(s) had not run and were dropped." if dropped else ""
        self.serving_changed.emit(False, f"Not serving.{note}")

    @Slot(str)
    def follow_workspace(self, folder: str) -> None:
        """Another workspace opened while serving: serve that one instead (same ports when they were fixed)."""
        if self.server is not None and Path(folder).resolve() != self.server.caller.folder:
            asyncio.ensure_future(self._restart())

    async def _restart(self) -> None:
        await self.stop()
        await self.start()

    @Slot(str, bool)
    def set_schedule_enabled(self, function: str, enabled: bool) -> None:
        if self.server is not None:
            self.server.schedules.set_enabled(function, enabled)

    @Slot(str, str)
    def fire(self, function: str, event_name: str) -> None:
        if self.server is None:
            self.problem.emit("Serve first: a schedule fires through the running endpoint.")
            return
        if self.server.schedules.fire(function, event_name or None) is None:
            self.problem.emit(f"{function} has no schedule {event_name}.")

    def _list_schedules(self) -> None:
        schedules = self.server.schedules
        rows = [(s.function, s.event_name, s.expression) for s in schedules.schedules()]
        self.schedules_listed.emit(rows, set(schedules.enabled))

    @Slot(object)
    def run_remote(self, prepared) -> None:
        asyncio.ensure_future(self.run_remote_and_wait(prepared))

    async def run_remote_and_wait(self, prepared):
        """The call on a worker thread (boto3 blocks); the record recorded through the session, on this
        thread. None on failure."""
        # Here, not at the top: botocore only when Run on AWS is used, not on every start of the window.
        import botocore.exceptions

        try:
            # The workspace's AWS settings (profile, region) as the Dependencies panel shows and saves them,
            # else the function's own region: the call goes where the settings say.
            folder = self._folder()
            aws = load_aws_settings(folder) if folder is not None else AwsSettings()
            client = remote_client(aws.profile, aws.region, self.remote_endpoint_url, prepared.config.region)
            record = await asyncio.to_thread(invoke_remote, prepared, prepared.config.name, client)
        except botocore.exceptions.ClientError as error:
            details = error.response.get("Error", {})
            self.problem.emit(f"Run on AWS: {details.get('Code', 'error')}: {details.get('Message', '')}")
            return None
        except botocore.exceptions.BotoCoreError as error:
            self.problem.emit(f"Run on AWS: {error}")
            return None
        self._session.record_external(record)
        self.remote_finished.emit(record)
        return record


def route_lines(server: ServeServer) -> str:
    """The routes the front door answers, one a line (`POST /orders → OrderFunction`), or how to add one."""
    routes = server.front_door.routes()
    if not routes:
        return "No HTTP routes: add Api or HttpApi events, or a FunctionUrlConfig, to a function."
    return "\n".join(f"{route.method:6} {route.display_path}  →  {route.function}" for route in routes)
