"""The run session: every call becomes a RunRecord, calls in turn stay warm, and a cold start says why."""

import dataclasses
import itertools
import os
import time

import pytest

from workbench.core.lambda_rules.cold_reason import (EXITED, FIRST_CALL, REQUESTED, RESET, EnvironmentIdentity, cold_reason,
                                        config_changes)
from workbench.core.function.function_config import FunctionConfig
from workbench.core.function.invocation_request import prepare_invocation
from workbench.core.history.run_record import CodeFile
from workbench.engine.history_writer import HistoryWriter
from workbench.engine.run_session import RunSession, cold_start_line


class Recorder:
    """A history store that keeps what the writer gives it (the real store has its own tests)."""

    def __init__(self, fail=False):
        self.records, self.fail = [], fail

    def record_many(self, items):
        if self.fail:
            raise OSError("disk full")
        self.records.extend(record for _run_id, record in items)

    def close(self):
        pass


def writer_into(store):
    """The session's history writer, writing into `store`; runs are named r1, r2, ..."""
    ids = (f"r{number}" for number in itertools.count(1))
    return HistoryWriter(lambda _on_notice: store, lambda: next(ids))


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def session(qapp, recorder):
    instance = RunSession(history=writer_into(recorder))
    yield instance
    instance.shutdown()


@pytest.fixture
def faults(python_code):
    return FunctionConfig("faults", "faults.handler", "python3.12", str(python_code), timeout_s=1)


def run_one(qtbot, session, config, event="{}", cold=False):
    prepared = prepare_invocation(config, event)
    assert not isinstance(prepared, list), prepared
    run = session.run(prepared, source="cli", cold=cold)
    lines = []
    run.log_lines.connect(lines.extend)
    with qtbot.waitSignal(run.finished, timeout=20000) as blocker:
        pass
    return blocker.args[0], lines, run


def test_every_call_is_recorded_with_what_a_user_asks_later(qtbot, session, recorder, faults):
    record, lines, run = run_one(qtbot, session, faults, '{"do": "ok"}')
    assert run.run_id == "r1"
    qtbot.waitUntil(lambda: recorder.records == [record], timeout=5000)
    assert record.source == "cli" and record.function == "faults" and record.event == b'{"do": "ok"}'
    assert record.result.succeeded and record.cold and record.cold_reason == FIRST_CALL
    assert record.log == tuple(lines) and record.log[-1].startswith("REPORT RequestId: ")
    assert "faults.py" in {f.path for f in record.code_files} and len(record.code_fingerprint) == 32
    warm, _, _ = run_one(qtbot, session, faults, '{"do": "ok"}')
    assert not warm.cold and warm.cold_reason is None


def test_cold_reasons_name_the_file_the_setting_the_reset_and_the_failure(qtbot, session, faults, python_code):
    first, _, _ = run_one(qtbot, session, faults)
    assert first.cold_reason == FIRST_CALL
    path = python_code / "faults.py"
    path.write_text(path.read_text() + "\n# edited\n")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    edited, lines, _ = run_one(qtbot, session, faults)
    assert edited.cold_reason == "code changed: faults.py"
    assert lines[0] == cold_start_line("code changed: faults.py")
    bigger = dataclasses.replace(faults, memory_mb=256)
    resized, _, _ = run_one(qtbot, session, bigger)
    assert resized.cold_reason == "configuration changed: memory_mb 128 → 256"
    session.reset("faults")
    after_reset, _, _ = run_one(qtbot, session, bigger)
    assert after_reset.cold_reason == RESET
    crashed, _, _ = run_one(qtbot, session, bigger, '{"do": "exit"}')
    assert crashed.result.error_type == "Runtime.ExitError"
    after_crash, _, _ = run_one(qtbot, session, bigger)
    assert after_crash.cold_reason == "the previous call failed (Runtime.ExitError), which ended its environment"
    asked, _, _ = run_one(qtbot, session, bigger, cold=True)
    assert asked.cold_reason == REQUESTED


def test_calls_one_after_another_stay_warm_and_a_cancelled_one_is_recorded(qtbot, session, recorder, faults):
    records = []
    for name in ("a", "b", "c"):
        run = session.run(prepare_invocation(faults, '{"do": "ok"}', preset=name), source="test")
        with qtbot.waitSignal(run.finished, timeout=20000) as blocker:
            pass
        records.append(blocker.args[0])
    assert [r.preset for r in records] == ["a", "b", "c"]
    assert [r.cold for r in records] == [True, False, False]
    looping = prepare_invocation(dataclasses.replace(faults, timeout_s=30), '{"do": "loop"}', preset="x")
    run = session.run(looping, source="test")
    with qtbot.waitSignal(run.started, timeout=20000):
        pass
    with qtbot.waitSignal(run.finished, timeout=20000) as blocker:
        run.cancel()
    assert blocker.args[0].result.error_type == "Sandbox.Stopped"
    qtbot.waitUntil(lambda: len(recorder.records) == 4, timeout=5000)
    assert [(r.source, r.preset) for r in recorder.records[-1:]] == [("test", "x")]


def test_a_history_that_cannot_be_written_never_loses_the_run(qtbot, qapp, faults):
    session = RunSession(history=writer_into(Recorder(fail=True)))
    problems = []
    session.history_problem.connect(problems.append)
    try:
        record, _, run = run_one(qtbot, session, faults)
        qtbot.waitUntil(lambda: bool(problems), timeout=5000)
    finally:
        session.shutdown()
    assert record.result.succeeded
    assert problems == ["History not written: disk full"]


def test_a_run_made_elsewhere_is_recorded_like_any_other(qtbot, session, recorder, faults):
    """Run on AWS does not go through the engine: its record is recorded through the session all the same."""
    made, _, _ = run_one(qtbot, session, faults)
    recorded = []
    session.run_recorded.connect(recorded.append)
    qtbot.waitUntil(lambda: len(recorder.records) == 1, timeout=5000)
    remote = dataclasses.replace(made, source="remote")
    run_id = session.record_external(remote)
    qtbot.waitUntil(lambda: run_id in recorded, timeout=5000)
    assert run_id == "r2" and recorder.records[-1] is remote


def test_cold_reason_rule():
    """The pure rule: first call, how the last environment ended, changed files listed with a cut-off,
    changed variables by name only (their values may be secrets)."""
    config = FunctionConfig("f", "app.handler", "python3.12", "/code")
    code = tuple(CodeFile(f"m{i}.py", 10, 1) for i in range(5))
    same = EnvironmentIdentity(config, code)
    assert cold_reason(None, same) == FIRST_CALL
    assert cold_reason(same, same, ended=EXITED) == EXITED
    touched = EnvironmentIdentity(config, tuple(dataclasses.replace(f, mtime_ns=2) for f in code))
    assert cold_reason(same, touched) == "code changed: m0.py, m1.py, m2.py and 2 more"
    assert cold_reason(same, EnvironmentIdentity(config, code[:4])) == "code changed: m4.py"
    secret = dataclasses.replace(config, environment=(("API_TOKEN", "s3cr3t"),))
    assert config_changes(config, secret) == ["variables API_TOKEN"]
    assert "s3cr3t" not in cold_reason(same, EnvironmentIdentity(secret, code))
