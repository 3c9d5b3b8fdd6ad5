"""Judging a scenario: the runs its action set off (function, source, status, how many), the front door's
answer, and what the runs left in the local AWS (sideEffects), as differences like an expectation's."""

from __future__ import annotations

from dataclasses import dataclass

from ..expectations.expectation_check import Difference, Verdict
from ..expectations.side_effects import ObservedEffects, side_effect_problems
from .scenario import ExpectedRun, Scenario


@dataclass(frozen=True)
class SeenRun:
    """A run that started after the action: its function, source and whether it succeeded."""

    function: str
    source: str
    succeeded: bool


def matches(expected: ExpectedRun, run: SeenRun) -> bool:
    return run.function == expected.function and (expected.source is None or run.source == expected.source)


def runs_complete(scenario: Scenario, runs: list[SeenRun] | tuple[SeenRun, ...]) -> bool:
    """Whether every expected run has come (its count reached, at least one otherwise): waiting can end."""
    for expected in scenario.runs:
        found = sum(1 for run in runs if matches(expected, run))
        if found < (expected.count if expected.count is not None else 1):
            return False
    return True


def judge_scenario(scenario: Scenario, runs: tuple[SeenRun, ...], http_status: int | None,
                   observed: ObservedEffects | None, action_problem: str = "") -> Verdict:
    differences: list[Difference] = []
    if action_problem:
        differences.append(Difference("action", action_problem))
    if scenario.status is not None and http_status != scenario.status:
        got = "no answer" if http_status is None else str(http_status)
        differences.append(Difference("status", f"expected {scenario.status}, the front door answered {got}",
                                      scenario.status_line))
    for expected in scenario.runs:
        found = [run for run in runs if matches(expected, run)]
        what = f"runs {expected.function}" + (f" ({expected.source})" if expected.source else "")
        if expected.count is not None and len(found) != expected.count:
            differences.append(Difference(what, f"expected {expected.count} run(s), {len(found)} came within "
                                                f"{scenario.wait_s:g} s{_others(runs)}", expected.line))
            continue
        if expected.count is None and not found:
            differences.append(Difference(what, f"expected a run, none came within {scenario.wait_s:g} s"
                                                f"{_others(runs)}", expected.line))
            continue
        wrong = [run for run in found if run.succeeded != (expected.status == "success")]
        if wrong:
            differences.append(Difference(what, f"expected {expected.status}, {len(wrong)} of {len(found)} "
                                                f"run(s) {'failed' if expected.status == 'success' else 'succeeded'}",
                                          expected.line))
    if scenario.side_effects is not None and observed is not None:
        differences += [Difference(where, message, line)
                        for where, message, line in side_effect_problems(scenario.side_effects, observed)]
    return Verdict(tuple(differences))


def _others(runs: tuple[SeenRun, ...]) -> str:
    if not runs:
        return " (no run came)"
    return " (runs: " + ", ".join(f"{run.function} from {run.source}" for run in runs[:6]) + ")"
