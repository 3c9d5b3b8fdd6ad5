"""Lambda's asynchronous invocation (S3, SNS, EventBridge): retries with their delays, and what the
OnFailure destination or the dead-letter queue receives.

Lambda developer guide, "Asynchronous invocation": "If the function returns an error, Lambda attempts to
run it two more times, with a one-minute wait between the first two attempts, and two minutes between the
second and third attempts." Retry attempts are configurable 0..2 and the event age 60 s..6 h. "When an
invocation event exceeds the maximum age or fails all retry attempts, Lambda discards it", sending an
invocation record to an on-failure destination; "for dead-letter queues, Lambda only sends the content of
the event, without details about the response".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from workbench.core.lambda_rules.invoke_api_rules import ASYNC_RETRY_DELAYS_S

from .push_records import iso_millis

DEFAULT_MAXIMUM_EVENT_AGE_S = 6 * 60 * 60


@dataclass(frozen=True)
class AsyncSettings:
    maximum_retry_attempts: int = 2
    maximum_event_age_s: int = DEFAULT_MAXIMUM_EVENT_AGE_S
    on_failure: str | None = None
    """An ARN (SQS queue, SNS topic, Lambda function, event bus)."""
    on_success: str | None = None
    dead_letter_target: str | None = None
    """The function's DeadLetterConfig target ARN."""
    delay_scale: float = 1.0
    """Shortens Lambda's delays for tests (0.001 turns a minute into 60 ms); 1 is Lambda's timing."""


@dataclass(frozen=True)
class AsyncStep:
    action: str
    """"done", "retry" or "discard"."""
    delay_s: float = 0.0
    condition: str = ""
    """For discard: RetriesExhausted or EventAgeExceeded."""


def step_after_attempt(attempt: int, failed: bool, queued_at: float, now: float, settings: AsyncSettings) -> AsyncStep:
    """After attempt number `attempt` (1-based): done, retry after a delay, or discard."""
    if not failed:
        return AsyncStep("done")
    if attempt > settings.maximum_retry_attempts:
        return AsyncStep("discard", condition="RetriesExhausted")
    delay = ASYNC_RETRY_DELAYS_S[min(attempt, len(ASYNC_RETRY_DELAYS_S)) - 1] * settings.delay_scale
    if now + delay - queued_at > settings.maximum_event_age_s * max(settings.delay_scale, 0):
        return AsyncStep("discard", condition="EventAgeExceeded")
    return AsyncStep("retry", delay_s=delay)


def invocation_record(condition: str, function_arn: str, request_id: str, invoke_count: int, event: Any,
                      function_error: str | None, response_payload: Any, now: float,
                      status_code: int = 200) -> dict:
    """The invocation record for a destination ("Example invocation record" in the guide); `condition` is
    "Success" for OnSuccess, else RetriesExhausted / EventAgeExceeded / RecursiveInvocationException-like
    reasons for OnFailure."""
    response: dict = {"statusCode": status_code, "executedVersion": "$LATEST"}
    if function_error:
        response["functionError"] = function_error
    record = {
        "version": "1.0",
        "timestamp": iso_millis(datetime.fromtimestamp(now, timezone.utc)),
        "requestContext": {
            "requestId": request_id,
            "functionArn": f"{function_arn}:$LATEST",
            "condition": condition,
            "approximateInvokeCount": invoke_count,
        },
        "requestPayload": event,
        "responseContext": response,
    }
    if response_payload is not None:
        record["responsePayload"] = response_payload
    return record


def destination_message(record: dict) -> str:
    """For SQS and SNS destinations the record travels as the message body."""
    return json.dumps(record, separators=(",", ":"))


def dead_letter_message(event: Any, request_id: str, function_error: str, error_message: str) -> tuple[str, dict]:
    """The body and attributes Lambda sends to a function's dead-letter queue: the event itself, with
    RequestID, ErrorCode (the HTTP status) and ErrorMessage (its first 1 KB) attributes (Lambda developer
    guide, "Dead-letter queues")."""
    attributes = {
        "RequestID": {"DataType": "String", "StringValue": request_id},
        "ErrorCode": {"DataType": "Number", "StringValue": "200"},
        "ErrorMessage": {"DataType": "String",
                         "StringValue": error_message.encode()[:1024].decode("utf-8", "ignore") or function_error},
    }
    return json.dumps(event, separators=(",", ":")), attributes
