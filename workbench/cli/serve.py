"""`lambda-workbench serve`: the workspace's functions behind a local Lambda Invoke API and an HTTP front
door (API Gateway routes, Function URLs), with its schedules, until Ctrl+C or SIGTERM.

Exit status: 0 after a clean stop, 2 for bad usage or input, a port that cannot be bound included.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import qasync

from ..engine.history_writer import history_writer_for
from ..engine.qt_startup import headless_qt, on_interrupt
from ..serve.same_user import OPEN_WARNING
from ..serve.server import (DEFAULT_API_PORT, DEFAULT_HOST, DEFAULT_LAMBDA_PORT, DEFAULT_MAX_ENVIRONMENTS,
                            ServeOptions, ServeServer, exposure_warning)
from .arguments import CommandParser
from .local_services import add_aws_option
from .serve_report import describe_endpoints, print_call, print_run
from .local_services import apply_aws
from ..engine.trigger_link import link_triggers, unlink_triggers


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="lambda-workbench serve",
        description="Serve the workspace's functions as AWS reaches them: the Lambda Invoke API (boto3, the AWS "
                    "CLI, the SDKs with --endpoint-url) and the HTTP routes of its template's Events.")
    parser.add_argument("--workspace", default=".", metavar="DIR", help="the workspace folder (default: .)")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to bind (default {DEFAULT_HOST}; anything else is reachable by others)")
    parser.add_argument("--lambda-port", type=int, default=DEFAULT_LAMBDA_PORT,
                        help=f"port of the Invoke API (default {DEFAULT_LAMBDA_PORT}; 0 picks a free one)")
    parser.add_argument("--api-port", type=int, default=DEFAULT_API_PORT,
                        help=f"port of the HTTP front door (default {DEFAULT_API_PORT}; 0 picks a free one)")
    parser.add_argument("--max-environments", type=int, default=DEFAULT_MAX_ENVIRONMENTS, metavar="N",
                        help=f"environments per function at once; more calls queue (default {DEFAULT_MAX_ENVIRONMENTS})")
    parser.add_argument("--schedule", action="append", default=[], metavar="FUNCTION",
                        help="run this function's Schedule/ScheduleV2 events on time (repeatable; off by default)")
    parser.add_argument("--retry-delay-scale", type=float, default=1.0, metavar="FACTOR",
                        help="multiply Lambda's Event retry delays (1 and 2 minutes), e.g. 0.01 for tests")
    parser.add_argument("--max-queued-event-mb", type=float, default=256, metavar="MB",
                        help="Event calls held at most (default 256 MB); beyond, 429 TooManyRequestsException")
    parser.add_argument("--allow-other-users", action="store_true",
                        help="answer other users' processes (and other machines, with --host) too; by default "
                             "only your own user's processes are answered")
    parser.add_argument("--reveal-secrets", action="store_true",
                        help="give the values of secret-looking variables (TOKEN, PASSWORD, KEY, ...) in "
                             "GetFunction, GetFunctionConfiguration and ListFunctions; masked (****) by default")
    add_aws_option(parser)
    parser.add_argument("--quiet", action="store_true", help="do not print the functions' log lines")
    parser.add_argument("--no-history", action="store_true", help="do not record the runs in the workspace's history")
    return parser


def main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    folder = Path(args.workspace)
    if not folder.is_dir():
        print(f"lambda-workbench serve: {folder}: not a folder", file=sys.stderr)
        return 2
    for option, port in (("--lambda-port", args.lambda_port), ("--api-port", args.api_port)):
        if not 0 <= port <= 65535:
            print(f"lambda-workbench serve: {option} {port}: not a port (0-65535)", file=sys.stderr)
            return 2
    if args.max_environments < 1 or args.retry_delay_scale < 0:
        print("lambda-workbench serve: --max-environments must be 1 or more and --retry-delay-scale 0 or more",
              file=sys.stderr)
        return 2
    return _serve(args, folder)


def _serve(args, folder: Path) -> int:
    with headless_qt() as app:
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        stopping = asyncio.Event()
        with on_interrupt(lambda: loop.call_soon_threadsafe(stopping.set)):
            return _serve_until_stopped(args, folder, app, loop, stopping)


def _serve_until_stopped(args, folder: Path, app, loop, stopping: asyncio.Event) -> int:
    options = ServeOptions(args.host, args.lambda_port, args.api_port, args.max_environments,
                           args.retry_delay_scale, int(args.max_queued_event_mb * 1024 * 1024),
                           allow_other_users=args.allow_other_users, reveal_secrets=args.reveal_secrets)
    history = None if args.no_history else history_writer_for(folder, app)
    server = ServeServer(folder, options, history=history)
    # What the history has to say (a damaged file moved aside, a write that failed): a warning, not a stop.
    server.caller.session.history_problem.connect(
        lambda text: print(f"lambda-workbench serve: warning: {text}", file=sys.stderr, flush=True))
    workspace = server.caller.workspace()
    if workspace.problem:
        print(f"lambda-workbench serve: {workspace.problem}", file=sys.stderr)
    unknown = [name for name in args.schedule if workspace.function(name) is None]
    if unknown:
        print(f"lambda-workbench serve: --schedule {unknown[0]}: no such function in {folder} "
              f"(functions: {', '.join(workspace.function_names)})", file=sys.stderr)
        return 2
    try:
        apply_aws(server.caller.session, folder, args.aws)
    except Exception as error:  # a bad setting, or a host that cannot start: nothing is served
        print(f"lambda-workbench serve: local AWS services: {error}", file=sys.stderr)
        return 2
    server.call_served.connect(print_call)
    if not args.quiet:
        server.run_finished.connect(print_run)
    server.problem.connect(lambda text: print(f"problem: {text}", file=sys.stderr, flush=True))

    async def run() -> int:
        try:
            await server.start()
        except OSError as error:  # PortUnavailable names the port
            print(f"lambda-workbench serve: {error}", file=sys.stderr)
            return 2
        warning = exposure_warning(args.host, args.allow_other_users)
        if warning:
            print(warning, file=sys.stderr, flush=True)
        if args.allow_other_users:
            print(OPEN_WARNING, file=sys.stderr, flush=True)
        for name in args.schedule:
            server.schedules.set_enabled(name, True)
        try:
            for line in link_triggers(folder, args.aws, server.lambda_url, args.retry_delay_scale):
                print(line, file=sys.stderr, flush=True)
        except Exception as error:  # noqa: BLE001 - serving goes on; the triggers stay off and say why
            print(f"lambda-workbench serve: triggers are off: {error}", file=sys.stderr, flush=True)
        print(describe_endpoints(server), flush=True)
        await stopping.wait()

        unlink_triggers(folder, server.lambda_url)
        dropped = await server.stop()
        note = f"; {dropped} accepted Event call(s) had not finished and were dropped" if dropped else ""
        if server.stopped_calls:
            note += (f"; {server.stopped_calls} call(s) in flight were stopped (Sandbox.Stopped), answered and "
                     "recorded")
        print(f"Stopped: every environment ended{note}.", file=sys.stderr, flush=True)
        return 0

    try:
        with loop:
            return loop.run_until_complete(run())
    finally:
        if history is not None:
            history.close()
