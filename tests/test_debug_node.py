"""Debugging a Node.js handler through the real V8 inspector (Chrome DevTools Protocol): stop, read, step,
evaluate, continue; the clock counts running time only."""

import json
import shutil
import time
from pathlib import Path

import pytest

from workbench.core.function.invocation_result import Status
from debug_helpers import at, debug_call
from python_functions import fn

EVENT = {"customer": "Ada", "items": [{"price": 10, "quantity": 2}, {"price": 5.5, "quantity": 1}]}


@pytest.fixture
def debug_code(tmp_path):
    target = tmp_path / "code"
    shutil.copytree(Path(__file__).parent / "fixtures" / "debug", target)
    return target


def node_fn(code, handler, **changes):
    return fn(code, handler, runtime="nodejs20.x", **changes)


def test_stop_read_step_evaluate_continue(engine, qtbot, debug_code):
    call = debug_call(engine, qtbot, node_fn(debug_code, "shop.handler", timeout_s=3), EVENT,
                      [at(debug_code / "shop.mjs", 9)])
    session = call.wait_session()
    assert call.wait_stop(1).reason == "breakpoint"
    frame = call.top_frame()
    assert (frame.path, frame.line) == (str(debug_code / "shop.mjs"), 9)
    event = call.locals_of(frame)["event"]
    assert event.reference
    fields = {variable.name: variable.value for variable in call.ask(session.variables, event.reference)}
    assert fields["customer"] == '"Ada"'
    session.step_over()
    call.wait_stop(2)
    assert call.top_frame().line == 10
    assert call.locals_of(call.top_frame())["customer"].value == '"Ada"'
    session.step_into()
    call.wait_stop(3)
    inner = call.top_frame()
    assert (inner.name, inner.line) == ("total", 4)
    answer = call.ask(session.evaluate, "items.length * 100", inner.id)
    assert (answer.value, answer.error) == ("200", "")
    session.step_out()
    call.wait_stop(4)
    assert call.top_frame().name == "handler"
    session.resume()
    result = call.wait_finished()
    assert result.status is Status.SUCCESS, result.payload
    assert json.loads(result.payload)["amount"] == 30.6


def test_stopped_longer_than_the_timeout_succeeds_with_running_time_as_duration(engine, qtbot, debug_code):
    call = debug_call(engine, qtbot, node_fn(debug_code, "shop.handler", timeout_s=1), EVENT,
                      [at(debug_code / "shop.mjs", 10)])
    call.wait_session()
    call.wait_stop(1)
    stopped_at = time.monotonic()
    qtbot.waitUntil(lambda: time.monotonic() - stopped_at >= 2.0, timeout=10_000)
    # While stopped, the context's remaining time is what the enforced limit leaves, and it does not shrink.
    remaining = call.ask(call.session.evaluate, "context.getRemainingTimeInMillis()", call.top_frame().id)
    assert 0 < int(remaining.value) <= 1000
    call.session.resume()
    result = call.wait_finished()
    assert result.status is Status.SUCCESS, result.payload
    assert result.paused_ms >= 2000 and result.duration_ms < 1000
    # Stopped twice as long as the timeout, the handler still had time left by its context.
    assert 0 < json.loads(result.payload)["remaining"] <= 1000


def test_an_endless_loop_still_times_out_with_the_inspector_attached(engine, qtbot, debug_code):
    call = debug_call(engine, qtbot, node_fn(debug_code, "shop.spin", timeout_s=1), EVENT,
                      [at(debug_code / "shop.mjs", 11)])
    call.wait_session()
    result = call.wait_finished()
    assert result.status is Status.TIMEOUT
    assert "Task timed out after 1.00 seconds" in result.payload.decode()
