"""The serve endpoint as one object: the Lambda port (Invoke API) and the API port (front door), the Event
queue and the schedules, started and stopped on the running asyncio loop (qasync's, beside Qt)."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from PySide6.QtCore import QObject, Signal

from ..engine.history_writer import HistoryWriter
from ..engine.run_session import RunSession
from .event_queue import EventQueue
from .front_door import FrontDoor
from .function_caller import FunctionCaller
from .invoke_api import InvokeApi
from .same_user import same_user_only
from .schedules import ScheduleRunner

DEFAULT_HOST = "127.0.0.1"
DEFAULT_LAMBDA_PORT = 3001
DEFAULT_API_PORT = 3000
DEFAULT_MAX_ENVIRONMENTS = 10


@dataclass(frozen=True)
class ServeOptions:
    host: str = DEFAULT_HOST
    lambda_port: int = DEFAULT_LAMBDA_PORT
    api_port: int = DEFAULT_API_PORT
    max_environments: int = DEFAULT_MAX_ENVIRONMENTS
    """Environments per function at once; calls beyond them queue."""
    retry_delay_scale: float = 1.0
    """Multiplies Lambda's Event retry delays (1 and 2 minutes); small values make tests quick."""
    max_queued_event_bytes: int = 256 * 1024 * 1024
    """Event calls held in memory at most; beyond, 429 TooManyRequestsException until the queue drains."""
    allow_other_users: bool = False
    """Answer callers of any uid (and other machines'); by default only the workbench's own user is answered."""
    reveal_secrets: bool = False
    """Give secret-looking variables' values in GetFunction(Configuration)/ListFunctions; masked by default."""


def exposure_warning(host: str, allow_other_users: bool = False) -> str | None:
    """A loud warning when the endpoint is bound beyond loopback (it runs code for whoever it answers)."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if loopback:
        return None
    if not allow_other_users:
        return (f"WARNING: serving on {host}, but only your own user's processes on this machine are answered: "
                "other machines are refused (--allow-other-users lets them in).")
    return (f"WARNING: serving on {host}: anyone who can reach this machine can run your functions, with "
            "your files, your environment variables and your AWS credentials. No authentication is checked. "
            f"Bind {DEFAULT_HOST} unless you mean it.")


class PortUnavailable(OSError):
    """A port serve cannot listen on (taken, or not allowed), with which one and what it was for."""

    def __init__(self, errno_: int | None, host: str, port: int, role: str, reason: str) -> None:
        super().__init__(errno_, reason)
        self.host, self.port, self.role, self.reason = host, port, role, reason

    def __str__(self) -> str:
        return f"cannot listen on {self.host} port {self.port} ({self.role}): {self.reason}"


class ServeServer(QObject):
    """Signals: call_served(ServedCall) for every answer and Event attempt; run_finished(CallOutcome) for
    every function run; problem(str) for what the user must know (a bad schedule, ...)."""

    call_served = Signal(object)
    """Every answer and Event attempt (ServedCall)."""
    run_finished = Signal(object)
    """Every function run (CallOutcome)."""
    problem = Signal(str)
    """What the user must know (str): a bad schedule, a trigger that cannot start, ..."""

    def __init__(self, folder: Path | str, options: ServeOptions = ServeOptions(), session: RunSession | None = None,
                 history: HistoryWriter | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self.caller = FunctionCaller(folder, session, options.max_environments, history)
        self.caller.on_outcome = self.run_finished.emit
        self.events = EventQueue(self.caller, self.call_served.emit, options.retry_delay_scale,
                                 options.max_queued_event_bytes)
        self.schedules = ScheduleRunner(self.caller, self.events, self.problem.emit)
        self.invoke_api = InvokeApi(self.caller, self.events, self.call_served.emit, self.schedules.fire,
                                    reveal_secrets=options.reveal_secrets)
        self.front_door = FrontDoor(self.caller, self.call_served.emit, lambda: self.api_port)
        if not options.allow_other_users:
            # Checked first, before routing or reading a body: another user's call learns nothing.
            self.invoke_api.app.middlewares.append(same_user_only("invoke", self.call_served.emit))
            self.front_door.app.middlewares.append(same_user_only("http", self.call_served.emit))
        self._runners: list[web.AppRunner] = []
        self.stopped_calls = 0
        """Calls that were running when stop() was asked, stopped and answered."""
        self.lambda_port = 0
        self.api_port = 0

    @property
    def running(self) -> bool:
        return bool(self._runners)

    @property
    def lambda_url(self) -> str:
        return f"http://{self._url_host()}:{self.lambda_port}"

    @property
    def api_url(self) -> str:
        return f"http://{self._url_host()}:{self.api_port}"

    def _url_host(self) -> str:
        host = self.options.host
        return f"[{host}]" if ":" in host else host

    async def start(self) -> None:
        """Bind both ports (0 picks free ones) and start answering; raises PortUnavailable (an OSError)
        naming the port when one is taken."""
        try:
            self.lambda_port = await self._listen(self.invoke_api.app, self.options.lambda_port, "Invoke API")
            self.api_port = await self._listen(self.front_door.app, self.options.api_port, "HTTP front door")
        except OSError:
            await self.stop()
            raise
        self.schedules.refresh()
        for text in self.starting_problems():
            self.problem.emit(text)

    def starting_problems(self) -> list[str]:
        """What would only show at call time, said now: a function that cannot run (its code folder is
        missing, ...), whose calls would be refused."""
        return [f"function {function.config.name} cannot be served: {function.not_runnable_reason}; its calls "
                "are refused until that is fixed" for function in self.caller.workspace().functions
                if not function.runnable]

    async def _listen(self, app: web.Application, port: int, role: str) -> int:
        # access_log off: every call is reported once, through call_served, with its explanation.
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        self._runners.append(runner)
        site = web.TCPSite(runner, self.options.host, port, reuse_address=True)
        try:
            await site.start()
        except OSError as error:
            # asyncio's text repeats the address; the system's words for the errno are the reason.
            reason = os.strerror(error.errno) if error.errno else str(error)
            raise PortUnavailable(error.errno, self.options.host, port, role, reason) from error
        return runner.addresses[-1][1]

    async def stop(self) -> int:
        """Stop answering, drop queued Event calls and kill every environment; returns the calls dropped."""
        self.schedules.stop()
        for runner in self._runners:  # no new connection from here on
            for site in list(runner.sites):
                await site.stop()
        # Calls in flight end as stopped runs, recorded, and their callers get that answer before we close.
        self.stopped_calls = await self.caller.stop_calls()
        dropped = await self.events.stop()
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()
        self.caller.shutdown()
        return dropped
