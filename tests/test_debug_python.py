"""Debugging a Python handler with the real debugpy: stop, read, step, evaluate, continue; and the call's
clock counts running time only."""

import json
import re
import time

import pytest

from workbench.core.function.invocation_result import Status
from debug_helpers import at, debug_call
from python_functions import fn, report_of

EVENT = {"customer": "Ada", "items": [{"price": 10.0, "quantity": 2}, {"price": 5.5, "quantity": 1}]}


@pytest.fixture
def debug_code(tmp_path):
    import shutil
    from pathlib import Path

    target = tmp_path / "code"
    shutil.copytree(Path(__file__).parent / "fixtures" / "debug", target)
    return target


def report_duration(lines):
    report = next(line for line in lines if line.startswith("REPORT "))
    return float(re.search(r"Duration: ([\d.]+) ms", report).group(1))


def test_stop_read_step_evaluate_continue(engine, qtbot, debug_code):
    config = fn(debug_code, "orders.handler", timeout_s=3)
    call = debug_call(engine, qtbot, config, EVENT, [at(debug_code / "orders.py", 13)])
    session = call.wait_session()
    stop = call.wait_stop(1)
    assert stop.reason == "breakpoint"
    frame = call.top_frame()
    assert (frame.name, frame.path, frame.line) == ("handler", str(debug_code / "orders.py"), 13)
    local = call.locals_of(frame)
    assert local["customer"].value == "'Ada'"
    event = local["event"]
    assert event.reference, "the event expands"
    fields = {variable.name: variable.value for variable in call.ask(session.variables, event.reference)}
    assert fields["'customer'"] == "'Ada'"
    # Step over to the next line, then into total().
    session.step_over()
    call.wait_stop(2)
    assert call.top_frame().line == 14
    session.step_into()
    call.wait_stop(3)
    inner = call.top_frame()
    assert (inner.name, inner.line) == ("total", 7)
    answer = call.ask(session.evaluate, "len(items) * 100", inner.id)
    assert (answer.value, answer.error) == ("200", "")
    session.step_out()
    call.wait_stop(4)
    assert call.top_frame().name == "handler"
    session.resume()
    result = call.wait_finished()
    assert result.status is Status.SUCCESS
    assert json.loads(result.payload)["amount"] == 30.6


def test_stopped_five_seconds_under_a_three_second_timeout_succeeds(engine, qtbot, debug_code):
    config = fn(debug_code, "orders.handler", timeout_s=3)
    call = debug_call(engine, qtbot, config, EVENT, [at(debug_code / "orders.py", 15)])
    call.wait_session()
    call.wait_stop(1)
    stopped_at = time.monotonic()
    # Qt's coarse timers may end a wait up to 5% early: wait on the monotonic clock instead.
    qtbot.waitUntil(lambda: time.monotonic() - stopped_at >= 5.0, timeout=10_000)
    # While stopped, the context's remaining time is what the enforced limit leaves, and it does not shrink.
    remaining = call.ask(call.session.evaluate, "context.get_remaining_time_in_millis()", call.top_frame().id)
    assert 0 < int(remaining.value) <= 3000
    call.session.resume()
    result = call.wait_finished()
    assert result.status is Status.SUCCESS, result.payload
    assert result.paused_ms >= 5000
    duration = report_duration(call.lines)
    assert duration < 3000 and duration == pytest.approx(result.duration_ms, abs=0.01)
    assert 0 < json.loads(result.payload)["remaining"] <= 3000


def test_an_endless_loop_still_times_out_with_the_debugger_attached(engine, qtbot, debug_code):
    config = fn(debug_code, "orders.spin", timeout_s=3)
    # A breakpoint set, in a line this handler never runs.
    call = debug_call(engine, qtbot, config, EVENT, [at(debug_code / "orders.py", 16)])
    call.wait_session()
    result = call.wait_finished(timeout_ms=30_000)
    assert result.status is Status.TIMEOUT
    assert "Task timed out after 3.00 seconds" in result.payload.decode()
    assert "Duration: 3000.00 ms" in report_of(type("R", (), {"lines": call.lines})())


def test_a_breakpoint_in_init_code_stops_a_cold_start(engine, qtbot, debug_code):
    config = fn(debug_code, "orders.handler", timeout_s=3)
    call = debug_call(engine, qtbot, config, EVENT, [at(debug_code / "orders.py", 3)], cold=True)
    call.wait_session()
    call.wait_stop(1)
    assert (call.top_frame().name, call.top_frame().line) == ("<module>", 3)
    call.session.resume()
    assert call.wait_finished().status is Status.SUCCESS
