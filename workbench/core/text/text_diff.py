"""The difference between two versions of a text, as a unified diff (difflib), for a person to read."""

from __future__ import annotations

import difflib


def unified_difference(theirs: str, mine: str, name: str, context: int = 3) -> str:
    """What changes if `mine` replaces `theirs` (on disk), in unified format; "" when they are equal."""
    lines = difflib.unified_diff(theirs.splitlines(keepends=True), mine.splitlines(keepends=True),
                                 fromfile=f"{name} (on disk)", tofile=f"{name} (yours, unsaved)",
                                 n=context)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
