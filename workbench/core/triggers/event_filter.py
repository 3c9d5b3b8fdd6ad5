"""Event patterns as EventBridge and Lambda's FilterCriteria match them, with the reason a value was refused.

Lambda's filter rules use "the same set of syntax and rules as Amazon EventBridge" (Lambda developer guide,
"Lambda event filtering", Filter rule syntax); SNS filter policies are the same language applied to message
attributes or the body. One matcher serves all three.

Rules (EventBridge user guide, "Comparison operators for use in event patterns"):
- every field a pattern names must be present in the event (except `{"exists": false}`); other fields are
  ignored; a nested object in the pattern matches a nested object in the event;
- a list of rules at a leaf matches when any rule matches; an array in the event matches when any of its
  elements does;
- strings compare character by character, no case folding; numbers compare by their written form
  ("300, 300.0, and 3.0e2 are not considered equal") except under `numeric`, which compares values;
- operators: `prefix`, `suffix`, `equals-ignore-case` (also inside prefix/suffix), `anything-but` (a value,
  a list, or prefix/suffix/equals-ignore-case/wildcard), `numeric`, `exists`, `cidr`, `wildcard`, `$or`.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Any

_MISSING = object()
_NUMERIC_OPERATORS = ("<", "<=", "=", ">=", ">")


class PatternError(ValueError):
    """A pattern AWS would refuse when the rule or mapping is created; the message names the field."""


@dataclass(frozen=True)
class FilterVerdict:
    matched: bool
    reason: str = ""
    """Why the event did not match, naming the field and the rule ("key `a.txt` does not end with `.json`")."""


def parse_pattern(text: str | dict) -> dict:
    """A pattern given as JSON text (FilterCriteria's `Pattern`) or already parsed, checked for shape."""
    if isinstance(text, str):
        try:
            pattern = json.loads(text)
        except ValueError as error:
            raise PatternError(f"the pattern is not valid JSON ({error})") from None
    else:
        pattern = text
    if not isinstance(pattern, dict):
        raise PatternError("a pattern is a JSON object of field names")
    _check(pattern, "")
    return pattern


def _check(pattern: dict, where: str) -> None:
    for key, value in pattern.items():
        place = f"{where}.{key}" if where else str(key)
        if key == "$or":
            if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, dict) for v in value):
                raise PatternError(f"{place}: $or takes a list of at least two patterns")
            for option in value:
                _check(option, where)
        elif isinstance(value, dict):
            _check(value, place)
        elif isinstance(value, list):
            if not value:
                raise PatternError(f"{place}: an empty list matches nothing; give at least one rule")
            for rule in value:
                if isinstance(rule, dict):
                    _check_operator(rule, place)
                elif isinstance(rule, list):
                    raise PatternError(f"{place}: a rule cannot be a list")
        else:
            raise PatternError(f"{place}: a match value must be inside a list, e.g. [{json.dumps(value)}]")


def _check_operator(rule: dict, place: str) -> None:
    if len(rule) != 1:
        raise PatternError(f"{place}: each rule object holds one operator, not {sorted(rule)}")
    (operator, argument), = rule.items()
    if operator == "numeric":
        _numeric_pairs(argument, place)
    elif operator == "exists":
        if not isinstance(argument, bool):
            raise PatternError(f"{place}: exists takes true or false")
    elif operator in ("prefix", "suffix"):
        if not (isinstance(argument, str) or (isinstance(argument, dict) and list(argument) == ["equals-ignore-case"])):
            raise PatternError(f"{place}: {operator} takes a string")
    elif operator in ("equals-ignore-case", "wildcard"):
        if not isinstance(argument, str):
            raise PatternError(f"{place}: {operator} takes a string")
    elif operator == "cidr":
        try:
            ipaddress.ip_network(str(argument), strict=False)
        except ValueError:
            raise PatternError(f"{place}: cidr {argument!r} is not an IP range") from None
    elif operator == "anything-but":
        if isinstance(argument, dict):
            if len(argument) != 1 or next(iter(argument)) not in ("prefix", "suffix", "equals-ignore-case", "wildcard"):
                raise PatternError(f"{place}: anything-but takes a value, a list, or one of prefix, suffix, "
                                   "equals-ignore-case, wildcard")
    else:
        raise PatternError(f"{place}: unknown operator {operator!r}")


def _numeric_pairs(argument: Any, place: str) -> list[tuple[str, float]]:
    if not isinstance(argument, list) or not argument or len(argument) % 2 or len(argument) > 4:
        raise PatternError(f"{place}: numeric takes one or two operator/number pairs, e.g. [\">\", 0, \"<=\", 5]")
    pairs = []
    for index in range(0, len(argument), 2):
        operator, number = argument[index], argument[index + 1]
        if operator not in _NUMERIC_OPERATORS or isinstance(number, bool) or not isinstance(number, (int, float)):
            raise PatternError(f"{place}: numeric operator {operator!r} with {number!r} is not one of "
                               f"{', '.join(_NUMERIC_OPERATORS)} followed by a number")
        pairs.append((operator, float(number)))
    return pairs


# --- Matching -----------------------------------------------------------------------------------------

def match_pattern(pattern: dict, event: Any) -> FilterVerdict:
    """Whether `event` (parsed JSON) matches `pattern` (checked by `parse_pattern`), and if not, why."""
    return _match_object(pattern, event, "")


def _match_object(pattern: dict, event: Any, where: str) -> FilterVerdict:
    for key, rules in pattern.items():
        if key == "$or":
            verdicts = [_match_object(option, event, where) for option in rules]
            if not any(v.matched for v in verdicts):
                return FilterVerdict(False, " and ".join(v.reason for v in verdicts))
            continue
        place = f"{where}.{key}" if where else str(key)
        value = event.get(key, _MISSING) if isinstance(event, dict) else _MISSING
        if isinstance(rules, dict):
            if value is _MISSING or not isinstance(value, dict):
                if _only_absence(rules):
                    continue
                return FilterVerdict(False, f"`{place}` is {'absent' if value is _MISSING else 'not an object'}")
            verdict = _match_object(rules, value, place)
        else:
            verdict = _match_leaf(rules, value, place)
        if not verdict.matched:
            return verdict
    return FilterVerdict(True)


def _only_absence(rules: dict) -> bool:
    """A nested pattern that asks only for fields not to exist also matches when the parent is absent."""
    for key, value in rules.items():
        if isinstance(value, dict):
            if not _only_absence(value):
                return False
        elif not (isinstance(value, list) and value and all(r == {"exists": False} for r in value)):
            return False
    return True


def _match_leaf(rules: list, value: Any, place: str) -> FilterVerdict:
    if value is _MISSING:
        if any(rule == {"exists": False} for rule in rules):
            return FilterVerdict(True)
        return FilterVerdict(False, f"`{place}` is absent")
    candidates = value if isinstance(value, list) else [value]
    for rule in rules:
        if rule == {"exists": False}:
            continue
        if any(_rule_matches(rule, candidate) for candidate in candidates):
            return FilterVerdict(True)
        if isinstance(rule, dict) and list(rule) == ["exists"]:
            # exists:true on an array or object field: present is enough.
            return FilterVerdict(True)
    shown = json.dumps(value, ensure_ascii=False)
    return FilterVerdict(False, f"`{place}` {shown} {_describe(rules)}")


def _rule_matches(rule: Any, value: Any) -> bool:
    if not isinstance(rule, dict):
        return _equal(rule, value)
    (operator, argument), = rule.items()
    if operator == "exists":
        return argument is True and not isinstance(value, dict)
    if operator == "prefix":
        return isinstance(value, str) and _affix(argument, value, str.startswith)
    if operator == "suffix":
        return isinstance(value, str) and _affix(argument, value, str.endswith)
    if operator == "equals-ignore-case":
        return isinstance(value, str) and value.casefold() == argument.casefold()
    if operator == "wildcard":
        return isinstance(value, str) and _wildcard(argument).fullmatch(value) is not None
    if operator == "numeric":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        return all(_compare(op, float(value), number) for op, number in _numeric_pairs(argument, ""))
    if operator == "cidr":
        try:
            return isinstance(value, str) and ipaddress.ip_address(value) in ipaddress.ip_network(argument, strict=False)
        except ValueError:
            return False
    if operator == "anything-but":
        if isinstance(argument, dict):
            return not _rule_matches(argument, value) and isinstance(value, str)
        excluded = argument if isinstance(argument, list) else [argument]
        return not any(_equal(item, value) for item in excluded)
    return False


def _affix(argument: Any, value: str, test) -> bool:
    if isinstance(argument, dict):
        return test(value.casefold(), argument["equals-ignore-case"].casefold())
    return test(value, argument)


def _equal(expected: Any, value: Any) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        # Numbers match by their written form, as Lambda's guide says.
        return isinstance(value, (int, float)) and not isinstance(value, bool) and \
            json.dumps(expected) == json.dumps(value)
    return type(expected) is type(value) and expected == value


def _compare(operator: str, value: float, number: float) -> bool:
    return {"<": value < number, "<=": value <= number, "=": value == number,
            ">=": value >= number, ">": value > number}[operator]


def _wildcard(text: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in text.split("*")), re.DOTALL)


def _describe(rules: list) -> str:
    """The rules in words, for the reason an event was refused."""
    words = []
    for rule in rules:
        if not isinstance(rule, dict):
            words.append(f"is not {json.dumps(rule, ensure_ascii=False)}")
            continue
        (operator, argument), = rule.items()
        shown = json.dumps(argument, ensure_ascii=False)
        if operator == "prefix":
            words.append(f"does not start with `{_plain(argument)}`")
        elif operator == "suffix":
            words.append(f"does not end with `{_plain(argument)}`")
        elif operator == "anything-but":
            words.append(f"is excluded by anything-but {shown}")
        elif operator == "numeric":
            words.append(f"is not numeric {' '.join(str(a) for a in argument)}")
        elif operator == "exists":
            words.append("exists" if argument is False else "does not exist as a value")
        else:
            words.append(f"does not match {operator} {shown}")
    return " and ".join(dict.fromkeys(words))


def _plain(argument: Any) -> str:
    return argument["equals-ignore-case"] if isinstance(argument, dict) else str(argument)
