"""`lambda-workbench test`: run every preset as a test against its expectation, for CI.

One line per case and a summary on stdout; JUnit XML with --junit, a JSON report with --json.
Exit status: 0 when every case passed, 1 when any failed, 2 for bad input (a broken preset or
expectation file, named with file, line and column; an unknown function) — and then nothing runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from ..core.expectations.case_plan import PlanError, plan_tests
from ..core.expectations.case_report import FAILED, case_line, report_document, summarise
from ..core.expectations.junit_report import write_junit
from ..core.workspace.workspace import load_workspace
from ..engine.suite_run import SuiteRun, session_starter
from .arguments import CommandParser, parse_arguments
from .local_services import add_aws_option
from .command_session import command_session
from .interrupt import run_until_finished
from .scenario_runs import run_with_scenarios

# Lines of differences printed under a failing case (all of them are in --json and --junit).
SHOWN_DIFFERENCES = 5


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="lambda-workbench test",
        description="Run the workspace's presets as tests: each against its expectation "
                    "(<preset>.expect.yaml beside it), or, without one, expecting success.")
    parser.add_argument("--workspace", default=".", metavar="DIR", help="the workspace folder (default: .)")
    parser.add_argument("--function", action="append", default=[], metavar="F",
                        help="test only this function (repeatable; default: all)")
    parser.add_argument("--preset", metavar="GLOB", help="test only presets whose name matches, e.g. 'order-*'")
    parser.add_argument("--junit", metavar="FILE", help="write JUnit XML for CI")
    parser.add_argument("--json", metavar="FILE", help="write every case's result and figures as JSON")
    parser.add_argument("--cold", action="store_true", help="a new environment for every case (default: warm per function)")
    parser.add_argument("--no-history", action="store_true", help="do not record the runs in the workspace's history")
    add_aws_option(parser)
    parser.add_argument("--update", action="store_true",
                        help="record each failing case's run into its expectation (and create missing ones)")
    return parser


def main(argv: list[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args = parse_arguments(build_parser(), argv)
    if isinstance(args, int):
        return args
    folder = Path(args.workspace)
    if not folder.is_dir():
        return _bad_input(stderr, f"--workspace {args.workspace}: no such folder")
    workspace = load_workspace(folder)
    if workspace.problem:
        return _bad_input(stderr, workspace.problem)
    try:
        plan = plan_tests(workspace, args.function or None, args.preset, scenarios=True)
    except PlanError as error:
        return _bad_input(stderr, str(error))
    if plan.problems:
        for problem in plan.problems:
            stderr.write(f"lambda-workbench test: error: {_relative(problem, workspace.folder)}\n")
        stderr.write(f"lambda-workbench test: {len(plan.problems)} broken file(s); nothing was run\n")
        return 2
    if args.preset and not plan.cases:
        return _bad_input(stderr, f"--preset {args.preset!r} matches no preset")
    for note in plan.notes:
        stderr.write(f"lambda-workbench test: note: {note}\n")
    for target in (args.junit, args.json):
        if target and not Path(target).resolve().parent.is_dir():
            return _bad_input(stderr, f"cannot write {target}: no such folder")
    return _run(plan, workspace, args, stdout, stderr)


def _run(plan, workspace, args, stdout: TextIO, stderr: TextIO) -> int:
    width = max((len(f"{c.function} {c.name}") for c in plan.cases), default=0)

    def on_case(item) -> None:
        stdout.write(case_line(item, width) + "\n")
        differences = item.verdict.differences if item.status == FAILED else ()
        # The case's line names the first difference; below it, where each one is written, and the rest.
        if len(differences) > 1 or any(d.line for d in differences):
            for difference in differences[:SHOWN_DIFFERENCES]:
                where = f" ({item.case.expectation_path.name}:{difference.line})" if difference.line else ""
                stdout.write(f"      {difference}{where}\n")
        stdout.flush()

    history_folder = None if args.no_history else workspace.folder
    with command_session("lambda-workbench test", history_folder, stderr, workspace.folder, args.aws) as session:
        if any(case.scenario is not None for case in plan.cases):
            run, interrupted = run_with_scenarios(plan, session, workspace.folder, args, on_case, stderr)
            if run is None:
                return 2
        else:
            run = SuiteRun(list(plan.cases), session_starter(session), cold=args.cold, update=args.update)
            run.case_finished.connect(on_case)
            interrupted = run_until_finished(run)
    summary = summarise(run.results, run.seconds)
    stdout.write(f"{summary}\n")
    if args.junit:
        write_junit(run.results, args.junit)
    if args.json:
        Path(args.json).write_text(json.dumps(report_document(run.results, summary), indent=2) + "\n",
                                   encoding="utf-8")
    if interrupted:
        stderr.write("lambda-workbench test: interrupted\n")
        return 130
    return 0 if summary.ok else 1


def _relative(problem, folder: Path) -> str:
    try:
        return str(problem).replace(str(problem.path), str(problem.path.relative_to(folder)), 1)
    except ValueError:
        return str(problem)


def _bad_input(stderr: TextIO, message: str) -> int:
    stderr.write(f"lambda-workbench test: error: {message}\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
