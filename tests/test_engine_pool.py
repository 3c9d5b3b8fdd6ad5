"""Several environments of one function: calls beyond a busy environment start another, up to the
engine's maximum, and the rest wait in the queue for a warm one (as Lambda scales out)."""

import json

from workbench.core.lambda_rules import cold_reason as reasons
from workbench.core.function.function_config import FunctionConfig
from workbench.engine.engine import Engine


def barrier_config(python_code):
    return FunctionConfig(name="Barrier", handler="barrier.handler", runtime="python3.12",
                          code_dir=str(python_code), timeout_s=30)


def _invoke_all(engine, qtbot, config, events):
    calls = [engine.invoke(config, event) for event in events]
    colds = {}
    for call in calls:
        call.started.connect(lambda cold, call=call: colds.__setitem__(call, cold))
    for call in calls:
        if call.result is None:
            qtbot.waitSignal(call.finished, timeout=40_000).wait()
    _invoke_all.reasons = [call.cold_reason for call in calls]
    return [(call.result, colds.get(call)) for call in calls]


def test_concurrent_calls_run_in_as_many_environments_at_once(qapp, qtbot, python_code, tmp_path):
    """Three calls that can only succeed together all succeed, in three processes; the next three are warm."""
    engine = Engine(max_environments=3)
    try:
        config = barrier_config(python_code)
        first = tmp_path / "first"
        first.mkdir()
        results = _invoke_all(engine, qtbot, config, [{"folder": str(first), "count": 3}] * 3)

        docs = [json.loads(result.payload) for result, _ in results]
        assert all(result.succeeded for result, _ in results)
        assert [doc["seen"] for doc in docs] == [3, 3, 3]
        pids = {doc["pid"] for doc in docs}
        assert len(pids) == 3
        assert [cold for _, cold in results] == [True, True, True]
        assert _invoke_all.reasons == [reasons.FIRST_CALL, reasons.SCALE_OUT, reasons.SCALE_OUT]
        assert engine.environment_count("Barrier") == 3

        second = tmp_path / "second"
        second.mkdir()
        again = _invoke_all(engine, qtbot, config, [{"folder": str(second), "count": 3}] * 3)
        assert {json.loads(result.payload)["pid"] for result, _ in again} == pids
        assert [cold for _, cold in again] == [False, False, False]
    finally:
        engine.shutdown()


def test_calls_beyond_the_maximum_wait_for_a_warm_environment(qapp, qtbot, python_code, tmp_path):
    """With two environments allowed, a third call waits and then runs warm in one of the two."""
    engine = Engine(max_environments=2)
    try:

        folder = tmp_path / "marks"
        folder.mkdir()
        results = _invoke_all(engine, qtbot, barrier_config(python_code),
                              [{"folder": str(folder), "count": 2}] * 3)
        assert all(result.succeeded for result, _ in results)
        pids = [json.loads(result.payload)["pid"] for result, _ in results]
        assert len(set(pids[:2])) == 2 and pids[2] in pids[:2]
        assert [cold for _, cold in results] == [True, True, False]
        assert engine.environment_count("Barrier") == 2
    finally:
        engine.shutdown()


def test_a_code_change_replaces_idle_environments_of_the_old_code(qapp, qtbot, python_code, tmp_path):
    """After an edit every environment of the function starts cold again; the old processes end."""
    engine = Engine(max_environments=2)
    try:

        folder = tmp_path / "marks"
        folder.mkdir()
        config = barrier_config(python_code)
        before = _invoke_all(engine, qtbot, config, [{"folder": str(folder), "count": 2}] * 2)
        old_pids = {json.loads(result.payload)["pid"] for result, _ in before}
        handler = python_code / "barrier.py"
        handler.write_text(handler.read_text() + "\n# edited\n")
        after_folder = tmp_path / "after"
        after_folder.mkdir()
        after = _invoke_all(engine, qtbot, config, [{"folder": str(after_folder), "count": 2}] * 2)
        assert [cold for _, cold in after] == [True, True]
        assert not old_pids & {json.loads(result.payload)["pid"] for result, _ in after}
        assert engine.environment_count("Barrier") == 2
    finally:
        engine.shutdown()
