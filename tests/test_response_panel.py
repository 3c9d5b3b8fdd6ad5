"""The Response panel: pretty JSON, plain text, errors with their stack traces, copy, running and clear."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QToolButton

from workbench.core.function.invocation_result import InvocationResult, Status
from workbench.ui.response_panel import VIEW_LIMIT_CHARS, ResponsePanel

REQUEST_ID = "6f1c2b0e-1a2b-4c3d-8e9f-001122334455"


def result(payload: bytes, status: Status = Status.SUCCESS, error_type: str | None = None) -> InvocationResult:
    return InvocationResult(REQUEST_ID, status, payload, error_type, None, 12.34, 13, None, 128, 40)


@pytest.fixture
def panel(qtbot):
    widget = ResponsePanel()
    qtbot.addWidget(widget)
    widget.resize(700, 320)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def child(panel: ResponsePanel, kind, name: str):
    return panel.findChild(kind, name)


def payload_view(panel: ResponsePanel) -> QPlainTextEdit:
    return child(panel, QPlainTextEdit, "response_payload")


def test_success_shows_pretty_highlighted_json(qtbot, panel):
    """A JSON response is indented, keeps non-ASCII characters as they are, and is coloured."""
    panel.show_result(result(json.dumps({"statusCode": 200, "body": "bøok"}).encode()))
    assert payload_view(panel).toPlainText() == '{\n  "statusCode": 200,\n  "body": "bøok"\n}'
    key_line = payload_view(panel).document().findBlockByNumber(1)
    qtbot.waitUntil(lambda: bool(key_line.layout().formats()))
    assert not child(panel, QFrame, "response_error").isVisible()
    assert child(panel, QLabel, "response_title").text().startswith("JSON · ")


def test_non_json_payload_is_shown_as_text(qtbot, panel):
    """Bytes that are not JSON appear verbatim."""
    panel.show_result(result(b"plain bytes, not JSON"))
    assert payload_view(panel).toPlainText() == "plain bytes, not JSON"
    assert "text" in child(panel, QLabel, "response_title").text()


def test_python_error_shows_type_message_and_stack_trace(qtbot, panel):
    """A Python function error shows its type and message as a heading, the frames below, then the payload."""
    payload = json.dumps({"errorMessage": "'sku'", "errorType": "KeyError", "requestId": REQUEST_ID, "stackTrace": [
        '  File "/var/task/app.py", line 12, in handler\n    sku = item["sku"]\n',
        '  File "/var/task/app.py", line 30, in price\n    return lookup(sku)\n']}).encode()
    panel.show_result(result(payload, Status.SUCCESS, "KeyError"))
    assert child(panel, QFrame, "response_error").isVisible()
    assert child(panel, QLabel, "response_error_type").text() == "KeyError"
    assert child(panel, QLabel, "response_error_message").text() == "'sku'"
    trace = child(panel, QPlainTextEdit, "response_trace").toPlainText().splitlines()
    assert trace == ['  File "/var/task/app.py", line 12, in handler', '    sku = item["sku"]',
                     '  File "/var/task/app.py", line 30, in price', "    return lookup(sku)"]
    assert json.loads(payload_view(panel).toPlainText())["errorType"] == "KeyError"
    assert child(panel, QLabel, "response_title").text().startswith("Error response")


def test_node_error_shows_its_trace_lines(qtbot, panel):
    """Node's `trace` list appears line by line under the error heading."""
    payload = json.dumps({"errorType": "Error", "errorMessage": "boom",
                          "trace": ["Error: boom", "    at Runtime.handler (file:///var/task/index.mjs:2:9)"]})
    panel.show_result(result(payload.encode(), Status.SUCCESS, "Error"))
    assert child(panel, QLabel, "response_error_type").text() == "Error"
    assert child(panel, QLabel, "response_error_message").text() == "boom"
    assert child(panel, QPlainTextEdit, "response_trace").toPlainText() == (
        "Error: boom\n    at Runtime.handler (file:///var/task/index.mjs:2:9)")


def test_timeout_without_trace_shows_the_heading_only(qtbot, panel):
    """A timeout names Sandbox.Timedout and its message, and shows no empty trace box."""
    payload = b'{"errorMessage":"RequestId: x Error: Task timed out after 3.00 seconds","errorType":"Sandbox.Timedout"}'
    panel.show_result(result(payload, Status.TIMEOUT, "Sandbox.Timedout"))
    assert child(panel, QLabel, "response_error_type").text() == "Sandbox.Timedout"
    assert "Task timed out after 3.00 seconds" in child(panel, QLabel, "response_error_message").text()
    assert not child(panel, QPlainTextEdit, "response_trace").isVisible()


def test_copy_puts_the_payload_on_the_clipboard(qtbot, panel):
    """Copy gives exactly the text shown."""
    panel.show_result(result(b'{"ok": true}'))
    qtbot.mouseClick(child(panel, QToolButton, "response_copy"), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == '{\n  "ok": true\n}'


def test_running_and_clear_drop_the_previous_response(qtbot, panel):
    """Starting a run, or clearing, leaves no stale response or error behind."""
    panel.show_result(result(b'{"errorType": "E", "errorMessage": "m"}', Status.ERROR, "E"))
    panel.show_running()
    assert payload_view(panel).toPlainText() == ""
    assert not child(panel, QFrame, "response_error").isVisible()
    assert child(panel, QLabel, "response_title").text() == "Running…"
    assert not child(panel, QToolButton, "response_copy").isEnabled()
    panel.show_result(result(b'"done"'))
    panel.clear()
    assert payload_view(panel).toPlainText() == ""
    assert payload_view(panel).placeholderText()


def test_empty_payload_says_so(qtbot, panel):
    """An empty response is announced rather than shown as a blank box."""
    panel.show_result(result(b""))
    assert payload_view(panel).toPlainText() == ""
    assert "empty" in payload_view(panel).placeholderText()


def test_huge_response_is_cut_in_the_view_but_copied_whole(qtbot, panel):
    """A response past the view limit says how much is hidden, and Copy still takes all of it."""
    payload = json.dumps({"data": "x" * (VIEW_LIMIT_CHARS + 500)}).encode()
    panel.show_result(result(payload))
    shown = payload_view(panel).toPlainText()
    assert shown.endswith("not shown; Copy takes the whole response.")
    qtbot.mouseClick(child(panel, QToolButton, "response_copy"), Qt.MouseButton.LeftButton)
    assert json.loads(QGuiApplication.clipboard().text()) == json.loads(payload)


def test_one_very_long_line_is_shortened_in_the_view(qtbot, panel):
    """A long single-line value (a base64 body, say) is cut in the view and marked, and copied whole."""
    body = "QUJD" * 20_000
    panel.show_result(result(json.dumps({"isBase64Encoded": True, "body": body}).encode()))
    line = payload_view(panel).document().findBlockByNumber(2).text()
    assert line.startswith('  "body": "QUJD') and line.endswith("more characters]")
    qtbot.mouseClick(child(panel, QToolButton, "response_copy"), Qt.MouseButton.LeftButton)
    assert json.loads(QGuiApplication.clipboard().text())["body"] == body
