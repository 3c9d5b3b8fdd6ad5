"""SAM CLI's `--env-vars` JSON file, and laying its variables over a template's function.

The format is SAM's: `{"Parameters": {...}, "FunctionLogicalId": {...}}`, where Parameters
holds variables for every function and each function's own section wins over it. Unlike SAM,
variables the template does not declare are applied too; origins say which file section set them.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.workspace.sam_functions import TemplateFunction

ALL_FUNCTIONS = "Parameters"


class EnvVarsFileError(ValueError):
    """An env-vars file that cannot be used; line and column (1-based) when the JSON is broken."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None, column: int | None = None):
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.column = column
        where = Path(self.path).name if line is None else f"{Path(self.path).name}:{line}:{column}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class EnvVarsFile:
    """The variables of one env-vars file, values already as the strings a process receives."""

    path: Path
    parameters: tuple[tuple[str, str], ...]  # the "Parameters" section: every function
    functions: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # per logical id

    @property
    def function_ids(self) -> tuple[str, ...]:
        return tuple(logical_id for logical_id, _ in self.functions)

    def function_variables(self, logical_id: str) -> dict[str, str]:
        """The function's own section, empty when the file has none for it."""
        return dict(dict(self.functions).get(logical_id, ()))


def _variable_text(path: Path, where: str, value: Any) -> str:
    # The strings SAM CLI itself would hand the process for JSON scalars.
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (str, int, float)):
        return str(value)
    raise EnvVarsFileError(path, f"{where} must be a string, number or boolean, not a JSON "
                                 f"{'object' if isinstance(value, dict) else 'array'}")


def _variables(path: Path, section: str, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise EnvVarsFileError(path, f"{section} must be an object of variable names to values")
    return tuple((name, _variable_text(path, f"{section}.{name}", item)) for name, item in value.items())


def load_env_vars_file(path: str | Path) -> EnvVarsFile:
    """Read an env-vars file; EnvVarsFileError names the line and column or the offending key."""
    path = Path(path).absolute()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise EnvVarsFileError(path, f"cannot be read ({exc})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EnvVarsFileError(path, exc.msg, exc.lineno, exc.colno) from None
    if not isinstance(document, dict):
        raise EnvVarsFileError(path, 'the file must be a JSON object such as '
                                     '{"Parameters": {...}, "MyFunction": {...}}')
    parameters: tuple[tuple[str, str], ...] = ()
    functions = []
    for key, value in document.items():
        if key == ALL_FUNCTIONS:
            parameters = _variables(path, key, value)
        else:
            functions.append((key, _variables(path, key, value)))
    return EnvVarsFile(path=path, parameters=parameters, functions=tuple(functions))


def apply_env_vars(function: TemplateFunction, env_file: EnvVarsFile) -> TemplateFunction:
    """The function with the file's variables laid over its own: Parameters, then its section."""
    environment = dict(function.config.environment)
    origins = dict(function.origins)
    layers = (
        (ALL_FUNCTIONS, env_file.parameters),
        (function.logical_id, tuple(env_file.function_variables(function.logical_id).items())),
    )
    for section, variables in layers:
        for name, value in variables:
            environment[name] = value  # a new name goes last, an existing one keeps its place
            origins[f"env:{name}"] = f"env-vars file ({section})"
    config = dataclasses.replace(function.config, environment=tuple(environment.items()))
    return dataclasses.replace(function, config=config, origins=tuple(origins.items()))
