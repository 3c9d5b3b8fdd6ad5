"""Places in code named by stack traces and error messages (Python, Node and Java), and how they read in a
workspace."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Python: '  File "/w/app.py", line 12, in handler'; its syntax-error trace: '  File "/w/app.py" Line 3'.
_PYTHON = re.compile(r'File "(?P<path>[^"]+)",? [Ll]ine (?P<line>\d+)')
# Node: 'at handler (file:///w/index.mjs:5:11)' or 'at /w/index.js:5:11'.
_NODE = re.compile(r'(?:\(|at )(?:file://)?(?P<path>/[^():\s]+):(?P<line>\d+):(?P<column>\d+)')
# Python's syntax error message: "invalid syntax (app.py, line 3)".
_SYNTAX = re.compile(r"\((?P<path>[^(),]+\.py), line (?P<line>\d+)\)")
# javac's diagnostics, with the column the workbench adds (core/java/compile_errors.py):
# "/w/src/example/Hello.java:5:17: error: ...".
_JAVAC = re.compile(r"^(?P<path>[^\s:][^:\n]*\.java):(?P<line>\d+)(?::(?P<column>\d+))?: (?:error|warning): ",
                    re.MULTILINE)
# A Java stack frame names the source file only: "example.Handlers.boom(Handlers.java:35)"; the package
# gives its folder (example/Handlers.java).
_JAVA_FRAME = re.compile(r"(?P<package>(?:[\w$]+\.)*)[\w$]+\.[\w$<>]+\((?P<file>[\w$]+\.java):(?P<line>\d+)\)")

WARNING_MARK = "LAMBDA_WARNING: Unhandled exception."
FOLDED_WARNING = "LAMBDA_WARNING: Unhandled exception. … (the runtime's standard notice; click to read it all)"


@dataclass(frozen=True)
class CodeLocation:
    """A file and a 1-based line (and column, when the trace gives one), and where it sits in the text."""

    path: str
    line: int
    column: int = 1
    start: int = 0
    end: int = 0
    innermost_first: bool = False
    """The trace this location comes from lists the failing frame first (Java's), not last (Python's)."""


def find_locations(text: str) -> list[CodeLocation]:
    """Every code location in `text`, in order of appearance."""
    found = [CodeLocation(m["path"], int(m["line"]), 1, m.start(), m.end()) for m in _PYTHON.finditer(text)]
    found += [CodeLocation(m["path"], int(m["line"]), int(m["column"]), m.start("path"), m.end())
              for m in _NODE.finditer(text)]
    found += [CodeLocation(m["path"], int(m["line"]), 1, m.start("path"), m.end("line"))
              for m in _SYNTAX.finditer(text)]
    found += [CodeLocation(m["path"], int(m["line"]), int(m["column"] or 1), m.start("path"), m.end("line"))
              for m in _JAVAC.finditer(text)]
    found += [CodeLocation(_java_source(m["package"], m["file"]), int(m["line"]), 1, m.start(), m.end(), True)
              for m in _JAVA_FRAME.finditer(text)]
    return sorted(found, key=lambda location: location.start)


def _java_source(package: str, file: str) -> str:
    """example/Handlers.java for the frame "example.Handlers.boom(Handlers.java:35)": the class's package
    without the class name itself (the frame's last dotted part before the method)."""
    parts = package.rstrip(".").split(".") if package else []
    # The package part ends with the class name (and nested ones hold '$'): keep the lower-case packages.
    folders = [part for part in parts if part and part[0].islower() and "$" not in part]
    return "/".join(folders + [file])


def location_at(text: str, index: int) -> CodeLocation | None:
    """The location whose text covers character `index`, if any."""
    return next((loc for loc in find_locations(text) if loc.start <= index < loc.end), None)


def resolve(location: CodeLocation, folder: Path) -> Path | None:
    """The file a location names, inside `folder` (relative paths and bare names are looked up there)."""
    path = Path(location.path)
    candidates = [path] if path.is_absolute() else [folder / path]
    if not path.is_absolute():
        candidates += sorted(folder.rglob(path.name))[:1]
    for candidate in candidates:
        try:
            candidate = candidate.resolve()
        except OSError:
            continue
        if candidate.is_file() and candidate.is_relative_to(folder.resolve()):
            return candidate
    return None


def failing_location(texts: list[str], folder: Path) -> tuple[Path, CodeLocation] | None:
    """The innermost location inside the workspace among `texts` (stack frames or a syntax error)."""
    best = None
    for text in texts:
        for location in find_locations(text):
            path = resolve(location, folder)
            if path is None:
                continue
            if best is not None and location.innermost_first and best[1].innermost_first:
                continue  # a Java trace runs innermost first: its first workspace frame is where it failed
            best = (path, location)  # a Python trace runs outermost first: the last one is where it failed
    return best


def relative_in(text: str, folder: Path) -> str:
    """`text` with the workspace's own paths written relative to it (file:// forms too)."""
    prefix = str(folder.resolve()).rstrip("/") + "/"
    return text.replace("file://" + prefix, "").replace(prefix, "")
