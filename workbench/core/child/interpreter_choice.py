"""Which interpreter runs a function: one of its runtime's version when this machine has one, else the
nearest, and then a warning that says so (never silently).

Python: the configured interpreter, else the workspace's `.venv` when its version matches, else
`python3.X` on PATH, pyenv's versions and uv-managed installs. Node.js: the configured `node`, else
`node` on PATH and nvm's versions, against the runtime's major version. Shims are never used: the pyenv
shim costs about 80 ms a spawn.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..function.function_config import FunctionConfig, runtime_family
from ..workspace.atomic_write import write_text_atomic
from .dependency_cache import cache_root


@dataclass(frozen=True)
class Interpreter:
    requested: str
    """The function's runtime, e.g. "python3.12" or "nodejs22.x"."""
    path: str
    version: str
    """The interpreter's own version, e.g. "3.11.7" or "20.20.2"."""
    source: str
    """Where it was found: "configured", "workspace .venv", "PATH", "pyenv", "uv", "nvm", "workbench"."""
    matches: bool
    """Its version is the runtime's (Python minor / Node.js major)."""
    searched: str = ""
    """What was looked through, for the warning."""

    @property
    def warning(self) -> str | None:
        """The WARNING line shown before START when the version differs from the runtime's."""
        if self.matches:
            return None
        if runtime_family(self.requested) == "java":
            # Here: cycle interpreter_choice -> java/jdk_choice -> interpreter_choice (Interpreter)
            from ..java.jdk_choice import jdk_warning

            return jdk_warning(self)
        wanted = runtime_version(self.requested)
        if runtime_family(self.requested) == "python":
            return (f"WARNING: {self.requested} requested; running on Python {self.version} ({self.path}): "
                    f"no python{wanted} found ({self.searched}). Install one (`uv python install {wanted}` or "
                    f"`pyenv install {wanted}`), or set the function's interpreter.")
        return (f"WARNING: {self.requested} requested; running on Node.js {self.version} ({self.path}): "
                f"no Node.js {wanted} found ({self.searched}). Install one (`nvm install {wanted}`), or set the "
                "function's interpreter to its node.")

    def report(self) -> dict:
        """The `"interpreter"` object of a --report-json line."""
        return {"requested": self.requested, "version": self.version, "path": self.path,
                "matches": self.matches}


def runtime_version(runtime: str) -> str:
    """"3.12" for python3.12, "22" for nodejs22.x."""
    match = re.match(r"python(\d+\.\d+)|nodejs(\d+)|java(\d+)$", runtime)
    if not match:
        raise ValueError(f"{runtime} has no interpreter version")
    return match.group(1) or match.group(2) or match.group(3)


def version_matches(runtime: str, version: str) -> bool:
    wanted = runtime_version(runtime)
    if runtime_family(runtime) == "python":
        return version == wanted or version.startswith(wanted + ".")
    return version.split(".")[0] == wanted


_VERSION_CACHE: dict[str, str | None] = {}
# Versions probed once are kept on disk too, so a `lambda-workbench invoke` process does not start an
# interpreter just to ask its version (about 15 ms of every cold command): keyed by the file's real path,
# size and modification time, so a reinstalled interpreter is probed again.
VERSIONS_FILE = "interpreter-versions.json"


def _versions_file(env: dict[str, str]) -> Path:
    return cache_root(env) / VERSIONS_FILE


def _load_versions(env: dict[str, str]) -> dict[str, str]:
    try:
        stored = json.loads(_versions_file(env).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def _remember_version(env: dict[str, str], key: str, version: str) -> None:
    stored = _load_versions(env)
    stored[key] = version
    try:
        _versions_file(env).parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(_versions_file(env), json.dumps(stored, indent=1, sort_keys=True))
    except OSError:
        pass  # a read-only cache only costs the probe next time


def interpreter_version(path: str, env: dict[str, str] | None = None) -> str | None:
    """The version an interpreter reports (run once per file, then remembered, on disk too), None if it
    does not run."""
    env = dict(os.environ) if env is None else env
    try:
        real = os.path.realpath(path)
        stat = os.stat(real)
    except OSError:
        return None
    key = f"{real}\0{stat.st_size}\0{stat.st_mtime_ns}"
    if key in _VERSION_CACHE:
        return _VERSION_CACHE[key]
    stored = _load_versions(env).get(key)
    if isinstance(stored, str) and re.fullmatch(r"\d+\.\d+\.\d+\S*", stored):
        _VERSION_CACHE[key] = stored
        return stored
    node = "node" in os.path.basename(path)
    arguments = ["--version"] if node else ["-I", "-S", "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"]
    try:
        done = subprocess.run([path, *arguments], capture_output=True, text=True, timeout=10, check=False)
        text = done.stdout.strip().lstrip("v") if done.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        text = ""
    version = text if re.fullmatch(r"\d+\.\d+\.\d+\S*", text) else None
    _VERSION_CACHE[key] = version
    if version is not None:
        _remember_version(env, key, version)
    return version


def _executable(path: str | Path) -> bool:
    # os.path, not pathlib: a cold start looks at a few hundred candidate paths.
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _on_path(name: str, path_env: str | None) -> list[str]:
    """Every `name` on PATH, shims left out."""
    found = []
    for folder in (path_env or "").split(os.pathsep):
        if not folder or "shims" in folder.split(os.sep):
            continue
        candidate = os.path.join(folder, name)
        if _executable(candidate) and candidate not in found:
            found.append(candidate)
    return found


def _workspace_venv(code_dir: str, levels: int = 3) -> str | None:
    folder = Path(code_dir).resolve()
    for candidate in [folder, *folder.parents][: levels + 1]:
        python = candidate / ".venv" / "bin" / "python"
        if _executable(python):
            return str(python)
    return None


def python_candidates(config: FunctionConfig, env: dict[str, str]) -> list[tuple[str, str]]:
    """(path, source) of every Python this machine offers, in the order they are preferred."""
    home = Path(env.get("HOME") or Path.home())
    found: list[tuple[str, str]] = []
    venv = _workspace_venv(config.code_dir)
    if venv:
        found.append((venv, "workspace .venv"))
    minors = [f"3.{minor}" for minor in range(20, 7, -1)]
    for minor in minors:
        found += [(path, "PATH") for path in _on_path(f"python{minor}", env.get("PATH"))]
    pyenv_root = Path(env.get("PYENV_ROOT") or home / ".pyenv") / "versions"
    uv_root = Path(env.get("UV_PYTHON_INSTALL_DIR") or
                   Path(env.get("XDG_DATA_HOME") or home / ".local" / "share") / "uv" / "python")
    for root, source in ((pyenv_root, "pyenv"), (uv_root, "uv")):
        try:
            folders = sorted(root.iterdir(), reverse=True)
        except OSError:
            continue
        for folder in folders:
            for minor in minors:
                python = os.path.join(folder, "bin", f"python{minor}")
                if _executable(python):
                    found.append((python, source))
    return found


def node_candidates(env: dict[str, str]) -> list[tuple[str, str]]:
    home = Path(env.get("HOME") or Path.home())
    found = [(path, "PATH") for path in _on_path("node", env.get("PATH"))]
    nvm_root = Path(env.get("NVM_DIR") or home / ".nvm") / "versions" / "node"
    try:
        folders = sorted(nvm_root.iterdir(), reverse=True)
    except OSError:
        folders = []
    found += [(str(folder / "bin" / "node"), "nvm") for folder in folders if _executable(folder / "bin" / "node")]
    return found


def _named_version(path: str) -> str | None:
    """"3.12" for .../python3.12 or a venv whose pyvenv.cfg says 3.12.x, "20" for nvm's v20 folder; None
    when only running it would tell."""
    name = os.path.basename(path)
    match = re.fullmatch(r"python(\d+\.\d+)", name)
    if match:
        return match.group(1)
    config = Path(path).parent.parent / "pyvenv.cfg"
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = re.search(r"^\s*version(?:_info)?\s*=\s*(\d+\.\d+)", text, re.MULTILINE)
    return found.group(1) if found else None


def _distance(runtime: str, version: str) -> tuple[int, int]:
    """How far a version is from the runtime's: the nearest wins, the newer one on a tie."""
    wanted = int(runtime_version(runtime).split(".")[-1])
    have = int(version.split(".")[1 if runtime_family(runtime) == "python" else 0])
    return abs(have - wanted), -have


def choose_interpreter(config: FunctionConfig, env: dict[str, str]) -> Interpreter | None:
    """The interpreter for a Python or Node.js function; None when there is none at all."""
    family = runtime_family(config.runtime)
    if family == "provided":
        return None
    if family == "java":
        # Here: cycle interpreter_choice -> java/jdk_choice -> interpreter_choice (Interpreter)
        from ..java.jdk_choice import choose_jdk

        return choose_jdk(config.runtime, config.interpreter, env)
    runtime = config.runtime
    if config.interpreter:
        configured = config.interpreter
        if os.sep not in configured:
            configured = next(iter(_on_path(configured, env.get("PATH"))), configured)
        version = interpreter_version(configured, env)
        if version is None:
            return None
        return Interpreter(runtime, configured, version, "configured", version_matches(runtime, version),
                           "the function's interpreter is set")
    if family == "python":
        candidates = python_candidates(config, env) + [(sys.executable, "workbench")]
        searched = "searched the workspace's .venv, PATH, pyenv and uv-managed Pythons"
    else:
        candidates = node_candidates(env)
        searched = "searched PATH and nvm"
    # The name (python3.12) or a venv's pyvenv.cfg tells the version without starting anything: only the
    # likely matches are run first, the rest only when none of them matches.
    wanted = runtime_version(runtime)
    likely = [item for item in candidates if _named_version(item[0]) in (wanted, None)]
    for path, source in likely:
        version = interpreter_version(path, env)
        if version is not None and version_matches(runtime, version):
            return Interpreter(runtime, path, version, source, True)
    versions: list[tuple[str, str, str]] = []
    for path, source in candidates:
        version = interpreter_version(path, env)
        if version is not None and source != "workspace .venv":
            versions.append((path, source, version))
    if not versions:
        return None
    path, source, version = min(versions, key=lambda item: _distance(runtime, item[2]))
    return Interpreter(runtime, path, version, source, False, searched)
