"""What changed between two runs: the response (and event) as a structural JSON diff, the log as a line diff,
the REPORT figures with deltas, the configuration and the code files. Pure functions over RunRecords.

The JSON diff comes from deepdiff (tree view: typed added/removed/changed items with their paths), which
knows nested dicts, lists and type changes; our layer only parses JSON the way the Response panel shows
it (numbers as written, so 19.90 and 1e400 stay themselves) and names paths the way a user reads them
(`body.total`, `items[2].sku`). A JSON string inside JSON (API Gateway's `body`) is diffed as JSON.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from deepdiff import DeepDiff

from ..lambda_rules.billing import format_cost
from .run_record import RunRecord
from ..privacy.secret_values import is_concealed
from ..lambda_rules.log_lines import INIT_REPORT_PREFIX, REPORT_PREFIX

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
_REPORT_KINDS = {
    "values_changed": CHANGED, "type_changes": CHANGED,
    "dictionary_item_added": ADDED, "iterable_item_added": ADDED,
    "dictionary_item_removed": REMOVED, "iterable_item_removed": REMOVED,
}
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")
_REQUEST_ID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
_TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
# REPORT's figures differ on every run; the Figures part compares them, with deltas.
_FIGURE = re.compile(r"(Duration|Memory Size|Memory Used): [\d.]+")
# Values new on every call: ids (a UUID, an X-Ray trace id) and times (ISO 8601, API Gateway's
# "06/Dec/2026:16:50:07 +0000"). Two runs whose values differ only there made the same answer.
_VOLATILE_TEXT = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|(?:Root=)?1-[0-9a-f]{8}-[0-9a-f]{24}(?:;.*)?"
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}", re.IGNORECASE)
# A number is a time when the last word of its key says so (requestTimeEpoch, timestamp, createdAt,
# expires_at, timeEpochMs); "update" or "count" are not.
_TIME_WORDS = frozenset({"time", "timestamp", "epoch", "date", "at"})
_UNIT_WORDS = frozenset({"ms", "millis", "seconds", "sec", "s"})


@dataclass(frozen=True)
class Change:
    """One difference at one path; values are shown as JSON text (None where there is none)."""

    path: str
    kind: str
    before: str | None = None
    after: str | None = None

    def text(self) -> str:
        where = self.path or "(whole document)"
        if self.kind == ADDED:
            return f"+ {where}: {self.after}"
        if self.kind == REMOVED:
            return f"- {where}: {self.before}"
        return f"~ {where}: {self.before} → {self.after}"


@dataclass(frozen=True)
class FigureDelta:
    name: str
    before: float | None
    after: float | None
    unit: str

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before

    def text(self) -> str:
        shown = [_figure(self.before, self.unit), _figure(self.after, self.unit)]
        line = f"{self.name}: {shown[0]} → {shown[1]}"
        delta = self.delta
        if delta:
            percent = f", {delta / self.before:+.0%}" if self.before else ""
            line += f" ({'+' if delta > 0 else '−'}{_figure(abs(delta), self.unit)}{percent})"
        return line


@dataclass(frozen=True)
class RunDiff:
    response: tuple[Change, ...]
    """Changes of the response, ids and timestamps left out unless diff_runs was asked for them."""
    response_text_differs: bool
    """The bytes differ, whatever the JSON says (e.g. 19.9 against 19.90, or key order)."""
    event: tuple[Change, ...]
    log: tuple[str, ...]
    """A unified diff of the masked logs; empty when they match."""
    figures: tuple[FigureDelta, ...]
    config: tuple[Change, ...]
    code: tuple[Change, ...]
    response_volatile: tuple[Change, ...] = ()
    """Changes of the response that are only ids or times (`requestId`, `timestamp`): left out of `response`,
    kept here (empty when diff_runs was asked to count them as differences)."""
    event_volatile: tuple[Change, ...] = ()
    """The same for the event."""

    @property
    def responses_equal(self) -> bool:
        return not self.response

    @property
    def volatile(self) -> tuple[Change, ...]:
        """Every id and time set apart, the event's under `event.`."""
        return self.response_volatile + tuple(_prefixed_path("event", change) for change in self.event_volatile)


def diff_runs(before: RunRecord, after: RunRecord, include_volatile: bool = False) -> RunDiff:
    """What changed between two runs. Ids and timestamps that differ (new on every call) are set apart in
    `volatile` unless include_volatile asks for them as differences."""
    response = diff_json(before.result.payload, after.result.payload) + _error_change(before, after)
    event = diff_json(before.event, after.event)
    response_volatile = event_volatile = ()
    if not include_volatile:
        response_volatile = tuple(c for c in response if is_volatile(c))
        event_volatile = tuple(c for c in event if is_volatile(c))
        response = tuple(c for c in response if not is_volatile(c))
        event = tuple(c for c in event if not is_volatile(c))
    return RunDiff(
        response=response,
        response_text_differs=before.result.payload != after.result.payload,
        response_volatile=response_volatile,
        event_volatile=event_volatile,
        event=event,
        log=diff_logs(before.log, after.log),
        figures=figure_deltas(before, after),
        config=diff_config(before, after),
        code=diff_code(before, after),
    )


# --- JSON ------------------------------------------------------------------------------------------

def diff_json(before: bytes | str, after: bytes | str) -> tuple[Change, ...]:
    """Added, removed and changed paths between two JSON documents (or one change when either is not JSON)."""
    left, left_ok = _parse(before)
    right, right_ok = _parse(after)
    if not (left_ok and right_ok):
        if left == right:
            return ()
        return (Change("", CHANGED, _shown(left, left_ok), _shown(right, right_ok)),)
    # threshold_to_diff_deeper=0: name each key even when the two objects share none (deepdiff would
    # otherwise call the whole object changed).
    tree = DeepDiff(_expand(left), _expand(right), view="tree", verbose_level=2, threshold_to_diff_deeper=0)
    changes = []
    for report, kind in _REPORT_KINDS.items():
        for level in tree.get(report, ()):
            changes.append(Change(json_path(level.path(output_format="list")), kind,
                                  None if kind == ADDED else _json_text(level.t1),
                                  None if kind == REMOVED else _json_text(level.t2)))
    return tuple(sorted(changes, key=lambda change: change.path))


def json_path(parts: list) -> str:
    """`body.items[2].sku` from deepdiff's path list; odd keys quoted (`headers["Content-Type"]` stays dotted)."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENTIFIER.match(str(part)):
            text += f".{part}" if text else str(part)
        else:
            text += f"[{json.dumps(str(part), ensure_ascii=False)}]"
    return text


def _parse(data: bytes | str) -> tuple[object, bool]:
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    try:
        # Numbers as written: Decimal keeps 19.90 and 1e400; NaN/Infinity stay names.
        return json.loads(text, parse_float=_Number, parse_constant=_Constant), True
    except ValueError:
        return text, False


class _Constant(str):
    """NaN / Infinity as the JSON text had them (Python's json accepts them; they are not numbers here)."""


def _expand(value: object) -> object:
    """Strings that hold a JSON object or array (API Gateway's body) become that JSON, to diff inside them."""
    if isinstance(value, dict):
        return {key: _expand(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_expand(item) for item in value]
    if isinstance(value, str) and value[:1] in ("{", "[") and not isinstance(value, _Constant):
        parsed, ok = _parse(value)
        if ok:
            return _expand(parsed)
    return value


def _json_text(value: object) -> str:
    """JSON text of a value, numbers exactly as the run's JSON wrote them."""
    numbers: list[str] = []

    def placeholder(item: object) -> object:
        if isinstance(item, _Number):
            numbers.append(item.text)
            return f"\0{len(numbers) - 1}\0"
        if isinstance(item, _Constant):
            numbers.append(str(item))
            return f"\0{len(numbers) - 1}\0"
        if isinstance(item, dict):
            return {key: placeholder(v) for key, v in item.items()}
        if isinstance(item, list):
            return [placeholder(v) for v in item]
        return item

    text = json.dumps(placeholder(value), ensure_ascii=False)
    return re.sub(r'"\\u0000(\d+)\\u0000"', lambda m: numbers[int(m.group(1))], text)


class _Number(Decimal):
    """A JSON number compared by value and shown as written (19.90 stays 19.90, 1e400 stays 1e400)."""

    def __new__(cls, text: str):
        instance = super().__new__(cls, text)
        instance.text = text
        return instance


def _shown(value: object, is_json: bool) -> str:
    return _json_text(value) if is_json else repr(value)


def counting_volatile(diff: RunDiff) -> RunDiff:
    """The same comparison with its ids and times counted as differences (what include_volatile gives)."""
    def by_path(changes):
        return tuple(sorted(changes, key=lambda change: change.path))

    return dataclasses.replace(diff, response=by_path(diff.response + diff.response_volatile),
                               event=by_path(diff.event + diff.event_volatile), response_volatile=(),
                               event_volatile=())


def is_volatile(change: Change) -> bool:
    """A change of an id or a time to another id or time: both values are a UUID, a trace id or a timestamp,
    or numbers under a key that names a time."""
    if change.kind != CHANGED or change.before is None or change.after is None:
        return False
    before, after = _loaded(change.before), _loaded(change.after)
    if isinstance(before, str) and isinstance(after, str):
        return bool(_VOLATILE_TEXT.fullmatch(before) and _VOLATILE_TEXT.fullmatch(after))
    numbers = (int, float, Decimal)
    if isinstance(before, numbers) and isinstance(after, numbers) and not isinstance(before, bool):
        key = re.split(r"[.\[\]\"]+", change.path.strip("]\""))[-1] if change.path else ""
        words = [word.lower() for word in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", key)]
        while len(words) > 1 and words[-1] in _UNIT_WORDS:
            words.pop()
        return bool(words) and words[-1] in _TIME_WORDS and (words[-1] != "at" or len(words) > 1)
    return False


def _loaded(text: str) -> object:
    try:
        return json.loads(text, parse_float=Decimal)
    except ValueError:
        return None


def _prefixed_path(prefix: str, change: Change) -> Change:
    return dataclasses.replace(change, path=f"{prefix}.{change.path}" if change.path else prefix)


def _error_change(before: RunRecord, after: RunRecord) -> tuple[Change, ...]:
    """A success turned failure is a change even when both payloads are, say, null."""
    was, now = before.result.error_type, after.result.error_type
    if was == now or before.result.payload != after.result.payload:
        return ()
    return (Change("(error type)", CHANGED, json.dumps(was), json.dumps(now)),)


# --- Log -------------------------------------------------------------------------------------------

def mask_log_line(line: str) -> str:
    """A log line with what differs on every run masked: request ids, timestamps, REPORT figures."""
    line = _REQUEST_ID.sub("<request-id>", line)
    line = _TIMESTAMP.sub("<time>", line)
    if line.startswith((REPORT_PREFIX, INIT_REPORT_PREFIX)):
        line = _FIGURE.sub(lambda m: f"{m.group(1)}: #", line)
    return line


def diff_logs(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[str, ...]:
    lines = difflib.unified_diff([mask_log_line(line) for line in before], [mask_log_line(line) for line in after],
                                 "before", "after", lineterm="", n=2)
    return tuple(lines)


# --- Figures, configuration, code ------------------------------------------------------------------

def figure_deltas(before: RunRecord, after: RunRecord) -> tuple[FigureDelta, ...]:
    one, two = before.result, after.result
    return (
        FigureDelta("Duration", one.duration_ms, two.duration_ms, "ms"),
        FigureDelta("Billed Duration", one.billed_duration_ms, two.billed_duration_ms, "ms"),
        FigureDelta("Init Duration", one.init_duration_ms, two.init_duration_ms, "ms"),
        FigureDelta("Memory Size", one.memory_size_mb, two.memory_size_mb, "MB"),
        FigureDelta("Max Memory Used", one.max_memory_used_mb, two.max_memory_used_mb, "MB"),
        FigureDelta("Cost", one.cost_usd, two.cost_usd, "USD"),
    )


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "USD":
        return format_cost(value)
    if unit == "MB" or float(value).is_integer():
        return f"{value:g} {unit}"
    return f"{value:.2f} {unit}"


_CONFIG_FIELDS = ("handler", "runtime", "memory_mb", "timeout_s", "architecture", "interpreter", "code_dir")


def diff_config(before: RunRecord, after: RunRecord) -> tuple[Change, ...]:
    """Changed settings, then each variable added, removed or changed (hidden secrets only say so)."""
    one, two = dataclasses.asdict(before.config), dataclasses.asdict(after.config)
    changes = [Change(name, CHANGED, json.dumps(one[name]), json.dumps(two[name]))
               for name in _CONFIG_FIELDS if one[name] != two[name]]
    env_before, env_after = before.config.env_dict(), after.config.env_dict()
    for name in sorted(set(env_before) | set(env_after)):
        was, now = env_before.get(name), env_after.get(name)
        if was == now:
            continue
        path = f"environment.{name}"
        if was is None:
            changes.append(Change(path, ADDED, after=_env_shown(now)))
        elif now is None:
            changes.append(Change(path, REMOVED, before=_env_shown(was)))
        else:
            changes.append(Change(path, CHANGED, _env_shown(was), _env_shown(now)))
    return tuple(changes)


def _env_shown(value: str) -> str:
    return "(hidden)" if is_concealed(value) else json.dumps(value, ensure_ascii=False)


def diff_code(before: RunRecord, after: RunRecord) -> tuple[Change, ...]:
    """Which code files were added, removed or changed (size or modification time) between the runs."""
    one = {f.path: f for f in before.code_files}
    two = {f.path: f for f in after.code_files}
    changes = []
    for path in sorted(set(one) | set(two)):
        if path not in one:
            changes.append(Change(path, ADDED, after=f"{two[path].size} bytes"))
        elif path not in two:
            changes.append(Change(path, REMOVED, before=f"{one[path].size} bytes"))
        elif one[path] != two[path]:
            changes.append(Change(path, CHANGED, f"{one[path].size} bytes", f"{two[path].size} bytes"))
    if not changes and before.code_fingerprint != after.code_fingerprint:
        changes.append(Change("(code folder)", CHANGED, before.code_fingerprint, after.code_fingerprint))
    return tuple(changes)


# --- As text (the command line, Copy) --------------------------------------------------------------

def volatile_note(diff: RunDiff) -> str:
    """`2 ids and times differ, not counted: requestId, event.headers.X-Amzn-Trace-Id`."""
    count = len(diff.volatile)
    paths = ", ".join(change.path for change in diff.volatile[:4]) + (", …" if count > 4 else "")
    return f"{count} id{'s' if count != 1 else ''} and time{'s' if count != 1 else ''} differ, not counted: {paths}"


def diff_text(diff: RunDiff, before_id: str = "before", after_id: str = "after") -> list[str]:
    """The whole comparison as lines, section by section."""
    lines = [f"Response ({before_id} → {after_id}):"]
    if diff.response:
        lines += [f"  {change.text()}" for change in diff.response]
    elif diff.response_text_differs and not diff.volatile:
        lines.append("  same JSON value, written differently")
    else:
        lines.append("  equal")
    if diff.volatile:
        lines.append(f"  ({volatile_note(diff)})")
    for title, changes in (("Event", diff.event), ("Configuration", diff.config), ("Code", diff.code)):
        lines.append(f"{title}:")
        lines += [f"  {change.text()}" for change in changes] or ["  unchanged"]
    lines.append("Figures:")
    lines += [f"  {figure.text()}" for figure in diff.figures]
    lines.append("Log (request ids and times masked):")
    lines += [f"  {line}" for line in diff.log] or ["  same lines"]
    return lines
