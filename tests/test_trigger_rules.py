"""Lambda's rules after a triggered call: partial batches, SQS fates, stream retries, async retries, loops."""

import json

import pytest

from workbench.core.triggers.async_rules import AsyncSettings, dead_letter_message, invocation_record, step_after_attempt
from workbench.core.triggers.batch_response import FAILURE, PARTIAL, SUCCESS, judge_batch_response
from workbench.core.triggers.batching import MAX_BATCH_PAYLOAD, decide_batch, records_payload_size
from workbench.core.triggers.recursion import invocation_count, loop_stopped, next_trace_header
from workbench.core.triggers.sqs_rules import (
    DELETED, VISIBLE_AGAIN, dead_letter_due, effective_visibility_timeout, fifo_batches, message_fates,
)
from workbench.core.triggers.stream_rules import (
    BISECT, CHECKPOINT, DISCARD, RETRY, FailureContext, StreamBatch, StreamSettings, blocked_description,
    step_after_call, stream_failure_record,
)

IDS = ("m1", "m2", "m3")


def judge(payload, source="sqs", error=None, enabled=True, ids=IDS):
    return judge_batch_response(source, error, payload, ids, enabled)


@pytest.mark.parametrize("payload", [
    '{"batchItemFailures": []}',   # an empty batchItemFailures list
    '{"batchItemFailures": null}',  # a null list
    "{}",                           # an empty EventResponse
    "null",                         # a null EventResponse
    "",                             # no body at all (handler returned None in some runtimes)
])
def test_the_four_documented_complete_success_conditions(payload):
    assert judge(payload).kind == SUCCESS


@pytest.mark.parametrize("payload, words", [
    ('{"batchItemFailures": [{"itemIdentifier": "m1"}', "not valid JSON"),      # invalid JSON
    ('{"batchItemFailures": [{"itemIdentifier": ""}]}', "is empty"),              # empty-string identifier
    ('{"batchItemFailures": [{"itemIdentifier": null}]}', "is null"),             # null identifier
    ('{"batchItemFailures": [{"itemId": "m1"}]}', "bad key name"),                # bad key name
    ('{"batchItemFailures": [{"itemIdentifier": "m9"}]}', "not a message ID"),    # not in the batch
])
def test_the_five_documented_complete_failure_conditions(payload, words):
    outcome = judge(payload)
    assert outcome.kind == FAILURE and words in outcome.reason


def test_partial_failure_lists_reported_ids_in_batch_order_and_errors_fail_the_batch():
    outcome = judge('{"batchItemFailures": [{"itemIdentifier": "m3"}, {"itemIdentifier": "m1"}]}')
    assert (outcome.kind, outcome.failed) == (PARTIAL, ("m1", "m3"))
    assert judge('{"batchItemFailures": []}', error="Unhandled").kind == FAILURE
    # Without ReportBatchItemFailures the response is ignored: the batch succeeded.
    assert judge('{"batchItemFailures": [{"itemIdentifier": "m1"}]}', enabled=False).kind == SUCCESS


def test_stream_identifiers_are_sequence_numbers():
    ids = ("100", "200", "300")
    assert judge('{"batchItemFailures": [{"itemIdentifier": "200"}]}', "dynamodb", ids=ids).failed == ("200",)
    assert judge('{"batchItemFailures": [{"itemIdentifier": "abc"}]}', "dynamodb", ids=ids).kind == FAILURE


def test_sqs_fates_delete_successes_and_return_failures_after_the_visibility_timeout():
    partial = judge('{"batchItemFailures": [{"itemIdentifier": "m2"}]}')
    fates = message_fates(IDS, partial, received_at=1000.0, visibility_timeout_s=30)
    assert [(f.message_id, f.fate, f.visible_at) for f in fates] == [
        ("m1", DELETED, None), ("m2", VISIBLE_AGAIN, 1030.0), ("m3", DELETED, None)]
    assert {f.fate for f in message_fates(IDS, judge("", error="Unhandled"), 1000.0, 30)} == {VISIBLE_AGAIN}


def test_effective_visibility_timeout_and_dead_letter_threshold():
    assert effective_visibility_timeout(30, 0, 60) == 30
    assert effective_visibility_timeout(30, 10, 25) == 65  # 10 + 25 > 30: window + timeout + 30 s
    assert effective_visibility_timeout(120, 10, 25) == 120
    assert not dead_letter_due(3, 3) and dead_letter_due(4, 3) and not dead_letter_due(99, None)


def test_fifo_batches_skip_groups_in_flight_and_keep_group_order():
    messages = [("a1", "A"), ("b1", "B"), ("a2", "A"), ("c1", "C")]
    assert fifo_batches(messages, {"B"}, 10) == ["a1", "a2", "c1"]
    assert fifo_batches(messages, set(), 2) == ["a1", "b1"]


def test_batches_close_when_full_at_the_window_or_before_six_megabytes():
    assert decide_batch((100,) * 3, 10, 0, 0).reason == "available"
    assert decide_batch((100,) * 12, 10, 5, 0).take == 10
    waiting = decide_batch((100,) * 3, 10, 5, 2)
    assert (waiting.take, waiting.wait_s) == (0, 3)
    assert decide_batch((100,) * 3, 10, 5, 5).reason == "window"
    big = (2 * 1024 * 1024,) * 4
    decision = decide_batch(big, 10, 0, 0)
    assert (decision.take, decision.reason) == (2, "payload")
    assert records_payload_size(big[:2]) <= MAX_BATCH_PAYLOAD < records_payload_size(big[:3])


def batch(*numbers, retries=0, invokes=1, arrival=1000.0):
    return StreamBatch(tuple(str(n) for n in numbers), (arrival,) * len(numbers), retries, invokes)


FAILED = judge("", error="Unhandled")


def test_stream_success_checkpoints_at_the_last_record():
    step = step_after_call(batch(1, 2, 3), judge("", enabled=False), StreamSettings(), now=1001)
    assert (step.action, step.checkpoint) == (CHECKPOINT, "3")


def test_stream_failure_retries_until_maximum_retry_attempts_then_discards():
    settings = StreamSettings(maximum_retry_attempts=2)
    step = step_after_call(batch(1, 2), FAILED, settings, now=1001)
    assert step.action == RETRY and step.next_batches[0].retries == 1
    step = step_after_call(batch(1, 2, retries=2, invokes=3), FAILED, settings, now=1001)
    assert (step.action, step.condition, step.checkpoint) == (DISCARD, "RetryAttemptsExhausted", "2")


def test_infinite_retries_block_until_the_record_age_limit():
    step = step_after_call(batch(1, retries=500), FAILED, StreamSettings(), now=1000 + 3600)
    assert step.action == RETRY
    aged = step_after_call(batch(1), FAILED, StreamSettings(maximum_record_age_s=60), now=1061)
    assert (aged.action, aged.condition) == (DISCARD, "RecordAgeExceeded")
    assert step_after_call(batch(1), FAILED, StreamSettings(), now=1000 + 86401).action == DISCARD


def test_bisect_splits_without_counting_a_retry_and_single_records_then_count():
    settings = StreamSettings(bisect_on_error=True, maximum_retry_attempts=0)
    step = step_after_call(batch(1, 2, 3, 4, 5), FAILED, settings, now=1001)
    assert step.action == BISECT
    assert [b.sequence_numbers for b in step.next_batches] == [("1", "2", "3"), ("4", "5")]
    assert all(b.retries == 0 for b in step.next_batches)
    assert step_after_call(batch(3), FAILED, settings, now=1001).action == DISCARD


def test_partial_response_checkpoints_before_the_lowest_failed_sequence_number():
    settings = StreamSettings(report_item_failures=True)
    partial = judge('{"batchItemFailures": [{"itemIdentifier": "40"}, {"itemIdentifier": "30"}]}', "dynamodb",
                    ids=("10", "20", "30", "40"))
    step = step_after_call(batch(10, 20, 30, 40), partial, settings, now=1001)
    assert (step.action, step.checkpoint) == (RETRY, "20")
    assert step.next_batches[0].sequence_numbers == ("30", "40")
    bisecting = step_after_call(batch(10, 20, 30, 40), partial,
                                StreamSettings(report_item_failures=True, bisect_on_error=True), now=1001)
    assert (bisecting.action, bisecting.next_batches[0].retries) == (BISECT, 0)


def test_on_failure_record_has_the_documented_shape():
    record = stream_failure_record(batch(800, 801, invokes=4), "RetryAttemptsExhausted",
                                   FailureContext("arn:aws:lambda:us-east-2:123456789012:function:f", "req-1"),
                                   "shardId-0001", "arn:aws:dynamodb:us-east-2:123456789012:table/t/stream/x", 1001.5)
    assert set(record) == {"requestContext", "responseContext", "version", "timestamp", "DDBStreamBatchInfo"}
    assert record["requestContext"] == {"requestId": "req-1", "functionArn": "arn:aws:lambda:us-east-2:123456789012:"
                                        "function:f", "condition": "RetryAttemptsExhausted", "approximateInvokeCount": 4}
    info = record["DDBStreamBatchInfo"]
    assert (info["startSequenceNumber"], info["endSequenceNumber"], info["batchSize"]) == ("800", "801", 2)
    assert info["approximateArrivalOfFirstRecord"] == "1970-01-01T00:16:40Z"
    assert record["timestamp"] == "1970-01-01T00:16:41.500Z"


def test_blocked_shard_is_described_for_the_panel():
    text = blocked_description(batch(1, invokes=7, arrival=0), since=0, now=240)
    assert text.endswith("7 attempts, record age 4 min") and text.startswith("shard blocked since ")


def test_async_retries_twice_with_one_then_two_minutes_then_discards():
    settings = AsyncSettings()
    assert step_after_attempt(1, True, 0, 0, settings).delay_s == 60
    assert step_after_attempt(2, True, 0, 60, settings).delay_s == 120
    assert step_after_attempt(3, True, 0, 180, settings).condition == "RetriesExhausted"
    assert step_after_attempt(1, False, 0, 0, settings).action == "done"
    fast = AsyncSettings(delay_scale=0.001)
    assert step_after_attempt(1, True, 0, 0, fast).delay_s == pytest.approx(0.06)
    assert step_after_attempt(1, True, 0, 0, AsyncSettings(maximum_retry_attempts=0)).action == "discard"
    aged = AsyncSettings(maximum_event_age_s=90)
    assert step_after_attempt(2, True, 0, 60, aged).condition == "EventAgeExceeded"


def test_async_invocation_record_and_dead_letter_message():
    record = invocation_record("RetriesExhausted", "arn:aws:lambda:us-east-2:123456789012:function:f", "r1", 3,
                               {"Records": []}, "Unhandled", {"errorMessage": "boom"}, 0)
    assert list(record) == ["version", "timestamp", "requestContext", "requestPayload", "responseContext",
                            "responsePayload"]
    assert record["requestContext"]["functionArn"].endswith(":function:f:$LATEST")
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}
    body, attributes = dead_letter_message({"a": 1}, "r1", "Unhandled", "boom")
    assert json.loads(body) == {"a": 1} and set(attributes) == {"RequestID", "ErrorCode", "ErrorMessage"}


def test_loop_is_stopped_on_the_seventeenth_invocation_of_one_chain():
    arn = "arn:aws:lambda:us-east-1:123456789012:function:Writer"
    header, count = None, 0
    for _ in range(17):
        header, count = next_trace_header(header, arn, "1-5759e988-bd862e3fe1be46a994272793")
    assert count == 17 and loop_stopped(count) and not loop_stopped(16)
    assert invocation_count(header, arn) == 17
    assert invocation_count(header, arn.replace("Writer", "Other")) == 0
