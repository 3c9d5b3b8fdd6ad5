"""What a run is: the function from the workspace, the event, the overrides — and every rule Lambda
applies before it runs anything. The window, `lambda-workbench invoke`, tests and serve all ask here,
so they refuse the same inputs in the same words.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..child.process_variables import environment_problems
from .function_config import FunctionConfig, validate_config
from ..text.json_check import check_json
from ..lambda_rules.lambda_errors import MAX_REQUEST_BYTES, request_too_large_message

if TYPE_CHECKING:  # reading a workspace pulls in the YAML and template readers; a bare --handler call needs none
    from ..workspace.workspace import Workspace


@dataclass(frozen=True)
class RunProblem:
    """Why a call cannot be made: Lambda's words, and where the problem is (any of file, line, column, field)."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.line, self.column) if part is not None)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Overrides:
    """Settings given for this call only (command-line flags); None keeps the function's own."""

    memory_mb: int | None = None
    timeout_s: int | None = None
    architecture: str | None = None
    runtime: str | None = None
    environment: tuple[tuple[str, str], ...] = ()
    """Variables set on top of the function's (same name: this value wins)."""
    region: str | None = None
    """The AWS region the function runs in (AWS_REGION, its ARN)."""
    scale_cpu: bool | None = None
    """False: this machine's full CPU instead of Lambda's share of the memory size (--full-cpu)."""

    def apply(self, config: FunctionConfig) -> FunctionConfig:
        changes: dict = {key: value for key in ("memory_mb", "timeout_s", "architecture", "runtime", "region",
                                                "scale_cpu")
                         if (value := getattr(self, key)) is not None}
        if self.environment:
            env = config.env_dict()
            env.update(self.environment)
            changes["environment"] = tuple(env.items())
        return dataclasses.replace(config, **changes) if changes else config


@dataclass(frozen=True)
class PreparedInvocation:
    """A call Lambda would accept: ready for the run session."""

    config: FunctionConfig
    event: bytes
    preset: str | None = None
    origin: str | None = None
    """Who calls, where no preset says it (a served route, the Invoke API's caller, a schedule)."""
    sweep: str | None = None
    """The memory sweep this call is part of (engine/tune_run.py), recorded with the run."""


def find_function(workspace: "Workspace", name: str | None) -> FunctionConfig | RunProblem:
    """The workspace's function of that name (or its only one when no name is given)."""
    source = workspace.template.name if workspace.template else str(workspace.folder)
    names = workspace.function_names
    if name is None:
        if len(names) != 1:
            return RunProblem(f"{source} has {len(names)} functions; name one: {', '.join(names) or 'none'}",
                              field="function")
        name = names[0]
    function = workspace.function(name)
    if function is None and workspace.problem:
        # A broken template or workbench.json: its own message names the file, line and column.
        return RunProblem(workspace.problem.splitlines()[0], field="function")
    if function is None:
        return RunProblem(f"No function named '{name}' in {source}; its functions: {', '.join(names) or 'none'}",
                          field="function")
    if not function.runnable:
        return RunProblem(f"{name} cannot run locally: {function.not_runnable_reason}", field="function")
    return function.config


def event_problems(event: bytes | str, source: str = "<event>") -> list[RunProblem]:
    """What Lambda's Invoke API would refuse in an event: not UTF-8, not JSON (where), too large."""
    if isinstance(event, bytes):
        try:
            text = event.decode("utf-8")
        except UnicodeDecodeError as error:
            return [RunProblem(f"event is not UTF-8 text: byte 0x{event[error.start]:02x} at offset {error.start}",
                               file=source)]
        data = event
    else:
        text, data = event, event.encode("utf-8")
    problem = check_json(text)
    if problem is not None:
        return [RunProblem(f"event is not valid JSON: {problem.message}", file=source, line=problem.line,
                           column=problem.column)]
    if len(data) > MAX_REQUEST_BYTES:
        return [RunProblem(request_too_large_message(len(data)), file=source)]
    return []


def config_problems(config: FunctionConfig) -> list[RunProblem]:
    """Every setting Lambda would refuse, in its words, each naming its field."""
    found = validate_config(config) + environment_problems(config.environment)
    return [RunProblem(problem.message, field=problem.field) for problem in found]


def prepare_invocation(function: FunctionConfig, event: bytes | str, event_source: str = "<event>",
                       overrides: Overrides = Overrides(),
                       preset: str | None = None) -> PreparedInvocation | list[RunProblem]:
    """The call ready to run, or every reason Lambda would refuse it (configuration first, then the event)."""
    config = overrides.apply(function)
    problems = config_problems(config) + event_problems(event, event_source)
    if problems:
        return problems
    data = event if isinstance(event, bytes) else event.encode("utf-8")
    return PreparedInvocation(config, data, preset)
