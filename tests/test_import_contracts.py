"""The layers of docs/architecture.md as import-linter contracts (pyproject.toml [tool.importlinter]): the tree
keeps every one, and a violation of each kind, planted in a copy of the package, breaks the contract that
names it — directly or through a helper module."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")

# (the file to plant in, the import line, the contract that must break), relative to the package.
PLANTED = [
    ("engine/deadline.py", "from ..ui import theme", "Layers"),
    ("ui/theme.py", "from ..serve import schedules", "Layers"),
    ("agent/schemas.py", "from ..serve import schedules", "Layers"),
    ("core/text/text_diff.py", "from PySide6 import QtCore", "core imports no Qt"),
    ("engine/deadline.py", "from ..core.planted_helper import GRAPH", "The engine uses QtCore only"),
    ("engine/deadline.py", "import pyqtgraph", "The engine uses QtCore only"),
    ("engine/deadline.py", "import qasync", "The engine uses QtCore only"),
    ("engine/deadline.py", "import shiboken6", "The engine uses QtCore only"),
    ("engine/deadline.py", "from ..services_host import snapshot", "The engine uses QtCore only"),
    ("ui/theme.py", "from ..engine import sandbox", "The window talks to the run session"),
    ("ui/theme.py", "from .. import runtimes", "The window talks to the run session"),
    ("cli/generate_event.py", "from ..agent.planted_window import WINDOW", "Headless entry points"),
    ("services_host/outbox.py", "from ..engine import run_session", "The services host is a program of its own"),
    ("runtimes/__init__.py", "from ..core.text import text_diff", "The runtimes run inside the child process"),
    ("resources.py", "from .core.text import text_diff", "resources.py names shipped files only"),
    ("serve/schedules.py", "from .. import app", "Only the entry point opens the window"),
]
# Helpers that carry a violation one step further (a transitive import).
HELPERS = {
    "core/planted_helper.py": "import pyqtgraph\nGRAPH = pyqtgraph\n",
    "agent/planted_window.py": "import pyqtgraph\nWINDOW = pyqtgraph\n",
}


def _lint(package_parent: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=package_parent,
                          env={"PYTHONPATH": str(package_parent), "PATH": "/usr/bin:/bin"}, capture_output=True,
                          text=True, timeout=120)


def test_the_tree_keeps_every_contract():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 broken" in done.stdout


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """A copy of the package to plant violations in, one at a time."""
    parent = tmp_path_factory.mktemp("planted")
    shutil.copytree(ROOT / "workbench", parent / "workbench", ignore=shutil.ignore_patterns("__pycache__"))
    return parent


@pytest.mark.parametrize("relative, line, contract", PLANTED, ids=[f"{p[0]}: {p[1]}" for p in PLANTED])
def test_a_planted_violation_breaks_its_contract(copy, relative, line, contract):
    path = copy / "workbench" / relative
    original = path.read_text()
    helpers = [copy / "workbench" / name for name, _text in HELPERS.items() if name.split("/")[-1][:-3] in line]
    try:
        for helper in helpers:
            helper.write_text(HELPERS[str(helper.relative_to(copy / "workbench"))])
        path.write_text(original + f"\n{line}\n")
        done = _lint(copy)
    finally:
        path.write_text(original)
        for helper in helpers:
            helper.unlink()
    assert done.returncode != 0, done.stdout
    broken = done.stdout.split("Broken contracts", 1)[1]
    assert broken.strip().splitlines()[1].startswith(contract) or f"\n{contract}" in broken, broken
    module = "workbench." + relative.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
    assert module in broken, broken
