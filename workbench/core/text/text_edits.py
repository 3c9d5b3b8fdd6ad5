"""Editing rules for source text, free of any widget: finding, replacing, commenting, bracket pairs."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Line-comment prefix per editor language; JSON has none (a preset must stay plain JSON).
COMMENT_PREFIX = {"python": "#", "yaml": "#", "javascript": "//", "text": None, "json": None}

_OPEN_OF = {")": "(", "]": "[", "}": "{"}
_CLOSE_OF = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class SearchQuery:
    """What the find bar looks for: the text, and how it is read."""

    text: str
    case_sensitive: bool = False
    whole_word: bool = False
    regex: bool = False


@dataclass(frozen=True)
class SearchResult:
    """Every match as (start, end) character offsets, or why the query cannot be used."""

    matches: tuple[tuple[int, int], ...] = ()
    problem: str | None = None


def _pattern(query: SearchQuery) -> re.Pattern[str]:
    body = query.text if query.regex else re.escape(query.text)
    if query.whole_word:
        body = rf"\b(?:{body})\b"
    return re.compile(body, 0 if query.case_sensitive else re.IGNORECASE)


def find_matches(text: str, query: SearchQuery) -> SearchResult:
    """All non-empty matches of `query` in `text`, in order; a bad regex is a problem, not an error."""
    if not query.text:
        return SearchResult()
    try:
        pattern = _pattern(query)
    except re.error as error:
        return SearchResult(problem=f"Invalid regular expression: {error.msg}")
    return SearchResult(tuple(m.span() for m in pattern.finditer(text) if m.end() > m.start()))


def replacement_for(text: str, span: tuple[int, int], query: SearchQuery, replacement: str) -> str:
    """What replaces the match at `span`: the literal text, or the regex template expanded."""
    if not query.regex:
        return replacement
    match = _pattern(query).fullmatch(text, span[0], span[1])
    if match is None:
        return replacement
    try:
        return match.expand(replacement)
    except (re.error, IndexError):
        return replacement


def replace_all(text: str, query: SearchQuery, replacement: str) -> tuple[str, int]:
    """`text` with every match replaced, and how many were."""
    result = find_matches(text, query)
    if result.problem or not result.matches:
        return text, 0
    pieces, last = [], 0
    for span in result.matches:
        pieces += [text[last:span[0]], replacement_for(text, span, query, replacement)]
        last = span[1]
    pieces.append(text[last:])
    return "".join(pieces), len(result.matches)


def toggle_comment(lines: list[str], prefix: str) -> list[str]:
    """Comment every line out, or, when every non-blank line is commented already, back in.

    The prefix goes at the shallowest indentation of the lines, as VS Code and PyCharm place it,
    so a commented block keeps its shape.
    """
    filled = [line for line in lines if line.strip()]
    if not filled:
        return list(lines)
    if all(line.lstrip().startswith(prefix) for line in filled):
        out = []
        for line in lines:
            stripped = line.lstrip()
            if not stripped.startswith(prefix):
                out.append(line)
                continue
            rest = stripped[len(prefix):]
            rest = rest[1:] if rest.startswith(" ") else rest
            out.append(line[: len(line) - len(stripped)] + rest)
        return out
    column = min(len(line) - len(line.lstrip()) for line in filled)
    return [line[:column] + prefix + " " + line[column:] if line.strip() else line for line in lines]


def matching_bracket(text: str, position: int) -> tuple[int, int] | None:
    """The bracket at or just before `position` and its partner, as two offsets; None if unpaired.

    The character after the cursor wins over the one before it, as in Qt Creator and VS Code.
    Brackets inside strings count like any other: a plain scan, good enough for typing.
    """
    for index in (position, position - 1):
        if 0 <= index < len(text) and (text[index] in _CLOSE_OF or text[index] in _OPEN_OF):
            partner = _partner(text, index)
            return (index, partner) if partner is not None else None
    return None


def _partner(text: str, index: int) -> int | None:
    bracket = text[index]
    if bracket in _CLOSE_OF:
        partner, step, stop = _CLOSE_OF[bracket], 1, len(text)
    else:
        partner, step, stop = _OPEN_OF[bracket], -1, -1
    depth = 0
    for at in range(index, stop, step):
        if text[at] == bracket:
            depth += 1
        elif text[at] == partner:
            depth -= 1
            if depth == 0:
                return at
    return None
