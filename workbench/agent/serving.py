"""Running the MCP server in the engine's process: one Qt core application whose event loop is also the
asyncio loop (qasync), so the SDK's coroutines and the run session's signals meet on one thread; stdio,
or streamable HTTP on 127.0.0.1 for this user's processes only. On leaving, every environment is ended
and every run written to history."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from pathlib import Path
from typing import TextIO
from ..core.workspace.aws_settings import load_aws_settings
from ..engine.history_writer import history_writer_for
from ..engine.run_session import RunSession
from ..core.services.settings import DEFAULT_REGION, LocalServices, load_services_settings
from PySide6.QtCore import QCoreApplication, QTimer
from ..engine.main_thread_collector import MainThreadCollector
from .desk import AgentDesk
from .server import build_server
import contextlib
from .loopback_guard import SameUserOnly

HOST = "127.0.0.1"
PATH = "/mcp"


def open_session(folder: Path, parent, record: bool = True):
    """The run session the tools drive: the workspace's AWS settings, its history written in the background."""
    history = history_writer_for(folder, parent) if record else None
    session = RunSession(history=history, parent=parent)
    aws = load_aws_settings(folder)
    session.set_aws(aws.profile, aws.region, dict(aws.endpoints), local_services(folder, aws.region))
    return session


def local_services(folder: Path, region: str | None):
    """In local mode (the workspace's setting, local by default) the functions' calls go to the workspace's
    services host, started on the first function that uses the SDK; None in account mode."""
    settings = load_services_settings(folder)
    if not settings.local:
        return None
    return LocalServices(str(folder.absolute()), region or DEFAULT_REGION, settings.keep_on_account)


def bind(port: int) -> socket.socket:
    """The HTTP transport's listening socket, on loopback only (port 0: a free one)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((HOST, port))
    except OSError:
        listener.close()
        raise
    listener.listen(128)
    return listener


def serve(folder: Path, allow_write: bool, port: int | None, record: bool, stderr: TextIO,
          local_aws=None) -> int:
    # Here: qasync (Qt's loop as asyncio's) loads only when the server starts, not with open_session's users
    import qasync

    listener = None
    if port is not None:
        try:
            listener = bind(port)
        except OSError as error:
            stderr.write(f"lambda-workbench mcp: cannot listen on {HOST}:{port}: {error.strerror or error}\n")
            return 1
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    collector = MainThreadCollector(app)  # the Runtime API's threads must never free a Qt object
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    session = open_session(folder, app, record)
    session.history_problem.connect(lambda text: stderr.write(f"lambda-workbench mcp: warning: {text}\n"))
    desk = AgentDesk(folder, session)
    server = build_server(desk, allow_write, local_aws)
    # Python runs signal handlers only between bytecodes: a tick lets them in while Qt waits.
    ticker = QTimer(app, interval=200)
    ticker.timeout.connect(lambda: None)
    ticker.start()
    mode = "read and write" if allow_write else "read-only; --allow-write for saving presets"

    async def run() -> int:
        http = None
        if listener is None:
            stderr.write(f"lambda-workbench mcp: serving {folder} over stdio ({mode})\n")
            main = asyncio.ensure_future(server.run_stdio_async())
        else:
            http = _http_server(server)
            main = asyncio.ensure_future(http.serve(sockets=[listener]))
            stderr.write(f"lambda-workbench mcp: serving {folder} at http://{HOST}:{listener.getsockname()[1]}"
                         f"{PATH} ({mode})\n")
        stderr.flush()

        def stop(*_) -> None:
            # HTTP: uvicorn finishes the requests in flight; stdio: the transport simply ends.
            if http is not None:
                http.should_exit = True
            else:
                loop.call_soon_threadsafe(main.cancel)

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, stop)
        try:
            await main
        except asyncio.CancelledError:
            pass
        return 0

    try:
        with loop:
            return loop.run_until_complete(run())
    finally:
        session.shutdown()
        desk.close()
        collector.stop()
        if listener is not None:
            listener.close()


def _http_server(server):
    """uvicorn serving the SDK's streamable HTTP app behind the same-user door."""
    # Here: uvicorn is loaded only for --port (streamable HTTP); stdio never needs it
    import uvicorn

    class EmbeddedServer(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self):
            # Ctrl+C and SIGTERM are the command's: it stops this server, then ends every environment.
            yield

    app = SameUserOnly(server.streamable_http_app(streamable_http_path=PATH, host=HOST))
    return EmbeddedServer(uvicorn.Config(app, log_level="warning", lifespan="on"))
