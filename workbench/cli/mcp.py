"""`lambda-workbench mcp`: the workspace's functions, presets, runs, tests and tuning as Model Context
Protocol tools for coding agents, over stdio (the client starts this command) or, with --port, over
streamable HTTP on 127.0.0.1 for this user's processes only.

Read-only unless --allow-write (saving presets; resetting local AWS services). Every call an agent makes
is a run of the run session, recorded in the workspace's history with source "agent".
Exit status: 0 after the client hangs up or Ctrl+C / SIGTERM, 1 when the port cannot be bound, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from .arguments import CommandParser, parse_arguments
from ..agent.local_aws import HostLocalAws
from ..agent.serving import serve
from ..core.services.settings import SettingsError
from ..core.workspace.aws_settings import load_aws_settings

PROG = "lambda-workbench mcp"


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=PROG, description="Serve the workspace to coding agents over the Model Context Protocol: list "
                               "functions and presets, invoke, read runs and diffs, run tests, tune memory.",
        epilog="A client starts it over stdio, e.g. {\"command\": \"lambda-workbench\", \"args\": [\"mcp\", "
               "\"--workspace\", \"/path/to/project\"]}.")
    parser.add_argument("--workspace", default=".", metavar="DIR", help="the workspace folder (default: .)")
    parser.add_argument("--allow-write", action="store_true",
                        help="allow the tools that change the workspace (save_preset, reset_local_aws)")
    parser.add_argument("--port", type=int, default=None,
                        help="serve streamable HTTP on 127.0.0.1:PORT/mcp instead of stdio (0: a free port)")
    parser.add_argument("--no-history", action="store_true", help="do not record the runs in the workspace's history")
    return parser


def main(argv: list[str], stderr: TextIO | None = None) -> int:
    stderr = stderr or sys.stderr
    args = parse_arguments(build_parser(), argv)
    if isinstance(args, int):
        return args
    folder = Path(args.workspace)
    if not folder.is_dir():
        stderr.write(f"{PROG}: error: --workspace {args.workspace}: no such folder\n")
        return 2
    if args.port is not None and not 0 <= args.port <= 65535:
        stderr.write(f"{PROG}: error: --port {args.port}: not a port (0-65535)\n")
        return 2

    folder = folder.resolve()
    try:
        local_aws = HostLocalAws(folder, load_aws_settings(folder).region)
        return serve(folder, args.allow_write, args.port, not args.no_history, stderr, local_aws=local_aws)
    except SettingsError as error:
        stderr.write(f"{PROG}: error: {error}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
