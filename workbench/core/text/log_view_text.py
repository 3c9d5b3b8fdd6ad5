"""How a log line reads in the Logs panel: its style (platform, warning, error) and its shown text."""

from __future__ import annotations

import re

from ..lambda_rules.log_lines import is_platform_line
from ..function.stack_frames import FOLDED_WARNING, WARNING_MARK

# Longer lines are cut in the view only, so one huge JSON line cannot stall the layout.
VIEW_LINE_CHARS = 10_000

PLAIN, PLATFORM, PLATFORM_FAILED, WARNING, ERROR = range(5)

_JSON_LEVEL = re.compile(r'"(?:log_)?level"\s*:\s*"(ERROR|FATAL|CRITICAL|WARN|WARNING)"')
_ERROR_PREFIXES = ("[ERROR]", "[CRITICAL]", "Traceback (most recent call last):")
_PLAIN_PREFIXES = ("[INFO]", "[DEBUG]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def line_kind(line: str) -> int:
    """How a log event is styled: platform, failed platform, warning, error or plain."""
    # Called for every line of a stream: the common cases leave after a few C-level checks.
    if is_platform_line(line):
        return PLATFORM_FAILED if "\tStatus: " in line else PLATFORM
    if line.startswith(_ERROR_PREFIXES):
        return ERROR
    if line.startswith(_PLAIN_PREFIXES):
        return PLAIN
    if line.startswith("[WARNING]"):
        return WARNING
    # Node's text format: <timestamp>\t<request id>\t<LEVEL>\t<message>.
    if "\tERROR\t" in line or "\tWARN\t" in line or "\tFATAL\t" in line:
        fields = line.split("\t", 3)
        if len(fields) > 3 and fields[2] in ("ERROR", "FATAL", "WARN"):
            return WARNING if fields[2] == "WARN" else ERROR
    if line.startswith("{"):
        level = _JSON_LEVEL.search(line, 0, 400)
        if level:
            return WARNING if level.group(1).startswith("WARN") else ERROR
    if " Task timed out after " in line or (line.startswith("RequestId: ") and " Error: " in line):
        return ERROR
    return PLAIN


def view_text(line: str, prefix: str = "") -> str:
    """One event as one block: the runtime's '\\r' between an event's lines becomes a line separator.

    The workspace's own paths (`prefix`) read relative to it, and the Python runtime's long
    LAMBDA_WARNING notice is folded to its first sentence, so the error below it is what one reads.
    """
    if prefix and prefix in line:
        line = line.replace("file://" + prefix, "").replace(prefix, "")
    if WARNING_MARK in line:
        before, notice = line[: line.index(WARNING_MARK)], line[line.index(WARNING_MARK):]
        line = before + FOLDED_WARNING + ("\r" + notice.split("\r", 1)[1] if "\r" in notice else "")
    if len(line) > VIEW_LINE_CHARS:
        line = f"{line[:VIEW_LINE_CHARS]} … [{len(line) - VIEW_LINE_CHARS:,} more characters: Copy or Save the log]"
    if "\r" in line or "\n" in line:
        line = line.rstrip("\r\n").replace("\r\n", "\u2028").replace("\r", "\u2028").replace("\n", "\u2028")
    return line
