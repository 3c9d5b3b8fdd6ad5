"""Faults while debugging, with the real debugpy: Stop at a breakpoint kills everything, a debugger that
goes away leaves the function running to its end, a breakpoint that is never reached changes nothing, and
a thread the handler starts stops and is stopped like the main one."""

import json
import os
import shutil
from pathlib import Path

import pytest

from workbench.core.function.invocation_result import Status
from debug_helpers import at, debug_call
from processes import processes_in
from python_functions import fn
from test_debug_port import free_port, start_invoke
from dap_client import IdeClient

EVENT = {"customer": "Ada", "items": [{"price": 10.0, "quantity": 2}]}


@pytest.fixture
def debug_code(tmp_path):
    target = tmp_path / "code"
    shutil.copytree(Path(__file__).parent / "fixtures" / "debug", target)
    return target


def test_stop_while_stopped_at_a_breakpoint_kills_everything(engine, qtbot, debug_code):
    call = debug_call(engine, qtbot, fn(debug_code, "orders.handler", timeout_s=3), EVENT,
                      [at(debug_code / "orders.py", 13)])
    call.wait_session()
    call.wait_stop(1)
    assert processes_in(debug_code), "the runtime runs, stopped at the breakpoint"
    call.invocation.cancel()
    result = call.wait_finished(timeout_ms=10_000)
    assert (result.status, result.error_type) == (Status.ERROR, "Sandbox.Stopped")
    assert call.session.ended
    qtbot.waitUntil(lambda: not processes_in(debug_code), timeout=5_000)


def test_stop_while_a_worker_thread_is_stopped_kills_everything(engine, qtbot, debug_code):
    call = debug_call(engine, qtbot, fn(debug_code, "threads.handler", timeout_s=3), EVENT,
                      [at(debug_code / "threads.py", 6)])
    call.wait_session()
    call.wait_stop(1)
    call.invocation.cancel()
    assert call.wait_finished(timeout_ms=10_000).error_type == "Sandbox.Stopped"
    qtbot.waitUntil(lambda: not processes_in(debug_code), timeout=5_000)


def test_a_thread_the_handler_starts_stops_at_its_breakpoint(engine, qtbot, debug_code):
    call = debug_call(engine, qtbot, fn(debug_code, "threads.handler", timeout_s=3), EVENT,
                      [at(debug_code / "threads.py", 5)])
    session = call.wait_session()
    stop = call.wait_stop(1)
    threads = {thread.id: thread.name for thread in call.ask(session.threads)}
    assert threads[stop.thread_id] == "worker"
    assert (call.top_frame().name, call.top_frame().line) == ("work", 5)
    session.step_over()
    call.wait_stop(2)
    frame = call.top_frame()
    assert (frame.name, frame.line) == ("work", 6)
    assert call.ask(session.evaluate, "value", frame.id).value == "42"
    session.resume()
    result = call.wait_finished()
    assert result.status is Status.SUCCESS, result.payload
    assert json.loads(result.payload) == {"value": 42}


def test_a_breakpoint_in_a_line_that_never_runs_leaves_the_call_to_finish(engine, qtbot, debug_code):
    call = debug_call(engine, qtbot, fn(debug_code, "orders.handler", timeout_s=3), EVENT,
                      [at(debug_code / "orders.py", 21)])  # inside spin(), which this call never runs
    call.wait_session()
    result = call.wait_finished()
    assert result.status is Status.SUCCESS, result.payload
    assert call.stops == []
    assert json.loads(result.payload)["amount"] == 24.0


def test_the_debugger_going_away_while_stopped_resumes_the_function(engine, qtbot, debug_code):
    call = debug_call(engine, qtbot, fn(debug_code, "orders.handler", timeout_s=3), EVENT,
                      [at(debug_code / "orders.py", 13)])
    call.wait_session()
    call.wait_stop(1)
    call.session.close()  # the workbench's own debugger leaves, as when its connection is lost
    result = call.wait_finished()
    assert result.status is Status.SUCCESS, result.payload
    assert json.loads(result.payload)["amount"] == 24.0


def test_an_ide_that_disconnects_while_stopped_leaves_the_function_to_finish(tmp_path):
    port = free_port()
    code, process = start_invoke(tmp_path, port, timeout="3")
    try:
        ide = IdeClient(port)
        ide.request("initialize", adapterID="debugpy", clientID="test", linesStartAt1=True, columnsStartAt1=True,
                    pathFormat="path")
        ide.send("attach", justMyCode=False)
        ide.event("initialized")
        ide.request("setBreakpoints", source={"path": str(code / "orders.py")}, breakpoints=[{"line": 13}])
        ide.request("configurationDone")
        assert ide.event("stopped")["body"]["reason"] == "breakpoint"
        ide.file.close()
        ide.sock.close()  # gone without a word, as an IDE that crashed
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, 9)
            process.wait()
    # Not stopped until the timeout: the program ran on at once.
    assert process.returncode == 0, err
    assert json.loads(out.splitlines()[0])["amount"] == 7.2
