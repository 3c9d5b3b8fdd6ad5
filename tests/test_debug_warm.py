"""A warm environment keeps the workbench's debugger attached between debugged calls (a warm debugged call
costs no attach), takes each call's breakpoints before the call runs, and detaches for a call that is not
debugged. Python (debugpy) and Node.js (the inspector)."""

import json
import shutil
from pathlib import Path

import pytest

from workbench.core.function.invocation_result import Status
from debug_helpers import at, debug_call
from python_functions import fn

EVENT = {"customer": "Ada", "items": [{"price": 10, "quantity": 2}]}


@pytest.fixture
def debug_code(tmp_path):
    target = tmp_path / "code"
    shutil.copytree(Path(__file__).parent / "fixtures" / "debug", target)
    return target


def stop_and_resume(call, line):
    call.wait_session()
    call.wait_stop(1)
    assert call.top_frame().line == line
    call.session.resume()
    assert call.wait_finished().status is Status.SUCCESS


@pytest.mark.parametrize("runtime, file, first, second", [("python3.12", "orders", 13, 14),
                                                          ("nodejs20.x", "shop", 9, 10)])
def test_the_debugger_stays_attached_across_warm_calls(engine, qtbot, debug_code, runtime, file, first, second):
    suffix = ".py" if runtime.startswith("python") else ".mjs"
    config = fn(debug_code, f"{file}.handler", runtime=runtime, timeout_s=3)
    source = debug_code / f"{file}{suffix}"
    one = debug_call(engine, qtbot, config, EVENT, [at(source, first)])
    stop_and_resume(one, first)
    # The next call moves its breakpoint: the kept session has it before the handler runs.
    two = debug_call(engine, qtbot, config, EVENT, [at(source, second)])
    stop_and_resume(two, second)
    assert two.session is one.session and not one.session.ended
    assert not two.invocation.cold
    # A call that is not debugged runs without it (no stop), and the session is let go.
    plain = engine.invoke(config, EVENT)
    with qtbot.waitSignal(plain.finished, timeout=20_000) as finished:
        pass
    assert finished.args[0].status is Status.SUCCESS
    assert one.session.ended and len(one.stops) == 2  # the first two calls stopped, the plain one did not
    # Debugged again, warm: a new session attaches.
    three = debug_call(engine, qtbot, config, EVENT, [at(source, first)])
    stop_and_resume(three, first)
    assert three.session is not one.session and not three.invocation.cold
    assert json.loads(three.result.payload)["amount"] == 24
