"""Editor basics in the real window: find and replace with a count, go to line, comments, brackets."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from window_helpers import make_window, workspace  # noqa: F401 - fixtures

CTRL = Qt.KeyboardModifier.ControlModifier


def focus(qtbot, window, editor):
    """Give `editor` the keyboard, as a click would: shortcuts follow the focus."""
    window.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)


def code_frame(qtbot, window):
    frame = window.tabs.current_frame()
    focus(qtbot, window, frame.editor)
    return frame


def test_ctrl_f_counts_and_steps_through_matches(qtbot, make_window, workspace):
    """Ctrl+F in the handler's tab finds as you type, says "1 of N", Enter goes to the next one."""
    window = make_window(workspace)
    frame = code_frame(qtbot, window)
    editor = frame.editor
    text = editor.toPlainText()
    expected = text.lower().count("_require")
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    assert frame.find_bar.isVisible() and not frame.find_bar.replace_field.isVisible()
    qtbot.keyClicks(frame.find_bar.find_field, "_require")
    assert frame.find_bar.count_text() == f"1 of {expected}"
    assert editor.textCursor().selectedText() == "_require"
    assert len(editor.marks("search")) == expected
    first = editor.textCursor().selectionStart()
    qtbot.keyClick(frame.find_bar.find_field, Qt.Key.Key_Return)
    assert frame.find_bar.count_text() == f"2 of {expected}"
    assert editor.textCursor().selectionStart() > first
    qtbot.keyClick(frame.find_bar.find_field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert editor.textCursor().selectionStart() == first
    qtbot.keyClicks(frame.find_bar.find_field, "zzz")
    assert frame.find_bar.count_text() == "No results"
    qtbot.keyClick(frame.find_bar.find_field, Qt.Key.Key_Escape)
    assert not frame.find_bar.isVisible() and editor.marks("search") == []


def test_bad_regex_is_said_not_raised(qtbot, make_window, workspace):
    """A broken regular expression shows "Bad pattern" with the reason, and nothing is selected."""
    window = make_window(workspace)
    frame = code_frame(qtbot, window)
    frame.open_find()
    frame.find_bar.regex_button.setChecked(True)
    qtbot.keyClicks(frame.find_bar.find_field, "(unclosed")
    assert frame.find_bar.count_text() == "Bad pattern"
    assert "missing )" in frame.find_bar.count_label.toolTip()


def test_ctrl_h_replaces_all_in_one_undo_step(qtbot, make_window, workspace):
    """Ctrl+H, a replacement and Replace All change every match; one Ctrl+Z brings them all back."""
    window = make_window(workspace)
    frame = code_frame(qtbot, window)
    editor = frame.editor
    original = editor.toPlainText()
    qtbot.keyClick(editor, Qt.Key.Key_H, CTRL)
    assert frame.find_bar.replace_field.isVisible()
    qtbot.keyClicks(frame.find_bar.find_field, "_require")
    qtbot.keyClicks(frame.find_bar.replace_field, "_need")
    count = original.lower().count("_require")
    assert frame.find_bar.replace_all() == count
    assert "_require" not in editor.toPlainText() and editor.toPlainText().count("_need") == count
    assert window.tabs.has_unsaved()
    editor.undo()
    assert editor.toPlainText() == original


def test_replace_one_with_a_regex_group(qtbot, make_window, workspace):
    """Replace with a regex template changes only the current match and moves to the next."""
    window = make_window(workspace)
    frame = code_frame(qtbot, window)
    editor = frame.editor
    editor.setPlainText("a1 a2 a3")
    frame.open_replace()
    frame.find_bar.regex_button.setChecked(True)
    qtbot.keyClicks(frame.find_bar.find_field, r"a(\d)")
    qtbot.keyClicks(frame.find_bar.replace_field, r"b\1")
    qtbot.keyClick(frame.find_bar.replace_field, Qt.Key.Key_Return)
    assert editor.toPlainText() == "b1 a2 a3"
    assert frame.find_bar.count_text() == "1 of 2"
    assert editor.textCursor().selectedText() == "a2"


def test_ctrl_g_goes_to_line_and_column(qtbot, make_window, workspace):
    """Ctrl+G, "20:5" and Enter put the cursor on line 20, column 5."""
    window = make_window(workspace)
    frame = code_frame(qtbot, window)
    frame.editor.setPlainText("\n".join(f"line_{n} = {n}" for n in range(1, 41)))
    qtbot.keyClick(frame.editor, Qt.Key.Key_G, CTRL)
    bar = frame.go_to_line_bar
    assert bar.isVisible() and f"(1–{frame.editor.document().blockCount()})" in bar.label.text()
    bar.field.clear()
    qtbot.keyClicks(bar.field, "20:5")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    cursor = frame.editor.textCursor()
    assert (cursor.blockNumber() + 1, cursor.positionInBlock() + 1) == (20, 5)
    assert not bar.isVisible()
    frame.open_go_to_line()
    bar.field.setText("999")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert frame.editor.textCursor().blockNumber() + 1 == 40


def test_ctrl_slash_comments_and_uncomments_python(qtbot, make_window, workspace):
    """Ctrl+/ on two selected Python lines puts "# " at their indentation, and again takes it off."""
    window = make_window(workspace)
    editor = code_frame(qtbot, window).editor
    editor.setPlainText("def f():\n    a = 1\n    b = 2\n")
    cursor = editor.textCursor()
    cursor.setPosition(editor.document().findBlockByNumber(1).position())
    cursor.setPosition(editor.document().findBlockByNumber(2).position() + 3, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert editor.toPlainText() == "def f():\n    # a = 1\n    # b = 2\n"
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert editor.toPlainText() == "def f():\n    a = 1\n    b = 2\n"


def test_node_comments_use_slashes(qtbot, make_window, workspace):
    """In the Node sample's handler, Ctrl+/ uses //."""
    window = make_window(workspace)
    window.select_function("OrderConfirmationNode")
    editor = code_frame(qtbot, window).editor
    assert window.tabs.current_path().name == "index.mjs"
    block = editor.document().find("export const").block()
    line = block.text()
    editor.setTextCursor(QTextCursor(block))
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert editor.textCursor().block().text() == "// " + line
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert editor.textCursor().block().text() == line


def test_matching_bracket_is_marked(qtbot, make_window, workspace):
    """With the cursor on a bracket, it and its partner are tinted, nested pairs skipped."""
    window = make_window(workspace)
    editor = window.event_editor.editor()
    window.event_editor.set_text('{"a": [1, [2]], "b": {}}')
    cursor = editor.textCursor()
    cursor.setPosition(6)  # before the outer [
    editor.setTextCursor(cursor)
    marked = sorted(s.cursor.selectionStart() for s in editor.marks("bracket"))
    assert marked == [6, 13]
    cursor.setPosition(30 if len(editor.toPlainText()) > 30 else 0)
    editor.setTextCursor(cursor)
    assert sorted(s.cursor.selectionStart() for s in editor.marks("bracket")) == [0, 23]


def test_event_editor_has_its_own_find(qtbot, make_window, workspace):
    """Ctrl+F in the event editor searches the event, not the code tab."""
    window = make_window(workspace)
    event = window.event_editor
    focus(qtbot, window, event.editor())
    expected = event.text().count('"')
    qtbot.keyClick(event.editor(), Qt.Key.Key_F, CTRL)
    assert event.frame.find_bar.isVisible()
    assert not window.tabs.current_frame().find_bar.isVisible()
    qtbot.keyClicks(event.frame.find_bar.find_field, '"')
    assert event.frame.find_bar.count_text() == f"1 of {expected}"
    # JSON has no comments: Ctrl+/ leaves a preset plain JSON.
    before = event.text()
    qtbot.keyClick(event.editor(), Qt.Key.Key_Slash, CTRL)
    assert event.text() == before
