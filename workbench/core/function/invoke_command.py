"""The `lambda-workbench invoke` command line that repeats a recorded run: same function, event and settings."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from .function_config import FunctionConfig
from ..history.run_record import RunRecord
from ..privacy.secret_values import is_concealed, looks_secret


def program_words(executable: str = sys.executable) -> list[str]:
    """How a fresh shell starts this very workbench: the `lambda-workbench` script installed beside the
    running interpreter (the .venv's bin, which a fresh shell does not have on PATH), else the one on PATH,
    else the interpreter running the package as a module. Always absolute, never relying on PATH."""
    beside = Path(executable).parent / "lambda-workbench"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    on_path = shutil.which("lambda-workbench")
    if on_path:
        return [os.path.abspath(on_path)]
    return [executable, "-m", "workbench"]


def invoke_command_line(record: RunRecord, workspace_folder: str, current: FunctionConfig | None = None,
                        program: list[str] | None = None) -> str:
    """One shell line: the event on stdin (exactly the bytes sent), the run's memory, timeout and architecture.

    Variables are passed only where the run's value differs from the function's current settings (the
    command reads the rest from the workspace); secrets never appear on the line.
    """
    config = record.config
    words = [*(program if program is not None else program_words()), "invoke", config.name, "--workspace", workspace_folder,
             "--memory", str(config.memory_mb), "--timeout", str(config.timeout_s)]
    if config.architecture != "x86_64":
        words += ["--architecture", config.architecture]
    now = current.env_dict() if current is not None else {}
    for name, value in config.environment:
        if looks_secret(name) or is_concealed(value) or now.get(name) == value:
            continue
        words += ["--env", f"{name}={value}"]
    words += ["-e", "-"]
    event = record.event.decode("utf-8", errors="replace")
    return f"printf '%s' {shlex.quote(event)} | {shlex.join(words)}"
