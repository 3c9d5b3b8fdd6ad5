"""The text editor for handler code and JSON: gutter, colouring, current line, indentation keys."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, QTimer, Slot
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QKeyEvent,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from workbench.core.text.text_edits import COMMENT_PREFIX, matching_bracket, toggle_comment
from workbench.ui.editors.line_number_area import LineNumberArea
from workbench.ui.editors.pygments_highlighter import PygmentsHighlighter, style_for_palette

# Spaces per level: PEP 8 for Python; 2 is what JSON events, YAML templates and Node code use.
_INDENT_WIDTH = {"python": 4, "javascript": 2, "json": 2, "yaml": 2}
_OPENERS = {"python": (":",), "javascript": ("{", "[", "("), "json": ("{", "["), "yaml": (":",)}
_CLOSER_OF = {"{": "}", "[": "]", "(": ")"}
# After these a Python block is over, so the next line goes back one level.
_PYTHON_BLOCK_END = re.compile(r"(return|pass|raise|break|continue)\b")
# Above this size the bracket partner is not looked for on every cursor move (a whole-text scan).
_BRACKET_SCAN_LIMIT = 400_000

# Every extra selection carries its kind here, so a caller (and a test) can tell them apart.
MARK_KIND = QTextFormat.Property.UserProperty + 1


class CodeEditor(QPlainTextEdit):
    """A monospace QPlainTextEdit for one language ("python", "javascript", "json", "yaml", "text").

    Enter keeps the indentation (one more level after an opener), Tab and Shift+Tab indent and
    dedent with spaces, and `mark_error` shows where a document is broken.
    """

    def __init__(self, parent: QWidget | None = None, language: str = "text"):
        super().__init__(parent)
        self._language = language
        self._error_selections: list[QTextEdit.ExtraSelection] = []
        self._search_selections: list[QTextEdit.ExtraSelection] = []
        self._debug_selections: list[QTextEdit.ExtraSelection] = []
        self._style_follows_palette = True
        self._gutter = LineNumberArea(self)
        self._highlighter = PygmentsHighlighter(
            self.document(), language, style_for_palette(self.palette())
        )
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._update_tab_stop()
        self.cursorPositionChanged.connect(self._refresh_extra_selections)
        self._refresh_extra_selections()

    def language(self) -> str:
        return self._language

    def set_language(self, lexer_name: str) -> None:
        """Colour and indent as `lexer_name` from now on."""
        self._language = lexer_name
        self._highlighter.set_lexer(lexer_name)

    def indent_width(self) -> int:
        return _INDENT_WIDTH.get(self._language, 4)

    def highlighter(self) -> PygmentsHighlighter:
        return self._highlighter

    def gutter(self) -> LineNumberArea:
        return self._gutter

    def set_style(self, style_name: str | None) -> None:
        """Use a pygments style by name; None follows the palette, light or dark."""
        self._style_follows_palette = style_name is None
        self._highlighter.set_style(style_name or style_for_palette(self.palette()))

    def mark_error(self, line: int, column: int) -> None:
        """Tint 1-based `line` and underline the character at 1-based `column` (in characters)."""
        block = self.document().findBlockByNumber(max(0, line - 1))
        if not block.isValid():
            block = self.document().lastBlock()
        dark = _is_dark(self.palette())
        whole_line = QTextEdit.ExtraSelection()
        whole_line.format.setBackground(QColor(220, 50, 47, 70 if dark else 40))
        whole_line.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        whole_line.cursor = QTextCursor(block)

        text = block.text()
        index = min(max(0, column - 1), len(text))
        if index == len(text) and text:
            index -= 1  # past the end of the line: mark its last character instead
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + _utf16_length(text[:index]))
        if index < len(text):
            cursor.setPosition(
                block.position() + _utf16_length(text[: index + 1]),
                QTextCursor.MoveMode.KeepAnchor,
            )
        character = QTextEdit.ExtraSelection()
        character.format.setBackground(QColor(220, 50, 47, 150 if dark else 90))
        character.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        character.format.setUnderlineColor(QColor("#ff7b72") if dark else QColor("#c00000"))
        character.cursor = cursor
        whole_line.format.setProperty(MARK_KIND, "error")
        character.format.setProperty(MARK_KIND, "error")
        self._error_selections = [whole_line, character]
        self._refresh_extra_selections()

    def set_debug_line(self, line: int | None) -> None:
        """Mark 1-based `line` as where the debugger stopped (tinted, an arrow in the gutter); None clears."""
        self._debug_selections = []
        if line is not None:
            mark = QTextEdit.ExtraSelection()
            mark.format.setBackground(QColor(242, 197, 0, 70 if _is_dark(self.palette()) else 90))
            mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            mark.format.setProperty(MARK_KIND, "debug")
            mark.cursor = QTextCursor(self.document().findBlockByNumber(max(0, line - 1)))
            self._debug_selections = [mark]
        self._gutter.set_paused_line(line)
        self._refresh_extra_selections()

    def clear_error_mark(self) -> None:
        if self._error_selections:
            self._error_selections = []
            self._refresh_extra_selections()

    def marks(self, kind: str) -> list[QTextEdit.ExtraSelection]:
        """The extra selections of one kind: "current-line", "error", "search", "bracket" or "debug"."""
        return [s for s in self.extraSelections() if s.format.property(MARK_KIND) == kind]

    def set_search_marks(self, spans: list[tuple[int, int]]) -> None:
        """Tint every find-bar match, given as (start, end) document positions."""
        colour = QColor(255, 200, 0, 90 if _is_dark(self.palette()) else 110)
        selections = []
        for start, end in spans:
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(colour)
            selection.format.setProperty(MARK_KIND, "search")
            selection.cursor = QTextCursor(self.document())
            selection.cursor.setPosition(start)
            selection.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selections.append(selection)
        self._search_selections = selections
        self._refresh_extra_selections()

    def go_to_line(self, line: int) -> int:
        """Put the cursor at the start of 1-based `line` (clamped to the document); returns the line."""
        count = self.document().blockCount()
        line = min(max(1, line), count)
        cursor = QTextCursor(self.document().findBlockByNumber(line - 1))
        self.setTextCursor(cursor)
        self.centerCursor()
        return line

    def go_to(self, line: int, column: int) -> None:
        """The cursor on 1-based `line` and `column` (in characters, clamped to the line), the line centred and
        the column scrolled into view horizontally (a minified one-line handler fails far to the right)."""
        self.go_to_line(line)
        cursor = self.textCursor()
        text = cursor.block().text()
        index = min(max(0, column - 1), len(text))
        cursor.setPosition(cursor.block().position() + _utf16_length(text[:index]))
        self.setTextCursor(cursor)
        self.centerCursor()
        self.ensureCursorVisible()
        # A tab opened just now has no width yet: scroll once more when it has been laid out.
        QTimer.singleShot(0, self, self._show_cursor)

    @Slot()
    def _show_cursor(self) -> None:
        self.centerCursor()
        self.ensureCursorVisible()

    def toggle_comment(self) -> bool:
        """Comment the selected lines (or the current one) out or in; False when the language has none."""
        prefix = COMMENT_PREFIX.get(self._language)
        if prefix is None or self.isReadOnly():
            return False
        cursor = self.textCursor()
        document = self.document()
        first = document.findBlock(cursor.selectionStart())
        last = document.findBlock(cursor.selectionEnd())
        if last != first and cursor.selectionEnd() == last.position():
            last = last.previous()
        lines, block = [], first
        while block.isValid():
            lines.append(block.text())
            if block == last:
                break
            block = block.next()
        changed = toggle_comment(lines, prefix)
        if changed == lines:
            return True
        first_number, start = first.blockNumber(), first.position()
        whole_selection = first != last or cursor.hasSelection()
        column = cursor.positionInBlock() + len(changed[0]) - len(lines[0])
        edit = QTextCursor(document)
        edit.beginEditBlock()
        edit.setPosition(start)
        edit.setPosition(last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        edit.insertText("\n".join(changed))
        edit.endEditBlock()
        if whole_selection:
            # Keep the lines selected, so Ctrl+/ can be pressed again.
            end = document.findBlockByNumber(first_number + len(changed) - 1)
            edit.setPosition(start)
            edit.setPosition(end.position() + end.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        else:
            # One line: the cursor stays on the same character of the code.
            edit.setPosition(start + max(0, min(column, len(changed[0]))))
        self.setTextCursor(edit)
        return True

    @Slot()
    def _refresh_extra_selections(self) -> None:
        current = QTextEdit.ExtraSelection()
        current.format.setBackground(_current_line_colour(self.palette()))
        current.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        current.format.setProperty(MARK_KIND, "current-line")
        current.cursor = self.textCursor()
        current.cursor.clearSelection()
        # Later selections paint over earlier ones: an error stays visible on the current line.
        self.setExtraSelections(
            [current, *self._debug_selections, *self._search_selections, *self._bracket_selections(),
             *self._error_selections]
        )

    def _bracket_selections(self) -> list[QTextEdit.ExtraSelection]:
        if self.document().characterCount() > _BRACKET_SCAN_LIMIT:
            return []
        text = self.toPlainText()
        # Qt positions count UTF-16 units; the rule counts characters.
        position = self.textCursor().position()
        index = _character_index(text, position)
        pair = matching_bracket(text, index)
        if pair is None:
            return []
        colour = QColor(120, 170, 255, 110 if _is_dark(self.palette()) else 90)
        selections = []
        for at in pair:
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(colour)
            selection.format.setProperty(MARK_KIND, "bracket")
            selection.cursor = QTextCursor(self.document())
            start = _utf16_length(text[:at])
            selection.cursor.setPosition(start)
            selection.cursor.setPosition(start + _utf16_length(text[at]), QTextCursor.MoveMode.KeepAnchor)
            selections.append(selection)
        return selections

    def _update_tab_stop(self) -> None:
        # Tabs already in a file line up with the indentation the editor itself would insert.
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * self.indent_width())

    # --- Editing keys

    def _insert_newline(self) -> None:
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        before, after = _text_around(cursor)
        indent = before[: len(before) - len(before.lstrip(" \t"))]
        unit = " " * self.indent_width()
        stripped = before.rstrip()
        opener = next((o for o in _OPENERS.get(self._language, ()) if stripped.endswith(o)), None)
        if opener is not None:
            indent_after = indent + unit
        elif self._language == "python" and _PYTHON_BLOCK_END.match(stripped.lstrip()):
            indent_after = indent[: -len(unit)] if indent.endswith(unit) else indent
        else:
            indent_after = indent
        # Whitespace right of the cursor would only push the next line's text out of line.
        gap = len(after) - len(after.lstrip(" \t"))
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, gap)
        cursor.insertText("\n" + indent_after)
        closer = _CLOSER_OF.get(opener or "")
        if closer is not None and after.lstrip(" \t").startswith(closer):
            # Enter between a pair: the closer goes on its own line at the opener's level.
            position = cursor.position()
            cursor.insertText("\n" + indent)
            cursor.setPosition(position)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _indent(self) -> None:
        cursor = self.textCursor()
        unit = self.indent_width()
        if _spans_lines(cursor):
            self._for_each_selected_line(lambda line: line.insertText(" " * unit))
            return
        column = len(_text_around(cursor)[0])
        cursor.insertText(" " * (unit - column % unit))
        self.setTextCursor(cursor)

    def _dedent(self) -> None:
        unit = self.indent_width()

        def remove_one_level(line: QTextCursor) -> None:
            text = line.block().text()
            count = 1 if text.startswith("\t") else len(text[:unit]) - len(text[:unit].lstrip(" "))
            line.movePosition(
                QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, count
            )
            line.removeSelectedText()

        self._for_each_selected_line(remove_one_level)

    def _backspace_indent(self) -> bool:
        """In leading spaces, Backspace removes back to the previous indentation level."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            return False
        before = _text_around(cursor)[0]
        if not before or before.strip(" "):
            return False
        count = (len(before) - 1) % self.indent_width() + 1
        cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, count)
        cursor.removeSelectedText()
        return True

    def _for_each_selected_line(self, edit) -> None:
        cursor = self.textCursor()
        document = self.document()
        first = document.findBlock(cursor.selectionStart())
        last = document.findBlock(cursor.selectionEnd())
        if last != first and cursor.selectionEnd() == last.position():
            last = last.previous()  # a selection ending at a line's start does not include it
        spans_lines = _spans_lines(cursor)
        cursor.beginEditBlock()
        block = first
        while block.isValid():
            edit(QTextCursor(block))
            if block == last:
                break
            block = block.next()
        cursor.endEditBlock()
        if spans_lines:
            # Keep whole lines selected so Tab can be pressed again.
            cursor.setPosition(first.position())
            cursor.setPosition(
                last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor
            )
            self.setTextCursor(cursor)

    # --- Qt overrides

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = modifiers == Qt.KeyboardModifier.NoModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and modifiers in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.ShiftModifier,  # not U+2028: a line break must start a line
        ):
            self._insert_newline()
        elif key == Qt.Key.Key_Tab and plain:
            self._indent()
        elif key == Qt.Key.Key_Backtab or (
            key == Qt.Key.Key_Tab and modifiers == Qt.KeyboardModifier.ShiftModifier
        ):
            self._dedent()
        elif key == Qt.Key.Key_Backspace and plain and self._backspace_indent():
            pass
        elif key == Qt.Key.Key_Slash and modifiers == Qt.KeyboardModifier.ControlModifier:
            self.toggle_comment()
        else:
            super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            if self._style_follows_palette:
                self._highlighter.set_style(style_for_palette(self.palette()))
            self._refresh_extra_selections()
        elif event.type() == QEvent.Type.FontChange:
            self._update_tab_stop()
            self._gutter.update_width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._gutter.place()


def _text_around(cursor: QTextCursor) -> tuple[str, str]:
    """The current line's text before and after the cursor (ignoring any selection)."""
    left = QTextCursor(cursor)
    left.clearSelection()
    left.movePosition(QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor)
    right = QTextCursor(cursor)
    right.clearSelection()
    right.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    return left.selectedText(), right.selectedText()


def _spans_lines(cursor: QTextCursor) -> bool:
    document = cursor.document()
    return document.findBlock(cursor.selectionStart()) != document.findBlock(cursor.selectionEnd())


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def document_positions(text: str, indices: list[int]) -> list[int]:
    """Qt document positions (UTF-16 units) of ascending character `indices` into `text`."""
    positions, units, done = [], 0, 0
    for index in indices:
        units += _utf16_length(text[done:index])
        done = index
        positions.append(units)
    return positions


def _character_index(text: str, position: int) -> int:
    """The character index of a Qt document position (UTF-16 units) in `text`."""
    if text.isascii():
        return position
    units = 0
    for index, character in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(character) > 0xFFFF else 1
    return len(text)


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _current_line_colour(palette: QPalette) -> QColor:
    # A faint step from the background towards the text colour reads in light and dark themes.
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    share = 0.12 if _is_dark(palette) else 0.06
    return QColor(
        round(base.red() + (text.red() - base.red()) * share),
        round(base.green() + (text.green() - base.green()) * share),
        round(base.blue() + (text.blue() - base.blue()) * share),
    )
