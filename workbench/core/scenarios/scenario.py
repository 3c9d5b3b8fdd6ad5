"""A scenario: a test case that follows an event through the workspace. From the seed state of its local AWS,
one action (an HTTP call to the front door, an object put, an item written, a message sent), then what must
have happened: the runs it set off (function, source, count, status) and what they left (sideEffects, as in
an expectation file: emails, objects, items, queue messages). Scenario files live in the workspace's
`scenarios/` folder, one per file (`scenarios/place-order.yaml`):

    description: A new order through the front door is confirmed by email, through two functions
    action:
      http: {method: POST, path: /orders, body: {order_id: ORD-1001, ...}}
      # or  object:  {bucket: OrderUploads, key: orders/ORD-1.json, content: {...}}   (a mapping is sent as JSON)
      # or  item:    {table: Orders, item: {order_id: ORD-1, ...}}                    (plain JSON values)
      # or  message: {queue: Jobs, body: "..."}
    expect:
      status: 201                           # the front door's answer (http only)
      runs:
        - {function: PlaceOrder, source: serve}
        - {function: OrderConfirmation, source: dynamodb, count: 1, status: success}
      sideEffects:
        emails: [{to: maria.garcia@example.com, subject: Your order ORD-1001 is confirmed}]
    waitSeconds: 10                         # how long the runs may take to come (default 10)
    fromSeed: true                          # start from the seed state (the default)

Pure: the file is read into a frozen Scenario (an ExpectationError names file, line and column on a mistake);
scenario_check judges what was observed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..expectations.expectation import ExpectationError, _plain, _Reader, read_yaml_text, yaml_round_trip
from ..expectations.side_effects import SideEffects, parse_side_effects
from ..vocabulary import RunSource

FOLDER = "scenarios"
SUFFIXES = (".yaml", ".yml")
ACTIONS = ("http", "object", "item", "message")
_ACTION_KEYS = {"http": ("method", "path", "body", "headers"), "object": ("bucket", "key", "content"),
                "item": ("table", "item"), "message": ("queue", "body")}
_ACTION_REQUIRED = {"http": ("path",), "object": ("bucket", "key"), "item": ("table", "item"),
                    "message": ("queue", "body")}
_TOP = ("description", "action", "expect", "waitSeconds", "fromSeed")
_EXPECT = ("status", "runs", "sideEffects")
_RUN = ("function", "source", "count", "status")
RUN_STATUSES = ("success", "error")
DEFAULT_WAIT_S = 10.0


@dataclass(frozen=True)
class Action:
    kind: str
    """One of ACTIONS."""
    fields: tuple[tuple[str, object], ...]

    def get(self, name: str, default: object = None) -> object:
        return dict(self.fields).get(name, default)

    def payload(self, name: str) -> bytes:
        """A body or content as sent: a mapping or list as JSON, text as it is."""
        value = self.get(name, "")
        return (value if isinstance(value, str) else json.dumps(value)).encode()

    def words(self) -> str:
        if self.kind == "http":
            return f"{str(self.get('method', 'POST')).upper()} {self.get('path')}"
        if self.kind == "object":
            return f"put {self.get('bucket')}/{self.get('key')}"
        if self.kind == "item":
            return f"item written to {self.get('table')}"
        return f"message sent to {self.get('queue')}"


@dataclass(frozen=True)
class ExpectedRun:
    function: str
    source: str | None = None
    count: int | None = None
    """Exactly this many runs; None: at least one."""
    status: str = "success"
    line: int = 0


@dataclass(frozen=True)
class Scenario:
    name: str
    path: Path
    description: str
    action: Action
    runs: tuple[ExpectedRun, ...] = ()
    status: int | None = None
    status_line: int = 0
    side_effects: SideEffects | None = None
    wait_s: float = DEFAULT_WAIT_S
    from_seed: bool = True

    @property
    def functions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(run.function for run in self.runs))


def scenario_files(folder: Path) -> list[Path]:
    base = Path(folder) / FOLDER
    if not base.is_dir():
        return []
    return sorted(path for path in base.iterdir() if path.suffix in SUFFIXES and path.is_file())


def load_scenario(path: Path) -> Scenario:
    return parse_scenario(read_yaml_text(path), path)


def parse_scenario(text: str, path: Path | str = "<scenario>") -> Scenario:
    path = Path(path)
    try:
        document = yaml_round_trip().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise ExpectationError(path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                               (error.problem or str(error)).strip().splitlines()[0]) from None
    except YAMLError as error:
        raise ExpectationError(path, 1, 1, str(error).strip().splitlines()[0]) from None
    reader = _Reader(path)
    root = reader.mapping(document, None, "a scenario")
    reader.known_keys(root, _TOP, "a scenario")
    if "action" not in root:
        reader.fail(root, None, "a scenario needs an action: http, object, item or message")
    if "expect" not in root:
        reader.fail(root, None, "a scenario needs expect: (runs, sideEffects, status)")
    action = _action(reader, root)
    expect = reader.mapping(root["expect"], (root, "expect"), "expect")
    reader.known_keys(expect, _EXPECT, "expect")
    runs = _runs(reader, expect)
    status, status_line = None, 0
    if "status" in expect:
        if action.kind != "http" or not isinstance(expect["status"], int) or isinstance(expect["status"], bool):
            reader.fail(expect["status"], (expect, "status"), "expect.status is the front door's HTTP status "
                                                                "(a number), for an http action")
        status, status_line = int(expect["status"]), reader.position(expect, "status")[0]
    effects = parse_side_effects(reader, expect["sideEffects"], (expect, "sideEffects")) \
        if "sideEffects" in expect else None
    if not runs and effects is None and status is None:
        reader.fail(expect, (root, "expect"), "expect names nothing to check: give runs, sideEffects or status")
    wait = root.get("waitSeconds", DEFAULT_WAIT_S)
    if not isinstance(wait, (int, float)) or isinstance(wait, bool) or not 0 < wait <= 900:
        reader.fail(wait, (root, "waitSeconds"), "waitSeconds must be a number of seconds, more than 0, at most 900")
    from_seed = root.get("fromSeed", True)
    if not isinstance(from_seed, bool):
        reader.fail(from_seed, (root, "fromSeed"), "fromSeed must be true or false")
    description = root.get("description", "")
    return Scenario(path.stem, path, str(description or ""), action, runs, status, status_line, effects,
                    float(wait), from_seed)


def _action(reader: _Reader, root) -> Action:
    node = reader.mapping(root["action"], (root, "action"), "action")
    kinds = [kind for kind in node if kind in ACTIONS]
    reader.known_keys(node, ACTIONS, "action")
    if len(kinds) != 1:
        reader.fail(node, (root, "action"), "action must be exactly one of: " + ", ".join(ACTIONS))
    kind = kinds[0]
    fields = reader.mapping(node[kind], (node, kind), f"action.{kind}")
    reader.known_keys(fields, _ACTION_KEYS[kind], f"action.{kind}")
    for name in _ACTION_REQUIRED[kind]:
        if name not in fields:
            reader.fail(fields, (node, kind), f"action.{kind} has no {name}")
    if kind == "item" and not isinstance(fields["item"], dict):
        reader.fail(fields["item"], (fields, "item"), "action.item.item must be a mapping of attributes to values")
    if kind == "http" and not str(fields["path"]).startswith("/"):
        reader.fail(fields["path"], (fields, "path"), "action.http.path must start with /")
    return Action(kind, tuple((str(key), _plain(value)) for key, value in fields.items()))


def _runs(reader: _Reader, expect) -> tuple[ExpectedRun, ...]:
    if "runs" not in expect:
        return ()
    items = reader.sequence(expect["runs"], (expect, "runs"), "expect.runs")
    found = []
    for index, item in enumerate(items):
        what = f"expect.runs entry {index + 1}"
        entry = reader.mapping(item, (items, index), what)
        reader.known_keys(entry, _RUN, what)
        if "function" not in entry:
            reader.fail(entry, (items, index), f"{what} has no function")
        source = entry.get("source")
        if source is not None and source not in RunSource.ALL:
            reader.fail(source, (entry, "source"), f"{what}: source must be one of {', '.join(RunSource.ALL)}")
        count = entry.get("count")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
            reader.fail(count, (entry, "count"), f"{what}: count must be a whole number, 0 or more")
        status = entry.get("status", "success")
        if status not in RUN_STATUSES:
            reader.fail(status, (entry, "status"), f"{what}: status must be success or error")
        found.append(ExpectedRun(str(entry["function"]), source, count, status, reader.position(items, index)[0]))
    return tuple(found)
