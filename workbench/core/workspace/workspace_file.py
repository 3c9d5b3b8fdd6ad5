"""Our workspace file, workbench.json: the functions of a workspace that has no SAM template."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

from workbench.core.workspace.atomic_write import write_text_atomic
from workbench.core.function.function_config import (
    DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, FunctionConfig, validate_config,
    validate_memory, validate_timeout,
)

WORKSPACE_FILE_NAME = "workbench.json"
_DEFAULTS = FunctionConfig(name="", handler="", runtime="", code_dir="")
# Key order of each function entry as written; a stable order keeps diffs in git small.
_KEYS = ("name", "handler", "runtime", "codeUri", "memorySize", "timeout", "architecture",
         "environment", "interpreter", "region", "accountId", "scaleCpu", "loggingConfig")
# loggingConfig as Lambda's API spells it (GetFunctionConfiguration's LoggingConfig, camel-cased).
_LOGGING_KEYS = {"logFormat": "log_format", "applicationLogLevel": "application_log_level",
                 "systemLogLevel": "system_log_level"}
_REQUIRED = ("name", "handler", "runtime")
# validate_config reports fields by Lambda's API names; the file spells two of them differently.
_FILE_KEY_OF_PROBLEM = {"memorySize": "memorySize", "timeout": "timeout", "runtime": "runtime",
                        "architectures": "architecture", "handler": "handler"}


class WorkspaceFileError(ValueError):
    """workbench.json cannot be used; the message names the file and the line/column or the field."""

    def __init__(self, path: Path, message: str, *, line: int | None = None,
                 column: int | None = None, field: str | None = None):
        where = f"line {line}, column {column}" if line is not None else field
        super().__init__(f"{path}: {where}: {message}" if where else f"{path}: {message}")
        self.path, self.line, self.column, self.field = path, line, column, field


def workspace_file_path(folder: Path | str) -> Path:
    return Path(folder) / WORKSPACE_FILE_NAME


def load_workspace_functions(folder: Path | str) -> list[FunctionConfig]:
    """The functions listed in folder/workbench.json, code_dir made absolute; [] when there is no file."""
    folder = Path(folder).absolute()
    path = workspace_file_path(folder)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkspaceFileError(path, f"cannot be read ({exc})") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WorkspaceFileError(path, exc.msg, line=exc.lineno, column=exc.colno) from exc
    if not isinstance(document, dict) or not isinstance(document.get("functions"), list):
        raise WorkspaceFileError(path, 'expected an object with a "functions" list', field="functions")
    configs = [_parse_function(path, folder, i, entry) for i, entry in enumerate(document["functions"])]
    seen: set[str] = set()
    for i, config in enumerate(configs):
        if config.name in seen:
            raise WorkspaceFileError(path, f"'{config.name}' is listed twice", field=f"functions[{i}].name")
        seen.add(config.name)
    return configs


def save_workspace_functions(folder: Path | str, configs: list[FunctionConfig]) -> Path:
    """Write folder/workbench.json atomically, code folders relative to it; other top-level keys are kept."""
    folder = Path(folder).absolute()
    path = workspace_file_path(folder)
    document = {k: v for k, v in existing_document(path).items() if k != "functions"}
    document["functions"] = [_function_entry(folder, config) for config in configs]
    write_text_atomic(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


def existing_document(path: Path) -> dict:
    """workbench.json as it is on disk (empty when missing or not an object), for a save that changes one part:
    keys we do not know (a "$schema", a newer version's settings) survive it."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def _function_entry(folder: Path, config: FunctionConfig) -> dict:
    entry = {
        "name": config.name,
        "handler": config.handler,
        "runtime": config.runtime,
        "codeUri": _relative_uri(folder, Path(config.code_dir)),
        "memorySize": config.memory_mb,
        "timeout": config.timeout_s,
        "architecture": config.architecture,
        "environment": dict(config.environment),
        "interpreter": config.interpreter,
    }
    # Only written when they differ, so the common file stays the short one from the docs.
    if config.region != _DEFAULTS.region:
        entry["region"] = config.region
    if config.account_id != _DEFAULTS.account_id:
        entry["accountId"] = config.account_id
    if config.scale_cpu != _DEFAULTS.scale_cpu:
        entry["scaleCpu"] = config.scale_cpu
    logging = {key: getattr(config, name) for key, name in _LOGGING_KEYS.items()
               if getattr(config, name) != getattr(_DEFAULTS, name)}
    if logging:
        entry["loggingConfig"] = logging
    return entry


def _relative_uri(folder: Path, code_dir: Path) -> str:
    try:
        relative = os.path.relpath(code_dir.absolute(), folder)
    except ValueError:  # another drive on Windows: no relative path exists
        return code_dir.as_posix()
    # Forward slashes so the file reads the same when checked out on Windows.
    return PurePosixPath(*Path(relative).parts).as_posix()


def _parse_function(path: Path, folder: Path, index: int, entry: object) -> FunctionConfig:
    where = f"functions[{index}]"
    if not isinstance(entry, dict):
        raise WorkspaceFileError(path, "expected an object", field=where)
    unknown = sorted(set(entry) - set(_KEYS))
    if unknown:
        raise WorkspaceFileError(path, f"unknown key '{unknown[0]}' (known: {', '.join(_KEYS)})",
                                 field=f"{where}.{unknown[0]}")
    for key in _REQUIRED:
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise WorkspaceFileError(path, "required, a non-empty string", field=f"{where}.{key}")

    def text(key: str, default: str | None) -> str | None:
        value = entry.get(key, default)
        if value is not None and not isinstance(value, str):
            raise WorkspaceFileError(path, f"expected a string, got {json.dumps(value)}",
                                     field=f"{where}.{key}")
        return value

    memory = entry.get("memorySize", DEFAULT_MEMORY_MB)
    timeout = entry.get("timeout", DEFAULT_TIMEOUT_S)
    for key, problem in (("memorySize", validate_memory(memory)), ("timeout", validate_timeout(timeout))):
        if problem:
            raise WorkspaceFileError(path, problem.message, field=f"{where}.{key}")
    scale_cpu = entry.get("scaleCpu", _DEFAULTS.scale_cpu)
    if not isinstance(scale_cpu, bool):
        raise WorkspaceFileError(path, f"expected true or false, got {json.dumps(scale_cpu)}", field=f"{where}.scaleCpu")
    config = FunctionConfig(
        name=entry["name"],
        handler=entry["handler"],
        runtime=entry["runtime"],
        code_dir=os.path.normpath(folder / (text("codeUri", ".") or ".")),
        memory_mb=memory,
        timeout_s=timeout,
        architecture=text("architecture", _DEFAULTS.architecture) or "",
        environment=_parse_environment(path, f"{where}.environment", entry.get("environment", {})),
        interpreter=text("interpreter", None) or None,
        region=text("region", _DEFAULTS.region) or _DEFAULTS.region,
        account_id=text("accountId", _DEFAULTS.account_id) or _DEFAULTS.account_id,
        scale_cpu=scale_cpu,
        **_parse_logging(path, f"{where}.loggingConfig", entry.get("loggingConfig", {})),
    )
    for problem in validate_config(config):
        key = _FILE_KEY_OF_PROBLEM.get(problem.field, problem.field)
        if key in _LOGGING_KEYS:
            key = f"loggingConfig.{key}"
        raise WorkspaceFileError(path, problem.message, field=f"{where}.{key}")
    return config


def _parse_environment(path: Path, where: str, value: object) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise WorkspaceFileError(path, 'expected an object such as {"NAME": "value"}', field=where)
    for name, item in value.items():
        # Lambda itself only takes strings here; a bare number is a common slip worth naming.
        if not isinstance(item, str):
            raise WorkspaceFileError(path, f"expected a string, got {json.dumps(item)} (write it in quotes)",
                                     field=f"{where}.{name}")
    return tuple(value.items())


def _parse_logging(path: Path, where: str, value: object) -> dict[str, str]:
    """FunctionConfig's logging fields from a loggingConfig object (values checked by validate_config)."""
    if not isinstance(value, dict):
        raise WorkspaceFileError(path, "expected an object (logFormat, applicationLogLevel, systemLogLevel)",
                                 field=where)
    unknown = sorted(set(value) - set(_LOGGING_KEYS))
    if unknown:
        raise WorkspaceFileError(path, f"unknown key '{unknown[0]}' (known: {', '.join(_LOGGING_KEYS)})",
                                 field=f"{where}.{unknown[0]}")
    fields = {}
    for key, name in _LOGGING_KEYS.items():
        if key in value:
            if not isinstance(value[key], str):
                raise WorkspaceFileError(path, f"expected a string, got {json.dumps(value[key])}",
                                         field=f"{where}.{key}")
            fields[name] = value[key]
    return fields
