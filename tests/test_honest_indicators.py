"""Indicators in the real window say what is true: cold-next, the timeout, stale results, fixed problems, Stop."""

from window_helpers import make_window, workspace  # noqa: F401 - fixtures

RUN_TIMEOUT_MS = 20000


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    return blocker.args[0]


def set_setting(window, **changes):
    config = window.function_settings.config()
    window.function_settings.set_config(config.__class__(**{**config.__dict__, **changes}))
    window.function_settings.config_changed.emit(window.function_settings.config())


def test_badge_says_cold_next_after_a_saved_code_change(qtbot, make_window, workspace):
    """Warm after a run; saving an edit of the handler turns the badge to "cold next" naming the file."""
    window = make_window(workspace)
    run_and_wait(qtbot, window)
    assert window.toolbar.badge.text() == "warm"
    path = workspace / "order_confirmation" / "lambda_function.py"
    window.tabs.editor_for(path).textCursor().insertText("# changed\n")
    window.tabs.save_file(path)
    assert window.toolbar.badge.text() == "cold next"
    assert "lambda_function.py" in window.toolbar.badge.toolTip()
    record = run_and_wait(qtbot, window)
    assert record.cold
    assert window.toolbar.badge.text() == "warm"


def test_badge_says_cold_next_after_a_setting_change(qtbot, make_window, workspace):
    """A new memory size on a warm function: "cold next", because the configuration changed."""
    window = make_window(workspace)
    run_and_wait(qtbot, window)
    set_setting(window, memory_mb=256)
    qtbot.waitUntil(lambda: window.toolbar.badge.text() == "cold next", timeout=2000)
    assert "memory_mb 512 → 256" in window.toolbar.badge.toolTip()


def test_progress_bar_is_idle_and_follows_the_timeout(qtbot, make_window, workspace):
    """Idle, the bar is empty and greyed and names the current timeout, also after it was changed."""
    window = make_window(workspace)
    progress = window.toolbar.progress
    assert not progress.isEnabled() and progress.value() == 0 and progress.format() == "timeout 10 s"
    run_and_wait(qtbot, window)
    assert not progress.isEnabled() and progress.value() == 0
    set_setting(window, timeout_s=60)
    assert progress.format() == "timeout 60 s"


def test_switching_function_clears_the_previous_result(qtbot, make_window, workspace):
    """After a run of one function, picking the other empties the Response and Summary panels."""
    window = make_window(workspace)
    run_and_wait(qtbot, window)
    assert "statusCode" in window.response_panel.payload_text()
    window.toolbar.function_combo.setCurrentText("OrderConfirmationNode")
    assert window.response_panel.payload_text() == ""


def test_fixed_event_problem_leaves_the_status_bar(qtbot, make_window, workspace):
    """"Event is not valid JSON" goes away as soon as the event is valid again."""
    window = make_window(workspace)
    window.event_editor.set_text("{")
    window.toolbar.run_action.trigger()
    assert window.statusBar().currentMessage().startswith("Event is not valid JSON")
    window.event_editor.set_text("{}")
    assert window.statusBar().currentMessage() == ""


def test_stop_is_shown_as_a_stop(qtbot, make_window, workspace):
    """A call the user stopped says "Stopped by you", not a crash, in the panel and the status bar."""
    (workspace / "order_confirmation" / "lambda_function.py").write_text(
        "import time\ndef lambda_handler(event, context):\n    print('looping', flush=True)\n"
        "    while True:\n        time.sleep(0.01)\n")
    window = make_window(workspace)
    window.toolbar.run_action.trigger()
    qtbot.waitUntil(lambda: "looping" in window.log_panel.full_text(), timeout=RUN_TIMEOUT_MS)
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS):
        window.toolbar.stop_action.trigger()
    assert window.response_panel._title.text().startswith("Stopped by you")
    assert "was stopped" in window.statusBar().currentMessage()
