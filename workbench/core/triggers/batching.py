"""When a poller's batch is ready: full, its window over, or the next record would pass 6 MB.

"Lambda continues to poll messages ... until the batch window expires, the invocation payload size quota is
reached, or the configured maximum batch size is reached" (Lambda developer guide, "Using Lambda with
Amazon SQS", Batching; the same words for DynamoDB Streams). With no window Lambda invokes as soon as
records are available.
"""

from __future__ import annotations

from dataclasses import dataclass

# The synchronous invocation payload quota; a batch closes before passing it.
MAX_BATCH_PAYLOAD = 6 * 1024 * 1024

_ENVELOPE = len('{"Records":[') + len("]}")


@dataclass(frozen=True)
class BatchDecision:
    take: int
    """How many of the waiting records form the batch now; 0 to keep waiting."""
    reason: str
    """"full", "window", "payload", "available" (no window) or "waiting"."""
    wait_s: float = 0.0
    """When waiting: seconds until the window closes."""


def records_payload_size(record_sizes: list[int] | tuple[int, ...]) -> int:
    """Bytes of `{"Records":[r1,r2,...]}` given each record's compact JSON size."""
    return _ENVELOPE + sum(record_sizes) + max(len(record_sizes) - 1, 0)


def decide_batch(record_sizes: tuple[int, ...], batch_size: int, window_s: float, waited_s: float) -> BatchDecision:
    """The batch to send now from records waiting in arrival order, or how long to wait.

    `waited_s` counts from the first waiting record's arrival. A single record larger than the quota is
    sent alone (the call then fails as Lambda's would: the payload is refused).
    """
    if not record_sizes:
        return BatchDecision(0, "waiting", window_s)
    count, limit = 0, min(batch_size, len(record_sizes))
    while count < limit:
        if count and records_payload_size(record_sizes[:count + 1]) > MAX_BATCH_PAYLOAD:
            return BatchDecision(count, "payload")
        count += 1
    if count >= batch_size:
        return BatchDecision(count, "full")
    if window_s <= 0:
        return BatchDecision(count, "available")
    if waited_s >= window_s:
        return BatchDecision(count, "window")
    return BatchDecision(0, "waiting", window_s - waited_s)
