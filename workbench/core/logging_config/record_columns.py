"""A JSON log line read into the columns the log view shows: time, level, message."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .filtering import PLATFORM_RECORD_LEVELS

# Keys the runtimes and common loggers use for each column, first match wins.
_TIME_KEYS = ("timestamp", "time", "@timestamp")
_MESSAGE_KEYS = ("message", "msg", "errorMessage")


@dataclass(frozen=True)
class RecordColumns:
    time: str
    level: str
    message: str
    record: dict | None
    """The parsed object; None for a line that is not a JSON object (a print, a text record)."""


def record_columns(line: str) -> RecordColumns:
    """Time, level and message of one log line. A platform record shows its type and request id as the
    message; a line that is no JSON object is all message."""
    document = None
    if line.startswith("{"):
        try:
            document = json.loads(line)
        except ValueError:
            document = None
    if not isinstance(document, dict):
        return RecordColumns("", "", line, None)
    time = next((str(document[key]) for key in _TIME_KEYS if key in document), "")
    kind = document.get("type")
    if isinstance(kind, str) and kind.startswith("platform.") and isinstance(document.get("record"), dict):
        record = document["record"]
        words = [kind] + [f"{key}={record[key]}" for key in ("requestId", "status", "errorType") if key in record]
        if isinstance(record.get("metrics"), dict) and "durationMs" in record["metrics"]:
            words.append(f"durationMs={record['metrics']['durationMs']}")
        return RecordColumns(time, PLATFORM_RECORD_LEVELS.get(kind, "INFO"), " ".join(words), document)
    level = document.get("level")
    message = next((document[key] for key in _MESSAGE_KEYS if key in document), "")
    if not isinstance(message, str):
        message = json.dumps(message, ensure_ascii=False)
    return RecordColumns(time, str(level) if level is not None else "", message.replace("\n", " ⏎ "), document)
