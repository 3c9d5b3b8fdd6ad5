"""A function's built environment (interpreter, dependency entry, merged layers, the runtime's SDK, AWS
access) and the search paths Lambda's runtimes use, in Lambda's order."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

from .interpreter_choice import Interpreter, runtime_version

# The module search-path variable the Python bootstrap reads (and removes before the handler loads).
PYTHON_PATH_VARIABLE = "_LAMBDA_WORKBENCH_SYS_PATH"
# Variables of Lambda's that name /opt; here they name the merged layers folder.
OPT_VARIABLE = "_LAMBDA_WORKBENCH_OPT"


@dataclass(frozen=True)
class BuildFailure:
    """An environment build that failed: the error type the call gets, and the installer's own words."""

    error_type: str
    message: str


@dataclass(frozen=True)
class FunctionEnvironment:
    """Everything besides the code that one execution environment of a function starts from."""

    interpreter: Interpreter | None
    dependencies: str | None = None
    """The dependency cache entry (a folder), None when the function has no manifest."""
    dependencies_manifest: str | None = None
    opt_dir: str | None = None
    """The merged layers: what /opt would be on Lambda. None without local layers."""
    sdk_dir: str | None = None
    """The runtime's bundled SDK folder, None when it is not installed."""
    variables: tuple[tuple[str, str], ...] = ()
    """Variables the runtime starts with besides Lambda's own: search paths, AWS credentials."""
    notices: tuple[str, ...] = ()
    """WARNING lines shown in the log before START on a cold start."""
    secrets: tuple[str, ...] = ()
    """Values that must never appear in a log, history or report (credentials)."""
    java_runtime: tuple[str, str] | None = None
    """Java: the runtime client's class path and its JSON codec's (compiled in the cache)."""

    @property
    def key(self) -> str:
        """The environment_key a run record keeps: which interpreter, dependencies, layers and SDK."""
        parts = [self.interpreter.path if self.interpreter else "", self.interpreter.version if self.interpreter
                 else "", self.dependencies or "", self.opt_dir or "", self.sdk_dir or ""]
        if self.java_runtime:
            parts += list(self.java_runtime)
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def python_search_path(task_root: str, dependencies: str | None, opt_dir: str | None, runtime: str,
                       sdk_dir: str | None) -> list[str]:
    """sys.path before the standard library, as Lambda's Python runtime builds it: the task root (where a
    deployed package has its dependencies), the layers' python/lib/python3.X/site-packages and python,
    then the runtime's own SDK, so a function's or a layer's own boto3 wins."""
    path = [task_root]
    if dependencies:
        path.append(dependencies)
    if opt_dir:
        path += [os.path.join(opt_dir, "python", "lib", f"python{runtime_version(runtime)}", "site-packages"),
                 os.path.join(opt_dir, "python")]
    if sdk_dir:
        path.append(sdk_dir)
    return path


def node_path(task_root: str, dependencies: str | None, opt_dir: str | None, runtime: str,
              sdk_dir: str | None, runtime_dir: str) -> str:
    """NODE_PATH in Lambda's order (/opt/nodejs/nodeNN/node_modules, /opt/nodejs/node_modules,
    /var/runtime/node_modules, /var/runtime, /var/task), with the dependency cache entry first: on
    Lambda those packages sit in the task root's node_modules, found before NODE_PATH."""
    parts = []
    if dependencies:
        parts.append(os.path.join(dependencies, "node_modules"))
    if opt_dir:
        parts += [os.path.join(opt_dir, "nodejs", f"node{runtime_version(runtime)}", "node_modules"),
                  os.path.join(opt_dir, "nodejs", "node_modules")]
    if sdk_dir:
        parts.append(os.path.join(sdk_dir, "node_modules"))
    parts += [runtime_dir, task_root]
    return os.pathsep.join(parts)

