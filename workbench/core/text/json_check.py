"""Checking and formatting JSON event text: where a document breaks, and a 2-space pretty form."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..child.deep_recursion import call_deep

_INDENT = "  "

# A string literal or a bare non-finite constant. json.loads accepts NaN and Infinity, but
# they are not JSON: Node's JSON.parse and the Lambda console both reject them.
_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|-?Infinity|NaN', re.DOTALL)


@dataclass(frozen=True)
class JsonProblem:
    """Why a document is not valid JSON; line and column are 1-based and count characters."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


class _NonFiniteNumber(ValueError):
    """Raised while parsing when the document uses NaN, Infinity or -Infinity."""


class _Pairs(list):
    """An object's members in document order, duplicates included."""


@dataclass(frozen=True)
class _Number:
    """A number kept as written, so formatting never rounds 0.1000000000000000055 or 1e400."""

    text: str


def check_json(text: str) -> JsonProblem | None:
    """The first problem in `text` as strict JSON, or None; an empty text is a problem too.

    Any depth of nesting is checked: Lambda accepts a deeply nested event, and the function's own
    runtime decides what to make of it (Python's fails it as Runtime.UnmarshalError).
    """
    try:
        return _check_json(text)
    except RecursionError:
        return call_deep(_check_json, _depth_bound(text), text)


def _check_json(text: str) -> JsonProblem | None:
    if not text.strip():
        return JsonProblem(1, 1, "Empty document: an event is a JSON value, for example {}")
    try:
        _parse(text)
    except json.JSONDecodeError as error:
        # json names the decode call to fix; in an editor the fix is deleting the character.
        message = "Unexpected byte order mark (U+FEFF)" if "BOM" in error.msg else error.msg
        return JsonProblem(error.lineno, error.colno, message)
    except _NonFiniteNumber:
        return _non_finite_problem(text)
    return None


def loads_any_depth(document: str | bytes) -> object:
    """json.loads at any depth of nesting (the service accepts deep events; Python alone stops near 1,000)."""
    try:
        return json.loads(document)
    except RecursionError:
        return call_deep(json.loads, _depth_bound(document if isinstance(document, str) else
                                                  document.decode("utf-8", errors="replace")), document)


def format_json(text: str) -> str:
    """`text` re-indented with 2 spaces and a final newline; raises ValueError when it is not JSON.

    Keys keep their order (duplicates too), numbers keep their spelling and non-ASCII characters
    stay as they are, so formatting never changes what the function receives.
    """
    problem = check_json(text)
    if problem is not None:
        raise ValueError(str(problem))
    try:
        return _format(text)
    except RecursionError:
        return call_deep(_format, _depth_bound(text), text)


def _format(text: str) -> str:
    parts: list[str] = []
    _write(_parse(text), 0, parts)
    parts.append("\n")
    return "".join(parts)


def _depth_bound(text: str) -> int:
    # A level needs an opening bracket: the text has no more levels than brackets (the formatter
    # adds a frame or two per level, so twice that).
    return 2 * (text.count("[") + text.count("{")) + 100


def _parse(text: str) -> object:
    return json.loads(
        text,
        object_pairs_hook=_Pairs,
        parse_float=_Number,
        parse_int=_Number,
        parse_constant=_reject_constant,
    )


def _reject_constant(name: str) -> object:
    raise _NonFiniteNumber(name)


def _non_finite_problem(text: str) -> JsonProblem:
    for match in _STRING_OR_CONSTANT.finditer(text):
        if not match.group().startswith('"'):
            offset = match.start()
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            return JsonProblem(line, column, f"{match.group()} is not valid JSON")
    return JsonProblem(1, 1, "NaN and Infinity are not valid JSON")


def _write(value: object, depth: int, out: list[str]) -> None:
    inner = _INDENT * (depth + 1)
    if isinstance(value, _Pairs):
        if not value:
            out.append("{}")
            return
        out.append("{\n")
        for index, (key, member) in enumerate(value):
            out.append(f"{inner}{json.dumps(key, ensure_ascii=False)}: ")
            _write(member, depth + 1, out)
            out.append(",\n" if index < len(value) - 1 else "\n")
        out.append(_INDENT * depth + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        out.append("[\n")
        for index, item in enumerate(value):
            out.append(inner)
            _write(item, depth + 1, out)
            out.append(",\n" if index < len(value) - 1 else "\n")
        out.append(_INDENT * depth + "]")
    elif isinstance(value, _Number):
        out.append(value.text)
    else:
        out.append(json.dumps(value, ensure_ascii=False))
