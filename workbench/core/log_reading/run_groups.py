"""Which lines of a log open a run's group. A run's group starts with the run's first line: the build output,
the cold-start reason, a credentials warning and an init error come before Lambda's START, and belong to
the run that caused them, not to the one before."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..lambda_rules.log_lines import REPORT_PREFIX, START_PREFIX

_START = START_PREFIX
_JSON_START = '"type":"platform.start"'
_JSON_REPORT = '"type":"platform.report"'


def start_request_id(line: str) -> str | None:
    """The request id a START line names (Text or JSON format); None for any other line."""
    if line.startswith(_START):
        return line[len(_START):].split(" ", 1)[0].split("\t", 1)[0]
    if line.startswith("{") and _JSON_START in line[:120]:
        try:
            record = json.loads(line).get("record", {})
        except (ValueError, AttributeError):
            return None
        request_id = record.get("requestId") if isinstance(record, dict) else None
        return request_id if isinstance(request_id, str) else None
    return None


def is_run_report(line: str) -> bool:
    """REPORT, in Text or JSON format: the line a folded run keeps beside its START."""
    return line.startswith(REPORT_PREFIX) or (line.startswith("{") and _JSON_REPORT in line[:120])


@dataclass(frozen=True)
class GroupState:
    """Where a log stands between batches."""

    run_began: bool = False
    """A run began and has written nothing yet: its first line opens its group."""
    awaiting_start: bool = False
    """The open group was opened by a run's first line and that run's START has not come yet."""


def run_began(state: GroupState) -> GroupState:
    return GroupState(run_began=True, awaiting_start=False)


def group_heads(lines: list[str], state: GroupState = GroupState()) -> tuple[list[int], GroupState]:
    """The indexes in `lines` that open a group, and the state after them.

    A run's first line opens its group; a START opens one unless it is the START of the run whose group is
    open (a log with no run marks, a recorded run's, say, is grouped at each START, as before).
    """
    heads: list[int] = []
    run_began_, awaiting = state.run_began, state.awaiting_start
    for index, line in enumerate(lines):
        is_start = start_request_id(line) is not None
        if run_began_:
            heads.append(index)
            run_began_, awaiting = False, not is_start
        elif is_start:
            if awaiting:
                awaiting = False
            else:
                heads.append(index)
    return heads, GroupState(run_began_, awaiting)
