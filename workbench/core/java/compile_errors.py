"""javac's messages as the workbench shows them: `File.java:LINE:COLUMN: error: ...`, the column read from
the caret line javac prints under the source line, so the editor can mark the exact place."""

from __future__ import annotations

import re

_HEADER = re.compile(r"^(?P<path>.+?\.java):(?P<line>\d+): (?P<kind>error|warning): (?P<message>.*)$")
COMPILE_ERROR_TYPE = "Java.CompilationError"


def with_columns(output: str) -> str:
    """javac's output with each diagnostic's column added after its line number (1-based, from the caret)."""
    lines = output.splitlines()
    result = []
    for index, line in enumerate(lines):
        match = _HEADER.match(line)
        if match:
            column = None
            for follower in lines[index + 1:index + 4]:
                if follower.strip() == "^":
                    column = follower.index("^") + 1
                    break
            if column is not None:
                line = f"{match['path']}:{match['line']}:{column}: {match['kind']}: {match['message']}"
        result.append(line)
    return "\n".join(result)
