"""`lambda-workbench services`: the workspace's local AWS.

    lambda-workbench services [--workspace DIR] [--port N]     run it in the foreground until Ctrl+C; with
                                                                triggers declared, the functions they call run
                                                                here too (each call a run in history)
    lambda-workbench services outbox [--json]                   the emails sent, newest first
    lambda-workbench services reset [RESOURCE]                  back to the seed (all, one resource, "outbox")
    lambda-workbench services list [--json]                     the resources and their names
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

from ..core.services.local_access import LOCAL_SECRET_ACCESS_KEY, WORKBENCH_ACCESS_KEY
from .arguments import CommandParser, parse_arguments
from ..core.services.settings import LOCAL, load_services_settings
from ..core.triggers.trigger_reader import load_triggers
from ..engine.services_host import HostStartError, control, find_host, start_host, stop_host
from ..engine.services_client import ServicesClient
from .services_functions import run_functions_until_stopped

PROG = "lambda-workbench services"


def _parser() -> argparse.ArgumentParser:
    parser = CommandParser(prog=PROG, description="The workspace's local AWS services.")
    parser.add_argument("action", nargs="?", default="run", choices=("run", "outbox", "reset", "list"))
    parser.add_argument("resource", nargs="?", help="with reset: a logical id, name or ARN, or 'outbox'")
    parser.add_argument("--workspace", default=".", metavar="DIR")
    parser.add_argument("--port", type=int, default=0, help="with run: the port (default: a free one)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--no-history", action="store_true", help="with run: do not record the triggered runs")
    parser.add_argument("--retry-delay-scale", type=float, default=1.0, metavar="FACTOR",
                        help="with run: multiply Lambda's async retry delays (1 and 2 minutes), e.g. 0.01 for tests")
    parser.add_argument("--quiet", action="store_true", help="with run: do not print the functions' log lines")
    return parser


def exports(endpoint: str, region: str) -> list[str]:
    """The lines that point the AWS CLI, boto3 scripts and tests at the host."""
    return [f"export AWS_ENDPOINT_URL={endpoint}", f"export AWS_ACCESS_KEY_ID={WORKBENCH_ACCESS_KEY}",
            f"export AWS_SECRET_ACCESS_KEY={LOCAL_SECRET_ACCESS_KEY}", f"export AWS_REGION={region}",
            f"export AWS_DEFAULT_REGION={region}"]


def _runs_functions_here(workspace: Path, record) -> bool:
    """Triggers are declared, the functions' calls are local, and nothing else runs them yet (the window or
    `serve` registered with a host that was already running)."""
    if load_services_settings(workspace).calls != LOCAL or not load_triggers(workspace).triggers:
        return False
    try:
        invoker = control(record, "GET", "triggers").get("invoker")
    except (OSError, ValueError, KeyError):
        return True
    if invoker:
        print(f"The triggers call functions through {invoker} (another process serves them)", flush=True)
    return not invoker


def main(argv: list[str]) -> int:
    args = parse_arguments(_parser(), argv)
    if isinstance(args, int):
        return args

    workspace = Path(args.workspace).absolute()
    if not workspace.is_dir():
        print(f"{PROG}: error: --workspace {args.workspace}: no such folder", file=sys.stderr)
        return 2
    if args.action == "run":
        running = find_host(workspace)
        try:
            record = running or start_host(workspace, port=args.port)
        except HostStartError as error:
            print(f"{PROG}: error: {error}", file=sys.stderr)
            return 2
        print(f"Local AWS for {workspace} at {record.endpoint}" + (" (already running)" if running else ""))
        print("\n".join(exports(record.endpoint, record.region)), flush=True)
        for warning in ServicesClient(record).resources()["warnings"]:
            print(f"WARNING: {warning}", file=sys.stderr)
        if _runs_functions_here(workspace, record):
            code = run_functions_until_stopped(workspace, not args.no_history, args.retry_delay_scale, args.quiet)
            if running is None:
                stop_host(workspace)
            return code
        stopping = []
        signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
        while not stopping and find_host(workspace) is not None:
            time.sleep(0.2)
        if running is None:
            stop_host(workspace)
        return 130 if stopping else 0
    record = find_host(workspace)
    if record is None:
        try:
            record = start_host(workspace)
        except HostStartError as error:
            print(f"{PROG}: error: {error}", file=sys.stderr)
            return 2
    client = ServicesClient(record)
    if args.action == "outbox":
        for mail in client.outbox():
            if args.json:
                print(json.dumps(mail))
            else:
                stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(mail["time"]))
                print(f"{stamp}  {mail['from']} -> {', '.join(mail['to'])}  {mail['subject']}")
        return 0
    if args.action == "list":
        described = client.resources()
        for resource in described["resources"]:
            print(json.dumps(resource) if args.json else
                  f"{resource['logicalId']:<24} {resource['type']:<30} {resource['name']}")
        for warning in described["warnings"]:
            print(f"WARNING: {warning}", file=sys.stderr)
        return 0
    try:
        answer = client.reset(args.resource)
    except KeyError as error:
        print(f"{PROG}: error: {error.args[0] if error.args else error}", file=sys.stderr)
        return 2
    print(f"Reset {answer['reset']} to the seed state")
    for warning in answer["warnings"]:
        print(f"WARNING: {warning}", file=sys.stderr)
    return 0
