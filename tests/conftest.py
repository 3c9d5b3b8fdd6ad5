"""Test set-up: offscreen Qt before any QApplication exists, and no touching the user's settings."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# --- The execution engine: a real Engine, real runtime processes, the fixture handlers -------------

import shutil  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

PYTHON_FIXTURES = Path(__file__).parent / "fixtures" / "python"


@pytest.fixture
def engine(qapp):
    """An Engine that kills every environment it started when the test ends."""
    from workbench.engine.engine import Engine

    instance = Engine()
    yield instance
    instance.shutdown()


@pytest.fixture
def python_code(tmp_path):
    """A private copy of tests/fixtures/python, so a test may edit files without touching the originals."""
    target = tmp_path / "code"
    shutil.copytree(PYTHON_FIXTURES, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@dataclass
class Ran:
    """What one finished invocation showed: its result, its log lines, and whether it started cold."""

    result: object
    lines: list = field(default_factory=list)
    cold: bool | None = None

    @property
    def text(self) -> str:
        return self.result.payload.decode("utf-8", errors="replace")


@pytest.fixture
def run(engine, qtbot):
    """run(config, event) invokes through the engine and waits for the one finished signal."""

    def _run(config, event=None, wait_ms=30_000, options=None):
        invocation = engine.invoke(config, {} if event is None else event, options)
        ran = Ran(result=None)
        invocation.log_lines.connect(ran.lines.extend)
        invocation.started.connect(lambda cold: setattr(ran, "cold", cold))
        with qtbot.waitSignal(invocation.finished, timeout=wait_ms) as blocker:
            pass
        ran.result = blocker.args[0]
        # Anything emitted after finished would be a bug the tests should see.
        qtbot.wait(0)
        return ran

    return _run
