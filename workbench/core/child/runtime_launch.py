"""Which program starts a function's runtime, and why it might not be able to."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass

from ..function.function_config import FunctionConfig, runtime_family
from .built_environment import FunctionEnvironment
from ..vocabulary import ErrorType


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


def exec_format_problem(path: str) -> str | None:
    """Lambda's "fork/exec PATH: exec format error" when the kernel would refuse to run path: neither a
    script (#!) nor an ELF program for this machine (its header must match the running interpreter's).

    Checked before the start because the runtime is launched through a small prefix (to join its cgroup
    and get a parent-death signal) whose exec falls back to running such a file as a shell script.
    (Interpreters are run before, to learn their version, so this matters for a custom bootstrap.)
    """
    try:
        with open(path, "rb") as program:
            head = program.read(20)
        with open(sys.executable, "rb") as own:
            own_head = own.read(20)
    except OSError:
        return None  # unreadable: the start itself says what is wrong
    if head.startswith(b"#!"):
        return None
    # e_ident: magic, class, byte order, version; then e_type (executable or shared) and e_machine.
    if (len(head) == 20 and head[:7] == own_head[:7] and own_head[:4] == b"\x7fELF"
            and head[16:17] in (b"\x02", b"\x03") and head[18:20] == own_head[18:20]):
        return None
    return f"fork/exec {path}: exec format error"


def launch_command(config: FunctionConfig, runtime_dir: str, path_env: str | None = None,
                   environment: FunctionEnvironment | None = None) -> LaunchCommand:
    """The command for a function's runtime, or LaunchError saying what to install or fix.

    Python runs isolated (-I: no PYTHON* variables, no user site) and without site (-S: none of the
    interpreter's own packages); the bootstrap then builds sys.path as Lambda's runtime does. -B: no
    bytecode is written, as on Lambda, whose code folder (/var/task) is read-only: the user's folder gets no
    __pycache__, and each cold start compiles the handler's modules as Lambda's does, inside Init Duration.
    (A pycache prefix elsewhere would make local cold starts faster than Lambda's, and Python then reads
    only the prefix, ignoring the bytecode pip compiled into installed dependencies, which -B still reads.)
    """
    family = runtime_family(config.runtime)
    variables = environment.variables if environment else ()
    interpreter = environment.interpreter if environment else None
    if family == "python":
        if interpreter is None:
            raise LaunchError(ErrorType.INVALID_ENTRYPOINT, _missing_python(config))
        return LaunchCommand(interpreter.path, ("-I", "-S", "-B", os.path.join(runtime_dir, "python", "start.py")),
                             variables)
    if family == "nodejs":
        node = interpreter.path if interpreter else None
        if node is None:
            if config.interpreter:
                raise LaunchError(ErrorType.INVALID_ENTRYPOINT, f"node not found or not runnable: {config.interpreter}. "
                                  "Set the function's interpreter to a Node.js 18 or later that exists.")
            raise LaunchError(ErrorType.INVALID_ENTRYPOINT,
                              "node was not found on PATH. Install Node.js 18 or later (for example "
                              "`apt-get install nodejs`) to run nodejs functions.")
        return LaunchCommand(node, (os.path.join(runtime_dir, "node", "bootstrap.mjs"),), variables)
    if family == "java":
        return _java_command(config, environment)


    bootstrap = os.path.join(config.code_dir, "bootstrap")
    if not os.path.exists(bootstrap):
        raise LaunchError(ErrorType.INVALID_ENTRYPOINT,
                          f"fork/exec {bootstrap}: no such file or directory. A custom runtime needs an "
                          "executable file named bootstrap in the function's code folder.")
    if not os.access(bootstrap, os.X_OK):
        raise LaunchError(ErrorType.INVALID_ENTRYPOINT,
                          f"fork/exec {bootstrap}: permission denied. Make it executable: chmod +x {bootstrap}")
    problem = exec_format_problem(bootstrap)
    if problem is not None:
        raise LaunchError(ErrorType.INVALID_ENTRYPOINT, problem)
    command = shell_script_command(bootstrap, path_env) or LaunchCommand(bootstrap, ())
    return LaunchCommand(command.program, command.arguments, variables)


def _java_command(config: FunctionConfig, environment: FunctionEnvironment | None) -> LaunchCommand:
    """java with Lambda's options for the runtime and memory size, the runtime client's classes, the handler."""
    # Here: only a Java function needs it; invoke's start-up (before the head start) for the others does not load it
    from ..java.jvm_options import java_arguments

    interpreter = environment.interpreter if environment else None
    if interpreter is None:
        if config.interpreter:
            raise LaunchError(ErrorType.INVALID_ENTRYPOINT, f"No JDK at {config.interpreter}. Set the function's "
                              "interpreter to a JDK folder or its bin/java, or clear it.")
        raise LaunchError(ErrorType.INVALID_ENTRYPOINT, f"No JDK found to run {config.runtime}. Install one (for "
                          "example `apt-get install openjdk-17-jdk-headless`) or set JAVA_HOME.")
    if environment.java_runtime is None:
        raise LaunchError(ErrorType.INVALID_ENTRYPOINT, "The Java runtime client is not built.")
    runtime_classes, codec = environment.java_runtime
    return LaunchCommand(interpreter.path, java_arguments(config.memory_mb, runtime_classes, codec, config.handler),
                         environment.variables)


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
