"""Which cases a test run has: every preset of every chosen function, with its expectation, or the broken
files (named with line and column) that stop the run before anything starts."""

from __future__ import annotations

import dataclasses
import fnmatch
from dataclasses import dataclass
from pathlib import Path

from .expectation import SUFFIX, Expectation, ExpectationError, expectation_path, load_expectation_file
from ..function.invocation_request import PreparedInvocation, prepare_invocation
from ..text.json_check import check_json
from ..workspace.preset_store import SHARED, Preset, PresetStore
from ..workspace.workspace import Workspace
from ..scenarios.scenario import load_scenario, scenario_files


SCENARIO = "scenario"
"""The function column of a scenario case (it runs several), and its preset scope."""


@dataclass(frozen=True)
class PlanProblem:
    """A file that stops the run: 'file:line:column: message'."""

    path: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class PlannedCase:
    """One preset run against one function."""

    __test__ = False  # not a pytest class, whatever its name

    function: str
    preset: Preset
    expectation: Expectation | None
    expectation_path: Path
    """Where the expectation is, or would be written by a recording."""
    prepared: PreparedInvocation | None = None
    """The call, accepted by every rule Lambda applies (None for a skipped case)."""
    shared_by: int = 1
    """How many of the run's functions share this preset (1 for a function's own)."""
    skip_reason: str = ""
    """Set when the case cannot run here (e.g. a function that cannot run locally)."""
    scenario: object = None
    """A scenario case (core.scenarios.scenario.Scenario): an action and the runs and effects it must lead to,
    instead of one preset's call; `preset` then names the scenario file."""

    def with_expectation(self, expectation: Expectation | None) -> "PlannedCase":
        return dataclasses.replace(self, expectation=expectation)

    @property
    def name(self) -> str:
        return self.preset.name

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.function, self.preset.scope, self.preset.name)


@dataclass(frozen=True)
class TestPlan:
    cases: tuple[PlannedCase, ...]
    problems: tuple[PlanProblem, ...]
    notes: tuple[str, ...] = ()
    """Worth saying, not stopping for: an expectation file with no preset beside it."""


class PlanError(ValueError):
    """Bad input that is not a file's content: an unknown function name."""


def plan_tests(workspace: Workspace, functions: list[str] | None = None, preset_glob: str | None = None,
               scenarios: bool = False) -> TestPlan:
    """The cases for the chosen functions (all when None) and presets (names matching the glob); with
    `scenarios`, the workspace's scenarios too (what runs them must serve the functions: `lambda-workbench
    test` does)."""
    names = workspace.function_names
    unknown = [name for name in functions or [] if name not in names]
    if unknown:
        raise PlanError(f"no function {', '.join(map(repr, unknown))} in {workspace.folder} "
                        f"(functions: {', '.join(names) or 'none'})")
    chosen = [f for f in workspace.functions if not functions or f.config.name in functions]
    store = PresetStore(workspace.folder)
    shared_count = len(chosen)
    cases: list[PlannedCase] = []
    problems: list[PlanProblem] = []
    loaded: dict[Path, object] = {}
    for function in chosen:
        name = function.config.name
        for preset in store.list(name):
            if preset_glob and not fnmatch.fnmatchcase(preset.name, preset_glob):
                continue
            if preset.is_broken:
                problems.append(_preset_problem(preset))
                continue
            sidecar = expectation_path(preset.path)
            if sidecar not in loaded:
                loaded[sidecar] = _load(sidecar)
            file = loaded[sidecar]
            if isinstance(file, ExpectationError):
                # One broken file is named once, however many functions share it.
                if not any(p.path == file.path for p in problems):
                    problems.append(PlanProblem(file.path, file.line, file.column, file.message))
                continue
            if file is not None:
                for unknown in _unknown_functions(file, names):
                    if unknown not in problems:
                        problems.append(unknown)
            expectation = file.for_function(name) if file is not None else None
            shared_by = shared_count if preset.scope == SHARED else 1
            if not function.runnable:
                cases.append(PlannedCase(name, preset, expectation, sidecar, None, shared_by,
                                      f"cannot run locally: {function.not_runnable_reason}"))
                continue
            prepared = prepare_invocation(function.config, preset.text, str(preset.path), preset=preset.name)
            if isinstance(prepared, list):
                for refused in prepared:
                    problem = _refused(refused, preset, workspace)
                    if problem not in problems:
                        problems.append(problem)
                continue
            cases.append(PlannedCase(name, preset, expectation, sidecar, prepared, shared_by))
    if scenarios:
        _add_scenarios(workspace, functions, preset_glob, cases, problems)
    return TestPlan(tuple(cases), tuple(problems), tuple(_orphans(store.events_dir, workspace.folder)))


def _add_scenarios(workspace: Workspace, functions: list[str] | None, preset_glob: str | None,
                   cases: list[PlannedCase], problems: list[PlanProblem]) -> None:
    """The workspace's scenarios/*.yaml (chosen by --preset's glob on their names, and by --function when one
    of their expected runs is of a chosen function)."""
    names = set(workspace.function_names)
    for path in scenario_files(workspace.folder):
        if preset_glob and not fnmatch.fnmatchcase(path.stem, preset_glob):
            continue
        try:
            scenario = load_scenario(path)
        except ExpectationError as error:
            problems.append(PlanProblem(error.path, error.line, error.column, error.message))
            continue
        unknown = [run for run in scenario.runs if run.function not in names]
        if unknown:
            problems.append(PlanProblem(path, unknown[0].line, 1, f"expect.runs: no function '{unknown[0].function}' "
                                                                   f"in this workspace (functions: {', '.join(sorted(names))})"))
            continue
        if functions and not set(functions) & set(scenario.functions):
            continue
        preset = Preset(scenario.name, path, SCENARIO, "")
        expectation = Expectation(side_effects=scenario.side_effects, from_seed=scenario.from_seed)
        cases.append(PlannedCase(SCENARIO, preset, expectation, path, scenario=scenario))


def _load(path: Path):
    if not path.is_file():
        return None
    try:
        return load_expectation_file(path)
    except ExpectationError as error:
        return error


def _unknown_functions(file, names: list[str]) -> list[PlanProblem]:
    """A per-function expectation for a function the workspace does not have: a typo that would go unnoticed."""
    return [PlanProblem(file.path, line, column, f"functions: no function '{name}' in this workspace "
                                                 f"(functions: {', '.join(names)})")
            for name, line, column in file.function_positions if name not in names]


def _refused(refused, preset: Preset, workspace: Workspace) -> PlanProblem:
    """A call Lambda would refuse: an event problem names the preset; a setting names the function's file."""
    if refused.file is not None:
        return PlanProblem(Path(refused.file), refused.line or 1, refused.column or 1, refused.message)
    source = workspace.template or (workspace.folder / "workbench.json")
    where = f" ({refused.field})" if refused.field else ""
    return PlanProblem(source, 1, 1, f"{refused.message}{where}")


def _preset_problem(preset: Preset) -> PlanProblem:
    problem = check_json(preset.text) if preset.text else None
    if problem is not None:
        return PlanProblem(preset.path, problem.line, problem.column, f"preset is not valid JSON: {problem.message}")
    return PlanProblem(preset.path, 1, 1, f"preset {preset.problem}")


def _orphans(events_dir: Path, folder: Path) -> list[str]:
    """Expectation files whose preset is gone (renamed, deleted): likely a mistake, never fatal."""
    if not events_dir.is_dir():
        return []
    notes = []
    for path in sorted(events_dir.rglob(f"*{SUFFIX}")):
        preset = path.with_name(path.name[: -len(SUFFIX)] + ".json")
        if not preset.is_file():
            notes.append(f"{path.relative_to(folder)}: no preset {preset.name} beside it; not used")
    return notes
