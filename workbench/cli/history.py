"""`lambda-workbench history`: the workspace's recorded runs, one run in full, or what changed between two.

    lambda-workbench history [FUNCTION] [--status S] [--limit N] [--json]
    lambda-workbench history show RUN [--json]
    lambda-workbench history diff RUN RUN [--all] exit 0: equal responses, 1: they differ (ids and times
                                                 that differ are not differences unless --all)

RUN is a run id or an unambiguous prefix of one. Exit 2: bad usage, no such workspace or run. A function
named like a subcommand is listed after `--`: `lambda-workbench history -- show`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

from .arguments import CommandParser
from .log_output import write_log
from ..core.lambda_rules.billing import format_cost
from ..core.history.history_codec import OUTCOMES, RunSummary, outcome
from ..core.history.history_store import HistoryStore, RunNotFound, history_path
from ..core.history.run_record import RunRecord
from ..core.workspace.workspace import load_workspace


class _UsageError(Exception):
    pass


def main(argv: list[str]) -> int:
    try:
        if argv[:1] == ["show"]:
            return _show(_parser("show").parse_args(argv[1:]))
        if argv[:1] == ["diff"]:
            return _diff(_parser("diff").parse_args(argv[1:]))
        return _list(_parser("list").parse_args(argv))
    except SystemExit as exit_:  # argparse: --help is 0, bad usage 2
        return int(exit_.code or 0)
    except (_UsageError, RunNotFound, ValueError) as error:
        print(f"lambda-workbench history: {error.args[0] if error.args else error}", file=sys.stderr)
        return 2


def _parser(command: str) -> argparse.ArgumentParser:
    prog = "lambda-workbench history" + ("" if command == "list" else f" {command}")
    parser = CommandParser(prog=prog, description={
        "list": "List the workspace's recorded runs, newest first ('show RUN' and 'diff RUN RUN' for more).",
        "show": "Show one recorded run: figures, event, response and log.",
        "diff": "What changed between two runs; exit 0 when the responses are equal, 1 when they differ.",
    }[command])
    parser.add_argument("--workspace", default=".", metavar="DIR", help="workspace folder (default: .)")
    if command == "list":
        parser.add_argument("function", nargs="?", metavar="FUNCTION",
                            help="only this function's runs (a function named show or diff: -- show)")
        parser.add_argument("--status", choices=OUTCOMES, help="only runs with this outcome")
        parser.add_argument("--limit", type=int, default=20, metavar="N", help="newest N runs (default 20)")
    elif command == "show":
        parser.add_argument("run", metavar="RUN", help="run id (or a prefix)")
    else:
        parser.add_argument("runs", nargs=2, metavar="RUN", help="two run ids (or prefixes): before, after")
        parser.add_argument("--all", action="store_true",
                            help="count ids and times (requestId, timestamps) that differ as differences too")
    if command != "diff":
        parser.add_argument("--json", action="store_true", help="JSON: one object per run")
    return parser


def _open(workspace: str) -> HistoryStore | None:
    """The workspace's store, or None when it has never recorded a run (nothing is created then)."""
    folder = Path(workspace)
    if not folder.is_dir():
        raise _UsageError(f"--workspace {workspace}: not a folder")
    path = history_path(folder)
    if not path.exists():
        return None
    store = HistoryStore(path, on_notice=lambda text: print(f"lambda-workbench: {text}", file=sys.stderr))
    return store


def _list(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise _UsageError(f"--limit {args.limit}: expected a whole number above 0")
    store = _open(args.workspace)
    if args.function is not None:
        _check_function(args.function, args.workspace, store)
    runs = store.list(args.function, args.status, limit=args.limit) if store else []
    if args.json:
        for run in runs:
            print(json.dumps(run.to_json()))
    elif not runs:
        print("No runs recorded" + (f" for {args.function}" if args.function else "") + ".", file=sys.stderr)
    else:
        print(_table(runs))
    return 0


def _check_function(name: str, workspace: str, store: HistoryStore | None) -> None:
    """A function neither the workspace defines nor the history has runs of is a mistake (a typo, a wrong
    folder), said as `invoke` says it, not an empty list."""
    recorded = store.functions() if store else []
    defined = load_workspace(Path(workspace)).function_names
    if name not in recorded and name not in defined:
        known = ", ".join(dict.fromkeys([*defined, *recorded])) or "none"
        raise _UsageError(f"no function {name!r} in {Path(workspace).resolve()} and no runs of it recorded "
                          f"(functions: {known})")


def _table(runs: list[RunSummary]) -> str:
    header = ("RUN", "TIME", "FUNCTION", "PRESET", "STATUS", "DURATION", "BILLED", "MAX MEMORY", "COST", "START")
    rows = [header] + [(
        run.id, _time(run.started_at), run.function, run.preset or run.origin or "—", run.outcome,
        f"{run.duration_ms:.2f} ms", f"{run.billed_duration_ms} ms",
        f"{run.max_memory_used_mb}/{run.memory_size_mb} MB", format_cost(run.cost_usd),
        "cold" if run.cold else "warm") for run in runs]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def _time(started_at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started_at))


def _store_or_fail(workspace: str) -> HistoryStore:
    store = _open(workspace)
    if store is None:
        raise _UsageError(f"no runs recorded in {Path(workspace).resolve()}")
    return store


def _show(args: argparse.Namespace) -> int:
    store = _store_or_fail(args.workspace)
    summary = store.summary(args.run)
    record = store.get(summary.id)
    linked = store.linked(summary.id)
    if args.json:
        print(json.dumps({**run_document(summary, record),
                          "linkedRuns": [{"id": r.id, "function": r.function, "source": r.source,
                                          "startedAt": r.started_at, "status": r.outcome} for r in linked]}))
        return 0
    result = record.result
    cold = f"cold ({record.cold_reason})" if record.cold and record.cold_reason else ("cold" if record.cold else "warm")
    print(f"Run {summary.id}  {record.function}  {_time(record.started_at)}  from {record.source}"
          + (f"  preset {record.preset}" if record.preset else "")
          + (f"  called by {record.origin}" if record.origin else "")
          + (f"  sweep {record.sweep}" if record.sweep else ""))
    print(f"Status: {outcome(result)}" + (f" ({result.error_type})" if result.error_type else "") + f"  {cold}")
    print(f"Duration: {result.duration_ms:.2f} ms  Billed Duration: {result.billed_duration_ms} ms"
          + (f"  Init Duration: {result.init_duration_ms:.2f} ms" if result.init_duration_ms is not None else "")
          + f"  Memory Size: {result.memory_size_mb} MB  Max Memory Used: {result.max_memory_used_mb} MB"
          + f"  Cost: {format_cost(result.cost_usd)}")
    if record.trace_id:
        print(f"Trace: {record.trace_id}")
    if record.trigger is not None:
        print("\n".join(record.trigger.lines()))
    for other in linked:
        print(f"Same trace: run {other.id}  {other.function}  from {other.source}  {other.outcome}")
    print("\nEvent:")
    print(record.event.decode("utf-8", errors="replace"))
    print("\nResponse:")
    print(result.payload_text())
    print("\nLog:")
    write_log(sys.stdout, record.log)
    return 0


def run_document(summary: RunSummary, record: RunRecord) -> dict:
    """Everything `history show --json` prints for one run (secret variables only as their stand-ins)."""
    document = summary.to_json()
    document.update({
        "requestId": record.result.request_id,
        "event": record.event.decode("utf-8", errors="replace"),
        "response": record.result.payload_text(),
        "log": list(record.log),
        "config": {**dataclasses.asdict(record.config), "environment": record.config.env_dict()},
        "codeFingerprint": record.code_fingerprint,
        "codeFiles": [dataclasses.asdict(f) for f in record.code_files],
        "environmentKey": record.environment_key,
        "awsCalls": [call.to_json() for call in record.aws_calls],
        "traceId": record.trace_id,
        "trigger": record.trigger.to_json() if record.trigger is not None else None,
    })
    return document


def _diff(args: argparse.Namespace) -> int:
    from ..core.history.run_diff import diff_runs, diff_text  # deepdiff only when diffing

    store = _store_or_fail(args.workspace)
    before_id, after_id = (store.resolve(run) for run in args.runs)
    diff = diff_runs(store.get(before_id), store.get(after_id), include_volatile=args.all)
    for line in diff_text(diff, before_id, after_id):
        print(line)
    return 0 if diff.responses_equal else 1
