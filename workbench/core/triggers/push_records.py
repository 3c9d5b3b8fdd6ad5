"""The events S3, SNS and EventBridge hand to Lambda, field for field as AWS documents them.

Every value comes from the caller (the services host reads it from the local resource or the request
that caused it); only identifiers AWS would mint (request ids, message ids) are made here when not given.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote_plus


def iso_millis(moment: datetime) -> str:
    """`2019-09-03T19:37:27.192Z`: S3's and SNS's timestamps, milliseconds and a Z."""
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_seconds(moment: datetime) -> str:
    """`2021-11-12T00:00:00Z`: EventBridge's `time`, whole seconds."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- S3 -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class S3Change:
    """One change to an object, as the local S3 saw it."""

    bucket: str
    key: str
    event_name: str
    """Without the `s3:` prefix: `ObjectCreated:Put`, `ObjectCreated:Copy`, `ObjectRemoved:Delete`, ..."""
    time: datetime
    sequencer: str
    """Increasing per key; see `s3_sequencer`."""
    size: int | None = None
    etag: str = ""
    version_id: str | None = None
    """Set on versioned buckets (and for delete markers)."""
    principal_id: str = "AWS:AIDALOCALWORKBENCH"
    source_ip: str = "127.0.0.1"
    request_id: str = ""
    host_id: str = ""
    owner_principal_id: str = ""


def s3_sequencer(counter: int) -> str:
    """The object's `sequencer`: hex, growing with each change to a key.

    AWS says to compare sequencers as hex strings after padding the shorter with zeros; a fixed width
    keeps ours comparable as plain strings too.
    """
    return f"{counter:018X}"


def s3_event_key(key: str) -> str:
    """The key as S3 writes it into an event: URL-encoded, a space as `+` ("red flower.jpg" ->
    "red+flower.jpg", Lambda developer guide "Using Lambda with Amazon S3").

    Whether `/` is encoded is disputed between captures (see LOCAL-AWS.md 1.2); captures from Lambda
    triggers in AWS's own samples keep it, so we do.
    """
    return quote_plus(key, safe="/")


def s3_record(change: S3Change, region: str, configuration_id: str) -> dict:
    """One element of `Records` for an S3 notification (event version 2.1, as in Lambda's guide)."""
    obj: dict = {"key": s3_event_key(change.key)}
    if change.event_name.startswith("ObjectCreated"):
        obj["size"] = change.size or 0
        obj["eTag"] = change.etag.strip('"')
    if change.version_id:
        obj["versionId"] = change.version_id
    obj["sequencer"] = change.sequencer
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": region,
        "eventTime": iso_millis(change.time),
        "eventName": change.event_name,
        "userIdentity": {"principalId": change.principal_id},
        "requestParameters": {"sourceIPAddress": change.source_ip},
        "responseElements": {
            "x-amz-request-id": change.request_id or secrets.token_hex(8).upper(),
            "x-amz-id-2": change.host_id or base64.b64encode(secrets.token_bytes(56)).decode(),
        },
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": configuration_id,
            "bucket": {
                "name": change.bucket,
                "ownerIdentity": {"principalId": change.owner_principal_id or _owner_id(change.bucket)},
                "arn": f"arn:aws:s3:::{change.bucket}",
            },
            "object": obj,
        },
    }


def _owner_id(bucket: str) -> str:
    # The bucket owner's short principal id (14 upper-case characters in AWS's examples).
    return hashlib.sha1(bucket.encode()).hexdigest()[:14].upper()


def s3_event(change: S3Change, region: str, configuration_id: str) -> dict:
    """The whole event: S3 sends one record per event in practice."""
    return {"Records": [s3_record(change, region, configuration_id)]}


def s3_eventbridge_detail(change: S3Change) -> dict:
    """`detail` of S3's "Object Created"/"Object Deleted" EventBridge event (S3 user guide, "EventBridge
    event message structure"); the reason is the API call that caused it."""
    obj: dict = {"key": change.key}
    if change.event_name.startswith("ObjectCreated"):
        obj["size"] = change.size or 0
        obj["etag"] = change.etag.strip('"')
    if change.version_id:
        obj["version-id"] = change.version_id
    obj["sequencer"] = change.sequencer
    reason = {"Put": "PutObject", "Copy": "CopyObject", "Post": "PostObject",
              "CompleteMultipartUpload": "CompleteMultipartUpload", "Delete": "DeleteObject",
              "DeleteMarkerCreated": "DeleteObject"}.get(change.event_name.split(":")[-1], "PutObject")
    return {"version": "0", "bucket": {"name": change.bucket}, "object": obj,
            "request-id": change.request_id or secrets.token_hex(8).upper(),
            "requester": change.principal_id.removeprefix("AWS:"),
            "source-ip-address": change.source_ip, "reason": reason}


# --- EventBridge --------------------------------------------------------------------------------------

def eventbridge_event(source: str, detail_type: str, detail: dict, time: datetime, region: str,
                      account: str, resources: tuple[str, ...] = (), event_id: str = "") -> dict:
    """The envelope EventBridge delivers to a target: the event itself, no `Records`."""
    return {
        "version": "0",
        "id": event_id or str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": source,
        "account": account,
        "time": iso_seconds(time),
        "region": region,
        "resources": list(resources),
        "detail": detail,
    }


# --- SNS ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SnsNotification:
    topic_arn: str
    message: str
    time: datetime
    message_id: str = ""
    subject: str | None = None
    attributes: dict = field(default_factory=dict)
    """MessageAttributes as published: {name: {"DataType": ..., "StringValue"/"BinaryValue": ...}}."""


def sns_record(notification: SnsNotification, subscription_arn: str) -> dict:
    """One element of `Records` for SNS -> Lambda (Lambda developer guide, "Using Lambda with Amazon SNS").

    Casing differs from SQS on purpose (`EventSource`, `Sns`, `Type`/`Value`). The signature cannot be
    AWS's locally: it is a digest of the signed fields, in the shape of the real one, and will not verify.
    """
    region = notification.topic_arn.split(":")[3] if notification.topic_arn.count(":") >= 5 else "us-east-1"
    message_id = notification.message_id or str(uuid.uuid4())
    timestamp = iso_millis(notification.time)
    signed = "\n".join(("Message", notification.message, "MessageId", message_id, "Subject",
                        notification.subject or "", "Timestamp", timestamp, "TopicArn",
                        notification.topic_arn, "Type", "Notification"))
    return {
        "EventVersion": "1.0",
        "EventSubscriptionArn": subscription_arn,
        "EventSource": "aws:sns",
        "Sns": {
            "SignatureVersion": "1",
            "Timestamp": timestamp,
            "Signature": base64.b64encode(hashlib.sha256(signed.encode()).digest() * 8).decode(),
            "SigningCertUrl": f"https://sns.{region}.amazonaws.com/SimpleNotificationService-local.pem",
            "MessageId": message_id,
            "Message": notification.message,
            "MessageAttributes": sns_lambda_attributes(notification.attributes),
            "Type": "Notification",
            "UnsubscribeUrl": f"https://sns.{region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
                              f"{subscription_arn}",
            "TopicArn": notification.topic_arn,
            "Subject": notification.subject,
        },
    }


def sns_lambda_attributes(attributes: dict) -> dict:
    """Publish-shaped attributes as SNS hands them on: {"Type": DataType, "Value": text or base64}."""
    converted = {}
    for name, attribute in attributes.items():
        if "Type" in attribute and "Value" in attribute:
            converted[name] = {"Type": attribute["Type"], "Value": attribute["Value"]}
            continue
        value = attribute.get("StringValue")
        if value is None and attribute.get("BinaryValue") is not None:
            raw = attribute["BinaryValue"]
            value = base64.b64encode(raw).decode() if isinstance(raw, (bytes, bytearray)) else str(raw)
        converted[name] = {"Type": attribute.get("DataType", "String"), "Value": value}
    return converted


def sns_event(notification: SnsNotification, subscription_arn: str) -> dict:
    return {"Records": [sns_record(notification, subscription_arn)]}


def event_size(event: dict) -> int:
    """The event's size in bytes as sent (compact JSON, UTF-8), for the payload limits."""
    return len(json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
