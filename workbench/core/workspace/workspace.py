"""A workspace folder's functions: from its SAM template, from workbench.json, or one default function."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import json

from .atomic_write import write_text_atomic
from .env_vars_file import EnvVarsFileError, apply_env_vars, load_env_vars_file
from ..function.function_config import FunctionConfig
from ..function.new_function import create_function, detect_handler, handler_file
from .sam_template import TemplateError, find_template, load_template
from .workspace_file import (WorkspaceFileError, load_workspace_functions, save_workspace_functions,
                             workspace_file_path)

# Keys in workbench.json: a SAM-format env-vars file (as `sam local invoke --env-vars` takes), and
# template parameter values (as `--parameter-overrides`).
ENV_VARS_KEY = "envVarsFile"
PARAMETERS_KEY = "parameterOverrides"


@dataclass(frozen=True)
class WorkspaceFunction:
    """A function and where each of its settings came from (setting -> origin)."""

    config: FunctionConfig
    origins: tuple[tuple[str, str], ...] = ()
    runnable: bool = True
    not_runnable_reason: str = ""
    # The folder's default function: proposed from its files, written to no file yet.
    proposed: bool = False


@dataclass(frozen=True)
class Workspace:
    folder: Path
    functions: tuple[WorkspaceFunction, ...]
    template: Path | None
    # A problem with the template or workbench.json: shown to the user, never fatal.
    problem: str = ""

    def function(self, name: str) -> WorkspaceFunction | None:
        return next((f for f in self.functions if f.config.name == name), None)

    @property
    def function_names(self) -> list[str]:
        return [f.config.name for f in self.functions]


def default_function(folder: Path) -> FunctionConfig:
    """What a plain folder runs: the handler its files define (detect_handler), else the Lambda console's default."""
    handler, runtime = detect_handler(folder) or ("lambda_function.lambda_handler", "python3.12")
    return FunctionConfig(name=folder.name or "function", handler=handler, runtime=runtime, code_dir=str(folder))


def _file_origins(config: FunctionConfig, overrides_template: bool) -> tuple[tuple[str, str], ...]:
    """Origins worth showing: only where workbench.json stands in for a template's settings."""
    if not overrides_template:
        return ()
    origin = "workbench.json (edited here, overrides the template)"
    settings = ["handler", "runtime", "code_dir", "memory_mb", "timeout_s", "architecture",
                "log_format", "application_log_level", "system_log_level"]
    return tuple((s, origin) for s in settings) + tuple((f"env:{key}", origin) for key, _ in config.environment)


def load_workspace(folder: Path | str, template: Path | str | None = None,
                   extra_parameters: dict[str, str] | None = None,
                   env_vars_path: Path | str | None = None) -> Workspace:
    """Template functions first; an entry of the same name in workbench.json (edited in the window) wins.

    The command line may name another template, add parameter values over workbench.json's, and name an
    env-vars file instead of workbench.json's; the window uses the folder's own.
    """
    folder = Path(folder).resolve()
    problems: list[str] = []
    functions: dict[str, WorkspaceFunction] = {}
    template = Path(template).resolve() if template is not None else find_template(folder)
    env_file = None
    env_name = env_vars_path if env_vars_path is not None else env_vars_file_name(folder)
    if env_name is not None:
        try:
            env_file = load_env_vars_file(folder / env_name)
        except (EnvVarsFileError, OSError) as error:
            problems.append(str(error))
    parameters = {**parameter_overrides(folder), **(extra_parameters or {})}
    if template is not None:
        try:
            for f in load_template(template, parameters).functions:
                f = apply_env_vars(f, env_file) if env_file is not None else f
                functions[f.logical_id] = WorkspaceFunction(f.config, f.origins, f.runnable, f.not_runnable_reason)
        except (TemplateError, OSError) as error:
            problems.append(str(error))
    try:
        for config in load_workspace_functions(folder):
            functions[config.name] = WorkspaceFunction(config, _file_origins(config, config.name in functions))
    except WorkspaceFileError as error:
        problems.append(str(error))
    if not functions and not problems:
        config = default_function(folder)
        functions[config.name] = WorkspaceFunction(config, (), proposed=True)
    return Workspace(folder, tuple(functions.values()), template, "\n".join(problems))


def save_function(workspace: Workspace, config: FunctionConfig) -> Workspace:
    """Store an edited function in workbench.json (never in app-private storage) and reload."""
    try:
        saved = {c.name: c for c in load_workspace_functions(workspace.folder)}
    except WorkspaceFileError:
        raise
    saved[config.name] = config
    save_workspace_functions(workspace.folder, list(saved.values()))
    return load_workspace(workspace.folder)


def add_function(workspace: Workspace, name: str, runtime: str, handler: str, code_subdir: str = "") -> FunctionConfig:
    """New Function: its starter file and workbench.json entry.

    A proposed default whose handler file exists (app.py defining handler) is what the user has been
    running; once workbench.json exists it alone lists the functions, so the default is written into it
    too, as editing its settings would have. A default pointing at no file (an empty folder's
    lambda_function.lambda_handler) is only a placeholder and goes.
    """
    keep = tuple(f.config for f in workspace.functions
                 if f.proposed and handler_file(f.config.code_dir, f.config.handler) is not None)
    return create_function(workspace.folder, name, runtime, handler, code_subdir, keep)


def _workspace_document(folder: Path) -> dict:
    try:
        document = json.loads(workspace_file_path(folder).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def env_vars_file_name(folder: Path) -> str | None:
    """The env-vars file the workspace names in workbench.json, relative to the folder."""
    value = _workspace_document(folder).get(ENV_VARS_KEY)
    return value if isinstance(value, str) and value else None


def parameter_overrides(folder: Path) -> dict[str, str]:
    """Template parameter values the workspace sets in workbench.json, over the parameters' defaults."""
    value = _workspace_document(folder).get(PARAMETERS_KEY)
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def set_env_vars_file(folder: Path | str, path: Path | str | None) -> None:
    """Name (or, with None, forget) the workspace's env-vars file in workbench.json, kept in git with it."""
    folder = Path(folder).resolve()
    target = workspace_file_path(folder)
    try:
        document = json.loads(target.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        document = {"functions": []}
    if path is None:
        document.pop(ENV_VARS_KEY, None)
    else:
        document[ENV_VARS_KEY] = str(Path(path).resolve().relative_to(folder)) if Path(path).is_absolute() else str(path)
    write_text_atomic(target, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
