"""One log line as a person reads it: level, a short time, then the message; the request id only where it is
not the run's own. The raw line stays the truth (Copy, Save, search filters and the raw view use it).

The shapes read are the runtimes' own (Lambda guide, "Using Lambda advanced logging controls"):
  Python text   [INFO]\t2026-12-06T16:50:07.290Z\t<request id>\t<message>
  Python error  [ERROR] ValueError: bad order\rTraceback (most recent call last):\r…
  Node.js text  2026-12-06T16:50:07.290Z\t<request id>\tINFO\t<message>
  JSON          {"timestamp": …, "level": "INFO", "message": …, "requestId": …} (and platform.* records)
  platform      START / END / REPORT / INIT_REPORT with TAB-separated fields
"""

from __future__ import annotations

import json
import re
from ..lambda_rules.log_lines import END_PREFIX, INIT_REPORT_PREFIX, INIT_START_PREFIX, REPORT_PREFIX, START_PREFIX

# Levels as read: the same width, so the messages line up.
_LEVEL_WORDS = {"WARNING": "WARN", "CRITICAL": "CRIT"}
_LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "CRITICAL")
LEVEL_WIDTH = 5
# A JSON line longer than this is shown raw: parsing it would cost more than reading it gains.
_JSON_READ_CHARS = 65_536
_TIME = r"\d{4}-\d{2}-\d{2}T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z?"
_PYTHON_TEXT = re.compile(r"\[([A-Z]+)\]\t" + _TIME + r"\t([^\t]*)\t")
_PYTHON_ERROR = re.compile(r"\[(ERROR|CRITICAL|FATAL)\] ")
_NODE_TEXT = re.compile(_TIME + r"\t([^\t]*)\t([A-Z]+)\t")
# The platform's timeout line: "<time> <request id> Task timed out after 3.00 seconds".
_SPACED = re.compile(_TIME + r" ([0-9a-f-]{36}) ")
_SEPARATOR = " · "
# JSON keys shown in the reading's head or dropped as noise; any other key follows the message.
_HEAD_KEYS = {"timestamp", "time", "@timestamp", "level", "log_level", "message", "msg", "requestId",
              "errorMessage", "errorType", "stackTrace", "stack", "type"}


def short_time(iso_time: str) -> str:
    """`2026-12-06T16:50:07.290Z` -> `16:50:07.290` (UTC, as Lambda writes it); '' when it is no such time."""
    match = re.fullmatch(_TIME, iso_time)
    return match.group(1)[:12] if match else ""


def read_line(line: str, run_request_id: str = "") -> str:
    """How `line` reads: `INFO  16:50:07.290 Order 42 accepted`. A line in no known shape is returned as is.

    `run_request_id` is the request id of the run the line belongs to (its START names it); a line of
    another request keeps a short tag of its id, so nothing that tells lines apart is lost.
    """
    if line.startswith(START_PREFIX):
        return line.split("\t", 1)[0]
    if line.startswith(END_PREFIX):
        return "END"
    if line.startswith(REPORT_PREFIX):
        fields = [field for field in line.split("\t")[1:] if field]
        return "REPORT " + _SEPARATOR.join(fields)
    if line.startswith((INIT_REPORT_PREFIX, INIT_START_PREFIX)):
        return _SEPARATOR.join(field for field in line.split("\t") if field)
    match = _PYTHON_TEXT.match(line)
    if match and match.group(1) in _LEVELS:
        return _head(match.group(1), match.group(2), match.group(3), run_request_id) + line[match.end():]
    match = _NODE_TEXT.match(line)
    if match and match.group(3) in _LEVELS:
        return _head(match.group(3), match.group(1), match.group(2), run_request_id) \
            + _node_message(line[match.end():])
    match = _PYTHON_ERROR.match(line)
    if match:
        return _level(match.group(1)) + " " + line[match.end():]
    if line.startswith("{") and line.rstrip().endswith("}") and len(line) <= _JSON_READ_CHARS:
        return _read_json(line, run_request_id)
    match = _SPACED.match(line)
    if match:
        return _head("", match.group(1), match.group(2), run_request_id) + line[match.end():]
    return line


def _level(word: str) -> str:
    return _LEVEL_WORDS.get(word, word).ljust(LEVEL_WIDTH)


def _head(level: str, time: str, request_id: str, run_request_id: str) -> str:
    parts = [_level(level)] if level else []
    parts.append(time[:12])
    if request_id and request_id not in (run_request_id, "None", "undefined"):
        parts.append(f"[{request_id[:8]}]")
    return " ".join(parts) + " "


def _node_message(message: str) -> str:
    """Node.js's `Invoke Error \\t{json}`: the error's type, message and stack, one frame a line."""
    if message.startswith("Invoke Error") and "\t{" in message:
        try:
            error = json.loads(message.split("\t", 1)[1])
        except ValueError:
            return message
        if isinstance(error, dict):
            return "Invoke Error — " + _error_text(error)
    return message


def _error_text(error: dict) -> str:
    """`Type: message` and the stack below it (a Node.js stack repeats the message in its first entry)."""
    head = ": ".join(str(error[key]) for key in ("errorType", "errorMessage") if key in error)
    stack = error.get("stackTrace", error.get("stack"))
    if isinstance(stack, list):
        frames = [str(frame).rstrip("\n") for frame in stack]
        if frames and head and frames[0] == head:
            frames = frames[1:]
        if frames:
            return head + "\n" + "\n".join(frames)
    return head


def _read_json(line: str, run_request_id: str) -> str:
    try:
        record = json.loads(line)
    except ValueError:
        return line
    if not isinstance(record, dict):
        return line
    kind = record.get("type")
    if isinstance(kind, str) and kind.startswith("platform.") and isinstance(record.get("record"), dict):
        return _read_platform(kind, record["record"])
    level = record.get("level", record.get("log_level"))
    time = next((record[key] for key in ("timestamp", "time", "@timestamp") if isinstance(record.get(key), str)), "")
    short = short_time(time)
    if not isinstance(level, str) and not short:
        return line  # a JSON document the function printed, not a log record: it reads best as written
    message = record.get("message", record.get("msg"))
    if isinstance(message, dict) and ("errorType" in message or "errorMessage" in message):
        text = _error_text(message)
    elif "errorType" in record or "errorMessage" in record:
        text = _error_text(record)
    elif isinstance(message, str):
        text = message
    elif message is None:
        text = ""
    else:
        text = json.dumps(message, ensure_ascii=False)
    extras = {key: value for key, value in record.items() if key not in _HEAD_KEYS
              and not (key == "logger" and value == "root")}
    if extras:
        text += "  " + " ".join(f"{key}={json.dumps(value, ensure_ascii=False)}" for key, value in extras.items())
    request_id = record.get("requestId")
    head = _head(level.upper() if isinstance(level, str) else "", short or "",
                 request_id if isinstance(request_id, str) else "", run_request_id)
    return head + text


def _read_platform(kind: str, record: dict) -> str:
    """platform.* records read as the Text format's lines do (START with its request id, REPORT's figures)."""
    if kind == "platform.start":
        return f"{START_PREFIX}{record.get('requestId', '')} Version: {record.get('version', '$LATEST')}"
    if kind == "platform.report":
        metrics = record.get("metrics") if isinstance(record.get("metrics"), dict) else {}
        names = (("durationMs", "Duration", "ms"), ("billedDurationMs", "Billed Duration", "ms"),
                 ("memorySizeMB", "Memory Size", "MB"), ("maxMemoryUsedMB", "Max Memory Used", "MB"),
                 ("initDurationMs", "Init Duration", "ms"))
        fields = [f"{name}: {metrics[key]} {unit}" for key, name, unit in names if key in metrics]
        if record.get("status") not in (None, "success"):
            fields.append(f"Status: {record['status']}")
        if record.get("errorType"):
            fields.append(f"Error Type: {record['errorType']}")
        return "REPORT " + _SEPARATOR.join(fields)
    words = [key + "=" + (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
             for key, value in record.items() if key not in ("requestId", "functionArn")]
    return kind + " " + " ".join(words)
