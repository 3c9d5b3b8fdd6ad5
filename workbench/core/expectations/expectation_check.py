"""Whether a run met its expectation: every difference, in a stable order, the first one named for a summary.

Pure: a result, its log lines and an Expectation (or None) in, a Verdict out.
"""

from __future__ import annotations

import copy
import json
import os
import re
from dataclasses import dataclass

from deepdiff import DeepDiff
from jsonpath_ng import parse as parse_json_path

from ..lambda_rules.billing import format_cost
from .expectation import BUDGETS, ERROR, Expectation, LogRule, PathAssertion
from ..function.invocation_result import InvocationResult
from .side_effects import ObservedEffects, side_effect_problems

_SHOWN_CHARACTERS = 80


@dataclass(frozen=True)
class Difference:
    """One way the run differs from its expectation."""

    where: str
    """What was checked: "outcome", "response $.body", "assert $.statusCode", "logs", "budget durationMs"."""
    message: str
    line: int = 0
    """Line of the expectation file that says it (0 when there is no file)."""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Verdict:
    differences: tuple[Difference, ...]

    @property
    def passed(self) -> bool:
        return not self.differences

    @property
    def first(self) -> str:
        """The first difference, and how many more: "" when the run passed."""
        if not self.differences:
            return ""
        more = len(self.differences) - 1
        return str(self.differences[0]) + (f" (and {more} more)" if more else "")


def response_document(result: InvocationResult) -> tuple[bool, object]:
    """(parsed, value): the response or error payload as JSON, or its text when it is not JSON."""
    try:
        return True, json.loads(result.payload)
    except (ValueError, RecursionError):  # nested deeper than can be compared: compared as text
        return False, result.payload_text()


def evaluate(expectation: Expectation | None, result: InvocationResult, log: list[str] | tuple[str, ...],
             observed: ObservedEffects | None = None) -> Verdict:
    """Every difference between the run and the expectation; without one, a run passes when it succeeded.
    `observed`: what the workspace's local AWS held after the run; None: the side effects are not judged (a
    verdict on the response alone, as when a saved run is judged again)."""
    if expectation is None:
        return Verdict(() if result.succeeded else (
            Difference("outcome", f"expected success (no expectation file), got {_failure_text(result)}"),))
    differences = _outcome(expectation, result)
    _parsed, document = response_document(result)
    if expectation.has_response:
        differences += _whole_response(expectation, document)
    for assertion in expectation.assertions:
        differences += _assertion(assertion, document)
    differences += _logs(expectation.include, expectation.exclude, log)
    differences += _budgets(expectation.budgets, result)
    if expectation.side_effects is not None and observed is not None:
        differences += [Difference(where, message, line)
                        for where, message, line in side_effect_problems(expectation.side_effects, observed)]
    return Verdict(tuple(differences))


# --- The checks ----------------------------------------------------------------------------------

def _outcome(expectation: Expectation, result: InvocationResult) -> list[Difference]:
    if expectation.outcome == ERROR:
        if result.succeeded:
            wanted = expectation.error_type or "an error"
            return [Difference("outcome", f"expected {wanted}, but the function succeeded")]
        if expectation.error_type is not None and expectation.error_type != result.error_type:
            return [Difference("outcome", f"expected {expectation.error_type}, got {_failure_text(result)}")]
        return []
    if not result.succeeded:
        return [Difference("outcome", f"expected success, got {_failure_text(result)}")]
    return []


def _whole_response(expectation: Expectation, actual: object) -> list[Difference]:
    expected = _normalise(copy.deepcopy(expectation.response))
    actual = _normalise(copy.deepcopy(actual))
    for path in expectation.ignore:
        expression = parse_json_path(path)
        expected = expression.filter(lambda _value: True, expected)
        actual = expression.filter(lambda _value: True, actual)
    diff = DeepDiff(expected, actual, view="tree", verbose_level=2)
    found = []
    for report, items in diff.items():
        for item in items:
            steps = item.path(output_format="list")
            found.append((_sort_key(steps), Difference(f"response {_json_path(steps)}", _describe(report, item))))
    return [difference for _key, difference in sorted(found, key=lambda pair: pair[0])]


def _assertion(assertion: PathAssertion, document: object) -> list[Difference]:
    where = f"assert {assertion.path}"
    matches = [m.value for m in parse_json_path(assertion.path).find(document)]
    if not matches:
        return [Difference(where, "no value at this path in the response", assertion.line)]
    for value in matches:
        problem = _assertion_problem(assertion, value)
        if problem:
            return [Difference(where, problem, assertion.line)]
    return []


def _assertion_problem(assertion: PathAssertion, value: object) -> str | None:
    kind, wanted = assertion.kind, assertion.value
    if kind == "equals":
        return None if _json_equal(wanted, value) else f"expected {_show(wanted)}, got {_show(value)}"
    if kind == "contains":
        return None if _contains(value, wanted) else f"{_show(value)} does not contain {_show(wanted)}"
    if kind == "matches":
        if not isinstance(value, str):
            return f"expected text matching /{wanted}/, got {json_type(value)} {_show(value)}"
        return None if re.search(str(wanted), value) else f"{_show(value)} does not match /{wanted}/"
    if kind == "type":
        actual = json_type(value)
        holds = actual == wanted or (wanted == "number" and actual == "integer")
        return None if holds else f"expected {wanted}, got {actual} {_show(value)}"
    raise ValueError(f"unknown assertion kind {kind!r}")


def _logs(include: tuple[LogRule, ...], exclude: tuple[LogRule, ...], log) -> list[Difference]:
    found = []
    for rule in include:
        if not any(_log_match(rule, line) for line in log):
            found.append(Difference("logs", f"no line {_rule_text(rule)}", rule.line))
    for rule in exclude:
        line = next((line for line in log if _log_match(rule, line)), None)
        if line is not None:
            found.append(Difference("logs", f"a line {_rule_text(rule)} appeared: {_show(line)}", rule.line))
    return found


def _budgets(budgets: tuple[tuple[str, float], ...], result: InvocationResult) -> list[Difference]:
    found = []
    for key, limit in budgets:
        if key == "durationMs" and result.duration_ms > limit:
            found.append(Difference(f"budget {key}", f"Duration {result.duration_ms:.2f} ms is over {limit:g} ms"))
        elif key == "maxMemoryUsedMB" and result.max_memory_used_mb > limit:
            found.append(Difference(f"budget {key}",
                                    f"Max Memory Used {result.max_memory_used_mb} MB is over {limit:g} MB"))
        elif key == "costUSD" and result.cost_usd > limit:
            found.append(Difference(f"budget {key}", f"{BUDGETS[key]} {format_cost(result.cost_usd)} is over "
                                                     f"{format_cost(limit)}"))
    return found


# --- Helpers ---------------------------------------------------------------------------------------

def json_type(value: object) -> str:
    """The JSON type of a parsed value, with integer apart from number (a bool is never a number)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _normalise(value: object) -> object:
    """JSON numbers compare as numbers: 200 and 200.0 are one value, while true stays apart from 1."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def _json_equal(a: object, b: object) -> bool:
    return not DeepDiff(_normalise(a), _normalise(b))


def _contains(container: object, wanted: object) -> bool:
    """Text holds the text; a list holds an equal item; an object holds every member of `wanted`."""
    if isinstance(container, str):
        return isinstance(wanted, str) and wanted in container
    if isinstance(container, list):
        return any(_json_equal(item, wanted) for item in container)
    if isinstance(container, dict) and isinstance(wanted, dict):
        return all(key in container and (_contains(container[key], member) if isinstance(member, dict)
                                         else _json_equal(container[key], member))
                   for key, member in wanted.items())
    return False


def _log_match(rule: LogRule, line: str) -> bool:
    return bool(re.search(rule.text, line)) if rule.regex else rule.text in line


def _rule_text(rule: LogRule) -> str:
    return f"matching /{rule.text}/" if rule.regex else f"containing {_show(rule.text)}"


def _failure_text(result: InvocationResult) -> str:
    document = result.error_document() or {}
    message = document.get("errorMessage")
    return f"{result.error_type}: {_shorten(str(message))}" if message else str(result.error_type)


def _describe(report: str, item) -> str:
    if report.endswith("_added"):
        return f"unexpected {_show(item.t2)}"
    if report.endswith("_removed"):
        return f"missing (expected {_show(item.t1)})"
    if report == "type_changes":
        return f"expected {json_type(item.t1)} {_show(item.t1)}, got {json_type(item.t2)} {_show(item.t2)}"
    if isinstance(item.t1, str) and isinstance(item.t2, str):
        return _text_difference(item.t1, item.t2)
    return f"expected {_show(item.t1)}, got {_show(item.t2)}"


def _text_difference(expected: str, actual: str) -> str:
    """Two texts that differ, shown around the first character where they part (a long body stays readable)."""
    if len(expected) <= _SHOWN_CHARACTERS // 2 and len(actual) <= _SHOWN_CHARACTERS // 2:
        return f"expected {_show(expected)}, got {_show(actual)}"
    start = len(os.path.commonprefix([expected, actual]))
    begin = max(0, start - 12)

    def around(text: str) -> str:
        part = text[begin:start + 24]
        return ("…" if begin else "") + json.dumps(part, ensure_ascii=False)[1:-1] + ("…" if start + 24 < len(text) else "")

    return f"text differs at character {start + 1}: expected \"{around(expected)}\", got \"{around(actual)}\""


def _json_path(steps: list) -> str:
    text = "$"
    for step in steps:
        text = json_path_step(text, step)
    return text


def json_path_step(path: str, step: object) -> str:
    """`path` one step further: $.headers.Content-Type, $.items[0], $['a key']."""
    if isinstance(step, int):
        return f"{path}[{step}]"
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", str(step)):
        return f"{path}.{step}"
    return f"{path}['{step}']"


def _sort_key(steps: list) -> tuple:
    # Integers and keys never compare with each other; a tag keeps the order total.
    return tuple((0, step, "") if isinstance(step, int) else (1, 0, str(step)) for step in steps)


def _show(value: object) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return _shorten(text)


def _shorten(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARACTERS else text[: _SHOWN_CHARACTERS - 1] + "…"
