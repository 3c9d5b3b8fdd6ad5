"""What happens to each SQS message of a batch after the call, and how long a message stays hidden.

Lambda developer guide, "Using Lambda with Amazon SQS": messages "stay in the queue but are hidden for the
length of the queue's visibility timeout. If your function successfully processes the batch, Lambda deletes
the messages ... if your function encounters an error ..., all messages in that batch become visible in the
queue again" (after the timeout, not at once). With ReportBatchItemFailures only the reported ones return.
A queue's RedrivePolicy moves a message to its dead-letter queue once it has been received more than
`maxReceiveCount` times; that is the queue's rule, not Lambda's.
"""

from __future__ import annotations

from dataclasses import dataclass

from .batch_response import FAILURE, PARTIAL, BatchOutcome

DELETED = "deleted"
VISIBLE_AGAIN = "visible again"
FILTERED = "filtered out (deleted)"
DEAD_LETTERED = "sent to the dead-letter queue"


@dataclass(frozen=True)
class MessageFate:
    message_id: str
    fate: str
    """DELETED, VISIBLE_AGAIN or FILTERED."""
    visible_at: float | None = None
    """Epoch seconds when a returned message can be received again."""


def effective_visibility_timeout(queue_timeout_s: int, window_s: int, function_timeout_s: int) -> int:
    """"If your batch window is greater than 0, and (batch window) + (function timeout) > (queue visibility
    timeout), then your effective queue visibility timeout is (batch window) + (function timeout) + 30s"."""
    if window_s > 0 and window_s + function_timeout_s > queue_timeout_s:
        return window_s + function_timeout_s + 30
    return queue_timeout_s


def message_fates(message_ids: tuple[str, ...], outcome: BatchOutcome, received_at: float,
                  visibility_timeout_s: int) -> tuple[MessageFate, ...]:
    """Each message's fate. Returned messages become visible when their receive's timeout runs out."""
    visible_at = received_at + visibility_timeout_s
    if outcome.kind == FAILURE:
        return tuple(MessageFate(m, VISIBLE_AGAIN, visible_at) for m in message_ids)
    if outcome.kind == PARTIAL:
        failed = set(outcome.failed)
        return tuple(MessageFate(m, VISIBLE_AGAIN, visible_at) if m in failed else MessageFate(m, DELETED)
                     for m in message_ids)
    return tuple(MessageFate(m, DELETED) for m in message_ids)


def dead_letter_due(receive_count: int, max_receive_count: int | None) -> bool:
    """Whether SQS moves the message to the dead-letter queue instead of delivering receive number
    `receive_count` (the count it would have after this receive)."""
    return max_receive_count is not None and receive_count > max_receive_count


def fifo_batches(messages: list[tuple[str, str]], busy_groups: set[str], batch_size: int) -> list[str]:
    """From (message_id, group) pairs in queue order, the ids one batch may take: never from a group that
    has a batch in flight, and in order within each group ("one batch per message group at a time")."""
    taken: list[str] = []
    blocked = set(busy_groups)
    for message_id, group in messages:
        if len(taken) >= batch_size:
            break
        if group in blocked:
            continue
        taken.append(message_id)
    return taken
