"""Pygments syntax colouring for a QTextDocument: lexing, per-token formats and light/dark styles.

The whole document is lexed at once, so strings and comments that span lines are coloured right;
spans are kept per block in UTF-16 units, the only positions Qt understands.
"""

from __future__ import annotations

import time
from pathlib import Path

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.token import _TokenType
from pygments.util import ClassNotFound
from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"

_LEXER_BY_SUFFIX = {
    ".py": "python", ".pyw": "python", ".pyi": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".json": "json", ".yaml": "yaml", ".yml": "yaml",
}

# Above this lexing cost per keystroke, edits are coloured line by line at once and the whole
# document is lexed again when typing pauses, so a long file never makes typing lag.
_SLOW_LEX_SECONDS = 0.025
_IDLE_RELEX_MS = 250
_BULK_CHANGE_CHARS = 2000

# A span: (start, length, token type), start and length in UTF-16 code units within its block.
_Span = tuple[int, int, _TokenType]


def lexer_name_for_path(path: str | Path) -> str:
    """The lexer name for a file, from its extension: python, javascript, json, yaml or text."""
    return _LEXER_BY_SUFFIX.get(Path(path).suffix.lower(), "text")


def style_for_palette(palette: QPalette | None = None) -> str:
    """The pygments style that reads well on `palette` (default: the application's)."""
    palette = palette or QGuiApplication.palette()
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return DARK_STYLE if dark else LIGHT_STYLE


class PygmentsHighlighter(QSyntaxHighlighter):
    """Colours `document` with a pygments lexer ("python", "javascript", "json", "yaml", "text").

    With no style name the style follows the application palette: light or dark.
    """

    def __init__(self, document: QTextDocument, lexer_name: str, style_name: str | None = None):
        # Attached only after our own contentsChange slot is connected: Qt calls slots in
        # connection order, so the new text is lexed before Qt asks for any block's colours.
        super().__init__(None)
        self._lexer = _make_lexer(lexer_name)
        self._lexer_name = lexer_name
        self._style_name = style_name or style_for_palette()
        self._style: StyleMeta = get_style_by_name(self._style_name)
        self._formats: dict[_TokenType, QTextCharFormat | None] = {}
        self._blocks: list[tuple[str, tuple[_Span, ...]]] = []
        self._lex_seconds = 0.0
        self._force_until = 0
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(_IDLE_RELEX_MS)
        self._idle.timeout.connect(self._relex_when_idle)
        document.contentsChange.connect(self._on_contents_change)
        self.setParent(document)  # the document owns us, as with QSyntaxHighlighter(document)
        self._blocks = self._lex(self._block_texts(document))
        self.setDocument(document)
        if not document.isEmpty():
            self.rehighlight()  # Qt would wait for the event loop; a document shows coloured now

    def lexer_name(self) -> str:
        return self._lexer_name

    def style_name(self) -> str:
        return self._style_name

    def set_style(self, name: str | None) -> None:
        """Switch to another pygments style (None: by the application palette) and recolour."""
        self._style_name = name or style_for_palette()
        self._style = get_style_by_name(self._style_name)
        self._formats.clear()
        self.rehighlight()

    def set_lexer(self, lexer_name: str) -> None:
        """Switch language and recolour everything."""
        self._lexer = _make_lexer(lexer_name)
        self._lexer_name = lexer_name
        self._blocks = self._lex(self._block_texts(self.document()))
        self.rehighlight()

    # --- Qt overrides

    def highlightBlock(self, text: str) -> None:
        number = self.currentBlock().blockNumber()
        if number < len(self._blocks) and self._blocks[number][0] == text:
            spans = self._blocks[number][1]
        else:
            # The document moved on since the last whole lex (a long file while typing).
            spans = self._lex([text])[0][1]
        for start, length, token_type in spans:
            char_format = self._format_for(token_type)
            if char_format is not None:
                self.setFormat(start, length, char_format)
        if number + 1 < self._force_until:
            # Qt moves on to the next block only when this block's state changed.
            self.setCurrentBlockState(0 if self.currentBlockState() != 0 else 1)

    # --- Lexing

    @Slot(int, int, int)
    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        texts = self._block_texts(self.document())
        if texts == [text for text, _ in self._blocks]:
            return  # a format-only change, e.g. our own colours being applied
        self._force_until = 0
        bulk = max(removed, added) > _BULK_CHANGE_CHARS  # a new file or a big paste: lex now
        if not bulk and self._lex_seconds > _SLOW_LEX_SECONDS:
            self._idle.start()
            return
        self._idle.stop()
        old, self._blocks = self._blocks, self._lex(texts)
        first, end = _changed_range(old, self._blocks)
        self._force_until = end
        changed_block = self.document().findBlock(position).blockNumber()
        # Lookahead can recolour a block before the edit; Qt would never revisit it.
        block = self.document().findBlockByNumber(first)
        while block.isValid() and block.blockNumber() < changed_block:
            self.rehighlightBlock(block)
            block = block.next()

    @Slot()
    def _relex_when_idle(self) -> None:
        old, self._blocks = self._blocks, self._lex(self._block_texts(self.document()))
        first, end = _changed_range(old, self._blocks)
        block = self.document().findBlockByNumber(first)
        while block.isValid() and block.blockNumber() < end:
            self.rehighlightBlock(block)
            block = block.next()

    @staticmethod
    def _block_texts(document: QTextDocument) -> list[str]:
        # toRawText keeps each block's characters as QTextBlock.text() has them (no-break spaces,
        # U+2028), with U+2029 between blocks; toPlainText would rewrite both.
        return document.toRawText().split("\u2029")

    def _lex(self, texts: list[str]) -> list[tuple[str, tuple[_Span, ...]]]:
        started = time.perf_counter()
        source = "\n".join(texts) + "\n"
        spans: list[list[_Span]] = [[] for _ in texts]
        line, column, offset = 0, 0, 0
        for index, token_type, value in self._lexer.get_tokens_unprocessed(source):
            if index > offset:  # a lexer skipped characters: leave them plain
                line, column = _advance(spans, line, column, source[offset:index], None)
            line, column = _advance(spans, line, column, value, token_type)
            offset = index + len(value)
        if len(texts) > 1:
            self._lex_seconds = time.perf_counter() - started
        return [(text, tuple(block_spans)) for text, block_spans in zip(texts, spans)]

    # --- Formats

    def _format_for(self, token_type: _TokenType) -> QTextCharFormat | None:
        if token_type not in self._formats:
            self._formats[token_type] = self._build_format(token_type)
        return self._formats[token_type]

    def _build_format(self, token_type: _TokenType) -> QTextCharFormat | None:
        # Lexers invent subtypes no style lists; they inherit their nearest listed parent.
        while not self._style.styles_token(token_type) and token_type.parent is not None:
            token_type = token_type.parent
        style = self._style.style_for_token(token_type)
        char_format = QTextCharFormat()
        if style["color"]:
            char_format.setForeground(QColor(f"#{style['color']}"))
        if style["bgcolor"]:
            char_format.setBackground(QColor(f"#{style['bgcolor']}"))
        if style["bold"]:
            char_format.setFontWeight(QFont.Weight.Bold)
        if style["italic"]:
            char_format.setFontItalic(True)
        if style["underline"]:
            char_format.setFontUnderline(True)
        return None if char_format.isEmpty() else char_format


def _make_lexer(name: str) -> Lexer:
    try:
        return get_lexer_by_name(name, stripnl=False, stripall=False, ensurenl=False)
    except ClassNotFound:
        return get_lexer_by_name("text", stripnl=False, stripall=False, ensurenl=False)


def _utf16_length(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _advance(
    spans: list[list[_Span]], line: int, column: int, value: str, token_type: _TokenType | None
) -> tuple[int, int]:
    """Record `value` from (line, column) on; returns where it ends. Columns are UTF-16 units."""
    pieces = value.split("\n")
    for number, piece in enumerate(pieces):
        if number:
            line, column = line + 1, 0
        if piece and line < len(spans):
            length = _utf16_length(piece)
            if token_type is not None:
                spans[line].append((column, length, token_type))
            column += length
    return line, column


def _changed_range(old: list, new: list) -> tuple[int, int]:
    """Block numbers [first, end) in `new` whose text or spans differ from `old`."""
    first = 0
    limit = min(len(old), len(new))
    while first < limit and old[first] == new[first]:
        first += 1
    old_end, new_end = len(old), len(new)
    while old_end > first and new_end > first and old[old_end - 1] == new[new_end - 1]:
        old_end, new_end = old_end - 1, new_end - 1
    return first, new_end
