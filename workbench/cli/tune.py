"""`lambda-workbench tune FUNCTION --preset NAME`: run one preset N times at each memory size and say which
size is fastest, cheapest and balanced — a local estimate, with Lambda's CPU share of each size applied
where this machine allows it (and said plainly where it does not).

Exit status: 0 when at least one size ran, 1 when every size failed, 2 for bad input (nothing run).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from ..core.function.invocation_request import RunProblem, find_function, prepare_invocation
from ..core.tuning.memory_sweep import DEFAULT_RUNS, DEFAULT_SIZES, parse_sizes, recommend
from ..core.tuning.tune_report import cpu_note, figures_line, header_lines, recommendation_lines, sweep_document
from ..core.workspace.preset_store import PresetStore
from ..core.workspace.workspace import load_workspace
from ..engine.suite_run import session_starter
from ..engine.tune_run import TuneRun
from .arguments import CommandParser, parse_arguments
from ..core.vocabulary import RunSource
from .local_services import add_aws_option
from .command_session import command_session
from .interrupt import run_until_finished

PROG = "lambda-workbench tune"


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=PROG, description="Run a preset at several memory sizes and compare Duration and cost (local estimate).")
    parser.add_argument("function", metavar="FUNCTION", help="the workspace's function")
    parser.add_argument("--preset", required=True, metavar="NAME", help="the preset to run (the function's own or shared)")
    parser.add_argument("--workspace", default=".", metavar="DIR", help="the workspace folder (default: .)")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), metavar="MB,MB,...",
                        help=f"memory sizes (default {','.join(map(str, DEFAULT_SIZES))})")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, metavar="N",
                        help=f"calls at each size, the first cold (default {DEFAULT_RUNS})")
    parser.add_argument("--json", metavar="FILE", help="write one object per size (memoryMB, p50DurationMs, "
                                                       "p90DurationMs, avgCostUSD, failed, ...)")
    add_aws_option(parser)
    parser.add_argument("--no-history", action="store_true", help="do not record the runs in the workspace's history")
    return parser


def main(argv: list[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args = parse_arguments(build_parser(), argv)
    if isinstance(args, int):
        return args
    try:
        sizes = parse_sizes(args.sizes)
    except ValueError as error:
        return _bad_input(stderr, f"--sizes: {error}")
    if args.runs < 1:
        return _bad_input(stderr, f"--runs {args.runs}: must be 1 or more")
    if args.json and not Path(args.json).resolve().parent.is_dir():
        return _bad_input(stderr, f"cannot write {args.json}: no such folder")
    prepared = _prepare(args, stderr)
    if isinstance(prepared, int):
        return prepared
    return _run(prepared, sizes, args, stdout, stderr)


def _prepare(args, stderr: TextIO):
    folder = Path(args.workspace)
    if not folder.is_dir():
        return _bad_input(stderr, f"--workspace {args.workspace}: no such folder")
    workspace = load_workspace(folder)
    config = find_function(workspace, args.function)
    if isinstance(config, RunProblem):
        return _bad_input(stderr, str(config))
    presets = PresetStore(workspace.folder).list(config.name)
    preset = next((p for p in presets if p.name == args.preset), None)
    if preset is None:
        names = ", ".join(dict.fromkeys(p.name for p in presets)) or "none"
        return _bad_input(stderr, f"{config.name} has no preset {args.preset!r} (its presets: {names})")
    prepared = prepare_invocation(config, preset.text, str(preset.path.relative_to(workspace.folder)),
                                  preset=preset.name)
    if isinstance(prepared, list):
        return _bad_input(stderr, str(prepared[0]))
    return prepared


def _run(prepared, sizes, args, stdout: TextIO, stderr: TextIO) -> int:
    results = []
    architecture = prepared.config.architecture

    def on_size(figures) -> None:
        stdout.write(figures_line(figures, architecture) + "\n")
        stdout.flush()

    with command_session(PROG, None if args.no_history else Path(args.workspace), stderr, Path(args.workspace),
                         args.aws) as session:
        run = TuneRun(prepared, sizes, args.runs, session_starter(session, source=RunSource.TUNE))
        for line in header_lines(prepared, sizes, args.runs):
            stdout.write(line + "\n")
        stdout.flush()
        run.size_finished.connect(on_size)
        run.call_finished.connect(lambda _size, sweep_run: results.append(sweep_run.result))
        interrupted = run_until_finished(run)
    recommendation = recommend(run.figures, architecture, cpu_note(results))
    for line in recommendation_lines(recommendation, run.cancelled, run.figures):
        stdout.write(line + "\n")
    if args.json:
        document = sweep_document(run.figures, recommendation, architecture)
        Path(args.json).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    if interrupted:
        stderr.write(f"{PROG}: interrupted; the sizes measured so far are above\n")
        return 130
    return 0 if any(f.failed is None for f in run.figures) else 1


def _bad_input(stderr: TextIO, message: str) -> int:
    stderr.write(f"{PROG}: error: {message}\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
