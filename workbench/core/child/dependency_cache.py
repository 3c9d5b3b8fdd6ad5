"""The content-addressed cache of function dependencies: which manifest a code folder has, the key of its
entry (sha256 of the manifest, the runtime, the architecture and the interpreter's version), where entries
live, and the commands that fill them.

An entry is built in a temporary folder beside the others and renamed into place, so a failed or
cancelled install never leaves a half-written entry. Code edits never change a key; a manifest edit does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..function.function_config import runtime_family

CACHE_VARIABLE = "LAMBDA_WORKBENCH_CACHE"
ENTRY_FILE = ".workbench-entry.json"
# Manifests in the order they are looked for; the first found is the function's.
PYTHON_MANIFESTS = (("uv.lock", ("pyproject.toml", "uv.lock")), ("requirements.txt", ("requirements.txt",)))
NODE_MANIFESTS = (("package-lock.json", ("package.json", "package-lock.json")),
                  ("npm-shrinkwrap.json", ("package.json", "npm-shrinkwrap.json")),
                  ("package.json", ("package.json",)))
# A package.json alone is installed as `sam build` installs it: npm resolves its ranges (`npm install`).
UNLOCKED_NODE_NOTE = ("{file} has no package-lock.json: npm resolved its version ranges when these dependencies "
                      "were installed (as sam build does), so another install may get other versions. Run "
                      "`npm install` in {folder} to write a lock file for repeatable installs.")


def cache_root(env: dict[str, str]) -> Path:
    """LAMBDA_WORKBENCH_CACHE, else $XDG_CACHE_HOME/lambda-workbench, else ~/.cache/lambda-workbench."""
    if env.get(CACHE_VARIABLE):
        return Path(env[CACHE_VARIABLE])
    base = env.get("XDG_CACHE_HOME") or os.path.join(env.get("HOME") or str(Path.home()), ".cache")
    return Path(base) / "lambda-workbench"


@dataclass(frozen=True)
class Manifest:
    kind: str
    """"requirements.txt", "uv.lock", "package-lock.json", "npm-shrinkwrap.json" or "package.json" (no lock)."""
    folder: str
    files: tuple[str, ...]
    digest: str
    """sha256 of the files' names and contents."""

    @property
    def main_file(self) -> str:
        return os.path.join(self.folder, self.files[-1] if self.kind != "requirements.txt" else self.files[0])


def find_manifest(folder: str, runtime: str) -> Manifest | None:
    """The dependency manifest of a code (or layer) folder, None when it has none.

    A Node.js folder that ships its own node_modules has nothing to install: Lambda runs it as shipped.
    """
    family = runtime_family(runtime)
    if family == "python":
        choices = PYTHON_MANIFESTS
    elif family == "nodejs":
        if os.path.isdir(os.path.join(folder, "node_modules")):
            return None
        choices = NODE_MANIFESTS
    else:
        return None
    for kind, files in choices:
        paths = [os.path.join(folder, name) for name in files]
        if kind == "package.json" and not _declares_dependencies(paths[0]):
            continue  # {"type": "module"} and the like: nothing to install
        if all(os.path.isfile(path) for path in paths):
            digest = hashlib.sha256()
            for name, path in zip(files, paths):
                with open(path, "rb") as handle:
                    digest.update(name.encode() + b"\0" + handle.read() + b"\0")
            return Manifest(kind, folder, files, digest.hexdigest())
    return None


def _declares_dependencies(package_json: str) -> bool:
    try:
        with open(package_json, "rb") as handle:
            document = json.loads(handle.read())
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and bool(document.get("dependencies"))


def entry_key(manifest: Manifest, runtime: str, architecture: str, interpreter_version: str) -> str:
    """The cache key: the same manifest for the same runtime, architecture and interpreter shares one entry."""
    minor = ".".join(interpreter_version.split(".")[:2])
    text = json.dumps([manifest.kind, manifest.digest, runtime, architecture, minor])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def entry_path(root: Path, key: str) -> Path:
    return root / "deps" / key


def entry_built(root: Path, key: str) -> bool:
    return (entry_path(root, key) / ENTRY_FILE).is_file()


def entry_info(root: Path, key: str) -> dict:
    """What an entry's metadata file says (manifest, runtime, installer, built_at); {} if unreadable."""
    try:
        return json.loads((entry_path(root, key) / ENTRY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def entry_metadata(manifest: Manifest, runtime: str, architecture: str, installer: str) -> str:
    return json.dumps({"manifest": manifest.main_file, "kind": manifest.kind, "runtime": runtime,
                       "architecture": architecture, "installer": installer, "built_at": time.time()}, indent=1)


def python_install_commands(manifest: Manifest, target: str, python: str, uv: str | None) -> list[list[str]]:
    """The installer commands for a Python manifest into target, uv first (pip as the fallback)."""
    if manifest.kind == "uv.lock":
        if uv is None:
            raise ValueError("pyproject.toml + uv.lock needs uv; install the workbench's `uv` dependency")
        requirements = os.path.join(target, ".requirements-from-uv-lock.txt")
        # The lock file as plain pinned requirements, then the same install as requirements.txt.
        return [[uv, "export", "--frozen", "--no-hashes", "--no-dev", "--no-emit-project",
                 "--directory", manifest.folder, "-o", requirements],
                [uv, "pip", "install", "--python", python, "--target", target, "-r", requirements]]
    if uv is not None:
        return [[uv, "pip", "install", "--python", python, "--target", target, "-r", manifest.main_file]]
    return [[python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--target", target,
             "-r", manifest.main_file]]


def node_install_commands(manifest: Manifest, target: str, npm: str) -> list[list[str]]:
    """`npm ci` in a copy of the manifest inside target (npm installs beside package.json); a package.json
    without a lock file: `npm install`, which resolves its ranges (and writes no lock into the cache)."""
    if manifest.kind == "package.json":
        return [[npm, "install", "--omit=dev", "--no-audit", "--no-fund", "--no-package-lock", "--prefix", target]]
    return [[npm, "ci", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts=false", "--prefix", target]]


# A build's temporary folder names the process building it, so a later build can tell an interrupted
# one's leftovers (its process is gone) from another process's build in progress.
TEMPORARY_PREFIX = ".tmp-"


def temporary_name(final_name: str, pid: int, token: str) -> str:
    return f"{TEMPORARY_PREFIX}{final_name}-pid{pid}-{token}"


def leftover_temporaries(folder: Path, alive: Callable[[int], bool], now: float,
                         unnamed_age_s: float = 24 * 3600) -> list[Path]:
    """Temporary build folders in `folder` left by builds that cannot finish any more: their process is
    gone (a killed `invoke`, a crash), or, from before the pid was in the name, older than a day."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found = []
    for entry in entries:
        if not entry.name.startswith(TEMPORARY_PREFIX) or not entry.is_dir(follow_symlinks=False):
            continue
        match = re.search(r"-pid(\d+)-[0-9a-f]+$", entry.name)
        if match:
            if not alive(int(match.group(1))):
                found.append(Path(entry.path))
        else:
            try:
                if now - entry.stat(follow_symlinks=False).st_mtime > unnamed_age_s:
                    found.append(Path(entry.path))
            except OSError:
                continue
    return found


_LOCAL_PATH = re.compile(r"^(?:-e\s+|--editable[=\s]+)?(\.{1,2}/\S*|[^\s:@;#]+\.(?:whl|tar\.gz|zip))(?:\[[^\]]*\])?")


def missing_local_requirements(requirements: str, folder: str, file_name: str = "requirements.txt") -> list[str]:
    """A log line for each relative path in a requirements file (`./vendor/x.whl`, `-e ../pkg`) that does
    not exist in `folder`: the installer resolves them from there, as pip does from where it runs."""
    lines = []
    for number, line in enumerate(requirements.splitlines(), 1):
        text = line.split(" #", 1)[0].strip()
        match = _LOCAL_PATH.match(text)
        if not match:
            continue
        path = match.group(1)
        if os.path.exists(os.path.join(folder, path)):
            continue
        lines.append(f"[build] WARNING: {file_name} line {number}: {path} does not exist "
                     f"(relative paths are taken from {folder}, the function's folder)")
    return lines
