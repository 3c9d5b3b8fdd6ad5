"""What a preset's run should give: the expectation kept in a YAML file beside the preset, read with
file, line and column for every mistake.

A preset `events/<Function>/<name>.json` (or the shared `events/<name>.json`) stays plain event JSON;
its expectation is `<name>.expect.yaml` in the same folder. README ("Presets as tests") documents the keys.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from jsonpath_ng import parse as parse_json_path
from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .side_effects import SideEffects, parse_side_effects

SUFFIX = ".expect.yaml"
SUCCESS = "success"
ERROR = "error"
# The JSON types `type:` may name.
JSON_TYPES = ("object", "array", "string", "number", "integer", "boolean", "null")
# One assertion on a JSON path: exactly one of these keys beside `path`.
ASSERTION_KINDS = ("equals", "contains", "matches", "type")
BUDGETS = {"durationMs": "Duration", "maxMemoryUsedMB": "Max Memory Used", "costUSD": "cost per call"}
TOP_KEYS = ("outcome", "errorType", "response", "ignore", "assert", "logs", "budget", "sideEffects", "fromSeed",
            "functions")


class ExpectationError(ValueError):
    """A mistake in an expectation file; str() is 'file:line:column: message' (1-based)."""

    def __init__(self, path: Path | str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = Path(path)
        self.line = line
        self.column = column
        self.message = message


@dataclass(frozen=True)
class PathAssertion:
    """`path` (JSON path into the response) must satisfy `kind` (one of ASSERTION_KINDS) with `value`."""

    path: str
    kind: str
    value: object
    line: int = 0
    """Where it is written (1-based), so a failure can point at it."""


@dataclass(frozen=True)
class LogRule:
    """A log line that must (include) or must not (exclude) appear: a substring, or a regular expression."""

    text: str
    regex: bool = False
    line: int = 0


@dataclass(frozen=True)
class Expectation:
    outcome: str = SUCCESS
    """SUCCESS or ERROR."""
    error_type: str | None = None
    """With ERROR: the errorType the call must fail with (None: any error)."""
    response: object = None
    has_response: bool = False
    """True when `response` is given: the whole response (or error payload) compared as JSON."""
    ignore: tuple[str, ...] = ()
    """JSON paths left out of the whole-response comparison (ids, timestamps)."""
    assertions: tuple[PathAssertion, ...] = ()
    include: tuple[LogRule, ...] = ()
    exclude: tuple[LogRule, ...] = ()
    budgets: tuple[tuple[str, float], ...] = ()
    """(key of BUDGETS, limit) pairs, in file order."""
    side_effects: SideEffects | None = None
    """What the run must leave in the workspace's local AWS (core.expectations.side_effects)."""
    from_seed: bool = True
    """The case starts from the local AWS's seed state (`fromSeed: false`: from whatever the last left)."""


@dataclass(frozen=True)
class ExpectationFile:
    """One parsed file: the expectation for every function, and per-function ones that replace it."""

    path: Path
    default: Expectation | None
    """None when the file only holds per-function expectations."""
    functions: tuple[tuple[str, Expectation], ...] = field(default=())
    function_positions: tuple[tuple[str, int, int], ...] = ()
    """(function name, line, column) of each per-function key, so an unknown name can be pointed at."""

    def for_function(self, name: str) -> Expectation | None:
        return dict(self.functions).get(name, self.default)


def expectation_path(preset_path: Path) -> Path:
    """The sidecar of a preset file: events/x/new-order.json -> events/x/new-order.expect.yaml."""
    return preset_path.with_name(preset_path.name[: -len(preset_path.suffix)] + SUFFIX)


def yaml_round_trip() -> YAML:
    """The YAML reader/writer for expectation files: keeps comments and key order; block lists indented."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    return yaml


def read_yaml_text(path: Path) -> str:
    """A YAML file of the workspace's (an expectation, a scenario) as text; ExpectationError when it cannot be."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExpectationError(path, 1, 1, f"not UTF-8 text (byte {error.start + 1})") from None
    except OSError as error:
        raise ExpectationError(path, 1, 1, f"cannot be read: {error.strerror or error}") from None


def load_expectation_file(path: Path) -> ExpectationFile:
    """Read and check `path`; raises ExpectationError naming line and column."""
    return parse_expectation(read_yaml_text(path), path)


def parse_expectation(text: str, path: Path | str = "<expectation>") -> ExpectationFile:
    """Parse expectation YAML; raises ExpectationError (file, line, column) on any mistake."""
    path = Path(path)
    try:
        document = yaml_round_trip().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or str(error)
        if error.context and error.problem:
            message = f"{error.problem} ({error.context})"
        raise ExpectationError(path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                               _first_line(message)) from None
    except YAMLError as error:
        raise ExpectationError(path, 1, 1, _first_line(str(error))) from None
    if document is None:
        raise ExpectationError(path, 1, 1, "the file is empty: write at least `outcome: success`")
    reader = _Reader(path)
    root = reader.mapping(document, None, "the file")
    functions: list[tuple[str, Expectation]] = []
    positions: list[tuple[str, int, int]] = []
    if "functions" in root:
        per_function = reader.mapping(root["functions"], (root, "functions"), "functions")
        for name in per_function:
            functions.append((str(name), reader.expectation(per_function[name], (per_function, name),
                                                            allow_functions=False)))
            positions.append((str(name), *reader.position(per_function, name)))
    has_default = any(key in root for key in TOP_KEYS if key != "functions")
    default = reader.expectation(root, None, allow_functions=True) if has_default or not functions else None
    return ExpectationFile(path, default, tuple(functions), tuple(positions))


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "not valid YAML"


class _Reader:
    """Turns the YAML tree into dataclasses, raising ExpectationError at the offending node."""

    def __init__(self, path: Path) -> None:
        self.path = path

    # Where a node sits: `parent` is (container, key or index) or None for the document root.
    def _position(self, node: object, parent: tuple | None, at_key: bool = False) -> tuple[int, int]:
        if parent is not None:
            container, key = parent
            try:
                if isinstance(container, CommentedMap):
                    line, column = container.lc.key(key) if at_key else container.lc.value(key)
                    return line + 1, column + 1
                if isinstance(container, CommentedSeq):
                    line, column = container.lc.item(key)
                    return line + 1, column + 1
            except (KeyError, IndexError, TypeError):
                pass
        lc = getattr(node, "lc", None)
        if lc is not None and lc.line is not None:
            return lc.line + 1, (lc.col or 0) + 1
        return 1, 1

    def position(self, container: CommentedMap, key: object) -> tuple[int, int]:
        return self._position(container[key], (container, key), at_key=True)

    def fail(self, node: object, parent: tuple | None, message: str, at_key: bool = False) -> None:
        line, column = self._position(node, parent, at_key)
        raise ExpectationError(self.path, line, column, message)

    def mapping(self, node: object, parent: tuple | None, what: str) -> CommentedMap:
        if not isinstance(node, CommentedMap):
            self.fail(node, parent, f"{what} must be a mapping of keys to values, not {_yaml_kind(node)}")
        return node

    def sequence(self, node: object, parent: tuple | None, what: str) -> CommentedSeq:
        if not isinstance(node, CommentedSeq):
            self.fail(node, parent, f"{what} must be a list (lines starting with '- '), not {_yaml_kind(node)}")
        return node

    def string(self, node: object, parent: tuple | None, what: str) -> str:
        if not isinstance(node, str):
            self.fail(node, parent, f"{what} must be text, not {_yaml_kind(node)}")
        return str(node)

    def known_keys(self, node: CommentedMap, allowed: tuple[str, ...], what: str) -> None:
        for key in node:
            if key not in allowed:
                hint = f"; did you mean '{_closest(str(key), allowed)}'?" if _closest(str(key), allowed) else ""
                self.fail(node, (node, key), f"unknown key '{key}' in {what} (known: {', '.join(allowed)}){hint}",
                          at_key=True)

    def json_path(self, node: object, parent: tuple, what: str) -> str:
        text = self.string(node, parent, what)
        try:
            parse_json_path(text)
        except (JsonPathParserError, JsonPathLexerError, Exception) as error:  # noqa: BLE001 - lexer raises plain ones
            self.fail(node, parent, f"{what} {text!r} is not a JSON path ({_first_line(str(error))}); "
                                    "write it like $.body or $.items[0].sku")
        if not text.startswith("$"):
            self.fail(node, parent, f"{what} {text!r} must start with $ (the whole response)")
        return text

    def expectation(self, node: object, parent: tuple | None, allow_functions: bool) -> Expectation:
        where = "the file" if parent is None else f"functions.{parent[1]}"
        doc = self.mapping(node, parent, where)
        keys = TOP_KEYS if allow_functions else tuple(k for k in TOP_KEYS if k != "functions")
        self.known_keys(doc, keys, where)
        outcome = doc.get("outcome", SUCCESS)
        if outcome not in (SUCCESS, ERROR):
            self.fail(outcome, (doc, "outcome"), f"outcome must be '{SUCCESS}' or '{ERROR}', not {outcome!r}")
        error_type = None
        if "errorType" in doc:
            error_type = self.string(doc["errorType"], (doc, "errorType"), "errorType")
            if outcome != ERROR:
                if "outcome" in doc:
                    self.fail(doc, (doc, "errorType"), "errorType is given but outcome is 'success'; "
                                                       "write outcome: error", at_key=True)
                outcome = ERROR
        ignore: list[str] = []
        if "ignore" in doc:
            items = self.sequence(doc["ignore"], (doc, "ignore"), "ignore")
            ignore = [self.json_path(item, (items, i), "ignore entry") for i, item in enumerate(items)]
            if "response" not in doc:
                self.fail(doc, (doc, "ignore"), "ignore lists paths left out of `response`, "
                                                "but there is no response here", at_key=True)
        assertions = self._assertions(doc)
        include, exclude = self._logs(doc)
        side_effects = parse_side_effects(self, doc["sideEffects"], (doc, "sideEffects")) \
            if "sideEffects" in doc else None
        from_seed = doc.get("fromSeed", True)
        if not isinstance(from_seed, bool):
            self.fail(from_seed, (doc, "fromSeed"), f"fromSeed must be true or false, not {from_seed!r}")
        return Expectation(outcome=outcome, error_type=error_type, response=_plain(doc.get("response")),
                           has_response="response" in doc, ignore=tuple(ignore), assertions=assertions,
                           include=include, exclude=exclude, budgets=self._budgets(doc),
                           side_effects=side_effects, from_seed=from_seed)

    def _assertions(self, doc: CommentedMap) -> tuple[PathAssertion, ...]:
        if "assert" not in doc:
            return ()
        items = self.sequence(doc["assert"], (doc, "assert"), "assert")
        found = []
        for index, item in enumerate(items):
            entry = self.mapping(item, (items, index), f"assert entry {index + 1}")
            self.known_keys(entry, ("path",) + ASSERTION_KINDS, f"assert entry {index + 1}")
            if "path" not in entry:
                self.fail(entry, (items, index), f"assert entry {index + 1} has no path (e.g. path: $.statusCode)")
            json_path = self.json_path(entry["path"], (entry, "path"), "path")
            kinds = [k for k in ASSERTION_KINDS if k in entry]
            if len(kinds) != 1:
                self.fail(entry, (items, index), f"assert entry {index + 1} needs exactly one of "
                                                 f"{', '.join(ASSERTION_KINDS)} beside path, found "
                                                 f"{len(kinds) and ', '.join(kinds) or 'none'}")
            kind = kinds[0]
            value = _plain(entry[kind])
            if kind == "matches":
                pattern = self.string(entry[kind], (entry, kind), "matches")
                try:
                    re.compile(pattern)
                except re.error as error:
                    self.fail(entry[kind], (entry, kind), f"matches: {pattern!r} is not a regular expression "
                                                          f"({error})")
            elif kind == "type" and value not in JSON_TYPES:
                self.fail(entry[kind], (entry, kind), f"type must be one of {', '.join(JSON_TYPES)}, not {value!r}")
            line, _column = self._position(entry, (items, index))
            found.append(PathAssertion(json_path, kind, value, line))
        return tuple(found)

    def _logs(self, doc: CommentedMap) -> tuple[tuple[LogRule, ...], tuple[LogRule, ...]]:
        if "logs" not in doc:
            return (), ()
        logs = self.mapping(doc["logs"], (doc, "logs"), "logs")
        self.known_keys(logs, ("include", "exclude"), "logs")
        groups = []
        for key in ("include", "exclude"):
            rules = []
            if key in logs:
                items = self.sequence(logs[key], (logs, key), f"logs.{key}")
                for index, item in enumerate(items):
                    line, _column = self._position(item, (items, index))
                    if isinstance(item, str):
                        rules.append(LogRule(str(item), False, line))
                        continue
                    entry = self.mapping(item, (items, index), f"logs.{key} entry {index + 1}")
                    self.known_keys(entry, ("matches",), f"logs.{key} entry {index + 1}")
                    pattern = self.string(entry.get("matches"), (entry, "matches"), "matches")
                    try:
                        re.compile(pattern)
                    except re.error as error:
                        self.fail(entry["matches"], (entry, "matches"),
                                  f"matches: {pattern!r} is not a regular expression ({error})")
                    rules.append(LogRule(pattern, True, line))
            groups.append(tuple(rules))
        return groups[0], groups[1]

    def _budgets(self, doc: CommentedMap) -> tuple[tuple[str, float], ...]:
        if "budget" not in doc:
            return ()
        budget = self.mapping(doc["budget"], (doc, "budget"), "budget")
        self.known_keys(budget, tuple(BUDGETS), "budget")
        limits = []
        for key in budget:
            value = budget[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                self.fail(value, (budget, key), f"budget.{key} must be a number of 0 or more, not {value!r}")
            limits.append((str(key), float(value)))
        return tuple(limits)


def _plain(value: object) -> object:
    """ruamel's commented containers as plain dicts and lists (and its scalar subclasses as plain values)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    # Dates and other YAML-only types compare as their text, as they would be written in JSON.
    return str(value)


def _yaml_kind(node: object) -> str:
    if isinstance(node, dict):
        return "a mapping"
    if isinstance(node, list):
        return "a list"
    if node is None:
        return "nothing"
    return f"{type(node).__name__} {node!r}"


def _closest(word: str, choices: tuple[str, ...]) -> str | None:
    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None
