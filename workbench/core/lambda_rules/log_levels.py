"""The level of a log line as Lambda's runtimes write it (Python's [LEVEL], Node's tab fields, JSON logs)."""

from __future__ import annotations

import re

# Most severe first; a filter at one level shows it and everything above it.
LEVELS = ("ERROR", "WARN", "INFO", "DEBUG")

_JSON_LEVEL = re.compile(r'"(?:log_)?level"\s*:\s*"([A-Z]+)"', re.IGNORECASE)
_ALIASES = {"FATAL": "ERROR", "CRITICAL": "ERROR", "WARNING": "WARN", "TRACE": "DEBUG"}


def log_level(line: str) -> str | None:
    """ERROR, WARN, INFO or DEBUG when the line carries a level; None for prints and platform lines."""
    if line.startswith("["):
        # Python's runtime format: [LEVEL]\t<timestamp>\t<request id>\t<message>
        word = line[1:line.find("]")] if "]" in line[:12] else ""
        level = _ALIASES.get(word, word)
        if level in LEVELS:
            return level
    if "\t" in line:
        # Node's text format: <timestamp>\t<request id>\t<LEVEL>\t<message>
        fields = line.split("\t", 3)
        if len(fields) > 3:
            level = _ALIASES.get(fields[2], fields[2])
            if level in LEVELS:
                return level
    if line.startswith("{"):
        match = _JSON_LEVEL.search(line, 0, 400)
        if match:
            word = match.group(1).upper()
            level = _ALIASES.get(word, word)
            return level if level in LEVELS else None
    if line.startswith("Traceback (most recent call last):"):
        return "ERROR"
    return None


def shown_at(level: str | None, threshold: str | None) -> bool:
    """Whether a line of `level` passes a filter at `threshold` (None: everything).

    A line without a level (a print, a platform line) counts as INFO, as Lambda's JSON log format
    records a print.
    """
    if threshold is None:
        return True
    return LEVELS.index(level or "INFO") <= LEVELS.index(threshold)
