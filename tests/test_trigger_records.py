"""Conformance: each source's record has exactly the fields of the example in AWS's guides, with the
local resource's values in them."""

import json
from datetime import datetime, timezone

from workbench.core.triggers.push_records import (
    S3Change, SnsNotification, eventbridge_event, event_size, s3_event, s3_event_key, s3_eventbridge_detail,
    s3_sequencer, sns_event,
)
from workbench.core.triggers.poll_records import dynamodb_record, sqs_record

WHEN = datetime(2026, 12, 6, 17, 3, 7, 192000, tzinfo=timezone.utc)

# The documented examples' field names, level by level (Lambda developer guide: with-s3, with-sqs,
# with-ddb, with-sns; S3 user guide: EventBridge event message structure).
S3_SHAPE = {
    "eventVersion": str, "eventSource": str, "awsRegion": str, "eventTime": str, "eventName": str,
    "userIdentity": {"principalId": str}, "requestParameters": {"sourceIPAddress": str},
    "responseElements": {"x-amz-request-id": str, "x-amz-id-2": str},
    "s3": {"s3SchemaVersion": str, "configurationId": str,
           "bucket": {"name": str, "ownerIdentity": {"principalId": str}, "arn": str},
           "object": {"key": str, "size": int, "eTag": str, "sequencer": str}},
}
SQS_SHAPE = {
    "messageId": str, "receiptHandle": str, "body": str,
    "attributes": {"ApproximateReceiveCount": str, "SentTimestamp": str, "SenderId": str,
                   "ApproximateFirstReceiveTimestamp": str},
    "messageAttributes": dict, "md5OfBody": str, "eventSource": str, "eventSourceARN": str, "awsRegion": str,
}
DDB_SHAPE = {
    "eventID": str, "eventVersion": str, "eventName": str, "eventSource": str, "awsRegion": str,
    "eventSourceARN": str,
    "dynamodb": {"ApproximateCreationDateTime": int, "Keys": dict, "NewImage": dict, "OldImage": dict,
                 "SequenceNumber": str, "SizeBytes": int, "StreamViewType": str},
}
SNS_SHAPE = {
    "EventVersion": str, "EventSubscriptionArn": str, "EventSource": str,
    "Sns": {"SignatureVersion": str, "Timestamp": str, "Signature": str, "SigningCertUrl": str, "MessageId": str,
            "Message": str, "MessageAttributes": dict, "Type": str, "UnsubscribeUrl": str, "TopicArn": str,
            "Subject": str},
}
EVENTBRIDGE_SHAPE = {"version": str, "id": str, "detail-type": str, "source": str, "account": str, "time": str,
                     "region": str, "resources": list, "detail": dict}


def assert_shape(value, shape, where="event"):
    if isinstance(shape, dict):
        assert isinstance(value, dict), where
        assert set(value) == set(shape), f"{where}: {sorted(set(value) ^ set(shape))}"
        for key, inner in shape.items():
            assert_shape(value[key], inner, f"{where}.{key}")
    else:
        assert isinstance(value, shape) and not isinstance(value, bool), f"{where} is {type(value).__name__}"


def test_s3_record_has_every_documented_field_with_the_change_values():
    change = S3Change("orders-bucket", "orders/red flower.json", "ObjectCreated:Put", WHEN, s3_sequencer(7),
                      size=1305, etag='"d41d8cd98f00b204e9800998ecf8427e"', principal_id="AWS:AIDAEXAMPLE")
    event = s3_event(change, "eu-west-1", "orders-trigger")
    assert list(event) == ["Records"] and len(event["Records"]) == 1
    record = event["Records"][0]
    assert_shape(record, S3_SHAPE)
    assert record["eventName"] == "ObjectCreated:Put" and record["eventVersion"] == "2.1"
    assert record["eventTime"] == "2026-12-06T17:03:07.192Z"
    assert record["s3"]["object"] == {"key": "orders/red+flower.json", "size": 1305,
                                      "eTag": "d41d8cd98f00b204e9800998ecf8427e", "sequencer": "000000000000000007"}
    assert record["s3"]["bucket"]["arn"] == "arn:aws:s3:::orders-bucket"
    assert len(record["responseElements"]["x-amz-request-id"]) == 16


def test_s3_versioned_and_delete_records():
    """A versioned bucket adds versionId; a delete has no size or eTag; sequencers grow as strings."""
    removed = S3Change("b", "k", "ObjectRemoved:DeleteMarkerCreated", WHEN, s3_sequencer(12), version_id="v2")
    obj = s3_event(removed, "us-east-1", "c")["Records"][0]["s3"]["object"]
    assert obj == {"key": "k", "versionId": "v2", "sequencer": s3_sequencer(12)}
    assert s3_sequencer(9) < s3_sequencer(10) < s3_sequencer(255)
    assert s3_event_key("a b+c/d&e.json") == "a+b%2Bc/d%26e.json"


def test_sqs_record_from_a_receive_message_response():
    """ReceiveMessage's message becomes Lambda's record: camelCase, attribute list fields, FIFO fields."""
    message = {
        "MessageId": "059f36b4-87a3-44ab-83d2-661975830a7d", "ReceiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
        "MD5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3", "Body": "test",
        "Attributes": {"SenderId": "AIDAIENQZJOLO23YVJ4VO", "ApproximateFirstReceiveTimestamp": "1545082649185",
                       "ApproximateReceiveCount": "1", "SentTimestamp": "1545082649183"},
    }
    record = sqs_record(message, "arn:aws:sqs:us-east-2:123456789012:my-queue")
    assert_shape(record, SQS_SHAPE)
    assert record["awsRegion"] == "us-east-2" and record["messageAttributes"] == {}
    fifo = dict(message, MD5OfMessageAttributes="abc",
                Attributes=dict(message["Attributes"], SequenceNumber="18849", MessageGroupId="g1",
                                MessageDeduplicationId="d1"),
                MessageAttributes={"req-id": {"StringValue": "42", "DataType": "String"},
                                   "blob": {"BinaryValue": b"\x00\x01", "DataType": "Binary"}})
    record = sqs_record(fifo, "arn:aws:sqs:us-east-2:123456789012:my-queue.fifo")
    assert record["attributes"]["MessageGroupId"] == "g1" and record["md5OfMessageAttributes"] == "abc"
    assert record["messageAttributes"]["req-id"] == {"stringValue": "42", "stringListValues": [],
                                                     "binaryListValues": [], "dataType": "String"}
    assert record["messageAttributes"]["blob"]["binaryValue"] == "AAE="


STREAM = "arn:aws:dynamodb:us-west-2:111122223333:table/TestTable/stream/2015-05-11T21:21:33.291"


def stream_record(name, view):
    images = {"NewImage": {"Message": {"S": "changed"}, "Id": {"N": "101"}},
              "OldImage": {"Message": {"S": "New item!"}, "Id": {"N": "101"}}}
    return {"eventID": "2", "eventName": name, "eventVersion": "1.1", "eventSource": "aws:dynamodb",
            "awsRegion": "us-west-2",
            "dynamodb": {"ApproximateCreationDateTime": datetime(2015, 4, 9, tzinfo=timezone.utc),
                         "Keys": {"Id": {"N": "101"}}, **images, "SequenceNumber": "222", "SizeBytes": 59,
                         "StreamViewType": view}}


def test_dynamodb_record_images_follow_the_view_type_and_event():
    """NEW_AND_OLD_IMAGES MODIFY has both; INSERT no old; REMOVE no new; KEYS_ONLY none."""
    record = dynamodb_record(stream_record("MODIFY", "NEW_AND_OLD_IMAGES"), STREAM, "NEW_AND_OLD_IMAGES")
    assert_shape(record, DDB_SHAPE)
    assert record["dynamodb"]["ApproximateCreationDateTime"] == 1428537600
    assert "OldImage" not in dynamodb_record(stream_record("INSERT", "NEW_AND_OLD_IMAGES"), STREAM,
                                             "NEW_AND_OLD_IMAGES")["dynamodb"]
    assert "NewImage" not in dynamodb_record(stream_record("REMOVE", "NEW_AND_OLD_IMAGES"), STREAM,
                                             "NEW_AND_OLD_IMAGES")["dynamodb"]
    keys_only = dynamodb_record(stream_record("MODIFY", "KEYS_ONLY"), STREAM, "KEYS_ONLY")["dynamodb"]
    assert set(keys_only) == {"ApproximateCreationDateTime", "Keys", "SequenceNumber", "SizeBytes", "StreamViewType"}
    assert set(dynamodb_record(stream_record("MODIFY", "NEW_IMAGE"), STREAM, "NEW_IMAGE")["dynamodb"]) >= {"NewImage"}


def test_sns_record_carries_the_published_attributes_and_envelope():
    note = SnsNotification("arn:aws:sns:us-east-2:123456789012:sns-lambda", "Hello from SNS!", WHEN,
                           message_id="95df01b4-ee98-5cb9-9903-4c221d41eb5e", subject="TestInvoke",
                           attributes={"Test": {"DataType": "String", "StringValue": "TestString"}})
    record = sns_event(note, "arn:aws:sns:us-east-2:123456789012:sns-lambda:21be56ed")["Records"][0]
    assert_shape(record, SNS_SHAPE)
    assert record["Sns"]["MessageAttributes"] == {"Test": {"Type": "String", "Value": "TestString"}}
    assert record["Sns"]["Timestamp"] == "2026-12-06T17:03:07.192Z"
    assert record["Sns"]["UnsubscribeUrl"].startswith("https://sns.us-east-2.amazonaws.com/?Action=Unsubscribe")
    no_subject = sns_event(SnsNotification(note.topic_arn, "x", WHEN), "s")["Records"][0]["Sns"]
    assert no_subject["Subject"] is None


def test_eventbridge_envelope_and_s3_detail():
    change = S3Change("b", "orders/1.json", "ObjectCreated:Put", WHEN, s3_sequencer(3), size=5, etag="e")
    event = eventbridge_event("aws.s3", "Object Created", s3_eventbridge_detail(change), WHEN, "ca-central-1",
                              "111122223333", ("arn:aws:s3:::b",))
    assert_shape(event, EVENTBRIDGE_SHAPE)
    assert event["time"] == "2026-12-06T17:03:07Z" and event["detail"]["reason"] == "PutObject"
    assert event["detail"]["object"] == {"key": "orders/1.json", "size": 5, "etag": "e", "sequencer": s3_sequencer(3)}


def test_event_size_counts_utf8_bytes_of_compact_json():
    assert event_size({"a": "é"}) == len(json.dumps({"a": "é"}, separators=(",", ":"), ensure_ascii=False).encode())
