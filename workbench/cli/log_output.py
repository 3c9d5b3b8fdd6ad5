"""A function's log on a terminal or in a file: Lambda's runtimes write a multi-line event (a traceback, an
object printed by console.log) as one line whose inner breaks are carriage returns (`\\r`); written as they
are, each `\\r` would send the terminal back to the start of the line and the traceback would overwrite
itself, and `2> log.txt` read back would show only its last line. Each `\\r` is a line break here; the
exact events stay in the history and in --report-json."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO


def readable_log(lines: Iterable[str]) -> str:
    """The lines as text a person reads: each ends with a newline, inner carriage returns are newlines."""
    return "".join(line.rstrip("\n").replace("\r\n", "\n").replace("\r", "\n") + "\n" for line in lines)


def write_log(stream: TextIO, lines: Iterable[str]) -> None:
    stream.write(readable_log(lines))
    stream.flush()
