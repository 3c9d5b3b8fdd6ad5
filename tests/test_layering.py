"""The layers of docs/architecture.md hold: arrows point down only. The import-linter contracts
(tests/test_import_contracts.py) check the layers transitively; this walk adds what import-linter cannot name:
Qt's submodules (QtWidgets, QtGui, QtNetwork), per layer, in direct imports."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "workbench"
LAYERS = ["runtimes", "core", "services_host", "engine", "ui", "serve", "agent", "cli"]  # lowest first
# ui, serve and agent (the MCP server) sit side by side above the engine: none imports another. The services
# host is a program of its own beside the engine: it may use core and the engine's Qt-free loopback_peer.
RANK = {"runtimes": 0, "core": 1, "services_host": 2, "engine": 2, "ui": 3, "serve": 3, "agent": 3, "cli": 4}
# The one module of a same-rank layer the services host uses: Qt-free, it tells which user is connecting.
ALLOWED_ACROSS = {"services_host": "workbench.engine.loopback_peer"}
FORBIDDEN_QT = {
    "core": ("PySide6",),
    # The engine starts the services host as a process; it never imports it.
    "engine": ("PySide6.QtWidgets", "PySide6.QtGui", "PySide6.QtNetwork", "workbench.services_host"),
    "runtimes": ("PySide6",),
    "services_host": ("PySide6", "workbench.engine.run_session", "workbench.engine.engine",
                      "workbench.engine.sandbox"),
    # Headless commands: QtCore through the engine, never the widgets.
    "cli": ("PySide6.QtWidgets", "PySide6.QtGui", "PySide6.QtNetwork", "workbench.ui"),
    "serve": ("PySide6.QtWidgets", "PySide6.QtGui", "PySide6.QtNetwork"),
    "agent": ("PySide6.QtWidgets", "PySide6.QtGui", "PySide6.QtNetwork"),
}


def _imports(path: Path) -> list[tuple[str, int]]:
    """Absolute module names a file imports, with relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _layer_files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_itself_and_below(layer):
    """No module imports from a layer above its own, and core/engine stay free of the Qt they must not use."""
    # The command-line entry point may open the window (app); nothing below it may.
    above = [other for other in LAYERS if other != layer and RANK[other] >= RANK[layer]]
    above += [] if layer == "cli" else ["app"]
    problems = []
    for path in _layer_files(layer):
        for module, line in _imports(path):
            if module.startswith(ALLOWED_ACROSS.get(layer, "\0")):
                continue
            for upper in above:
                if module == f"workbench.{upper}" or module.startswith(f"workbench.{upper}."):
                    problems.append(f"{path.relative_to(PACKAGE)}:{line} imports {module}")
            for banned in FORBIDDEN_QT.get(layer, ()):
                if module == banned or module.startswith(banned + "."):
                    problems.append(f"{path.relative_to(PACKAGE)}:{line} imports {module}")
    assert problems == []


def test_runtimes_import_nothing_from_the_package():
    """Files that run inside the child process stand alone."""
    for path in _layer_files("runtimes"):
        for module, line in _imports(path):
            assert not module.startswith("workbench"), f"{path}:{line} imports {module}"


def test_the_top_level_modules_keep_their_place():
    """resources.py names shipped files (no Qt, no layer); app.py, the window's entry, uses no QtNetwork."""
    for module, line in _imports(PACKAGE / "resources.py"):
        assert not module.startswith(("PySide6", "workbench.")) or module.startswith("workbench.resources"), \
            f"resources.py:{line} imports {module}"
    for module, line in _imports(PACKAGE / "app.py"):
        assert not module.startswith("PySide6.QtNetwork"), f"app.py:{line} imports {module}"


def test_signals_follow_one_rule():
    """Every signal is named for what happened (no prefix) and says under it what it carries."""
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if not isinstance(body, list):
                continue
            for index, statement in enumerate(body):
                if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
                        and getattr(statement.value.func, "id", None) == "Signal"):
                    continue
                name = statement.targets[0].id if isinstance(statement.targets[0], ast.Name) else "?"
                where = f"{path.relative_to(PACKAGE)}:{statement.lineno} {name}"
                if name.startswith("sig_"):
                    problems.append(f"{where}: prefixed")
                following = body[index + 1] if index + 1 < len(body) else None
                if not (isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                        and isinstance(following.value.value, str)):
                    problems.append(f"{where}: no docstring saying what it carries")
    assert problems == []
