"""Starting a function from nothing: a handler found in a bare folder, or a new function with a starter file."""

from __future__ import annotations

import re
from pathlib import Path

from .atomic_write import write_text_atomic
from .function_config import FunctionConfig, runtime_family
from .workspace_file import load_workspace_functions, save_workspace_functions

_PYTHON_HANDLER = re.compile(r"^def\s+(\w*handler\w*)\s*\(\s*event\s*,\s*context", re.M)
_NODE_HANDLER = re.compile(r"^(?:export\s+(?:const|async\s+function|function)\s+(\w+)|exports\.(\w+)\s*=)", re.M)

PYTHON_STARTER = '''import json


def lambda_handler(event, context):
    print(f"Received event for request {context.aws_request_id}")
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"message": "Hello from Lambda!"}),
    }
'''

NODE_STARTER = '''export const handler = async (event, context) => {
  console.log(`Received event for request ${context.awsRequestId}`);
  return {
    statusCode: 200,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ message: "Hello from Lambda!" }),
  };
};
'''


def detect_handler(folder: Path) -> tuple[str, str] | None:
    """(handler, runtime) when the folder's one .py, .js or .mjs file defines a handler-shaped function."""
    sources = [p for p in sorted(Path(folder).iterdir()) if p.is_file() and p.suffix in (".py", ".js", ".mjs")] \
        if Path(folder).is_dir() else []
    if len(sources) != 1:
        return None
    source = sources[0]
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if source.suffix == ".py":
        match = _PYTHON_HANDLER.search(text)
        return (f"{source.stem}.{match.group(1)}", "python3.12") if match else None
    match = _NODE_HANDLER.search(text)
    name = (match.group(1) or match.group(2)) if match else None
    return (f"{source.stem}.{name}", "nodejs20.x") if name and "handler" in name.lower() else None


def default_handler(runtime: str) -> str:
    """The handler a new function of this runtime gets, as the Lambda console names it."""
    return "index.handler" if runtime_family(runtime) == "nodejs" else "lambda_function.lambda_handler"


def handler_file(code_dir: str, handler: str) -> Path | None:
    """The source file a handler string points at (app.handler -> app.py / app.js / app.mjs), if it exists."""
    module = handler.rsplit(".", 1)[0] if "." in handler else ""
    for suffix in (".py", ".mjs", ".js", ".cjs", ""):
        candidate = Path(code_dir) / f"{module}{suffix}"
        if module and candidate.is_file():
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
    code_dir = (folder / code_subdir) if code_subdir else folder
    node = runtime_family(runtime) == "nodejs"
    source = code_dir / f"{module}{'.mjs' if node else '.py'}"
    if not source.exists():
        code_dir.mkdir(parents=True, exist_ok=True)
        starter = NODE_STARTER if node else PYTHON_STARTER
        default = "handler" if node else "lambda_handler"
        write_text_atomic(source, starter.replace(f"const {default} ", f"const {function} ")
                          if node else starter.replace(f"def {default}(", f"def {function}("))
    config = FunctionConfig(name=name, handler=handler, runtime=runtime, code_dir=str(code_dir))
    save_workspace_functions(folder, [*existing, config])
    return config
