"""The template's AWS resources the services host creates, with the names CloudFormation would give them,
and what `!Ref` / `!GetAtt` of each returns (CloudFormation User Guide, each resource type's "Return values").

A resource without an explicit name gets CloudFormation's generated form, stack name - logical id - a random
suffix (S3 lower-cases it). Locally the suffix is derived from the stack name and the logical id, so the
names are the same on every machine and across restarts; the stack name is SAM CLI's local "local".
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from ..workspace.cfn_intrinsics import Placeholder, partition_of
import datetime

BUCKET, TABLE, SIMPLE_TABLE, QUEUE, TOPIC, SUBSCRIPTION, EMAIL_IDENTITY, SECRET, PARAMETER, EVENT_BUS = (
    "AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable", "AWS::SQS::Queue",
    "AWS::SNS::Topic", "AWS::SNS::Subscription", "AWS::SES::EmailIdentity", "AWS::SecretsManager::Secret",
    "AWS::SSM::Parameter", "AWS::Events::EventBus")
SUPPORTED_TYPES = (BUCKET, TABLE, SIMPLE_TABLE, QUEUE, TOPIC, SUBSCRIPTION, EMAIL_IDENTITY, SECRET, PARAMETER,
                   EVENT_BUS)
# The property that names each type explicitly.
_NAME_PROPERTY = {BUCKET: "BucketName", TABLE: "TableName", SIMPLE_TABLE: "TableName", QUEUE: "QueueName",
                  TOPIC: "TopicName", EMAIL_IDENTITY: "EmailIdentity", SECRET: "Name", PARAMETER: "Name",
                  EVENT_BUS: "Name"}


@dataclass(frozen=True)
class ServiceResource:
    logical_id: str
    type: str
    name: str
    """The physical name: bucket, table, queue, topic, identity, secret or parameter name."""
    region: str
    account: str
    properties: dict = field(default_factory=dict, compare=False)
    """Resolved properties (intrinsics evaluated), as the host creates the resource from them."""
    origin: str = ""
    """file:line of the resource, for warnings."""

    @property
    def arn(self) -> str:
        partition, region, account = partition_of(self.region), self.region, self.account
        return {
            BUCKET: f"arn:{partition}:s3:::{self.name}",
            TABLE: f"arn:{partition}:dynamodb:{region}:{account}:table/{self.name}",
            SIMPLE_TABLE: f"arn:{partition}:dynamodb:{region}:{account}:table/{self.name}",
            QUEUE: f"arn:{partition}:sqs:{region}:{account}:{self.name}",
            TOPIC: f"arn:{partition}:sns:{region}:{account}:{self.name}",
            EMAIL_IDENTITY: f"arn:{partition}:ses:{region}:{account}:identity/{self.name}",
            SECRET: f"arn:{partition}:secretsmanager:{region}:{account}:secret:{self.name}-{_suffix(self.name, 6)}",
            PARAMETER: f"arn:{partition}:ssm:{region}:{account}:parameter/{self.name.lstrip('/')}",
            EVENT_BUS: f"arn:{partition}:events:{region}:{account}:event-bus/{self.name}",
        }.get(self.type, "")

    @property
    def stream_label(self) -> str | None:
        """The label of a table's stream (its ARN ends in /stream/<label>), None without a stream. On AWS it is
        the time the stream was created, to the millisecond ("2015-05-11T21:21:33.291"); here a time derived
        from the table's ARN, so `!GetAtt Table.StreamArn` and the host's table agree before the host ever ran,
        across restarts and after a reset."""
        if self.type != TABLE or not (self.properties.get("StreamSpecification") or {}).get("StreamViewType"):
            return None

        offset_ms = int(hashlib.sha256(self.arn.encode()).hexdigest()[:12], 16) % (5 * 365 * 86_400_000)
        moment = datetime.datetime(2021, 1, 1) + datetime.timedelta(milliseconds=offset_ms)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"

    @property
    def queue_url(self) -> str:
        return f"https://sqs.{self.region}.amazonaws.com/{self.account}/{self.name}"

    def ref(self) -> str:
        """What `!Ref` returns: the URL of a queue, the ARN of a topic or secret, else the name."""
        if self.type == QUEUE:
            return self.queue_url
        if self.type in (TOPIC, SECRET):
            return self.arn
        return self.name

    def attribute(self, name: str) -> str | None:
        """What `!GetAtt Resource.name` returns; None for an attribute only a deployed stack knows."""
        values = {"Arn": self.arn}
        if self.type == BUCKET:
            values.update(DomainName=f"{self.name}.s3.amazonaws.com",
                          RegionalDomainName=f"{self.name}.s3.{self.region}.amazonaws.com")
        elif self.type == TABLE and self.stream_label:
            values.update(StreamArn=f"{self.arn}/stream/{self.stream_label}")
        elif self.type == QUEUE:
            values.update(QueueName=self.name, QueueUrl=self.queue_url)
        elif self.type == TOPIC:
            values.update(TopicName=self.name, TopicArn=self.arn)
        elif self.type == SECRET:
            values.update(Id=self.arn)
        elif self.type == PARAMETER:
            values.update(Type=str(self.properties.get("Type", "String")),
                          Value=str(self.properties.get("Value", "")))
        return values.get(name)


def _suffix(seed: str, length: int) -> str:
    digest = base64.b32encode(hashlib.sha256(seed.encode()).digest()).decode().rstrip("=")
    return digest[:length]


def generated_name(resource_type: str, stack: str, logical_id: str, properties: dict) -> str:
    """The name CloudFormation gives a resource that has none of its own."""
    suffix = _suffix(f"{stack}/{logical_id}", 13)
    if resource_type == BUCKET:
        return f"{stack}-{logical_id}-{suffix}".lower()[:63]
    if resource_type == PARAMETER:
        return f"CFN-{logical_id}-{suffix}"
    if resource_type == SECRET:
        return f"{logical_id}-{suffix[:12]}"
    if resource_type == EVENT_BUS:
        return f"{stack}-{logical_id}-{suffix}"
    name = f"{stack}-{logical_id}-{suffix}"
    if resource_type == QUEUE and str(properties.get("FifoQueue", "")).lower() == "true":
        name = name[:75] + ".fifo"  # a FIFO queue's name must end in .fifo; SQS allows 80 characters
    return name[:256]


@dataclass
class ResourceReading:
    resources: list[ServiceResource] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_resources(entries: dict, resolver: Any, region: str, account: str, stack: str,
                   where: Any = None) -> ResourceReading:
    """The supported resources among `entries` (a template's Resources, or workbench.json's). resolver
    evaluates intrinsics (core.cfn_intrinsics.Resolver); where(logical_id) says file:line. Names are read
    first, so one resource's properties can !Ref another's; the resolver is told them (resource_values)."""
    reading = ResourceReading()
    named: list[tuple[str, str, dict, str, str]] = []
    for logical_id, entry in entries.items():
        if not isinstance(entry, dict) or entry.get("Type") not in SUPPORTED_TYPES:
            continue
        origin = where(logical_id) if where else str(logical_id)
        properties = entry.get("Properties") or {}
        if not isinstance(properties, dict):
            reading.warnings.append(f"{origin}: {logical_id}: Properties must be a mapping; it is not created locally")
            continue
        explicit = properties.get(_NAME_PROPERTY.get(entry["Type"], ""))
        name = resolver.resolve(explicit) if explicit is not None else None
        if isinstance(name, Placeholder) or (name is not None and not isinstance(name, str)):
            reading.warnings.append(f"{origin}: {logical_id}: its name {json.dumps(str(name))} needs a deployed "
                                    "stack; it is not created locally")
            continue
        if entry["Type"] == EMAIL_IDENTITY and not name:
            reading.warnings.append(f"{origin}: {logical_id}: EmailIdentity is required; it is not created locally")
            continue
        named.append((str(logical_id), entry["Type"], properties,
                      name or generated_name(entry["Type"], stack, str(logical_id), properties), origin))
    values = {logical_id: ServiceResource(logical_id, kind, name, region, account, origin=origin)
              for logical_id, kind, _p, name, origin in named}
    resolver.resource_values.update(values)
    for logical_id, kind, properties, name, origin in named:
        resolved = resolver.resolve(properties)
        resource = ServiceResource(logical_id, kind, name, region, account, resolved, origin)
        reading.resources.append(resource)
        resolver.resource_values[logical_id] = resource
    return reading
