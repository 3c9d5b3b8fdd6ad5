"""Which program starts a function's runtime, and why it might not be able to."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from .function_config import FunctionConfig, runtime_family
from .function_environment import FunctionEnvironment


@dataclass(frozen=True)
class LaunchCommand:
    program: str
    arguments: tuple[str, ...]
    variables: tuple[tuple[str, str], ...] = ()
    """The built environment's variables (search paths, AWS credentials), before the user's own."""


class LaunchError(Exception):
    """The runtime cannot start; error_type is what Lambda would report."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def launch_command(config: FunctionConfig, runtime_dir: str, path_env: str | None = None,
                   environment: FunctionEnvironment | None = None) -> LaunchCommand:
    """The command for a function's runtime, or LaunchError saying what to install or fix.

    Python runs isolated (-I: no PYTHON* variables, no user site) and without site (-S: none of the
    interpreter's own packages); the bootstrap then builds sys.path as Lambda's runtime does.
    """
    family = runtime_family(config.runtime)
    variables = environment.variables if environment else ()
    interpreter = environment.interpreter if environment else None
    if family == "python":
        if interpreter is None:
            raise LaunchError("Runtime.InvalidEntrypoint", _missing_python(config))
        return LaunchCommand(interpreter.path, ("-I", "-S", os.path.join(runtime_dir, "python", "bootstrap.py")),
                             variables)
    if family == "nodejs":
        node = interpreter.path if interpreter else None
        if node is None:
            if config.interpreter:
                raise LaunchError("Runtime.InvalidEntrypoint", f"node not found or not runnable: {config.interpreter}. "
                                  "Set the function's interpreter to a Node.js 18 or later that exists.")
            raise LaunchError("Runtime.InvalidEntrypoint",
                              "node was not found on PATH. Install Node.js 18 or later (for example "
                              "`apt-get install nodejs`) to run nodejs functions.")
        return LaunchCommand(node, (os.path.join(runtime_dir, "node", "bootstrap.mjs"),), variables)


    bootstrap = os.path.join(config.code_dir, "bootstrap")
    if not os.path.exists(bootstrap):
        raise LaunchError("Runtime.InvalidEntrypoint",
                          f"fork/exec {bootstrap}: no such file or directory. A custom runtime needs an "
                          "executable file named bootstrap in the function's code folder.")
    if not os.access(bootstrap, os.X_OK):
        raise LaunchError("Runtime.InvalidEntrypoint",
                          f"fork/exec {bootstrap}: permission denied. Make it executable: chmod +x {bootstrap}")
    command = shell_script_command(bootstrap, path_env) or LaunchCommand(bootstrap, ())
    return LaunchCommand(command.program, command.arguments, variables)


def _missing_python(config: FunctionConfig) -> str:
    if config.interpreter and not os.path.exists(config.interpreter) and os.sep in config.interpreter:
        return (f"Python interpreter not found: {config.interpreter}. Install Python 3.9 or later, "
                "or set the function's interpreter to one that exists.")
    if config.interpreter:
        return (f"Python interpreter {config.interpreter} cannot run (it does not report a version). "
                "Set the function's interpreter to a working Python 3.9 or later.")
    return "No Python interpreter found. Install Python 3.9 or later (for example `uv python install 3.12`)."


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
