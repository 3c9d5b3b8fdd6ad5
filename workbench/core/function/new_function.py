"""Starting a function from nothing: a handler found in a bare folder, or a new function with its starter files
(function_starters.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..workspace.atomic_write import write_text_atomic
from .function_config import FunctionConfig
from .function_starters import handler_suffixes, starter_files
from ..workspace.workspace_file import load_workspace_functions, save_workspace_functions
from ..java.handler_string import parse_java_handler, source_file_of

_PYTHON_HANDLER = re.compile(r"^def\s+(\w*handler\w*)\s*\(\s*event\s*,\s*context", re.M)
_NODE_HANDLER = re.compile(
    r"^(?:export\s+(?:const|let|var|async\s+function|function)\s+(\w+)|(?:module\.)?exports\.(\w+)\s*=)", re.M)
_SOURCE_SUFFIXES = (".py", ".js", ".mjs", ".cjs")
_SHELL_FUNCTION = re.compile(r"^(?:function\s+(\w+)\s*(?:\(\s*\))?|(\w+)\s*\(\s*\))\s*\{?", re.M)


def detect_handler(folder: Path) -> tuple[str, str] | None:
    """(handler, runtime) when exactly one .py, .js, .mjs or .cjs file at the folder's top defines a
    handler-shaped function (app.py beside a utils.py still proposes app.handler), or with none, when an
    executable bootstrap makes it a custom runtime; None when several do, as guessing between two would run
    the wrong one, or nothing does."""
    folder = Path(folder)
    sources = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in _SOURCE_SUFFIXES) \
        if folder.is_dir() else []
    found = [handler for handler in map(_handler_in, sources) if handler is not None]
    if not found:
        return _custom_runtime_in(folder)
    return found[0] if len(found) == 1 else None


def _custom_runtime_in(folder: Path) -> tuple[str, str] | None:
    """An executable bootstrap is a custom runtime (provided.al2023). Its handler is the one shell function
    of its one .sh file when there is one (the AWS tutorial's function.handler), else "bootstrap" (as for
    a compiled Go or Rust bootstrap, where the handler is not read)."""
    bootstrap = folder / "bootstrap"
    if not (bootstrap.is_file() and os.access(bootstrap, os.X_OK)):
        return None
    handlers = []
    for script in sorted(folder.glob("*.sh")):
        try:
            names = [a or b for a, b in _SHELL_FUNCTION.findall(script.read_text(encoding="utf-8"))]
        except (OSError, UnicodeDecodeError):
            continue
        handlers += [f"{script.stem}.{name}" for name in names]
    return (handlers[0] if len(handlers) == 1 else "bootstrap"), "provided.al2023"


def _handler_in(source: Path) -> tuple[str, str] | None:
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if source.suffix == ".py":
        match = _PYTHON_HANDLER.search(text)
        return (f"{source.stem}.{match.group(1)}", "python3.12") if match else None
    names = [m.group(1) or m.group(2) for m in _NODE_HANDLER.finditer(text)]
    name = next((n for n in names if "handler" in n.lower()), None)
    return (f"{source.stem}.{name}", "nodejs20.x") if name else None


def code_folder_problem(code_subdir: str) -> str | None:
    """Why a new function's code folder cannot be used (it must stay inside the workspace)."""
    parts = Path(code_subdir.strip()).parts
    if Path(code_subdir.strip()).is_absolute() or ".." in parts:
        return "The code folder must be inside the workspace (e.g. orders), not above or beside it."
    return None


def handler_file(code_dir: str, handler: str) -> Path | None:
    """The source file a handler string points at (app.handler -> app.py / app.js / app.mjs), if it exists."""
    module = handler.rsplit(".", 1)[0] if "." in handler else ""
    for suffix in (".py", ".mjs", ".js", ".cjs", ".sh", ""):
        candidate = Path(code_dir) / f"{module}{suffix}"
        if module and candidate.is_file():
            return candidate

    parsed = parse_java_handler(handler)
    for root in ("", "src/main/java"):  # a folder of sources, or a Maven or Gradle project
        candidate = Path(code_dir) / root / source_file_of(parsed) if parsed else None
        if candidate is not None and candidate.is_file():
            return candidate
    bootstrap = Path(code_dir) / "bootstrap"
    return bootstrap if bootstrap.is_file() else None


def create_function(folder: Path, name: str, runtime: str, handler: str, code_subdir: str = "",
                    keep: tuple[FunctionConfig, ...] = ()) -> FunctionConfig:
    """Write the handler's starter file (unless it exists) and add the function to workbench.json.

    `keep` are functions shown but written nowhere yet (a folder's detected handler): they are written
    with the new one, so that adding a function never takes one away.
    Raises ValueError for a name already taken or a handler without a module, OSError when writing fails.
    """
    folder = Path(folder)
    existing = load_workspace_functions(folder)
    existing = [*existing, *(config for config in keep if config.name not in {c.name for c in existing})]
    if any(config.name == name for config in existing):
        raise ValueError(f"A function named {name} already exists in this workspace.")
    module, _, function = handler.rpartition(".")
    if not module or not function:
        raise ValueError(f"Handler {handler!r} must read module.function (e.g. app.lambda_handler).")
    if problem := code_folder_problem(code_subdir):
        raise ValueError(problem)
    code_dir = (folder / code_subdir) if code_subdir else folder
    # A module already there is the user's code: the starter never replaces it.
    if not any((code_dir / f"{module}{suffix}").is_file() for suffix in handler_suffixes(runtime)):
        for starter in starter_files(runtime, handler):
            target = code_dir / starter.path
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)  # a handler may name a subfolder: src/app.handler
            write_text_atomic(target, starter.text)
            if starter.executable:
                target.chmod(0o755)
    config = FunctionConfig(name=name, handler=handler, runtime=runtime, code_dir=str(code_dir))
    save_workspace_functions(folder, [*existing, config])
    return config
