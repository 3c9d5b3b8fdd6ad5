"""A thousand warm invocations in a row: the engine's own memory and open files stay flat."""

import gc
import json
import os

from workbench.core.function.function_config import FunctionConfig
from workbench.core.function.invocation_result import Status

TOTAL = 1000
CHECKPOINT = 100


def _rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


def _open_files():
    return len(os.listdir("/proc/self/fd"))


def test_a_thousand_warm_invocations_leave_memory_and_open_files_flat(python_code, engine, qtbot):
    """After 1,000 warm calls the engine holds as many files and about as much memory as after 100."""
    config = FunctionConfig(name="soak", handler="noop.handler", runtime="python3.12", code_dir=str(python_code))
    state = {"done": 0, "failures": [], "cold": 0, "pids": set()}
    samples = {}

    def chain(result):
        state["done"] += 1
        if result.status is not Status.SUCCESS or result.payload != b"null":
            state["failures"].append(result)
        if result.init_duration_ms is not None:
            state["cold"] += 1
        if state["done"] == CHECKPOINT:
            gc.collect()
            samples["checkpoint"] = (_rss_kb(), _open_files())
        if state["done"] < TOTAL:
            engine.invoke(config, b"{}").finished.connect(chain)

    engine.invoke(config, b"{}").finished.connect(chain)
    qtbot.waitUntil(lambda: state["done"] == TOTAL, timeout=55_000)
    qtbot.wait(50)  # let the last call's queued clean-up run
    gc.collect()
    rss_kb, open_files = _rss_kb(), _open_files()

    assert state["failures"] == []
    assert state["cold"] == 1  # one environment served every call
    checkpoint_rss_kb, checkpoint_files = samples["checkpoint"]
    assert abs(open_files - checkpoint_files) <= 2, (checkpoint_files, open_files)
    assert rss_kb - checkpoint_rss_kb < 2 * 1024, (checkpoint_rss_kb, rss_kb)


def test_many_responses_are_not_kept_by_the_engine(python_code, engine, qtbot):
    """Results a caller has dropped are freed: 300 calls returning 100 KB each do not pile up 30 MB."""
    (python_code / "payload.py").write_text(
        "def handler(event, context):\n    return 'x' * (100 * 1024)\n")
    config = FunctionConfig(name="payloads", handler="payload.handler", runtime="python3.12",
                            code_dir=str(python_code))
    state = {"done": 0}
    total = 300
    samples = {}

    def chain(result):
        state["done"] += 1
        assert len(result.payload) == 100 * 1024 + 2
        if state["done"] == 50:
            gc.collect()
            samples["early"] = _rss_kb()
        if state["done"] < total:
            engine.invoke(config, b"{}").finished.connect(chain)

    engine.invoke(config, b"{}").finished.connect(chain)
    qtbot.waitUntil(lambda: state["done"] == total, timeout=55_000)
    qtbot.wait(50)
    gc.collect()
    grown_kb = _rss_kb() - samples["early"]
    # 250 more responses of 100 KB would be about 25 MB if the engine kept them.
    assert grown_kb < 8 * 1024, json.dumps({"grown_kb": grown_kb})
