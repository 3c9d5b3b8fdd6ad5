"""Creating the workspace's resources in the host and loading the seed: through the host's own endpoint with
boto3, as any client would (so moto validates the properties as AWS would), signed with the workbench's key
so none of it is counted as a function's call.

Seed files (shared in git with the workspace): seed/s3/<bucket>/<key path>, seed/dynamodb/<table>.json (a JSON
list of items, plain JSON values), seed/sqs/<queue>.json (a JSON list of message bodies; objects are sent as
their JSON text). <bucket>, <table>, <queue> are the logical id in the template or the physical name."""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from pathlib import Path

from ..core.services.local_access import SEEDING_ACCESS_KEY
from ..core.services.resources import (BUCKET, EMAIL_IDENTITY, EVENT_BUS, PARAMETER, QUEUE, SECRET, SIMPLE_TABLE,
                                       SUBSCRIPTION, TABLE, TOPIC, ServiceResource)
from ..core.services.local_access import LOCAL_ACCOUNT_ID

SEED_FOLDER = "seed"
_QUEUE_ATTRIBUTES = ("DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds",
                     "VisibilityTimeout", "FifoQueue", "ContentBasedDeduplication", "KmsMasterKeyId",
                     "SqsManagedSseEnabled", "DeduplicationScope", "FifoThroughputLimit")
_SIMPLE_KEY_TYPES = {"String": "S", "Number": "N", "Binary": "B"}


class Clients:
    """boto3 clients on the host's endpoint, made on first use (each costs a few milliseconds)."""

    def __init__(self, endpoint: str, region: str) -> None:
        self.endpoint, self.region = endpoint, region
        self._made: dict = {}

    def __getitem__(self, service: str):
        if service not in self._made:
            # Here: boto3 loads in the host once it provisions, not when this module is imported
            import boto3
            from botocore.config import Config  # here: with boto3, when provisioning

            self._made[service] = boto3.client(
                service, endpoint_url=self.endpoint, region_name=self.region,
                aws_access_key_id=SEEDING_ACCESS_KEY, aws_secret_access_key="workbench",
                config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))
        return self._made[service]


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def create(clients: Clients, resource: ServiceResource) -> None:
    """Create one resource from its resolved properties; raises what boto3 raises."""
    properties, name, kind = resource.properties, resource.name, resource.type
    if kind == BUCKET:
        arguments = {"Bucket": name}
        if clients.region != "us-east-1":
            arguments["CreateBucketConfiguration"] = {"LocationConstraint": clients.region}
        clients["s3"].create_bucket(**arguments)
    elif kind == SIMPLE_TABLE:
        key = properties.get("PrimaryKey") or {}
        key_name, key_type = key.get("Name", "id"), _SIMPLE_KEY_TYPES.get(key.get("Type", "String"), "S")
        arguments = {"TableName": name, "KeySchema": [{"AttributeName": key_name, "KeyType": "HASH"}],
                     "AttributeDefinitions": [{"AttributeName": key_name, "AttributeType": key_type}]}
        throughput = properties.get("ProvisionedThroughput")
        if throughput:
            arguments.update(BillingMode="PROVISIONED", ProvisionedThroughput={
                k: int(v) for k, v in throughput.items()})
        else:
            arguments["BillingMode"] = "PAY_PER_REQUEST"
        clients["dynamodb"].create_table(**arguments)
    elif kind == TABLE:
        arguments = {key: properties[key] for key in ("KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes",
                                                      "LocalSecondaryIndexes", "BillingMode",
                                                      "ProvisionedThroughput") if key in properties}
        if "ProvisionedThroughput" not in arguments and "BillingMode" not in arguments:
            arguments["BillingMode"] = "PAY_PER_REQUEST"
        stream = properties.get("StreamSpecification")
        if stream:
            arguments["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
        clients["dynamodb"].create_table(TableName=name, **arguments)
        if resource.stream_label:
            _label_stream(name, resource.region, resource.stream_label)
        ttl = properties.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            clients["dynamodb"].update_time_to_live(TableName=name, TimeToLiveSpecification={
                "Enabled": True, "AttributeName": ttl["AttributeName"]})
    elif kind == QUEUE:
        attributes = {key: _text(properties[key]) for key in _QUEUE_ATTRIBUTES if key in properties}
        clients["sqs"].create_queue(QueueName=name, Attributes=attributes)
    elif kind == TOPIC:
        attributes = {key: _text(properties[key]) for key in ("DisplayName", "FifoTopic", "ContentBasedDeduplication")
                      if key in properties}
        arn = clients["sns"].create_topic(Name=name, Attributes=attributes)["TopicArn"]
        for subscription in properties.get("Subscription") or []:
            clients["sns"].subscribe(TopicArn=arn, Protocol=subscription["Protocol"],
                                     Endpoint=subscription["Endpoint"])
    elif kind == SUBSCRIPTION:
        attributes = {key: _text(properties[key]) for key in ("FilterPolicy", "RawMessageDelivery", "RedrivePolicy",
                                                              "FilterPolicyScope") if key in properties}
        clients["sns"].subscribe(TopicArn=properties["TopicArn"], Protocol=properties["Protocol"],
                                 Endpoint=properties.get("Endpoint", ""), Attributes=attributes)
    elif kind == EMAIL_IDENTITY:
        clients["sesv2"].create_email_identity(EmailIdentity=name)
        if "@" in name:
            clients["ses"].verify_email_identity(EmailAddress=name)
        else:
            clients["ses"].verify_domain_identity(Domain=name)
    elif kind == SECRET:
        arguments = {"Name": name}
        if "Description" in properties:
            arguments["Description"] = properties["Description"]
        if "SecretString" in properties:
            arguments["SecretString"] = _text(properties["SecretString"])
        else:
            arguments["SecretString"] = _generated_secret(clients, properties.get("GenerateSecretString") or {})
        clients["secretsmanager"].create_secret(**arguments)
        _pin_secret_arn(resource)
    elif kind == PARAMETER:
        arguments = {"Name": name, "Value": _text(properties.get("Value", "")),
                     "Type": properties.get("Type", "String")}
        for key in ("Description", "AllowedPattern", "Tier", "DataType"):
            if key in properties:
                arguments[key] = properties[key]
        clients["ssm"].put_parameter(**arguments)
    elif kind == EVENT_BUS:
        clients["events"].create_event_bus(Name=name)


def _generated_secret(clients: Clients, template: dict) -> str:
    """GenerateSecretString as Secrets Manager does it: a random password, or a JSON object holding it."""
    options = {key: template[key] for key in ("PasswordLength", "ExcludeCharacters", "ExcludeNumbers",
                                              "ExcludePunctuation", "ExcludeUppercase", "ExcludeLowercase",
                                              "IncludeSpace", "RequireEachIncludedType") if key in template}
    if "PasswordLength" in options:
        options["PasswordLength"] = int(options["PasswordLength"])
    password = clients["secretsmanager"].get_random_password(**options)["RandomPassword"]
    if "SecretStringTemplate" in template and "GenerateStringKey" in template:
        document = json.loads(template["SecretStringTemplate"])
        document[template["GenerateStringKey"]] = password
        return json.dumps(document)
    return password


def _pin_secret_arn(resource: ServiceResource) -> None:
    """moto draws the ARN's six-character suffix at random; the template's !Ref already named one, so the
    secret gets that ARN (moto finds secrets by name or by their stored ARN)."""
    # Here: moto is first loaded by the host's bind(), not when this module is imported
    from moto.secretsmanager.models import secretsmanager_backends

    secrets = secretsmanager_backends[resource.account][resource.region].secrets
    if resource.name in secrets:
        secrets[resource.name].arn = resource.arn


def configure_after_all(clients: Clients, resource: ServiceResource) -> None:
    """Settings that name other resources, applied once every resource exists (a queue's dead-letter queue)."""
    if resource.type == QUEUE:
        for key in ("RedrivePolicy", "RedriveAllowPolicy"):
            if key in resource.properties:
                url = clients["sqs"].get_queue_url(QueueName=resource.name)["QueueUrl"]
                clients["sqs"].set_queue_attributes(QueueUrl=url, Attributes={key: _text(resource.properties[key])})


def delete(clients: Clients, resource: ServiceResource) -> None:
    """Remove one resource and everything in it (before creating it afresh)."""
    kind, name = resource.type, resource.name
    if kind == BUCKET:
        s3 = clients["s3"]
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
            for item in page.get("Versions", []) + page.get("DeleteMarkers", []):
                s3.delete_object(Bucket=name, Key=item["Key"], VersionId=item["VersionId"])
        s3.delete_bucket(Bucket=name)
    elif kind in (TABLE, SIMPLE_TABLE):
        clients["dynamodb"].delete_table(TableName=name)
    elif kind == QUEUE:
        clients["sqs"].delete_queue(QueueUrl=clients["sqs"].get_queue_url(QueueName=name)["QueueUrl"])
    elif kind == TOPIC:
        clients["sns"].delete_topic(TopicArn=resource.arn)
    elif kind == EMAIL_IDENTITY:
        clients["sesv2"].delete_email_identity(EmailIdentity=name)
    elif kind == SECRET:
        clients["secretsmanager"].delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    elif kind == PARAMETER:
        clients["ssm"].delete_parameter(Name=name)
    elif kind == EVENT_BUS:
        clients["events"].delete_event_bus(Name=name)


def _matching(resources: list[ServiceResource], folder_name: str, kinds: tuple[str, ...]) -> ServiceResource | None:
    for resource in resources:
        if resource.type in kinds and folder_name in (resource.logical_id, resource.name):
            return resource
    return None


def load_seed(clients: Clients, workspace: Path, resources: list[ServiceResource],
              only: ServiceResource | None = None) -> list[str]:
    """Put the seed files into the resources (all, or `only`); the warnings, each naming its file."""
    # Here: boto3 loads when provisioning, not at import
    from boto3.dynamodb.types import TypeSerializer

    warnings: list[str] = []
    root = workspace / SEED_FOLDER
    if not root.is_dir():
        return warnings

    def target(path: Path, kinds: tuple[str, ...]) -> ServiceResource | None:
        found = _matching(resources, path.stem if path.is_file() else path.name, kinds)
        if found is None:
            warnings.append(f"{path.relative_to(workspace)}: no {' or '.join(kinds)} named {path.stem!r} in the "
                            "workspace; the file is not loaded")
        return found if only is None or found == only else None

    for bucket_folder in sorted((root / "s3").glob("*")) if (root / "s3").is_dir() else []:
        resource = target(bucket_folder, (BUCKET,))
        for file in sorted(p for p in bucket_folder.rglob("*") if p.is_file()) if resource else []:
            clients["s3"].put_object(Bucket=resource.name, Key=file.relative_to(bucket_folder).as_posix(),
                                     Body=file.read_bytes())
    serializer = TypeSerializer()
    for file in sorted((root / "dynamodb").glob("*.json")) if (root / "dynamodb").is_dir() else []:
        resource = target(file, (TABLE, SIMPLE_TABLE))
        if resource is None:
            continue
        items = _json_list(file, workspace, warnings, parse_float=Decimal)
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                warnings.append(f"{file.relative_to(workspace)}: item {number} is not a JSON object")
                continue
            try:
                clients["dynamodb"].put_item(TableName=resource.name,
                                             Item={k: serializer.serialize(v) for k, v in item.items()})
            except Exception as error:  # noqa: BLE001 - one bad item must not stop the rest
                warnings.append(f"{file.relative_to(workspace)}: item {number}: {error}")
    for file in sorted((root / "sqs").glob("*.json")) if (root / "sqs").is_dir() else []:
        resource = target(file, (QUEUE,))
        if resource is None:
            continue
        url = clients["sqs"].get_queue_url(QueueName=resource.name)["QueueUrl"]
        for body in _json_list(file, workspace, warnings):
            arguments = {"QueueUrl": url, "MessageBody": body if isinstance(body, str) else json.dumps(body)}
            if resource.name.endswith(".fifo"):
                arguments["MessageGroupId"] = "seed"
            clients["sqs"].send_message(**arguments)
    return warnings


def _json_list(file: Path, workspace: Path, warnings: list[str], **options) -> list:
    try:
        value = json.loads(file.read_text(encoding="utf-8"), **options)
    except (OSError, ValueError) as error:
        warnings.append(f"{file.relative_to(workspace)}: {error}")
        return []
    if not isinstance(value, list):
        warnings.append(f"{file.relative_to(workspace)}: must hold a JSON list")
        return []
    return value


def _label_stream(table: str, region: str, label: str) -> None:
    """The stream gets the label the template's !GetAtt Table.StreamArn resolved to (moto labels it with the
    current time); the host serves moto in this process, so its table is at hand."""
    # Here: moto is first loaded by the host's bind(), not when this module is imported
    from moto.dynamodb.models import dynamodb_backends

    dynamodb_backends[LOCAL_ACCOUNT_ID][region].get_table(table).latest_stream_label = label


def provision(clients: Clients, workspace: Path, resources: list[ServiceResource],
              only: ServiceResource | None = None) -> list[str]:
    """Create the resources (or one) and load their seed; one warning per resource that fails, naming it."""
    warnings: list[str] = []
    created = []
    for resource in resources if only is None else [only]:
        try:
            create(clients, resource)
            created.append(resource)
        except Exception as error:  # noqa: BLE001 - one resource must not stop the others
            warnings.append(f"{resource.origin}: {resource.logical_id} ({resource.type}) was not created "
                            f"locally: {error}")
    for resource in created:
        try:
            configure_after_all(clients, resource)
        except Exception as error:  # noqa: BLE001
            warnings.append(f"{resource.origin}: {resource.logical_id}: {error}")
    warnings += load_seed(clients, workspace, resources, only)
    for warning in warnings:
        logging.getLogger(__name__).warning("%s", warning)
    return warnings
