"""A workspace's breakpoints and watches: what the gutter and the Watches panel keep, in
.workbench/debug.json (paths relative to the workspace, so the folder can move), and the rules that change
them. Pure: no Qt, files only where load/save say so."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

from .debug_model import Breakpoint

BOOK_FILE = Path(".workbench") / "debug.json"


@dataclass(frozen=True)
class DebugBook:
    breakpoints: tuple[Breakpoint, ...] = ()
    watches: tuple[str, ...] = ()

    def in_file(self, path: str) -> dict[int, Breakpoint]:
        """The file's breakpoints by line."""
        return {point.line: point for point in self.breakpoints if point.path == path}

    def at(self, path: str, line: int) -> Breakpoint | None:
        return self.in_file(path).get(line)

    def toggled(self, path: str, line: int) -> DebugBook:
        """A click in the gutter: a breakpoint on that line goes, else a plain one is set."""
        if self.at(path, line) is not None:
            return self.without(path, line)
        return self.with_point(Breakpoint(path, line))

    def with_point(self, point: Breakpoint) -> DebugBook:
        """Set (or replace) the breakpoint on point's line."""
        others = tuple(p for p in self.breakpoints if (p.path, p.line) != (point.path, point.line))
        return replace(self, breakpoints=tuple(sorted(others + (point,), key=lambda p: (p.path, p.line))))

    def without(self, path: str, line: int) -> DebugBook:
        return replace(self, breakpoints=tuple(p for p in self.breakpoints if (p.path, p.line) != (path, line)))

    def with_watch(self, expression: str) -> DebugBook:
        expression = expression.strip()
        if not expression or expression in self.watches:
            return self
        return replace(self, watches=self.watches + (expression,))

    def without_watch(self, expression: str) -> DebugBook:
        return replace(self, watches=tuple(w for w in self.watches if w != expression))

    def moved_lines(self, path: str, first_line: int, delta: int) -> DebugBook:
        """Lines were inserted (delta > 0) or removed at first_line of path: the breakpoints below follow;
        those on removed lines go."""
        if not delta:
            return self
        kept = []
        for point in self.breakpoints:
            if point.path != path or point.line < first_line:
                kept.append(point)
            elif delta < 0 and point.line < first_line - delta:
                continue
            else:
                kept.append(replace(point, line=point.line + delta))
        return replace(self, breakpoints=tuple(kept))


def load_book(folder: str | Path) -> tuple[DebugBook, str]:
    """The workspace's book, and "" or what was wrong with the file (named, with the entry); a file that
    cannot be read gives an empty book, never an exception."""
    folder = Path(folder)
    path = folder / BOOK_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return DebugBook(), ""
    except (OSError, ValueError) as error:
        return DebugBook(), f"{path}: not read ({error}); breakpoints start empty"
    points, problems = [], []
    for index, entry in enumerate(document.get("breakpoints", []) if isinstance(document, dict) else []):
        try:
            line = int(entry["line"])
            if line < 1:
                raise ValueError("line below 1")
            points.append(Breakpoint(str((folder / entry["path"]).resolve()) if not os.path.isabs(entry["path"])
                                     else entry["path"], line, str(entry.get("condition", "")),
                                     str(entry.get("logMessage", ""))))
        except (KeyError, TypeError, ValueError) as error:
            problems.append(f"{path}: breakpoints[{index}] left out ({error})")
    watches = document.get("watches", []) if isinstance(document, dict) else []
    book = DebugBook(tuple(points), tuple(str(w) for w in watches if isinstance(w, str) and w.strip()))
    return book, "; ".join(problems)


def save_book(folder: str | Path, book: DebugBook) -> None:
    """Write the book (atomically) into the workspace's .workbench/debug.json; raises OSError."""
    folder = Path(folder).resolve()
    entries = []
    for point in book.breakpoints:
        entry = {"path": _relative(point.path, folder), "line": point.line}
        if point.condition:
            entry["condition"] = point.condition
        if point.log_message:
            entry["logMessage"] = point.log_message
        entries.append(entry)
    target = folder / BOOK_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".new")
    temporary.write_text(json.dumps({"breakpoints": entries, "watches": list(book.watches)}, indent=2) + "\n",
                         encoding="utf-8")
    os.replace(temporary, target)


def _relative(path: str, folder: Path) -> str:
    try:
        return Path(path).resolve().relative_to(folder).as_posix()
    except ValueError:
        return path  # a dependency's or a layer's file, outside the workspace: kept absolute
