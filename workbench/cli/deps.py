"""`lambda-workbench deps`: show and build a function's environment (interpreter, dependencies, layers, SDK,
deploy parity, size), so CI can pre-build the cache before it runs anything.

Exit status: 0 when every entry is built or was current, 1 when an install failed, 2 for bad input.
The installers' output goes to stderr; the report to stdout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QEventLoop

from ..core.child.built_environment import BuildFailure
from ..core.child.environment_report import report_lines
from ..core.function.function_config import ARCHITECTURES, RUNTIMES, FunctionConfig
from ..core.function.invocation_request import RunProblem, find_function
from ..core.workspace.workspace import load_workspace
from ..engine.environment_builder import EnvironmentBuilder
from ..engine.qt_startup import headless_qt
from .arguments import CommandParser, parse_arguments

PROG = "lambda-workbench deps"


class UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(prog=PROG, description="Show and build functions' environments "
                                     "(dependencies into the cache, layers, the runtime's SDK).")
    parser.add_argument("function_id", nargs="?", metavar="FUNCTION",
                        help="the workspace's function (default: every function of the workspace)")
    parser.add_argument("--workspace", metavar="DIR", default=None, help="workspace folder (default: .)")
    parser.add_argument("--code-dir", default=None, help="a bare code folder instead of a workspace's function")
    parser.add_argument("--runtime", default=None, choices=RUNTIMES, metavar="RUNTIME",
                        help="with --code-dir: its runtime (default python3.12)")
    parser.add_argument("--architecture", choices=ARCHITECTURES, default=None)
    parser.add_argument("--rebuild", action="store_true", help="discard the cache entries first and build anew")
    parser.add_argument("--no-build", action="store_true", help="only show; build nothing")
    return parser


def resolve_functions(args: argparse.Namespace) -> list[FunctionConfig]:
    folder = Path(args.workspace) if args.workspace else Path.cwd()
    if not folder.is_dir():
        raise UsageError(f"--workspace {args.workspace}: no such folder")
    if args.code_dir:
        code_dir = Path(args.code_dir).resolve()
        if not code_dir.is_dir():
            raise UsageError(f"--code-dir {args.code_dir}: no such folder")
        return [FunctionConfig(name=args.function_id or code_dir.name, handler="app.handler",
                               runtime=args.runtime or "python3.12", code_dir=str(code_dir),
                               architecture=args.architecture or "x86_64")]
    if args.runtime:
        raise UsageError("--runtime needs --code-dir; a workspace's function has its own")
    workspace = load_workspace(folder)
    if args.function_id is None and len(workspace.functions) != 1:
        if workspace.problem:
            raise UsageError(workspace.problem.splitlines()[0])
        configs = [function.config for function in workspace.functions if function.runnable]
        if not configs:
            raise UsageError(f"{folder} has no function that runs locally")
    else:
        found = find_function(workspace, args.function_id)
        if isinstance(found, RunProblem):
            raise UsageError(str(found))
        configs = [found]
    if args.architecture:
        configs = [replace(config, architecture=args.architecture) for config in configs]
    return configs


def build_and_report(configs: list[FunctionConfig], rebuild: bool, build: bool, stdout: TextIO,
                     stderr: TextIO) -> int:
    with headless_qt() as app:
        return _build_each(configs, rebuild, build, stdout, stderr, EnvironmentBuilder(dict(os.environ), app))


def _build_each(configs: list[FunctionConfig], rebuild: bool, build: bool, stdout: TextIO, stderr: TextIO,
                builder: EnvironmentBuilder) -> int:
    failed = False
    for number, config in enumerate(configs):
        if rebuild:
            _manifest, entry = builder.dependency_entry(config)
            if entry is not None and entry.is_dir():
                shutil.rmtree(entry)
        outcome = builder.ready(config)
        if outcome is None and build:
            running = builder.build(config)
            loop = QEventLoop()
            running.output.connect(lambda lines: (stderr.write("".join(f"{line}\n" for line in lines)), stderr.flush()))
            results: list = []
            running.finished.connect(results.append)
            running.finished.connect(loop.quit)
            loop.exec()
            outcome = results[0]
        if number:
            stdout.write("\n")
        stdout.write("".join(f"{line}\n" for line in report_lines(builder.describe(config))))
        if isinstance(outcome, BuildFailure):
            stdout.write(f"FAILED: {outcome.message}\n")
            failed = True
        elif outcome is not None:
            for notice in outcome.notices:
                stdout.write(f"{notice}\n")
        stdout.flush()
    return 1 if failed else 0


def main(argv: list[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args = parse_arguments(build_parser(), argv)
    if isinstance(args, int):
        return args
    try:
        configs = resolve_functions(args)
    except UsageError as error:
        stderr.write(f"{PROG}: error: {error}\n")
        return 2
    return build_and_report(configs, args.rebuild, not args.no_build, stdout, stderr)
