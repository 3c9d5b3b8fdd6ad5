"""Errors point at code in the real window: frames open file:line, the failing line is marked, paths relative."""

from PySide6.QtWidgets import QPlainTextEdit

from window_helpers import make_window, workspace  # noqa: F401 - fixtures
from workbench.core.function.stack_frames import FOLDED_WARNING, find_locations

RUN_TIMEOUT_MS = 20000


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.sig_run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    qtbot.waitUntil(lambda: window.log_panel.is_caught_up() and "REPORT RequestId" in window.log_panel.full_text(),
                    timeout=5000)
    return blocker.args[0].result


def failing(window):
    presets = {p.name: p for p in window.presets.store.list("OrderConfirmation")}
    window.presets.on_selected(presets["missing-email"])


def test_failing_line_is_marked_until_edited(qtbot, make_window, workspace):
    """After the failing preset, the handler's tab marks the line that raised; typing removes the mark."""
    window = make_window(workspace)
    failing(window)
    result = run_and_wait(qtbot, window)
    assert result.error_type == "ValueError"
    editor = window.tabs.editor_for(workspace / "order_confirmation" / "lambda_function.py")
    marks = editor.marks("error")
    assert marks
    marked_line = marks[0].cursor.block().text()
    assert "raise ValueError" in marked_line
    editor.textCursor().insertText("# edit\n")
    assert editor.marks("error") == []


def test_trace_paths_are_relative_and_a_click_opens_the_line(qtbot, make_window, workspace):
    """The Response trace reads order_confirmation/lambda_function.py; clicking a frame opens it at its line."""
    window = make_window(workspace)
    failing(window)
    run_and_wait(qtbot, window)
    trace = window.response_panel.trace_text()
    assert str(workspace) not in trace
    assert 'File "order_confirmation/lambda_function.py", line ' in trace
    lines = trace.splitlines()
    number = next(i for i, line in enumerate(lines) if "in lambda_handler" in line)
    location = find_locations(lines[number])[0]
    window.tabs.close_file(workspace / "order_confirmation" / "lambda_function.py")
    assert window.response_panel.click_trace_at(number, location.start + 3)
    assert window.tabs.current_path().name == "lambda_function.py"
    assert window.tabs.current_frame().editor.textCursor().blockNumber() + 1 == location.line


def test_log_frames_open_and_the_runtime_notice_is_folded(qtbot, make_window, workspace):
    """A syntax error: the log shows the folded LAMBDA_WARNING (a click unfolds it), its frame opens line 3."""
    handler = workspace / "order_confirmation" / "lambda_function.py"
    handler.write_text("import json\n\ndef lambda_handler(event, context)\n    return 1\n")
    window = make_window(workspace)
    result = run_and_wait(qtbot, window)
    assert result.error_type == "Runtime.UserCodeSyntaxError"
    panel = window.log_panel
    visible = panel.visible_text()
    assert any(FOLDED_WARNING in line for line in visible)
    assert "LAMBDA_WARNING" in panel.full_text() and "runtimes-update.html" in panel.full_text()
    editor = window.tabs.editor_for(handler)
    assert editor.marks("error") and editor.marks("error")[0].cursor.blockNumber() == 2
    clicked = []
    panel.sig_location_clicked.connect(lambda *args: clicked.append(args))
    view = panel.findChild(QPlainTextEdit, "log_view")
    block = next(b for b in _blocks(view) if 'lambda_function.py" Line 3' in b.text()
                 or "lambda_function.py, line 3" in b.text())
    location = find_locations(block.text())[0]
    click_at_position(panel, view, block.position() + location.start + 2)
    assert clicked and clicked[0][1] == 3
    warning = next(b for b in _blocks(view) if FOLDED_WARNING in b.text())
    click_at_position(panel, view, warning.position() + warning.text().index(FOLDED_WARNING) + 5)
    assert any("runtimes-update.html" in line for line in panel.visible_lines())


def click_at_position(panel, view, position):
    """Scroll the character at `position` into sight, as a user would before clicking it, and click it."""
    cursor = view.textCursor()
    cursor.setPosition(position)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    panel.click_at(view.cursorRect(view.textCursor()).center())


def _blocks(view):
    block = view.document().firstBlock()
    while block.isValid():
        yield block
        block = block.next()
