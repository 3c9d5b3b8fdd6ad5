"""Pygments colouring: colours land on the right characters, across lines, in light and dark."""

import pytest
from pygments.styles import get_style_by_name
from pygments.token import Keyword, Literal, Name, String
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from workbench.ui.editors.pygments_highlighter import (
    DARK_STYLE,
    LIGHT_STYLE,
    PygmentsHighlighter,
    lexer_name_for_path,
)


def colour_of(style_name, token_type):
    return QColor(f"#{get_style_by_name(style_name).style_for_token(token_type)['color']}").name()


def coloured_runs(document, line):
    """(text, colour) for each formatted range of `line`, sliced in UTF-16 units as Qt counts."""
    block = document.findBlockByNumber(line)
    units = block.text().encode("utf-16-le")
    runs = []
    for fmt_range in block.layout().formats():
        start, end = fmt_range.start * 2, (fmt_range.start + fmt_range.length) * 2
        text = units[start:end].decode("utf-16-le")
        runs.append((text, fmt_range.format.foreground().color().name()))
    return runs


@pytest.fixture
def document(qtbot):
    # The document of a real editor: a bare QTextDocument has no layout and announces no edits.
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    yield editor.document()


@pytest.fixture
def dark_application_palette(qapp):
    original = QGuiApplication.palette()
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Window, QColor("#2d2d2d"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e0e0e0"))
    QGuiApplication.setPalette(dark)
    yield dark
    QGuiApplication.setPalette(original)


def test_colours_after_an_emoji_land_on_the_right_characters(document):
    """An emoji is two UTF-16 units; strings and keywords after it are still coloured exactly."""
    document.setPlainText('greeting = "😀" if ok else "none"  # 👋 "not a string"')
    PygmentsHighlighter(document, "python", "default")
    runs = coloured_runs(document, 0)
    string, keyword = colour_of("default", String), colour_of("default", Keyword)
    assert [text for text, colour in runs if colour == string] == ['"😀"', '"none"']
    assert [text for text, colour in runs if colour == keyword] == ["if", "else"]


def test_triple_quoted_string_colours_its_middle_line(document):
    """A string spanning lines colours the whole middle line as a string."""
    document.setPlainText('text = """first\nmiddle line with "quotes" and # hash\nlast"""\nx = 1\n')
    PygmentsHighlighter(document, "python", "default")
    string = colour_of("default", String)
    assert coloured_runs(document, 1) == [("middle line with \"quotes\" and # hash", string)]
    assert string not in [colour for _, colour in coloured_runs(document, 3)]


def test_opening_a_string_recolours_the_lines_below(document):
    """Typing an opening triple quote turns the lines below into string; deleting it undoes that."""
    document.setPlainText("a = 1\nif a:\n    print(a)\n")
    PygmentsHighlighter(document, "python", "default")
    string, keyword = colour_of("default", String), colour_of("default", Keyword)
    cursor = QTextCursor(document)
    cursor.insertText('"""')
    assert {colour for _, colour in coloured_runs(document, 1)} == {string}
    assert {colour for _, colour in coloured_runs(document, 2)} == {string}

    cursor.setPosition(0)
    cursor.setPosition(3, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
    assert ("if", keyword) in coloured_runs(document, 1)
    assert string not in {colour for _, colour in coloured_runs(document, 2)}


def test_javascript_block_comment_spans_lines(document):
    """A /* */ comment colours every line it covers."""
    document.setPlainText("/* one\n   two\n*/\nconst x = 1;\n")
    PygmentsHighlighter(document, "javascript", "default")
    comment = coloured_runs(document, 1)[0][1]
    assert coloured_runs(document, 1) == [("   two", comment)]
    assert ("const", colour_of("default", Keyword)) in coloured_runs(document, 3)


def test_json_keys_and_strings_get_distinct_colours(document):
    """In JSON, keys and string values are told apart."""
    document.setPlainText('{"name": "Ada"}')
    PygmentsHighlighter(document, "json", "default")
    runs = dict(coloured_runs(document, 0))
    assert runs['"name"'] == colour_of("default", Name.Tag)
    assert runs['"Ada"'] == colour_of("default", String.Double)


def test_token_subtypes_unknown_to_the_style_take_their_parents_colour(document):
    """YAML's plain scalars are a subtype no style names; they get the Literal colour."""
    document.setPlainText("Handler: app.handler\n")
    PygmentsHighlighter(document, "yaml", "monokai")
    runs = dict(coloured_runs(document, 0))
    assert runs["app.handler"] == colour_of("monokai", Literal)


def test_set_style_recolours(document):
    """Switching style changes the colours already shown."""
    document.setPlainText("def f(): pass\n")
    highlighter = PygmentsHighlighter(document, "python", "default")
    highlighter.set_style("monokai")
    assert ("def", colour_of("monokai", Keyword)) in coloured_runs(document, 0)
    assert highlighter.style_name() == "monokai"


def test_style_follows_the_palette(document, dark_application_palette):
    """On a dark palette the dark style is chosen, and its keywords stand out from the base."""
    document.setPlainText("def f(): return None\n")
    highlighter = PygmentsHighlighter(document, "python")
    assert highlighter.style_name() == DARK_STYLE
    keyword = QColor(dict(coloured_runs(document, 0))["def"])
    background = dark_application_palette.color(QPalette.ColorRole.Base)
    assert keyword.lightness() - background.lightness() > 100
    QGuiApplication.setPalette(QPalette(QColor("#f0f0f0")))
    highlighter.set_style(None)
    assert highlighter.style_name() == LIGHT_STYLE


def test_plain_text_and_unknown_languages_are_left_plain(document):
    """A text file, or a language we do not know, shows without colours and without errors."""
    document.setPlainText('def "x"\n')
    PygmentsHighlighter(document, "no-such-language", "default")
    assert coloured_runs(document, 0) == []


def test_lexer_name_for_path():
    """The language comes from the file extension."""
    assert lexer_name_for_path("src/app.py") == "python"
    assert lexer_name_for_path("index.MJS") == "javascript"
    assert lexer_name_for_path("events/s3.json") == "json"
    assert lexer_name_for_path("template.yml") == "yaml"
    assert lexer_name_for_path("bootstrap") == "text"


def test_long_file_recolours_far_lines_after_an_edit(document, qtbot):
    """In a long file an opened string still recolours lines far below, once typing pauses."""
    lines = (f"value_{n} = compute({n}, 'x')  # line {n}\n" for n in range(3000))
    document.setPlainText("".join(lines))
    PygmentsHighlighter(document, "python", "default")
    string = colour_of("default", String)
    cursor = QTextCursor(document.findBlockByNumber(10))
    cursor.insertText('"""')

    def far_line_is_string():
        return {colour for _, colour in coloured_runs(document, 2500)} == {string}

    qtbot.waitUntil(far_line_is_string, timeout=10000)
    assert "compute" in coloured_runs(document, 2500)[0][0]
