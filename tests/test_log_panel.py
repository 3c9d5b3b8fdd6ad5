"""The Logs panel: batched streaming, the capped view, styles, following the end, search, copy and clear."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette, QTextCharFormat, QTextFormat
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QToolButton

from workbench.ui.logs.log_panel import VIEW_BLOCK_CAP, LogPanel

REQUEST_ID = "6f1c2b0e-1a2b-4c3d-8e9f-001122334455"
PYTHON_ERROR = ("[ERROR] Exception: boom\rTraceback (most recent call last):\r"
                "\u00a0\u00a0File \"/var/task/app.py\", line 3, in handler\r"
                "\u00a0\u00a0\u00a0\u00a0raise Exception(\"boom\")")


@pytest.fixture
def panel(qtbot):
    widget = LogPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def view(panel: LogPanel) -> QPlainTextEdit:
    return panel.findChild(QPlainTextEdit, "log_view")


def label(panel: LogPanel, name: str) -> str:
    return panel.findChild(QLabel, name).text()


def stream(qtbot, panel: LogPanel, lines: list[str]) -> None:
    panel.append_lines(lines)
    qtbot.waitUntil(lambda: panel.is_caught_up() and view(panel).document().blockCount() >= len(lines))


def block_format(panel: LogPanel, number: int) -> QTextCharFormat:
    return view(panel).document().findBlockByNumber(number).begin().fragment().charFormat()


def test_batches_show_every_line_after_the_flush(qtbot, panel):
    """Lines appended in several batches all appear, in order, and the count says how many."""
    panel.append_lines([f"line {i}" for i in range(10)])
    panel.append_lines([f"line {i}" for i in range(10, 25)])
    assert not panel.is_caught_up()
    qtbot.waitUntil(panel.is_caught_up)
    assert view(panel).document().blockCount() == 25
    assert view(panel).toPlainText().splitlines() == [f"line {i}" for i in range(25)]
    assert label(panel, "log_count_label") == "25 lines"


def test_capped_view_keeps_the_full_log(qtbot, panel):
    """A flood shows only the newest lines, says so, and still copies and saves every line."""
    total = VIEW_BLOCK_CAP * 3 + 17
    lines = [f"item {i}" for i in range(total)]
    for start in range(0, total, 4000):
        panel.append_lines(lines[start:start + 4000])
    qtbot.waitUntil(lambda: label(panel, "log_count_label").endswith(f"of {total:,} lines"))
    document = view(panel).document()
    assert document.blockCount() == VIEW_BLOCK_CAP
    assert document.lastBlock().text() == f"item {total - 1}"
    assert document.firstBlock().text() == f"item {total - VIEW_BLOCK_CAP}"
    assert label(panel, "log_count_label") == f"last {VIEW_BLOCK_CAP:,} of {total:,} lines"
    assert panel.full_text().splitlines() == lines


def test_trickle_past_the_cap_drops_only_the_oldest_lines(qtbot, panel):
    """Once the view is full, each new batch pushes out as many old lines as it brings."""
    stream(qtbot, panel, [f"a {i}" for i in range(VIEW_BLOCK_CAP)])
    stream(qtbot, panel, ["b 0", "b 1", "b 2"])
    document = view(panel).document()
    assert document.blockCount() == VIEW_BLOCK_CAP
    assert document.firstBlock().text() == "a 3"
    assert panel.line_count() == VIEW_BLOCK_CAP + 3


def test_platform_and_error_lines_are_styled(qtbot, panel):
    """START/END/REPORT are set apart, errors are red, warnings amber, ordinary output plain."""
    stream(qtbot, panel, [
        f"START RequestId: {REQUEST_ID} Version: $LATEST",
        "hello from the handler",
        PYTHON_ERROR,
        f"2026-05-09T07:35:25.123Z\t{REQUEST_ID}\tERROR\tInvoke Error \t{{\"errorType\":\"Error\"}}",
        f"[WARNING]\t2026-05-09T07:35:25.123Z\t{REQUEST_ID}\tslow",
        f"2026-05-09T07:35:25.123Z\t{REQUEST_ID}\tWARN\tdeprecated call",
        f"END RequestId: {REQUEST_ID}",
        f"REPORT RequestId: {REQUEST_ID}\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\t"
        "Max Memory Used: 40 MB\t",
    ])
    text = view(panel).palette().color(QPalette.ColorRole.Text)
    # Ordinary output has no colour of its own, so it takes the palette's text colour.
    assert not block_format(panel, 1).hasProperty(QTextFormat.Property.ForegroundBrush)
    start, _, python_error, node_error, warning, node_warning, end, report = (
        block_format(panel, n).foreground().color() for n in range(8))
    assert start == end == report != text
    assert block_format(panel, 7).fontWeight() > QFont.Weight.Normal.value
    assert python_error == node_error
    assert python_error.red() > python_error.green() + 60
    assert warning == node_warning != python_error
    assert warning.red() > warning.blue() + 60


def test_error_event_lines_break_inside_one_block(qtbot, panel):
    """A Python error event's '\\r' separators show as line breaks, and copying gives real newlines."""
    stream(qtbot, panel, ["before", PYTHON_ERROR, "after"])
    assert view(panel).document().blockCount() == 3
    shown = view(panel).toPlainText().splitlines()
    assert shown[1] == "ERROR Exception: boom"
    assert shown[2] == "Traceback (most recent call last):"
    assert panel.full_text().splitlines()[1:3] == ["[ERROR] Exception: boom", shown[2]]


def test_follows_the_end_until_the_user_scrolls_up(qtbot, panel):
    """New lines keep the newest in sight; scrolled up, the view stays put; back at the bottom, it follows again."""
    bar = view(panel).verticalScrollBar()
    stream(qtbot, panel, [f"first {i}" for i in range(300)])
    assert bar.maximum() > 0 and bar.value() == bar.maximum()

    bar.setValue(10)
    stream(qtbot, panel, [f"second {i}" for i in range(50)])
    assert bar.value() == 10
    assert not panel.is_following()

    bar.setValue(bar.maximum())
    stream(qtbot, panel, [f"third {i}" for i in range(50)])
    assert bar.value() == bar.maximum()
    assert panel.is_following()


def test_search_counts_and_steps_through_matches(qtbot, panel):
    """Typing a word shows how many lines match; Enter and Shift+Enter move between them, wrapping round."""
    stream(qtbot, panel, [f"order {i} {'shipped' if i % 4 == 0 else 'packed'}" for i in range(40)])
    view(panel).verticalScrollBar().setValue(0)  # search starts from the top of what is on screen
    search = panel.findChild(QLineEdit, "log_search")
    qtbot.keyClicks(search, "SHIPPED")
    assert label(panel, "log_match_label") == "1 of 10"
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert label(panel, "log_match_label") == "2 of 10"
    assert view(panel).textCursor().block().text() == "order 4 shipped"
    qtbot.keyClick(search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert label(panel, "log_match_label") == "10 of 10"
    assert view(panel).textCursor().block().text() == "order 36 shipped"
    assert view(panel).extraSelections()

    search.setText("delivered")
    assert label(panel, "log_match_label") == "no match"
    assert not view(panel).extraSelections()


def test_search_positions_survive_characters_beyond_the_bmp(qtbot, panel):
    """A match after an emoji is highlighted on the right characters."""
    stream(qtbot, panel, ["\U0001f680 launch \U0001f680 target"])
    panel.findChild(QLineEdit, "log_search").setText("target")
    selections = view(panel).extraSelections()
    assert [selection.cursor.selectedText() for selection in selections] == ["target"]


def test_ctrl_f_focuses_the_search_box(qtbot, panel):
    """Ctrl+F inside the panel puts the caret in the search box."""
    view(panel).setFocus()
    qtbot.waitUntil(view(panel).hasFocus)
    qtbot.keyClick(view(panel), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(panel.findChild(QLineEdit, "log_search").hasFocus)


def test_copy_takes_the_selection_or_everything(qtbot, panel):
    """Copy puts the selected text on the clipboard, or the whole log when nothing is selected."""
    stream(qtbot, panel, ["alpha", PYTHON_ERROR, "omega"])
    copy = panel.findChild(QToolButton, "log_copy")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == panel.full_text()
    assert QGuiApplication.clipboard().text().startswith("alpha\n[ERROR] Exception: boom\nTraceback")

    cursor = view(panel).textCursor()
    cursor.setPosition(0)
    cursor.setPosition(3, cursor.MoveMode.KeepAnchor)
    view(panel).setTextCursor(cursor)
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "alp"


def test_save_log_writes_every_line(qtbot, panel, tmp_path):
    """Saving writes the whole log, not only the capped view."""
    lines = [f"line {i}" for i in range(VIEW_BLOCK_CAP + 10)]
    panel.append_lines(lines)
    path = tmp_path / "out.log"
    panel.save_log(path)
    assert path.read_text(encoding="utf-8").splitlines() == lines


def test_clear_empties_the_view_and_the_log(qtbot, panel):
    """Clear leaves an empty panel, and the next run's lines start afresh."""
    stream(qtbot, panel, ["old 1", "old 2"])
    qtbot.mouseClick(panel.findChild(QToolButton, "log_clear"), Qt.MouseButton.LeftButton)
    assert view(panel).toPlainText() == ""
    assert panel.full_text() == ""
    assert label(panel, "log_count_label") == "0 lines"
    stream(qtbot, panel, ["new 1"])
    assert view(panel).toPlainText() == "new 1"
    assert label(panel, "log_count_label") == "1 line"


@pytest.mark.parametrize("line", [
    "[CRITICAL]\t2026-05-09T07:35:25.123Z\tid\tdisk full",
    '{"timestamp": "2026-05-09T07:35:25Z", "log_level": "ERROR", "errorMessage": "boom", "errorType": "Exception"}',
    '{"time":"2026-05-09T07:35:25.123Z","level":"ERROR","message":"boom"}',
    "2024-03-04T17:22:38.033Z b70435cc-261c-4438-b9b6-efe4c8f04b21 Task timed out after 3.00 seconds",
    "RequestId: c3252230-c73d-49f6-8844-968c01d1e2e1 Error: Runtime exited without providing a reason\r"
    "Runtime.ExitError",
    f"REPORT RequestId: {REQUEST_ID}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\t"
    "Max Memory Used: 44 MB\tStatus: timeout",
])
def test_other_error_shapes_are_red(qtbot, panel, line):
    """Critical, JSON-format errors, timeouts, runtime exits and failed REPORTs all read as errors."""
    stream(qtbot, panel, [line])
    colour = block_format(panel, 0).foreground().color()
    assert colour.red() > colour.green() + 60


def test_dark_palette_keeps_styles_readable(qtbot, panel):
    """On a dark palette the error colour is light enough to read and lines are restyled."""
    stream(qtbot, panel, [PYTHON_ERROR])
    light_red = block_format(panel, 0).foreground().color()
    dark = QPalette(panel.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#dddddd"))
    panel.setPalette(dark)
    qtbot.waitUntil(lambda: view(panel).document().firstBlock().text().startswith("ERROR ")
                    and block_format(panel, 0).foreground().color() != light_red)
    assert block_format(panel, 0).foreground().color().lightness() > 128
    assert view(panel).document().blockCount() == 1
