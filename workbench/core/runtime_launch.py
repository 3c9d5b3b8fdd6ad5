"""Which program starts a function's runtime, and why it might not be able to."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .function_config import FunctionConfig, runtime_family


@dataclass(frozen=True)
class LaunchCommand:
    program: str
    arguments: tuple[str, ...]


class LaunchError(Exception):
    """The runtime cannot start; error_type is what Lambda would report."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def find_workspace_python(start: str, levels: int = 3) -> str | None:
    """A .venv/bin/python in the code folder or one of its parents (the workspace's own venv)."""
    folder = Path(start).resolve()
    for candidate in [folder, *folder.parents][: levels + 1]:
        python = candidate / ".venv" / "bin" / "python"
        if python.is_file() and os.access(python, os.X_OK):
            return str(python)
    return None


def python_interpreter(config: FunctionConfig) -> str:
    """The workspace's venv, else the configured interpreter, else the workbench's own (never a shim)."""
    return find_workspace_python(config.code_dir) or config.interpreter or sys.executable


def launch_command(config: FunctionConfig, runtime_dir: str, path_env: str | None = None) -> LaunchCommand:
    """The command for a function's runtime, or LaunchError saying what to install or fix."""
    family = runtime_family(config.runtime)
    if family == "python":
        interpreter = python_interpreter(config)
        if shutil.which(interpreter, path=path_env) is None:
            raise LaunchError("Runtime.InvalidEntrypoint",
                              f"Python interpreter not found: {interpreter}. Install Python 3.9 or later, "
                              "or set the function's interpreter to one that exists.")
        return LaunchCommand(interpreter, (os.path.join(runtime_dir, "python", "bootstrap.py"),))
    if family == "nodejs":
        node = config.interpreter or shutil.which("node", path=path_env)
        if not node or shutil.which(node, path=path_env) is None:
            raise LaunchError("Runtime.InvalidEntrypoint",
                              "node was not found on PATH. Install Node.js 18 or later (for example "
                              "`apt-get install nodejs`) to run nodejs functions.")
        return LaunchCommand(node, (os.path.join(runtime_dir, "node", "bootstrap.mjs"),))
    bootstrap = os.path.join(config.code_dir, "bootstrap")
    if not os.path.exists(bootstrap):
        raise LaunchError("Runtime.InvalidEntrypoint",
                          f"fork/exec {bootstrap}: no such file or directory. A custom runtime needs an "
                          "executable file named bootstrap in the function's code folder.")
    if not os.access(bootstrap, os.X_OK):
        raise LaunchError("Runtime.InvalidEntrypoint",
                          f"fork/exec {bootstrap}: permission denied. Make it executable: chmod +x {bootstrap}")
    return shell_script_command(bootstrap, path_env) or LaunchCommand(bootstrap, ())


def shell_script_command(bootstrap: str, path_env: str | None) -> LaunchCommand | None:
    """bash for a `#!/bin/sh` bootstrap when this host's /bin/sh is another shell (dash, say).

    On Amazon Linux /bin/sh is bash, and bootstraps written for Lambda rely on it: the custom-runtime
    tutorial's starts with `set -euo pipefail` and uses `source`. Invoked as sh, bash runs in POSIX mode.
    """
    try:
        with open(bootstrap, "rb") as script:
            first_line = script.readline(256)
    except OSError:
        return None
    if not first_line.startswith(b"#!"):
        return None
    # Linux passes everything after the interpreter as one argument.
    words = first_line[2:].strip().split(maxsplit=1)
    if not words or words[0] != b"/bin/sh" or os.path.basename(os.path.realpath("/bin/sh")) == "bash":
        return None
    bash = shutil.which("bash", path=path_env)
    if bash is None:
        return None
    options = ("--posix", *(word.decode(errors="replace") for word in words[1:]))
    return LaunchCommand(bash, (*options, bootstrap))
