"""Logs per function, through the real window: each function shows its own runs' log with its own search, filter
and level; switching away and back restores them and loses no line; History and Run Again still show theirs."""

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QToolButton

from window_helpers import make_window, workspace  # noqa: F401 - fixtures

RUN_TIMEOUT_MS = 20000
PYTHON, NODE = "OrderConfirmation", "OrderConfirmationNode"


def run_and_wait(qtbot, window, trigger=None):
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        (trigger or window.toolbar.run_action.trigger)()
    qtbot.waitUntil(lambda: window.log_panel.is_caught_up()
                    and "REPORT RequestId" in window.log_panel.full_text().splitlines()[-1], timeout=5000)
    return blocker.args[0]


def pick(window, name):
    window.toolbar.function_combo.setCurrentText(name)
    assert window.function.config.name == name


def controls(window):
    panel = window.log_panel
    return (panel.findChild(QLineEdit, "log_search"), panel.findChild(QToolButton, "log_filter"),
            panel.findChild(QComboBox, "log_level"))


def shown(window):
    """What a user sees of the log's state: its lines on screen, the search text, Filter, the level, the count."""
    search, filter_button, level = controls(window)
    return (window.log_panel.visible_lines(), search.text(), filter_button.isChecked(), level.currentText(),
            window.log_panel.findChild(QLabel, "log_count_label").text())


def test_each_function_shows_its_own_log_and_filters(qtbot, make_window, workspace):
    """Python runs twice and is filtered to "Item " at INFO+ with its first run unfolded; Node shows an empty log
    with no filter, runs, and is set to WARN+; back on Python everything is as it was left, and so on Node."""
    window = make_window(workspace)
    panel = window.log_panel
    search, filter_button, level = controls(window)
    first = run_and_wait(qtbot, window)
    second = run_and_wait(qtbot, window)
    panel.folds().toggle(panel.folds().run_starts()[0])  # unfold the older run
    search.setText("Item ")
    filter_button.click()
    level.setCurrentIndex(level.findData("INFO"))
    python_text, python_shown = panel.full_text(), shown(window)
    assert all("Item " in line or line.startswith("START") for line in python_shown[0])
    assert sum(line.startswith("Item ") or "\tItem " in line for line in python_shown[0]) >= 4  # both runs' items

    pick(window, NODE)
    assert panel.full_text() == "" and shown(window) == ([""], "", False, "All", "0 lines")
    assert window.response_panel.payload_text() == ""
    node = run_and_wait(qtbot, window)
    assert node.result.request_id in panel.full_text() and first.result.request_id not in panel.full_text()
    level.setCurrentIndex(level.findData("WARN"))
    node_text, node_shown = panel.full_text(), shown(window)
    assert not any("\tINFO\t" in line for line in node_shown[0])

    pick(window, PYTHON)
    assert panel.full_text() == python_text and shown(window) == python_shown
    assert panel.folds().collapsed_runs() == 0
    assert json.loads(window.response_panel.payload_text()) == json.loads(second.result.payload)
    assert window.summary_panel.findChild(QLabel, "summary_request_id").text() == second.result.request_id
    pick(window, NODE)
    assert panel.full_text() == node_text and shown(window) == node_shown
    assert window.summary_panel.findChild(QLabel, "summary_request_id").text() == node.result.request_id


def test_switching_loses_no_line_of_a_long_log(qtbot, make_window, workspace):
    """A run printing 6,000 lines (past the view's 5,000-line cap) is whole after going to the other function and
    back: the same line count, the same text, the view still at its newest line."""
    handler = workspace / "order_confirmation" / "lambda_function.py"
    handler.write_text(handler.read_text().replace(
        "def lambda_handler(event, context):\n",
        "def lambda_handler(event, context):\n    for i in range(6000):\n        print('line', i)\n", 1))
    window = make_window(workspace)
    panel = window.log_panel
    run_and_wait(qtbot, window)
    before_count, before_text = panel.line_count(), panel.full_text()
    assert before_count > 6000 and "line 0\n" in before_text
    pick(window, NODE)
    run_and_wait(qtbot, window)
    pick(window, PYTHON)
    qtbot.waitUntil(panel.is_caught_up)
    assert panel.line_count() == before_count and panel.full_text() == before_text
    assert panel.findChild(QLabel, "log_count_label").text() == f"last 5,000 of {before_count:,} lines"
    assert panel.is_following() and panel.visible_lines()[-1].startswith("REPORT RequestId")


def test_a_past_run_shows_in_place_of_the_functions_log_and_leaves_it_whole(qtbot, make_window, workspace):
    """On Node, picking Python's run in History shows that run's log under the banner; closing the banner brings
    Node's own log back with its search, unchanged."""
    window = make_window(workspace)
    panel = window.log_panel
    python = run_and_wait(qtbot, window)
    pick(window, NODE)
    node = run_and_wait(qtbot, window)
    controls(window)[0].setText("Item")
    node_text, node_shown = panel.full_text(), shown(window)
    history = window.history.panel
    qtbot.waitUntil(lambda: history.model.total() == 2, timeout=15000)
    python_row = next(r for r in range(2) if history.model.summary(r).function == PYTHON)
    assert history.select_run(history.model.summary(python_row).id)
    assert window.past_run_banner.isVisible()
    assert python.result.request_id in panel.full_text() and node.result.request_id not in panel.full_text()
    assert controls(window)[0].text() == ""  # the past run's log has its own search
    qtbot.mouseClick(window.past_run_banner.findChild(QToolButton, "past_run_close"), Qt.MouseButton.LeftButton)
    assert panel.full_text() == node_text and shown(window) == node_shown
    assert window.summary_panel.findChild(QLabel, "summary_request_id").text() == node.result.request_id


def test_run_again_of_another_functions_run_shows_that_function(qtbot, make_window, workspace):
    """Run Again on Python's past run while Node is picked: the window picks Python, the run goes to Python's log,
    and Node's log is left as it was."""
    window = make_window(workspace)
    panel = window.log_panel
    first = run_and_wait(qtbot, window)
    pick(window, NODE)
    run_and_wait(qtbot, window)
    node_text = panel.full_text()
    history = window.history.panel
    qtbot.waitUntil(lambda: history.model.total() == 2, timeout=15000)
    python_row = next(r for r in range(2) if history.model.summary(r).function == PYTHON)
    assert history.select_run(history.model.summary(python_row).id)
    again = run_and_wait(qtbot, window, history.run_again_action.trigger)
    assert again.function == PYTHON and window.function.config.name == PYTHON
    assert window.toolbar.function_combo.currentText() == PYTHON
    text = panel.full_text()
    assert text.index(first.result.request_id) < text.index(again.result.request_id)
    assert panel.log_text(NODE) == node_text


def test_a_rebuild_writes_to_its_functions_log_while_another_is_shown(qtbot, make_window, workspace):
    """Rebuild on Python, then pick Node at once: the rebuild's lines go to Python's log, not to Node's on screen."""
    from PySide6.QtWidgets import QPushButton

    window = make_window(workspace)
    panel = window.log_panel
    with qtbot.waitSignal(window.environment.notice, timeout=RUN_TIMEOUT_MS) as done:
        window.dependencies_panel.findChild(QPushButton, "rebuild").click()
        pick(window, NODE)
    assert "rebuilt" in done.args[0]
    assert "--- rebuilding OrderConfirmation's environment ---" in panel.log_text(PYTHON)
    assert panel.current_log() == NODE and "rebuilding" not in panel.full_text()
    pick(window, PYTHON)
    assert panel.full_text() == panel.log_text(PYTHON)
    qtbot.waitUntil(panel.is_caught_up)
    assert "--- rebuilding OrderConfirmation's environment ---" in panel.visible_lines()


def test_save_run_as_expectation_follows_the_function_on_screen(qtbot, make_window, workspace):
    """Save Run as Expectation records the run on screen: off on Node, which has not run; back on with Python's."""
    window = make_window(workspace)
    save = window.tests_dock.save_run_action
    run_and_wait(qtbot, window)
    assert save.isEnabled()
    pick(window, NODE)
    assert not save.isEnabled()
    pick(window, PYTHON)
    assert save.isEnabled()
