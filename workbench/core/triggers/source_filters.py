"""Which events reach a function: Lambda's FilterCriteria on SQS and stream records, an S3 notification's
event types and key rules, and an SNS subscription's filter policy, each with the reason an event stopped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .event_filter import FilterVerdict, PatternError, match_pattern, parse_pattern

# "By default, you can have five different filters per event source" (Lambda developer guide, "Lambda
# event filtering"); the quota can be raised to 10, which is the most we accept.
MAX_FILTERS = 10

# The field that holds a record's data, per source ("For Amazon SQS event sources, the data key is `body`.
# For DynamoDB event sources, the data key is `dynamodb`").
_DATA_KEY = {"sqs": "body", "dynamodb": "dynamodb"}


@dataclass(frozen=True)
class FilterCriteria:
    patterns: tuple[dict, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.patterns


def parse_filter_criteria(value: Any) -> FilterCriteria:
    """`{"Filters": [{"Pattern": "<json>"}, ...]}` as a template or workbench.json writes it."""
    if value is None or value == {}:
        return FilterCriteria()
    if not isinstance(value, dict) or not isinstance(value.get("Filters", []), list):
        raise PatternError("FilterCriteria is {\"Filters\": [{\"Pattern\": \"...\"}]}")
    filters = value.get("Filters", [])
    if len(filters) > MAX_FILTERS:
        raise PatternError(f"FilterCriteria has {len(filters)} filters; Lambda allows at most {MAX_FILTERS}")
    patterns = []
    for index, entry in enumerate(filters):
        if not isinstance(entry, dict) or "Pattern" not in entry:
            raise PatternError(f"Filters[{index}] needs a Pattern")
        try:
            patterns.append(parse_pattern(entry["Pattern"]))
        except PatternError as error:
            raise PatternError(f"Filters[{index}].Pattern: {error}") from None
    return FilterCriteria(tuple(patterns))


def check_criteria_for(source: str, criteria: FilterCriteria) -> None:
    """Refuse what Lambda refuses when the mapping is created: a stream's data rule that is not an object."""
    key = _DATA_KEY.get(source)
    for index, pattern in enumerate(criteria.patterns):
        if source == "dynamodb" and key in pattern and not isinstance(pattern[key], dict):
            raise PatternError(f"Filters[{index}].Pattern: the rule for `{key}` must be a JSON object "
                               "(Lambda refuses a non-JSON data pattern for streams)")


def record_passes(source: str, criteria: FilterCriteria, record: dict) -> FilterVerdict:
    """Whether one SQS or DynamoDB Streams record (as Lambda sends it) passes the mapping's filters.

    SQS bodies are matched as JSON when the pattern's `body` rule is an object and as a plain string when
    it is a list; a mismatch between the two drops the message (Lambda developer guide, "Properly filtering
    Amazon SQS messages").
    """
    if criteria.empty:
        return FilterVerdict(True)
    reasons = []
    for pattern in criteria.patterns:
        view = _filter_view(source, pattern, record)
        verdict = view if isinstance(view, FilterVerdict) else match_pattern(pattern, view)
        if verdict.matched:
            return verdict
        reasons.append(verdict.reason)
    if len(reasons) == 1:
        return FilterVerdict(False, f"filtered out: {reasons[0]}")
    return FilterVerdict(False, "filtered out: " + "; ".join(f"filter {i + 1}: {r}" for i, r in enumerate(reasons)))


def _filter_view(source: str, pattern: dict, record: dict) -> dict | FilterVerdict:
    """The record as the pattern sees it (an SQS body parsed when both are JSON), or the format mismatch."""
    if source != "sqs" or "body" not in pattern:
        return record
    try:
        parsed = json.loads(record.get("body", ""))
        is_json = isinstance(parsed, (dict, list))
    except (TypeError, ValueError):
        parsed, is_json = None, False
    wants_json = isinstance(pattern["body"], dict)
    if wants_json and not is_json:
        return FilterVerdict(False, "the pattern's `body` rule is JSON but the message body is plain text")
    if is_json and not wants_json:
        return FilterVerdict(False, "the message body is JSON but the pattern's `body` rule is for plain text")
    return {**record, "body": parsed} if is_json else record


# --- S3 notification configuration --------------------------------------------------------------------

def s3_event_selected(configured: tuple[str, ...], event_name: str) -> bool:
    """Whether `s3:ObjectCreated:Put` is among the configured types (`s3:ObjectCreated:*` covers a family)."""
    full = event_name if event_name.startswith("s3:") else f"s3:{event_name}"
    for item in configured:
        if item == full or (item.endswith(":*") and full.startswith(item[:-1])):
            return True
    return False


def s3_key_verdict(prefix: str, suffix: str, key: str) -> FilterVerdict:
    """An S3 key against a notification's prefix and suffix rules (matched on the decoded key)."""
    if prefix and not key.startswith(prefix):
        return FilterVerdict(False, f"key `{key}` does not start with `{prefix}`")
    if suffix and not key.endswith(suffix):
        return FilterVerdict(False, f"key `{key}` does not end with `{suffix}`")
    return FilterVerdict(True)


# --- SNS filter policy --------------------------------------------------------------------------------

def sns_message_passes(policy: dict | None, scope: str, message: str, attributes: dict) -> FilterVerdict:
    """An SNS message against a subscription's FilterPolicy.

    `attributes` are SNS MessageAttributes ({"Type": ..., "Value": ...}); Number attributes compare as
    numbers and String.Array attributes as their elements. With `FilterPolicyScope: MessageBody` the policy
    applies to the body parsed as JSON; a body that is not a JSON object matches nothing.
    """
    if not policy:
        return FilterVerdict(True)
    if scope == "MessageBody":
        try:
            body = json.loads(message)
        except ValueError:
            return FilterVerdict(False, "filter policy on the message body, but the body is not JSON")
        verdict = match_pattern(policy, body)
    else:
        verdict = match_pattern(policy, sns_attribute_values(attributes))
    return verdict if verdict.matched else FilterVerdict(False, f"filter policy: {verdict.reason}")


def sns_attribute_values(attributes: dict) -> dict:
    values: dict[str, Any] = {}
    for name, attribute in attributes.items():
        kind = str(attribute.get("Type", attribute.get("DataType", "String")))
        value = attribute.get("Value", attribute.get("StringValue"))
        if kind.startswith("Number"):
            try:
                number = float(value)
                values[name] = int(number) if number.is_integer() and "." not in str(value) else number
            except (TypeError, ValueError):
                values[name] = value
        elif kind == "String.Array":
            try:
                values[name] = json.loads(value)
            except (TypeError, ValueError):
                values[name] = value
        elif kind.startswith("Binary"):
            continue  # SNS ignores Binary attributes when filtering
        else:
            values[name] = value
    return values
