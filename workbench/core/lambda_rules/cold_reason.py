"""Why a call starts a new execution environment, in words a user can act on."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..function.code_fingerprint import changed_files
from ..function.function_config import FunctionConfig
from ..history.run_record import CodeFile

FIRST_CALL = "first call"
REQUESTED = "cold start requested"
RESET = "environment reset"
EXITED = "the environment exited between calls"
INIT_RETRY = "init failed; Lambda retries it inside the call"
SCALE_OUT = "every environment of the function was busy: one more starts, as Lambda scales out"
# How many changed names a reason lists before it says "and N more".
_LISTED = 3


@dataclass(frozen=True)
class EnvironmentIdentity:
    """What an environment was started from: a different one means a new environment, as after a deploy."""

    config: FunctionConfig
    code: tuple[CodeFile, ...]
    environment_key: str = ""
    """The built environment (interpreter, dependency entry, layers, SDK): see FunctionEnvironment.key."""


def after_failure(error_type: str | None) -> str:
    """How an environment ended when its call killed it (timeout, crash, out of memory, Stop)."""
    if error_type == "Sandbox.Stopped":
        return "the previous call was stopped, which ended its environment"
    return f"the previous call failed ({error_type or 'error'}), which ended its environment"


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:_LISTED])
    return shown + (f" and {len(names) - _LISTED} more" if len(names) > _LISTED else "")


def config_changes(before: FunctionConfig, after: FunctionConfig) -> list[str]:
    """Each changed setting, as "memory_mb 128 → 256"; variables by name only (values may be secrets)."""
    changes = []
    for field in dataclasses.fields(FunctionConfig):
        old, new = getattr(before, field.name), getattr(after, field.name)
        if old == new:
            continue
        if field.name == "environment":
            old_env, new_env = dict(old), dict(new)
            keys = sorted(k for k in old_env.keys() | new_env.keys() if old_env.get(k) != new_env.get(k))
            changes.append(f"variables {_listed(keys)}")
        else:
            changes.append(f"{field.name} {old} → {new}")
    return changes


def cold_reason(previous: EnvironmentIdentity | None, current: EnvironmentIdentity,
                ended: str | None = None, requested: bool = False) -> str:
    """The reason for a cold start. `ended` says how the previous environment went away, when it did."""
    if requested:
        return REQUESTED
    if previous is None:
        return FIRST_CALL
    settings = config_changes(previous.config, current.config)
    if settings:
        return f"configuration changed: {_listed(settings)}"
    files = changed_files(previous.code, current.code)
    if files:
        return f"code changed: {_listed(files)}"
    if previous.environment_key != current.environment_key:
        return "environment changed: interpreter, dependencies, layers or SDK"
    return ended or FIRST_CALL
