"""`lambda-workbench services` with triggers: something has to run the functions they call. As `serve` does, a
run session behind the workbench's Lambda Invoke API (and the HTTP front door: an action of a scenario may be a
route) on free loopback ports, registered with the services host (engine/trigger_link.py); each triggered call
is a run in the workspace's history with its source. Ends when the host stops or on Ctrl+C / SIGTERM."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import qasync

from ..engine.history_writer import history_writer_for
from ..engine.qt_startup import headless_qt, on_interrupt
from ..serve.server import ServeOptions, ServeServer
from ..engine.services_host import find_host
from ..engine.trigger_link import link_triggers, unlink_triggers
from .local_services import apply_aws
from .serve_report import print_run

PROG = "lambda-workbench services"
HOST_CHECK_S = 0.2


def run_functions_until_stopped(folder: Path, history: bool, delay_scale: float, quiet: bool) -> int:
    """Serve the functions for the host's triggers until the host goes (0) or a signal comes (130); 2 when the
    ports cannot be bound."""
    with headless_qt() as app:
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        stopping = asyncio.Event()
        with on_interrupt(lambda: loop.call_soon_threadsafe(stopping.set)) as interrupted:
            writer = history_writer_for(folder, app) if history else None
            try:
                with loop:
                    code = loop.run_until_complete(_serve(folder, writer, delay_scale, quiet, stopping))
            finally:
                if writer is not None:
                    writer.close()
            return 130 if interrupted else code


async def _serve(folder: Path, writer, delay_scale: float, quiet: bool, stopping: asyncio.Event) -> int:
    server = ServeServer(folder, ServeOptions("127.0.0.1", 0, 0, retry_delay_scale=delay_scale), history=writer)
    server.caller.session.history_problem.connect(
        lambda text: print(f"{PROG}: warning: {text}", file=sys.stderr, flush=True))
    apply_aws(server.caller.session, folder, None)
    if not quiet:
        server.run_finished.connect(print_run)
    try:
        await server.start()
    except OSError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    for line in link_triggers(folder, None, server.lambda_url, delay_scale):
        print(line, file=sys.stderr, flush=True)
    print(f"Functions run for the triggers through the Invoke API at {server.lambda_url} (front door "
          f"{server.api_url})", flush=True)
    while not stopping.is_set() and find_host(folder) is not None:
        try:
            await asyncio.wait_for(stopping.wait(), HOST_CHECK_S)
        except asyncio.TimeoutError:
            pass
    unlink_triggers(folder, server.lambda_url)
    await server.stop()
    return 0
