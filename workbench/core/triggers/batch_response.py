"""What a batch call's response means: complete success, complete failure, or the items that failed.

With `FunctionResponseTypes: [ReportBatchItemFailures]` the function returns
`{"batchItemFailures": [{"itemIdentifier": "<id>"}]}`, the id being the SQS messageId or the stream
record's SequenceNumber. Lambda developer guide, "Handling errors for an SQS event source in Lambda" and
"Configuring partial batch response with DynamoDB and Lambda", Success and failure conditions:

success: an empty `batchItemFailures` list, a null list, an empty response, a null response;
failure: invalid JSON, an empty-string `itemIdentifier`, a null `itemIdentifier`, an `itemIdentifier` under
a bad key name, and (SQS) an `itemIdentifier` that is not a message ID of the batch.
A function error (exception, timeout, crash) is a complete failure whatever the setting. Without the
setting the response is ignored: Lambda deletes or checkpoints the whole batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

SUCCESS = "success"
FAILURE = "failure"
PARTIAL = "partial"


@dataclass(frozen=True)
class BatchOutcome:
    kind: str
    """SUCCESS, FAILURE or PARTIAL."""
    failed: tuple[str, ...] = ()
    """For PARTIAL: the reported identifiers, in the order of the batch."""
    reason: str = ""
    """Which documented condition decided it, in words."""


def judge_batch_response(
    source: str,
    function_error: str | None,
    payload: bytes | str | None,
    identifiers: tuple[str, ...],
    report_item_failures: bool,
) -> BatchOutcome:
    """The outcome of one batch call for `source` "sqs" or "dynamodb".

    `function_error` is Lambda's X-Amz-Function-Error ("Unhandled", ...) or None; `identifiers` are the
    batch's message ids or sequence numbers in batch order.
    """
    if function_error:
        return BatchOutcome(FAILURE, reason=f"the function returned an error ({function_error})")
    if not report_item_failures:
        return BatchOutcome(SUCCESS, reason="the call succeeded")
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else (payload or "")
    if not text.strip():
        return BatchOutcome(SUCCESS, reason="empty response")
    try:
        response: Any = json.loads(text)
    except ValueError:
        return BatchOutcome(FAILURE, reason="the response is not valid JSON")
    if response is None:
        return BatchOutcome(SUCCESS, reason="null response")
    if not isinstance(response, dict):
        # Not a documented case: a value that cannot be read as a batch response is taken as Lambda takes
        # an unreadable one, a complete failure, so a handler that returns "ok" learns it at once.
        return BatchOutcome(FAILURE, reason="the response is not a batch response object")
    failures = response.get("batchItemFailures")
    if failures is None:
        return BatchOutcome(SUCCESS, reason="no batchItemFailures" if "batchItemFailures" not in response
                            else "null batchItemFailures")
    if not isinstance(failures, list):
        return BatchOutcome(FAILURE, reason="batchItemFailures is not a list")
    if not failures:
        return BatchOutcome(SUCCESS, reason="empty batchItemFailures")
    reported: list[str] = []
    for index, item in enumerate(failures):
        if not isinstance(item, dict) or "itemIdentifier" not in item:
            shown = sorted(item) if isinstance(item, dict) else type(item).__name__
            return BatchOutcome(FAILURE, reason=f"batchItemFailures[{index}] has no itemIdentifier "
                                                f"(bad key name: {shown})")
        identifier = item["itemIdentifier"]
        if identifier is None:
            return BatchOutcome(FAILURE, reason=f"batchItemFailures[{index}].itemIdentifier is null")
        if not isinstance(identifier, str) or identifier == "":
            return BatchOutcome(FAILURE, reason=f"batchItemFailures[{index}].itemIdentifier is empty"
                                if identifier == "" else f"batchItemFailures[{index}].itemIdentifier is "
                                f"not a string")
        if source == "sqs" and identifier not in identifiers:
            return BatchOutcome(FAILURE, reason=f"itemIdentifier {identifier!r} is not a message ID of the batch")
        if source == "dynamodb" and not identifier.isdigit():
            return BatchOutcome(FAILURE, reason=f"itemIdentifier {identifier!r} is not a sequence number")
        reported.append(identifier)
    order = {identifier: position for position, identifier in enumerate(identifiers)}
    ordered = tuple(sorted(dict.fromkeys(reported), key=lambda i: (order.get(i, len(order)), i)))
    return BatchOutcome(PARTIAL, failed=ordered, reason=f"{len(ordered)} of {len(identifiers)} reported failed")
