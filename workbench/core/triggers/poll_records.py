"""The records Lambda's pollers build from SQS messages and DynamoDB stream records.

Inputs are what the services' own APIs return (SQS ReceiveMessage `Messages[]`, DynamoDB Streams
GetRecords `Records[]`, low-level client shapes), so every value is the local resource's own.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

# The attributes Lambda asks ReceiveMessage for and passes on, in the order AWS's example shows them.
SQS_SYSTEM_ATTRIBUTES = (
    "ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp",
    "SequenceNumber", "MessageGroupId", "MessageDeduplicationId", "AWSTraceHeader", "DeadLetterQueueSourceArn",
)

STREAM_VIEW_TYPES = ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES")


def sqs_record(message: dict, queue_arn: str) -> dict:
    """One element of `Records` for SQS -> Lambda (Lambda developer guide, "Using Lambda with Amazon SQS").

    Message attributes change casing on the way (`StringValue` -> `stringValue`) and always carry the two
    list fields, empty; FIFO queues add `SequenceNumber`, `MessageGroupId`, `MessageDeduplicationId`.
    """
    region = queue_arn.split(":")[3]
    received = message.get("Attributes", {})
    attributes = {name: str(received[name]) for name in SQS_SYSTEM_ATTRIBUTES if name in received}
    record: dict[str, Any] = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message.get("Body", ""),
        "attributes": attributes,
        "messageAttributes": {name: sqs_lambda_attribute(value)
                              for name, value in message.get("MessageAttributes", {}).items()},
        "md5OfBody": message.get("MD5OfBody", ""),
    }
    if message.get("MD5OfMessageAttributes"):
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    record.update({"eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": region})
    return record


def sqs_lambda_attribute(value: dict) -> dict:
    converted: dict[str, Any] = {}
    if "StringValue" in value:
        converted["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        raw = value["BinaryValue"]
        converted["binaryValue"] = base64.b64encode(raw).decode() if isinstance(raw, (bytes, bytearray)) else raw
    converted["stringListValues"] = list(value.get("StringListValues", []))
    converted["binaryListValues"] = [base64.b64encode(b).decode() if isinstance(b, (bytes, bytearray)) else b
                                     for b in value.get("BinaryListValues", [])]
    converted["dataType"] = value.get("DataType", "String")
    return converted


def dynamodb_record(record: dict, stream_arn: str, view_type: str) -> dict:
    """One element of `Records` for DynamoDB Streams -> Lambda (Lambda developer guide, "Using AWS Lambda
    with Amazon DynamoDB"): the stream record plus `eventSourceARN`, images as `StreamViewType` allows,
    `ApproximateCreationDateTime` in epoch seconds.
    """
    stream = dict(record.get("dynamodb", {}))
    created = stream.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        stream["ApproximateCreationDateTime"] = int(created.timestamp())
    elif isinstance(created, float) and created.is_integer():
        stream["ApproximateCreationDateTime"] = int(created)
    event_name = record.get("eventName", "")
    # INSERT has no old image, REMOVE no new one; KEYS_ONLY has neither.
    keep_new = view_type in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES") and event_name != "REMOVE"
    keep_old = view_type in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES") and event_name != "INSERT"
    if not keep_new:
        stream.pop("NewImage", None)
    if not keep_old:
        stream.pop("OldImage", None)
    stream["StreamViewType"] = view_type
    built: dict[str, Any] = {
        "eventID": record.get("eventID", ""),
        "eventName": event_name,
        "eventVersion": record.get("eventVersion", "1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": record.get("awsRegion", stream_arn.split(":")[3]),
        "dynamodb": stream,
        "eventSourceARN": stream_arn,
    }
    if record.get("userIdentity"):
        # TTL deletions: {"type": "Service", "principalId": "dynamodb.amazonaws.com"}.
        built["userIdentity"] = record["userIdentity"]
    return built


def sequence_number(record: dict) -> int:
    """A stream record's SequenceNumber as a number: they are decimal strings of growing length, so they
    order by value, not as text."""
    return int(record["dynamodb"]["SequenceNumber"])
