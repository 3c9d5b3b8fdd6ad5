"""The code editor: gutter, indentation keys, current line and error marks, as a user sees them."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontDatabase, QFontInfo, QPalette, QTextCursor, QTextFormat

from workbench.ui.editors.code_editor import CodeEditor


@pytest.fixture
def make_editor(qtbot):
    def make(language="python", text=""):
        editor = CodeEditor(language=language)
        qtbot.addWidget(editor)
        editor.resize(500, 300)
        editor.show()
        editor.setPlainText(text)
        editor.moveCursor(QTextCursor.MoveOperation.End)
        return editor

    return make


def type_lines(qtbot, editor, *lines):
    for number, line in enumerate(lines):
        if number:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.keyClicks(editor, line)


def test_font_is_an_installed_monospace_font(make_editor):
    """Code shows in a font that really exists on this machine and gives every character one width."""
    editor = make_editor()
    info = QFontInfo(editor.font())
    assert info.family() in QFontDatabase.families()
    # Measured, not QFontInfo.fixedPitch(): Qt reports some true monospace fonts (Noto Sans Mono)
    # as proportional; what a user notices is whether the columns line up.
    metrics = editor.fontMetrics()
    samples = ("iiiiiiii", "WWWWWWWW", "mmmmmmmm", "........")
    widths = {metrics.horizontalAdvance(text) for text in samples}
    assert len(widths) == 1 and widths.pop() > 0


def test_gutter_grows_with_the_line_count(make_editor):
    """The number column widens when the file reaches more digits, and the text moves aside."""
    editor = make_editor(text="\n".join("x" for _ in range(5)))
    narrow = editor.gutter().width()
    assert editor.viewportMargins().left() == narrow
    editor.setPlainText("\n".join("x" for _ in range(10_000)))
    assert editor.gutter().width() > narrow
    assert editor.viewportMargins().left() == editor.gutter().width()


def test_gutter_paints_numbers(make_editor):
    """The gutter is drawn with something on it (the line numbers), not left blank."""
    editor = make_editor(text="a\nb\nc")
    image = editor.gutter().grab().toImage()
    colours = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
    assert len(colours) > 2


def test_enter_keeps_indentation_and_indents_after_a_colon(make_editor, qtbot):
    """In Python, Enter after ':' indents one level; otherwise the indentation carries on."""
    editor = make_editor("python")
    type_lines(qtbot, editor, "def handler(event, context):", "if event:", "x = 1", "y = 2")
    assert editor.toPlainText() == (
        "def handler(event, context):\n    if event:\n        x = 1\n        y = 2"
    )


def test_enter_after_return_goes_back_one_level(make_editor, qtbot):
    """After return, the next Python line starts one level out."""
    editor = make_editor("python", "def f():\n    if x:\n        return 1")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "y")
    assert editor.toPlainText().splitlines()[-1] == "    y"


def test_enter_between_braces_opens_an_indented_line(make_editor, qtbot):
    """In JSON, Enter between {} puts the cursor on an indented line and the } below."""
    editor = make_editor("json")
    qtbot.keyClicks(editor, "{}")
    qtbot.keyClick(editor, Qt.Key.Key_Left)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, '"a": [')
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "1")
    assert editor.toPlainText() == '{\n  "a": [\n    1\n}'


def test_tab_inserts_spaces_per_language(make_editor, qtbot):
    """Tab inserts spaces, never a tab: 4 in Python, 2 in JSON."""
    python = make_editor("python")
    qtbot.keyClick(python, Qt.Key.Key_Tab)
    assert python.toPlainText() == "    "
    json_editor = make_editor("json")
    qtbot.keyClick(json_editor, Qt.Key.Key_Tab)
    assert json_editor.toPlainText() == "  "


def test_tab_goes_to_the_next_indentation_stop(make_editor, qtbot):
    """Tab after some text pads to the next multiple of the indentation width."""
    editor = make_editor("python", "ab")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "ab  "


def test_shift_tab_and_backspace_remove_one_level(make_editor, qtbot):
    """Shift+Tab dedents the line; Backspace in the indentation removes a whole level."""
    editor = make_editor("python", "        x = 1")
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    assert editor.toPlainText() == "    x = 1"
    editor.setPlainText("        ")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.toPlainText() == "    "


def test_tab_with_lines_selected_indents_them_all(make_editor, qtbot):
    """Selecting lines and pressing Tab indents each; Shift+Tab takes it back."""
    editor = make_editor("python", "a = 1\nb = 2\nc = 3")
    cursor = editor.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(len("a = 1\nb"), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    a = 1\n    b = 2\nc = 3"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    assert editor.toPlainText() == "a = 1\nb = 2\nc = 3"


def test_undo_takes_back_a_whole_auto_indented_enter(make_editor, qtbot):
    """One Ctrl+Z removes the line break and the indentation it added."""
    editor = make_editor("python", "if x:")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    editor.undo()
    assert editor.toPlainText() == "if x:"


def test_current_line_is_highlighted_and_follows_the_cursor(make_editor):
    """The cursor's line has a full-width background, and it moves with the cursor."""
    editor = make_editor(text="one\ntwo\nthree")

    def highlighted_lines():
        return [
            s.cursor.blockNumber()
            for s in editor.extraSelections()
            if s.format.property(QTextFormat.Property.FullWidthSelection)
        ]

    assert highlighted_lines() == [2]
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    assert highlighted_lines() == [0]


def test_error_mark_underlines_the_character_even_after_an_emoji(make_editor):
    """mark_error counts columns in characters and marks the right one after an emoji."""
    editor = make_editor("json", '{"greeting": "😀" x}')
    editor.mark_error(1, 18)
    marked = [s.cursor.selectedText() for s in editor.marks("error") if s.cursor.hasSelection()]
    assert marked == ["x"]
    editor.clear_error_mark()
    assert editor.marks("error") == []


def test_set_language_changes_indentation(make_editor):
    """Switching language switches the indentation width."""
    editor = make_editor("python")
    assert editor.indent_width() == 4
    editor.set_language("yaml")
    assert (editor.language(), editor.indent_width()) == ("yaml", 2)


def test_read_only_editor_ignores_editing_keys(make_editor, qtbot):
    """A read-only file cannot be changed by Tab or Enter."""
    editor = make_editor("python", "x")
    editor.setReadOnly(True)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "x"


def test_colours_switch_with_the_palette(make_editor):
    """Giving the editor a dark palette switches to the dark style, and back."""
    editor = make_editor("python", "def f(): pass")
    light_style = editor.highlighter().style_name()
    dark = QPalette(editor.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1a1a1a"))
    editor.setPalette(dark)
    assert editor.highlighter().style_name() != light_style
    editor.setPalette(QPalette(QColor("#f0f0f0")))
    assert editor.highlighter().style_name() == light_style
