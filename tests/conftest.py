"""Test set-up: offscreen Qt before any QApplication exists, and no touching the user's settings."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# --- Function environments: a private dependency cache, and no network ------------------------------
# The runtime's SDK folders are pre-seeded with the test environment's own boto3 (links, not copies), as
# the download would fill them; credentials are fixed, improbable values, so no test reads ~/.aws.

def _seed_environment_cache() -> None:
    import importlib.util
    import shutil
    import tempfile

    import atexit

    root = tempfile.mkdtemp(prefix="workbench-cache-")
    atexit.register(shutil.rmtree, root, True)
    os.environ["LAMBDA_WORKBENCH_CACHE"] = root
    packages = ["boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six", "simplejson"]
    locations = []
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            locations.append(os.path.dirname(spec.origin) if spec.submodule_search_locations else spec.origin)
    from workbench.core.function.function_config import PYTHON_RUNTIMES
    for runtime in PYTHON_RUNTIMES:
        folder = os.path.join(root, "sdk", runtime)
        os.makedirs(folder)
        for location in locations:
            os.symlink(location, os.path.join(folder, os.path.basename(location)))
    # The JS SDK clients .ci/run installed (WORKBENCH_TEST_JS_SDK names another folder): linked in as the
    # runtime's SDK folder, as Python's is; absent, the folders stay empty and a Node.js import of the SDK fails.
    js_sdk = os.environ.get("WORKBENCH_TEST_JS_SDK") or os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), ".ci", "js-sdk")
    js_modules = os.path.join(js_sdk, "node_modules")
    for runtime in ("nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x"):
        os.makedirs(os.path.join(root, "sdk", runtime))
        if os.path.isdir(os.path.join(js_modules, "@aws-sdk")):
            os.symlink(js_modules, os.path.join(root, "sdk", runtime, "node_modules"))
        else:
            os.makedirs(os.path.join(root, "sdk", runtime, "node_modules"))
    os.environ.update({"AWS_ACCESS_KEY_ID": "AKIAWORKBENCHTESTKEY0", "AWS_SECRET_ACCESS_KEY": "workbench-test-secret-0",
                       "AWS_SHARED_CREDENTIALS_FILE": os.path.join(root, "no-credentials"),
                       "AWS_CONFIG_FILE": os.path.join(root, "no-config")})
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"):
        os.environ.pop(name, None)


if "LAMBDA_WORKBENCH_CACHE" not in os.environ:
    _seed_environment_cache()


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


# --- Node.js functions: a private copy of the fixture handlers, and invoke on any engine ------------

NODE_FIXTURES = Path(__file__).parent / "fixtures" / "node"


@pytest.fixture
def code(tmp_path):
    """A private copy of tests/fixtures/node, so a test may edit files without touching the originals."""
    target = tmp_path / "code"
    shutil.copytree(NODE_FIXTURES, target)
    return target


@pytest.fixture
def invoke(engine, qtbot):
    """invoke(config, event, on=engine) runs a Node.js call and returns its result and log lines."""
    from node_functions import NodeRan

    def _invoke(config, event=None, options=None, on=None):
        invocation = (on or engine).invoke(config, {} if event is None else event, options)
        ran = NodeRan(result=None)
        invocation.log_lines.connect(ran.lines.extend)
        with qtbot.waitSignal(invocation.finished, timeout=30_000) as blocker:
            pass
        ran.result = blocker.args[0]
        return ran

    return _invoke


# --- The cycle collector on the Qt thread, as the application runs it -----------------------------
# Left automatic, it runs in whichever thread allocates past its threshold (a Runtime API server thread,
# say) and may free a Qt object there, which later crashes the process (engine/main_thread_collector.py).

@pytest.fixture(scope="session", autouse=True)
def _collect_on_the_qt_thread(qapp):
    from workbench.engine.main_thread_collector import MainThreadCollector

    collector = MainThreadCollector(qapp)
    yield collector
    collector.stop()


@pytest.fixture(autouse=True)
def _collect_after_each_test(_collect_on_the_qt_thread):
    """A test that never runs Qt's loop still has its garbage collected, on this thread, once it is due."""
    yield
    _collect_on_the_qt_thread.collect_if_due()


# --- Nothing left behind ----------------------------------------------------------------------------
# Every process the suite starts carries this mark in its environment. A services host is kept warm on
# purpose after the command that started it ends, so the suite stops whatever still carries the mark when it
# finishes (and names it), instead of leaving it to outlive the run.
_SESSION_MARK = f"workbench-tests-{os.getpid()}"
os.environ["LAMBDA_WORKBENCH_TEST_SESSION"] = _SESSION_MARK
# Hundreds of tests open a window on a workspace with resources: a services host each would cost a second of
# CPU apiece. The tests of the window's own start at launch turn it back on.
os.environ["LAMBDA_WORKBENCH_SERVICES_AT_LAUNCH"] = "0"


def _marked_processes() -> list[tuple[int, str]]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as environ:
                if f"LAMBDA_WORKBENCH_TEST_SESSION={_SESSION_MARK}".encode() not in environ.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                found.append((int(entry), cmdline.read().replace(b"\0", b" ").decode(errors="replace")[:120]))
        except OSError:
            continue
    return found


def pytest_sessionfinish(session, exitstatus):
    import signal
    import time

    leftovers = _marked_processes()
    for pid, _command in leftovers:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _marked_processes():
        time.sleep(0.1)
    for pid, _command in _marked_processes():
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if leftovers:
        print(f"\nStopped {len(leftovers)} process(es) the tests left running: "
              + "; ".join(command for _pid, command in leftovers[:5]))
