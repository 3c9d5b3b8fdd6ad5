"""Logs in the real window: one collapsible group per run, wrap off, filter and level, decoded response body."""

import json

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QToolButton

from window_helpers import make_window, workspace  # noqa: F401 - fixtures
from workbench.core.lambda_rules.log_levels import log_level, shown_at

RUN_TIMEOUT_MS = 20000


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.sig_run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    qtbot.waitUntil(lambda: window.log_panel.is_caught_up()
                    and "REPORT RequestId" in window.log_panel.visible_lines()[-1], timeout=5000)
    return blocker.args[0]


def test_each_run_is_a_group_and_only_the_newest_is_open(qtbot, make_window, workspace):
    """After two runs the first run's lines are folded away (START and REPORT stay); a click opens it."""
    window = make_window(workspace)
    panel = window.log_panel
    run_and_wait(qtbot, window)
    first_run_lines = len(panel.visible_lines())
    run_and_wait(qtbot, window)
    folds = panel.folds()
    assert len(folds.run_starts()) == 2 and folds.collapsed_runs() == 1
    visible = panel.visible_lines()
    assert sum(line.startswith("START RequestId") for line in visible) == 2
    assert sum(line.startswith("REPORT RequestId") for line in visible) == 2
    assert len(visible) < panel.line_count()
    folds.toggle(folds.run_starts()[0])
    assert folds.collapsed_runs() == 0
    assert len(panel.visible_lines()) >= first_run_lines + 2


def test_long_lines_wrap_by_default_and_unwrapped_the_view_starts_at_the_left(qtbot, make_window, workspace):
    """Long lines wrap by default (nothing is cut at the edge); unwrapped, the view goes back to the left edge."""
    window = make_window(workspace)
    panel = window.log_panel
    view = panel.findChild(QPlainTextEdit, "log_view")
    wrap = panel.wrap_action
    assert wrap.isChecked() and view.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
    wrap.trigger()
    assert view.lineWrapMode() == QPlainTextEdit.LineWrapMode.NoWrap
    panel.append_lines(["x" * 3000])
    qtbot.waitUntil(panel.is_caught_up)
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    wrap.trigger()
    assert view.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
    wrap.trigger()
    assert view.horizontalScrollBar().value() == 0


def test_filter_shows_only_matching_lines(qtbot, make_window, workspace):
    """Filter with "Item" keeps only the handler's item lines (and the run's START)."""
    window = make_window(workspace)
    panel = window.log_panel
    run_and_wait(qtbot, window)
    panel.findChild(QToolButton, "log_filter").click()
    panel.findChild(type(panel._search), "log_search").setText("Item ")
    visible = panel.visible_lines()
    assert visible and all("Item " in line or line.startswith("START RequestId") for line in visible)
    assert any("Item 1:" in line for line in visible)
    panel.findChild(QToolButton, "log_filter").click()
    assert len(panel.visible_lines()) == panel.line_count()


def test_level_filter_hides_info_below_warn(qtbot, make_window, workspace):
    """At WARN+, the sample's [INFO] lines and prints are hidden; at DEBUG everything is back."""
    window = make_window(workspace)
    panel = window.log_panel
    panel.append_lines(["START RequestId: r1 Version: $LATEST", "[INFO]\t2026\tr1\tfine",
                        "[WARNING]\t2026\tr1\tcareful", "plain print", "[ERROR]\t2026\tr1\tbroken",
                        "END RequestId: r1", "REPORT RequestId: r1\tDuration: 1.00 ms\t"])
    qtbot.waitUntil(panel.is_caught_up)
    level = panel.findChild(QComboBox, "log_level")
    level.setCurrentIndex(level.findData("WARN"))
    visible = panel.visible_lines()
    assert "[INFO]\t2026\tr1\tfine" not in visible and "plain print" not in visible
    assert "[WARNING]\t2026\tr1\tcareful" in visible and "[ERROR]\t2026\tr1\tbroken" in visible
    level.setCurrentIndex(level.findData("DEBUG"))
    assert len(panel.visible_lines()) == 7


def test_levels_of_python_node_and_json_lines():
    """Python's [LEVEL], Node's tab field and JSON's level are read alike; a print counts as INFO."""
    assert log_level("[WARNING]\t2026-01-01T00:00:00Z\tid\tx") == "WARN"
    assert log_level("2026-01-01T00:00:00.000Z\tid\tDEBUG\tx") == "DEBUG"
    assert log_level('{"timestamp": "t", "level": "ERROR", "message": "x"}') == "ERROR"
    assert log_level("hello") is None
    assert shown_at(None, "INFO") and not shown_at(None, "WARN") and not shown_at("DEBUG", "INFO")


def test_decoded_body_of_an_api_gateway_response(qtbot, make_window, workspace):
    """The sample answers like API Gateway: Decoded body shows its JSON body pretty-printed."""
    window = make_window(workspace)
    record = run_and_wait(qtbot, window)
    panel = window.response_panel
    body = json.loads(json.loads(record.result.payload)["body"])
    decoded = panel.decoded_body()
    assert decoded is not None and decoded.status_code == 200 and decoded.is_json
    panel.show_decoded_body(True)
    assert json.loads(panel.payload_text()) == body
    assert "\n" in panel.payload_text()  # pretty-printed, not the one-line string
    panel.show_decoded_body(False)
    assert json.loads(panel.payload_text())["statusCode"] == 200


def test_base64_body_is_decoded():
    """isBase64Encoded bodies are decoded before they are shown."""
    from workbench.core.lambda_rules.http_body import decoded_http_body

    decoded = decoded_http_body('{"statusCode": 201, "isBase64Encoded": true, "body": "eyJhIjogMX0=",'
                                ' "headers": {"Content-Type": "application/json"}}')
    assert decoded.was_base64 and decoded.text == '{\n  "a": 1\n}' and decoded.content_type == "application/json"
    assert decoded_http_body('{"body": "x"}') is None
