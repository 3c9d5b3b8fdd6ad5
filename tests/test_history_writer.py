"""Recording in the background: runs reach the workspace's SQLite history after the call has finished,
under the id the run was given at once, and none is lost when the session ends right after a call."""

import sqlite3

import pytest

from workbench.core.function.function_config import FunctionConfig
from workbench.core.history.history_store import HistoryStore
from workbench.core.function.invocation_request import prepare_invocation
from workbench.engine.history_writer import HistoryWriter, history_writer_for
from workbench.engine.run_session import RunSession


@pytest.fixture
def workspace(tmp_path, python_code):
    return python_code


@pytest.fixture
def success(workspace):
    return FunctionConfig("success", "success.handler", "python3.12", str(workspace))


def test_runs_land_in_the_file_under_the_id_given_at_once(qtbot, qapp, workspace, success):
    session = RunSession(history=history_writer_for(workspace))
    recorded = []
    session.run_recorded.connect(recorded.append)
    try:
        run = session.run(prepare_invocation(success, '{"n": 1}', preset="one"), source="cli")
        with qtbot.waitSignal(run.finished, timeout=20000):
            pass
        assert run.run_id is not None  # known as soon as the call finished
        qtbot.waitUntil(lambda: recorded == [run.run_id], timeout=5000)
    finally:
        session.shutdown()
    reader = HistoryStore.for_workspace(workspace)
    try:
        stored = reader.get(run.run_id)
    finally:
        reader.close()
    assert stored.event == b'{"n": 1}' and stored.preset == "one" and stored.result.succeeded
    assert stored.log[-1].startswith("REPORT RequestId: ")


def test_shutting_down_right_after_the_calls_keeps_every_run(qtbot, qapp, workspace, success):
    """The CLI exits as soon as its last call is done: what is still queued is written first."""
    session = RunSession(history=history_writer_for(workspace))
    # Started at once, as serve does: the engine runs them one after another in the function's environment.
    runs = [session.run(prepare_invocation(success, "{}", preset=f"p{i}"), source="cli") for i in range(15)]
    qtbot.waitUntil(lambda: all(run.done for run in runs), timeout=60000)
    session.shutdown()
    reader = HistoryStore.for_workspace(workspace)
    try:
        assert reader.count() == 15
        assert sorted(s.preset for s in reader.list(limit=100)) == sorted(f"p{i}" for i in range(15))
    finally:
        reader.close()
    assert all(run.run_id is not None for run in runs)


def test_a_history_that_cannot_be_opened_is_said_and_the_runs_still_happen(qtbot, qapp, success):
    def refuse(_on_notice):
        raise sqlite3.OperationalError("unable to open database file")

    writer = HistoryWriter(refuse, lambda: "abc12345")
    session = RunSession(history=writer)
    problems = []
    session.history_problem.connect(problems.append)
    try:
        run = session.run(prepare_invocation(success, "{}"))
        with qtbot.waitSignal(run.finished, timeout=20000) as blocker:
            pass
        qtbot.waitUntil(lambda: bool(problems), timeout=5000)
    finally:
        session.shutdown()
    assert blocker.args[0].result.succeeded
    assert problems == ["History not opened: unable to open database file"]
