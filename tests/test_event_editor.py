"""The event editor: live JSON checking with the error's place shown, and formatting."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPushButton

from workbench.ui.editors.event_editor import EventEditor


@pytest.fixture
def event_editor(qtbot):
    widget = EventEditor()
    qtbot.addWidget(widget)
    widget.resize(500, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def type_at_end(qtbot, widget, text):
    editor = widget.editor()
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, text)


def marked_text(widget):
    selections = widget.editor().marks("error")
    return [s.cursor.selectedText() for s in selections if s.cursor.hasSelection()]


def test_valid_event_says_so(event_editor):
    """A valid event shows no problem and no error mark."""
    event_editor.set_text('{"name": "Ada"}')
    assert event_editor.problem() is None
    assert event_editor.is_valid()
    assert event_editor.message() == "Valid JSON"
    assert marked_text(event_editor) == []


def test_typing_an_error_shows_line_and_column_and_marks_it(event_editor, qtbot):
    """Breaking the JSON while typing reports where, marks the spot and turns validity off."""
    event_editor.set_text('{\n  "a": 1\n}')
    cursor = event_editor.editor().textCursor()
    cursor.setPosition(len('{\n  "a": 1'))
    event_editor.editor().setTextCursor(cursor)
    with qtbot.waitSignal(event_editor.validity_changed) as changed:
        qtbot.keyClicks(event_editor.editor(), ' "b"')
    assert changed.args == [False]
    assert event_editor.message() == "line 2, column 10: Expecting ',' delimiter"
    assert marked_text(event_editor) == ['"']
    assert not event_editor.is_valid()


def test_fixing_the_error_makes_it_valid_again(event_editor, qtbot):
    """Correcting the text clears the message and the mark."""
    event_editor.set_text('{"a": 1,}')
    assert event_editor.problem().column == 9
    cursor = event_editor.editor().textCursor()
    cursor.setPosition(len('{"a": 1'))
    with qtbot.waitSignal(event_editor.validity_changed) as changed:
        cursor.deleteChar()
    assert changed.args == [True]
    assert event_editor.message() == "Valid JSON"
    assert marked_text(event_editor) == []


def test_problem_is_current_even_before_the_typing_pause(event_editor, qtbot):
    """Asking for the problem right after an edit gives the answer for the new text."""
    event_editor.set_text("[1, 2]")
    type_at_end(qtbot, event_editor, "]")
    problem = event_editor.problem()
    assert (problem.line, problem.column, problem.message) == (1, 7, "Extra data")


def test_empty_event_is_invalid(event_editor):
    """An empty editor blocks running: there is no event to send."""
    event_editor.set_text("")
    assert event_editor.problem() is not None
    assert event_editor.message().startswith("line 1, column 1: Empty document")


def test_format_button_indents_the_event(event_editor, qtbot):
    """Format re-indents with two spaces, keeps accents, and can be undone."""
    original = '{"name":"Zoë","tags":[1,2]}'
    event_editor.set_text(original)
    button = next(b for b in event_editor.findChildren(QPushButton) if b.text() == "Format")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert event_editor.text() == '{\n  "name": "Zoë",\n  "tags": [\n    1,\n    2\n  ]\n}\n'
    assert event_editor.is_modified()
    event_editor.editor().undo()
    assert event_editor.text() == original


def test_ctrl_shift_f_formats(event_editor, qtbot):
    """The keyboard shortcut formats the event too."""
    event_editor.set_text('{"a":[]}')
    event_editor.activateWindow()
    event_editor.editor().setFocus()
    qtbot.keyClick(
        event_editor.editor(),
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert event_editor.text() == '{\n  "a": []\n}\n'


def test_format_refuses_invalid_json(event_editor):
    """Format leaves broken JSON alone and says why."""
    event_editor.set_text('{"a": }')
    assert event_editor.format_json() is False
    assert event_editor.text() == '{"a": }'
    assert event_editor.message() == "Cannot format: line 1, column 7: Expecting value"


def test_modified_flag(event_editor, qtbot):
    """Loading a preset is unmodified; typing modifies; the owner can reset it after saving."""
    event_editor.set_text("{}")
    assert not event_editor.is_modified()
    with qtbot.waitSignal(event_editor.text_changed):
        type_at_end(qtbot, event_editor, " ")
    assert event_editor.is_modified()
    event_editor.set_modified(False)
    assert not event_editor.is_modified()
