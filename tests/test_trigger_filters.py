"""Event patterns and the per-source filters: what passes, what is dropped, and the reason given."""

import json

import pytest

from workbench.core.triggers.event_filter import PatternError, match_pattern, parse_pattern
from workbench.core.triggers.source_filters import (
    check_criteria_for, parse_filter_criteria, record_passes, s3_event_selected, s3_key_verdict,
    sns_message_passes,
)

S3_EVENT = {  # EventBridge user guide's S3 "Object Created" example, trimmed to what the patterns use
    "version": "0", "source": "aws.s3", "detail-type": "Object Created", "region": "us-east-1",
    "resources": ["arn:aws:s3:::example-bucket"],
    "detail": {"bucket": {"name": "example-bucket"}, "object": {"key": "orders/a.json", "size": 5},
               "source-ip-address": "10.0.0.7", "reason": "PutObject"},
}


def matches(pattern, event=S3_EVENT):
    return match_pattern(parse_pattern(pattern), event).matched


def test_equality_prefix_suffix_and_nested_objects():
    """Literal values, prefix and suffix match nested fields; a missing field refuses."""
    assert matches({"source": ["aws.s3"], "detail": {"object": {"key": [{"prefix": "orders/"}]}}})
    assert matches({"detail": {"object": {"key": [{"suffix": ".json"}]}}})
    assert not matches({"detail": {"object": {"key": [{"suffix": ".csv"}]}}})
    assert not matches({"detail": {"object": {"tag": ["x"]}}})
    assert matches({"detail-type": ["Object Deleted", "Object Created"]})


def test_numeric_exists_anything_but_cidr_wildcard_and_or():
    """Each operator from EventBridge's table decides as documented."""
    assert matches({"detail": {"object": {"size": [{"numeric": [">", 0, "<=", 5]}]}}})
    assert not matches({"detail": {"object": {"size": [{"numeric": [">", 5]}]}}})
    assert matches({"detail": {"object": {"etag": [{"exists": False}]}}})
    assert matches({"detail": {"object": {"key": [{"exists": True}]}}})
    assert not matches({"detail": {"object": {"key": [{"exists": False}]}}})
    assert matches({"detail": {"reason": [{"anything-but": ["DeleteObject"]}]}})
    assert not matches({"detail": {"reason": [{"anything-but": "PutObject"}]}})
    assert not matches({"detail": {"object": {"key": [{"anything-but": {"prefix": "orders/"}}]}}})
    assert matches({"detail": {"source-ip-address": [{"cidr": "10.0.0.0/24"}]}})
    assert matches({"detail": {"object": {"key": [{"wildcard": "orders/*.json"}]}}})
    assert matches({"detail-type": [{"equals-ignore-case": "object created"}]})
    assert matches({"$or": [{"source": ["aws.ec2"]}, {"detail": {"object": {"size": [{"numeric": ["=", 5]}]}}}]})


def test_numbers_compare_by_written_form_and_strings_without_case_folding():
    """"300, 300.0, and 3.0e2 are not considered equal"; "AWS.S3" is not "aws.s3"."""
    assert match_pattern({"price": [300]}, {"price": 300}).matched
    assert not match_pattern({"price": [300]}, {"price": 300.0}).matched
    assert not match_pattern({"price": ["300"]}, {"price": 300}).matched
    assert not matches({"source": ["AWS.S3"]})


def test_arrays_in_the_event_match_when_any_element_does():
    assert matches({"resources": ["arn:aws:s3:::example-bucket"]})


def test_refusal_names_field_and_rule():
    """The reason says which field failed and how."""
    verdict = match_pattern(parse_pattern({"detail": {"object": {"key": [{"suffix": ".csv"}]}}}), S3_EVENT)
    assert verdict.reason == '`detail.object.key` "orders/a.json" does not end with `.csv`'


@pytest.mark.parametrize("pattern, words", [
    ('{"a": "x"}', "must be inside a list"),
    ('{"a": []}', "empty list"),
    ('{"a": [{"numeric": [">>", 1]}]}', "numeric operator"),
    ('{"a": [{"bogus": 1}]}', "unknown operator"),
    ("[1]", "JSON object"),
    ("{not json", "not valid JSON"),
])
def test_bad_patterns_are_refused_with_the_field(pattern, words):
    with pytest.raises(PatternError, match=words):
        parse_pattern(pattern)


def sqs(body):
    return {"messageId": "m1", "body": body, "attributes": {"ApproximateReceiveCount": "1"}, "eventSource": "aws:sqs"}


def test_sqs_body_rules_follow_the_json_and_plain_text_table():
    """JSON pattern vs JSON body filters; any mismatch in format drops the message (Lambda's table)."""
    json_rule = parse_filter_criteria({"Filters": [{"Pattern": json.dumps({"body": {"kind": ["order"]}})}]})
    text_rule = parse_filter_criteria({"Filters": [{"Pattern": json.dumps({"body": [{"prefix": "ord"}]})}]})
    meta_rule = parse_filter_criteria({"Filters": [{"Pattern": json.dumps(
        {"attributes": {"ApproximateReceiveCount": ["1"]}})}]})
    assert record_passes("sqs", json_rule, sqs('{"kind": "order"}')).matched
    assert not record_passes("sqs", json_rule, sqs('{"kind": "refund"}')).matched
    assert "plain text" in record_passes("sqs", json_rule, sqs("order 7")).reason
    assert record_passes("sqs", text_rule, sqs("order 7")).matched
    assert "is JSON" in record_passes("sqs", text_rule, sqs('{"kind": "order"}')).reason
    assert record_passes("sqs", meta_rule, sqs("anything")).matched


def test_stream_filters_match_dynamodb_json_and_any_of_several_filters():
    record = {"eventName": "INSERT", "dynamodb": {"NewImage": {"status": {"S": "NEW"}}, "Keys": {"id": {"N": "101"}}}}
    criteria = parse_filter_criteria({"Filters": [
        {"Pattern": '{"eventName": ["MODIFY"]}'},
        {"Pattern": '{"dynamodb": {"Keys": {"id": {"N": ["101"]}}}}'},
    ]})
    assert record_passes("dynamodb", criteria, record).matched
    only_modify = parse_filter_criteria({"Filters": [{"Pattern": '{"eventName": ["MODIFY"]}'}]})
    assert record_passes("dynamodb", only_modify, record).reason == 'filtered out: `eventName` "INSERT" is not "MODIFY"'


def test_filter_criteria_limits_and_stream_data_rule_shape():
    with pytest.raises(PatternError, match="at most 10"):
        parse_filter_criteria({"Filters": [{"Pattern": '{"a": [1]}'}] * 11})
    with pytest.raises(PatternError, match="must be a JSON object"):
        check_criteria_for("dynamodb", parse_filter_criteria({"Filters": [{"Pattern": '{"dynamodb": ["x"]}'}]}))


def test_s3_event_types_and_key_rules():
    assert s3_event_selected(("s3:ObjectCreated:*",), "ObjectCreated:Put")
    assert not s3_event_selected(("s3:ObjectCreated:*",), "ObjectRemoved:Delete")
    assert s3_event_selected(("s3:ObjectRemoved:Delete",), "s3:ObjectRemoved:Delete")
    assert s3_key_verdict("orders/", ".json", "orders/1.json").matched
    assert s3_key_verdict("", ".json", "uploads/a.txt").reason == "key `uploads/a.txt` does not end with `.json`"


def test_sns_filter_policy_on_attributes_and_on_the_body():
    """Number attributes compare numerically, String.Array by element; MessageBody scope reads the JSON body."""
    attributes = {"price": {"Type": "Number", "Value": "12.5"}, "tags": {"Type": "String.Array", "Value": '["a","b"]'},
                  "store": {"Type": "String", "Value": "north"}}
    policy = {"price": [{"numeric": [">", 10]}], "tags": ["b"], "store": [{"anything-but": "south"}]}
    assert sns_message_passes(policy, "MessageAttributes", "hi", attributes).matched
    assert not sns_message_passes({"store": ["south"]}, "MessageAttributes", "hi", attributes).matched
    assert sns_message_passes({"kind": ["order"]}, "MessageBody", '{"kind": "order"}', {}).matched
    assert "not JSON" in sns_message_passes({"kind": ["order"]}, "MessageBody", "plain", {}).reason
