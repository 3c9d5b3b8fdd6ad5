"""Debugging in the window with the real debugpy and Node's inspector: a click in the gutter sets a
breakpoint (kept with the workspace), Debug (F9) stops there with the line marked, the Variables panel shows
the event, steps move the mark, the console evaluates in the frame, Continue finishes the call and Summary
shows the time paused beside Duration. The toggle and the Tests panel debug calls made elsewhere."""

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from workbench.core.debugging.debug_book import load_book
from window_helpers import Answers, make_window  # noqa: F401 - fixtures

FIXTURE = Path(__file__).parent / "fixtures" / "debug"
EVENT = {"customer": "Ada", "items": [{"price": 10.0, "quantity": 2}]}


def debug_workspace(tmp_path, runtime="python3.12", handler="orders.handler"):
    folder = tmp_path / "ws"
    shutil.copytree(FIXTURE, folder)
    (folder / "workbench.json").write_text(json.dumps({"functions": [
        {"name": "Orders", "handler": handler, "runtime": runtime, "timeout": 3}]}))
    (folder / "events").mkdir()
    (folder / "events" / "ada.json").write_text(json.dumps(EVENT))
    return folder


def click_gutter(qtbot, editor, line):
    gutter = editor.gutter()
    block = editor.document().findBlockByNumber(line - 1)
    top = editor.blockBoundingGeometry(block).translated(editor.contentOffset()).top()
    qtbot.mouseClick(gutter, Qt.MouseButton.LeftButton, pos=QPoint(4, int(top) + 3))


def stopped_at(window, line):
    debug = window.debug
    return (debug.debug_session is not None and debug.debug_session.is_stopped and debug.frame is not None
            and debug.frame.line == line and debug.variables.topLevelItemCount() > 0)


def variable(window, *names):
    item = window.debug.variables.item_named(*names)
    return item.text(1) if item is not None else None


@pytest.mark.parametrize("runtime, file, handler, line, step_line, amount", [
    ("python3.12", "orders.py", "orders.handler", 13, 14, 24.0),
    ("nodejs20.x", "shop.mjs", "shop.handler", 9, 10, 24),
])
def test_stop_read_step_evaluate_continue_in_the_window(qtbot, make_window, tmp_path, runtime, file, handler, line,
                                                        step_line, amount):
    folder = debug_workspace(tmp_path, runtime, handler)
    window = make_window(folder)
    editor = window.tabs.open_file(folder / file)
    click_gutter(qtbot, editor, line)
    assert editor.gutter().marks() == {line: "plain"}
    book, _problem = load_book(folder)
    assert [(Path(p.path).name, p.line) for p in book.breakpoints] == [(file, line)]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_F9)  # Debug
    qtbot.waitUntil(lambda: stopped_at(window, line), timeout=30_000)
    assert window.debug.dock.isVisible() and window.debug.variables.isVisible()
    assert editor.marks("debug") and editor.gutter()._paused_line == line
    assert window.tabs.current_path().name == file
    assert window.toolbar.progress.format().endswith("(paused)")  # the timeout's bar stands still too
    # The event is right there in the locals; expanding it lists its fields.
    scope = window.debug.variables.topLevelItem(0)
    qtbot.waitUntil(lambda: window.debug.variables.item_named(scope.text(0), "event") is not None, timeout=10_000)
    event = window.debug.variables.item_named(scope.text(0), "event")
    event.setExpanded(True)
    field = "'customer'" if runtime.startswith("python") else "customer"
    qtbot.waitUntil(lambda: variable(window, scope.text(0), "event", field) is not None, timeout=10_000)
    assert "Ada" in variable(window, scope.text(0), "event", field)
    # A watch, and the console, evaluate in the frame.
    window.debug.watches.field.setText("event['items'][0]['price'] * 3" if runtime.startswith("python")
                                       else "event.items[0].price * 3")
    qtbot.keyClick(window.debug.watches.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.debug.watches.value_of(window.debug.watches.expressions()[0])
                    in ("30.0", "30"), timeout=10_000)
    window.debug.console.prompt.setText("customer" if runtime.startswith("python") else "event.customer")
    qtbot.keyClick(window.debug.console.prompt, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Ada" in window.debug.console.text(), timeout=10_000)
    # Step over (F10): the mark follows.
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: stopped_at(window, step_line), timeout=10_000)
    assert editor.gutter()._paused_line == step_line
    with qtbot.waitSignal(window.sig_run_finished, timeout=30_000) as finished:
        window.debug.actions.resume.trigger()
    record = finished.args[0]
    assert record.result.succeeded, record.result.payload
    assert json.loads(record.result.payload)["amount"] == amount
    assert not editor.marks("debug")
    paused = window.summary_panel._values["paused"]
    assert paused.isVisibleTo(window.summary_panel) and paused.text().endswith(("ms", " s"))


def test_a_condition_and_a_log_point_from_the_gutter_menu(qtbot, make_window, tmp_path):
    folder = debug_workspace(tmp_path)
    answers = iter(["customer == 'Bob'", "amount is {amount}"])
    window = make_window(folder)
    window.debug._ask_text = lambda _title, _label, _current: next(answers)
    path = str(folder / "orders.py")
    window.tabs.open_file(path)
    window.debug.edit_condition(path, 13)   # never true for Ada: no stop
    window.debug.edit_log_message(path, 15)
    editor = window.tabs.editor_for(path)
    assert editor.gutter().marks() == {13: "condition", 15: "log"}
    with qtbot.waitSignal(window.sig_run_finished, timeout=30_000) as finished:
        window.debug.actions.debug.trigger()
    assert finished.args[0].result.succeeded
    qtbot.waitUntil(lambda: "amount is 24.0" in window.debug.console.text(), timeout=10_000)
    # Kept with the workspace: a new window on it has them.
    book, _ = load_book(folder)
    assert {(p.line, p.condition, p.log_message) for p in book.breakpoints} == {
        (13, "customer == 'Bob'", ""), (15, "", "amount is {amount}")}


def test_debug_the_next_call_catches_a_test_case_and_debug_case_runs_one(qtbot, make_window, tmp_path):
    folder = debug_workspace(tmp_path)
    window = make_window(folder)
    window.debug.toggle_breakpoint(str(folder / "orders.py"), 13)
    window.debug.actions.debug_next.setChecked(True)
    assert window.session.debug_armed_for("Orders")
    suite = window.run_tests()  # a call from the Tests panel, not from Debug
    qtbot.waitUntil(lambda: stopped_at(window, 13), timeout=30_000)
    assert not window.session.debug_armed_for("Orders") and not window.debug.actions.debug_next.isChecked()
    with qtbot.waitSignal(suite.finished, timeout=30_000):
        window.debug.actions.resume.trigger()
    # Debug Case in the Tests panel: the selected case alone, under the debugger.
    panel = window.tests_dock.panel
    panel.select_row(0)
    assert panel.debug_button.isEnabled()
    panel.debug_button.click()
    qtbot.waitUntil(lambda: stopped_at(window, 13), timeout=30_000)
    window.debug.actions.stop.trigger()  # Stop kills the debugged call
    qtbot.waitUntil(lambda: window.debug.run is None, timeout=10_000)
    qtbot.waitUntil(lambda: panel.model.result(0) is not None and panel.model.result(0).result is not None
                    and panel.model.result(0).result.error_type == "Sandbox.Stopped", timeout=10_000)


def test_debug_the_next_call_catches_a_call_through_serve(qapp, qtbot, tmp_path):
    import asyncio

    import boto3
    from botocore.config import Config

    from serving_window import serving_window
    from workbench.core.workspace.sample_workspace import ensure_sample_workspace

    workspace = ensure_sample_workspace(tmp_path / "data")
    window, loop = serving_window(qapp, qtbot, workspace, tmp_path)
    handler = workspace / "order_confirmation" / "lambda_function.py"
    window.tabs.open_file(handler)
    window.debug.toggle_breakpoint(str(handler), 28)
    window.debug.actions.debug_next.setChecked(True)
    controller = window.serve_controller

    async def scenario():
        window.serve_panel.toggle.click()
        for _ in range(500):
            if controller.server is not None:
                break
            await asyncio.sleep(0.01)
        client = boto3.client("lambda", endpoint_url=controller.server.lambda_url, region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x",
                              config=Config(retries={"max_attempts": 1}, read_timeout=60))
        order = (workspace / "events" / "OrderConfirmation" / "new-order.json").read_bytes()
        reply = asyncio.ensure_future(asyncio.to_thread(client.invoke, FunctionName="OrderConfirmation",
                                                        Payload=order))
        for _ in range(3000):
            if stopped_at(window, 28):
                break
            await asyncio.sleep(0.01)
        assert stopped_at(window, 28), "the call through serve stopped at the breakpoint"
        assert window.debug.run.source == "serve" and not window.session.debug_armed_for("OrderConfirmation")
        window.debug.actions.resume.trigger()
        answer = await asyncio.wait_for(reply, 60)
        assert answer["StatusCode"] == 200 and "FunctionError" not in answer
        window.serve_panel.toggle.click()
        for _ in range(500):
            if controller.server is None and not window.serve_panel.toggle.isChecked():
                break
            await asyncio.sleep(0.01)

    try:
        loop.run_until_complete(asyncio.wait_for(scenario(), 90))
    finally:
        window.session.shutdown()
        loop.close()
        asyncio.set_event_loop(None)
