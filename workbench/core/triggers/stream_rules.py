"""What a DynamoDB Streams mapping does after each batch call on a shard: checkpoint, retry, bisect or
discard, and the on-failure record it writes for a discarded batch.

Lambda developer guide, "Using AWS Lambda with Amazon DynamoDB", Error handling: a failed batch is retried
"until the records in the batch expire, exceed the maximum age, or reach the configured retry quota";
BisectBatchOnFunctionError splits a failed batch in two and "splitting a batch does not count towards the
retry quota"; then "Lambda discards the records and continues processing batches from the stream". With
the default settings (-1, -1) "a bad record can block processing on the affected shard for up to one day"
(the stream's retention). Partial responses ("Configuring partial batch response with DynamoDB"): "Lambda
uses the record with the lowest sequence number as the checkpoint" and retries from there; with bisect on,
"the batch will be split at the returned sequence number and Lambda retries only the remaining records".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .batch_response import FAILURE, PARTIAL, BatchOutcome
from .push_records import iso_millis, iso_seconds

STREAM_RETENTION_S = 24 * 60 * 60

CHECKPOINT = "checkpoint"
RETRY = "retry"
BISECT = "bisect"
DISCARD = "discard"


@dataclass(frozen=True)
class StreamSettings:
    maximum_retry_attempts: int = -1
    maximum_record_age_s: int = -1
    bisect_on_error: bool = False
    report_item_failures: bool = False


@dataclass(frozen=True)
class StreamBatch:
    """A batch of one shard's records in sequence order, and how often it (or its parent) was retried."""

    sequence_numbers: tuple[str, ...]
    arrivals: tuple[float, ...]
    """Each record's ApproximateCreationDateTime, epoch seconds."""
    retries: int = 0
    invoke_count: int = 0
    """Calls made with these records so far (approximateInvokeCount in the on-failure record)."""


@dataclass(frozen=True)
class StreamStep:
    action: str
    """CHECKPOINT (all done), RETRY, BISECT or DISCARD."""
    checkpoint: str | None = None
    """The last sequence number now processed (or discarded): the shard continues after it."""
    next_batches: tuple[StreamBatch, ...] = ()
    """What to call next on this shard, in order, before reading further."""
    condition: str = ""
    """For DISCARD: RetryAttemptsExhausted or RecordAgeExceeded."""
    reason: str = ""
    discarded: StreamBatch | None = None


def step_after_call(batch: StreamBatch, outcome: BatchOutcome, settings: StreamSettings, now: float) -> StreamStep:
    """The shard's next step after calling the function with `batch` (its invoke_count already counted)."""
    if outcome.kind not in (FAILURE, PARTIAL):
        return StreamStep(CHECKPOINT, checkpoint=batch.sequence_numbers[-1], reason="batch succeeded")
    remaining, done_through = batch, None
    if outcome.kind == PARTIAL:
        lowest = min(int(s) for s in outcome.failed)
        cut = next((i for i, s in enumerate(batch.sequence_numbers) if int(s) >= lowest), 0)
        if cut:
            done_through = batch.sequence_numbers[cut - 1]
            remaining = StreamBatch(batch.sequence_numbers[cut:], batch.arrivals[cut:], batch.retries,
                                    batch.invoke_count)
        if settings.bisect_on_error and cut:
            # Split at the returned sequence number: a split, not a retry.
            return StreamStep(BISECT, checkpoint=done_through, next_batches=(remaining,),
                              reason=f"partial failure: checkpoint before {remaining.sequence_numbers[0]}")
    expired = _expired(remaining, settings, now)
    if expired:
        return StreamStep(DISCARD, checkpoint=remaining.sequence_numbers[-1], condition="RecordAgeExceeded",
                          reason=expired, discarded=remaining)
    if settings.bisect_on_error and outcome.kind == FAILURE and len(remaining.sequence_numbers) > 1:
        half = (len(remaining.sequence_numbers) + 1) // 2
        first = StreamBatch(remaining.sequence_numbers[:half], remaining.arrivals[:half], remaining.retries,
                            remaining.invoke_count)
        second = StreamBatch(remaining.sequence_numbers[half:], remaining.arrivals[half:], remaining.retries,
                             remaining.invoke_count)
        return StreamStep(BISECT, checkpoint=done_through, next_batches=(first, second),
                          reason=f"bisected into {half} + {len(second.sequence_numbers)} records")
    retries = remaining.retries + 1
    if 0 <= settings.maximum_retry_attempts < retries:
        return StreamStep(DISCARD, checkpoint=remaining.sequence_numbers[-1], condition="RetryAttemptsExhausted",
                          reason=f"{settings.maximum_retry_attempts} "
                          f"{'retry' if settings.maximum_retry_attempts == 1 else 'retries'} exhausted", discarded=remaining)
    retry = StreamBatch(remaining.sequence_numbers, remaining.arrivals, retries, remaining.invoke_count)
    return StreamStep(RETRY, checkpoint=done_through, next_batches=(retry,),
                      reason=f"retry {retries}" + (f" of {settings.maximum_retry_attempts}"
                                                   if settings.maximum_retry_attempts >= 0 else ""))


def _expired(batch: StreamBatch, settings: StreamSettings, now: float) -> str:
    age = now - min(batch.arrivals)
    if 0 <= settings.maximum_record_age_s < age:
        return f"oldest record is {age:.0f} s old, over MaximumRecordAgeInSeconds {settings.maximum_record_age_s}"
    if age > STREAM_RETENTION_S:
        return "oldest record passed the stream's 24-hour retention"
    return ""


def blocked_description(batch: StreamBatch, since: float, now: float) -> str:
    """"shard blocked since 12:03, 7 attempts, record age 4 min" for the Triggers panel."""
    started = datetime.fromtimestamp(since).strftime("%H:%M")
    age_s = now - min(batch.arrivals)
    age = f"{age_s / 60:.0f} min" if age_s >= 60 else f"{age_s:.0f} s"
    return f"shard blocked since {started}, {batch.invoke_count} attempts, record age {age}"


@dataclass(frozen=True)
class FailureContext:
    """What the on-failure record says about the last call."""

    function_arn: str
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status_code: int = 200
    function_error: str | None = "Unhandled"
    executed_version: str = "$LATEST"


def stream_failure_record(batch: StreamBatch, condition: str, context: FailureContext, shard_id: str,
                          stream_arn: str, now: float) -> dict:
    """The document sent to the OnFailure destination (Lambda developer guide, DynamoDB Error handling,
    "Example Invocation Record"): metadata about the batch, not the records themselves."""
    response: dict = {"statusCode": context.status_code, "executedVersion": context.executed_version}
    if context.function_error:
        response["functionError"] = context.function_error
    return {
        "requestContext": {
            "requestId": context.request_id,
            "functionArn": context.function_arn,
            "condition": condition,
            "approximateInvokeCount": batch.invoke_count,
        },
        "responseContext": response,
        "version": "1.0",
        "timestamp": iso_millis(datetime.fromtimestamp(now, timezone.utc)),
        "DDBStreamBatchInfo": {
            "shardId": shard_id,
            "startSequenceNumber": batch.sequence_numbers[0],
            "endSequenceNumber": batch.sequence_numbers[-1],
            "approximateArrivalOfFirstRecord": iso_seconds(datetime.fromtimestamp(min(batch.arrivals), timezone.utc)),
            "approximateArrivalOfLastRecord": iso_seconds(datetime.fromtimestamp(max(batch.arrivals), timezone.utc)),
            "batchSize": len(batch.sequence_numbers),
            "streamArn": stream_arn,
        },
    }
