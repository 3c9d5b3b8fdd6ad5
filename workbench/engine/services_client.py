"""The engine-side client of a workspace's services host, for the AWS dock, `services` commands and tests:
plain calls (no Qt) that return plain data. Listing and changing resources goes through the real AWS APIs
(boto3 on the host's endpoint, signed with the workbench's own key so none of it counts as a run's call);
the Outbox, the calls of a run, the resources and reset through the host's control API."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from ..core.services.api_calls import AwsCall
from ..core.services.host_record import HostRecord
from ..core.services.local_access import WORKBENCH_ACCESS_KEY
from .services_host import control
from decimal import Decimal
import base64


class ServicesClient:
    def __init__(self, record: HostRecord) -> None:
        self.record = record
        self._clients: dict = {}

    def client(self, service: str):
        """A boto3 client on the host (made once per service)."""
        if service not in self._clients:
            # Here: boto3/botocore (heavy) load on the first call to the services, not when this module is imported
            import boto3
            from botocore.config import Config  # here: with boto3, on the first call

            self._clients[service] = boto3.client(
                service, endpoint_url=self.record.endpoint, region_name=self.record.region,
                aws_access_key_id=WORKBENCH_ACCESS_KEY, aws_secret_access_key="workbench",
                config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))
        return self._clients[service]

    # --- The host's own API

    def outbox(self) -> list[dict]:
        """Every email sent, newest first: from, to, cc, bcc, subject, text, html, raw (raw sends), attachments
        [{filename, contentType, size}], time, id, accessKey."""
        return control(self.record, "GET", "outbox")

    def calls(self, access_key: str | None = None, since: float = 0.0, until: float | None = None) -> list[AwsCall]:
        query = {"since": since, "until": until if until is not None else time.time() + 1}
        if access_key:
            query["key"] = access_key
        return [AwsCall.from_wire(item) for item in control(self.record, "GET", "calls", query=urlencode(query))]

    def resources(self) -> dict:
        """{"resources": [{logicalId, type, name, arn, ref, origin}], "warnings": [...]}"""
        return control(self.record, "GET", "resources")

    def reset(self, resource: str | None = None) -> dict:
        """Back to the seed: all, one resource (logical id, name or ARN), or "outbox"."""
        return control(self.record, "POST", "reset", {"resource": resource}, timeout=60.0)

    def save(self) -> None:
        control(self.record, "POST", "save", {})

    # --- S3

    def buckets(self) -> list[str]:
        return [bucket["Name"] for bucket in self.client("s3").list_buckets().get("Buckets", [])]

    def objects(self, bucket: str, prefix: str = "") -> list[dict]:
        """[{key, size, lastModified}] of every object."""
        found = []
        for page in self.client("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            found += [{"key": item["Key"], "size": item["Size"], "lastModified": item["LastModified"].timestamp()}
                      for item in page.get("Contents", [])]
        return found

    def get_object(self, bucket: str, key: str) -> tuple[bytes, str]:
        """(content, content type)."""
        answer = self.client("s3").get_object(Bucket=bucket, Key=key)
        return answer["Body"].read(), answer.get("ContentType", "")

    def put_object(self, bucket: str, key: str, data: bytes, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        self.client("s3").put_object(Bucket=bucket, Key=key, Body=data, **extra)

    def delete_object(self, bucket: str, key: str) -> None:
        self.client("s3").delete_object(Bucket=bucket, Key=key)

    # --- DynamoDB (items as plain JSON values)

    def tables(self) -> list[str]:
        return self.client("dynamodb").list_tables().get("TableNames", [])

    def key_names(self, table: str) -> list[str]:
        schema = self.client("dynamodb").describe_table(TableName=table)["Table"]["KeySchema"]
        return [key["AttributeName"] for key in schema]

    def items(self, table: str, limit: int = 1000) -> list[dict]:
        # Here: boto3 is loaded on the first call, not at import
        from boto3.dynamodb.types import TypeDeserializer

        deserializer = TypeDeserializer()
        found: list[dict] = []
        for page in self.client("dynamodb").get_paginator("scan").paginate(TableName=table):
            found += [{k: _plain(deserializer.deserialize(v)) for k, v in item.items()} for item in page["Items"]]
            if len(found) >= limit:
                break
        return found[:limit]

    def put_item(self, table: str, item: dict) -> None:
        # Here: boto3 is loaded on the first call, not at import
        from boto3.dynamodb.types import TypeSerializer

        serializer = TypeSerializer()
        item = json.loads(json.dumps(item), parse_float=Decimal)
        self.client("dynamodb").put_item(TableName=table, Item={k: serializer.serialize(v) for k, v in item.items()})

    def delete_item(self, table: str, key: dict) -> None:
        # Here: boto3 is loaded on the first call, not at import
        from boto3.dynamodb.types import TypeSerializer

        serializer = TypeSerializer()
        self.client("dynamodb").delete_item(TableName=table, Key={k: serializer.serialize(v) for k, v in key.items()})

    # --- SQS, SNS, EventBridge

    def queues(self) -> list[dict]:
        """[{name, url, visible, inFlight, delayed, deadLetterQueue}] of every queue."""
        sqs = self.client("sqs")
        found = []
        for url in sqs.list_queues().get("QueueUrls", []):
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
            redrive = json.loads(attributes.get("RedrivePolicy", "{}") or "{}")
            found.append({"name": url.rsplit("/", 1)[-1], "url": url,
                          "visible": int(attributes.get("ApproximateNumberOfMessages", 0)),
                          "inFlight": int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0)),
                          "delayed": int(attributes.get("ApproximateNumberOfMessagesDelayed", 0)),
                          "deadLetterQueue": redrive.get("deadLetterTargetArn")})
        return found

    def send_message(self, queue_url: str, body: str, group_id: str | None = None) -> str:
        extra = {"MessageGroupId": group_id} if group_id else {}
        return self.client("sqs").send_message(QueueUrl=queue_url, MessageBody=body, **extra)["MessageId"]

    def topics(self) -> list[str]:
        return [topic["TopicArn"] for topic in self.client("sns").list_topics().get("Topics", [])]

    def publish(self, topic_arn: str, message: str, subject: str | None = None) -> str:
        extra = {"Subject": subject} if subject else {}
        return self.client("sns").publish(TopicArn=topic_arn, Message=message, **extra)["MessageId"]

    def event_buses(self) -> list[str]:
        return [bus["Name"] for bus in self.client("events").list_event_buses().get("EventBuses", [])]

    def put_event(self, source: str, detail_type: str, detail: dict, bus: str = "default") -> dict:
        return self.client("events").put_events(Entries=[{"Source": source, "DetailType": detail_type,
                                                          "Detail": json.dumps(detail), "EventBusName": bus}])

    # --- Secrets Manager, SSM Parameter Store

    def secrets(self) -> list[dict]:
        """[{name, arn}] (values only through secret_value, on demand)."""
        listed = self.client("secretsmanager").list_secrets().get("SecretList", [])
        return [{"name": item["Name"], "arn": item["ARN"]} for item in listed]

    def secret_value(self, name: str) -> str:
        return self.client("secretsmanager").get_secret_value(SecretId=name).get("SecretString", "")

    def parameters(self) -> list[dict]:
        """[{name, type, value}]."""
        ssm = self.client("ssm")
        names = [item["Name"] for page in ssm.get_paginator("describe_parameters").paginate()
                 for item in page.get("Parameters", [])]
        found = []
        for name in names:
            parameter = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
            found.append({"name": name, "type": parameter["Type"], "value": parameter["Value"]})
        return found


def _plain(value):
    """DynamoDB's Decimal and set values as JSON can hold them."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return value
