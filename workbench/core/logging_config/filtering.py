"""Which log events Lambda keeps at the configured levels (JSON log format only).

Application logs: "your function code must output log events to stdout or stderr as JSON formatted
objects that contain a key value pair with the key "level"" ... "If the "level" value field is invalid
or missing, Lambda will assign the log output the level INFO"; "Lambda assigns the log level INFO to log
messages without a level" (Lambda guide, "Log-level filtering"). The runtimes' own names for levels
(Python's WARNING and CRITICAL) are read as the Lambda level they stand for, as the runtime client's
JSON formatter writes them.
"""

from __future__ import annotations

import json

from .settings import APPLICATION_LOG_LEVELS, SYSTEM_LOG_LEVELS

_SYNONYMS = {"WARNING": "WARN", "CRITICAL": "FATAL"}

# The system log level of each platform record. The guide's table ("Event mapping for system log level")
# puts platform.start, platform.report and the init records at INFO, so the default (INFO) shows the
# START and REPORT of every call; the runtime-done records are DEBUG. The init rows follow the same
# reading of that table and were not checked against a deployed function.
PLATFORM_RECORD_LEVELS = {
    "platform.initStart": "INFO",
    "platform.initRuntimeDone": "DEBUG",
    "platform.initReport": "INFO",
    "platform.start": "INFO",
    "platform.runtimeDone": "DEBUG",
    "platform.report": "INFO",
}


def application_level(line: str) -> str:
    """The level Lambda gives one line the function wrote: its JSON "level" when that names a level,
    else INFO."""
    if not line.startswith("{"):
        return "INFO"
    try:
        document = json.loads(line)
    except ValueError:
        return "INFO"
    word = document.get("level") if isinstance(document, dict) else None
    if not isinstance(word, str):
        return "INFO"
    word = word.upper()
    word = _SYNONYMS.get(word, word)
    return word if word in APPLICATION_LOG_LEVELS else "INFO"


def keeps_application_line(line: str, threshold: str | None) -> bool:
    """Whether Lambda sends a line at `threshold` (None: Text format, everything is sent)."""
    if threshold is None:
        return True
    return APPLICATION_LOG_LEVELS.index(application_level(line)) >= APPLICATION_LOG_LEVELS.index(threshold)


def keeps_platform_record(record_type: str, threshold: str | None) -> bool:
    """Whether Lambda sends a platform record of `record_type` at system level `threshold`."""
    if threshold is None:
        return True
    level = PLATFORM_RECORD_LEVELS.get(record_type, "INFO")
    return SYSTEM_LOG_LEVELS.index(level) >= SYSTEM_LOG_LEVELS.index(threshold)
