"""The agent's local AWS tools (local_resources, outbox, reset_local_aws) over the workspace's services host:
`HostLocalAws` joins the host (or starts it, as a command in local mode does) and asks it through the
engine's ServicesClient. `LocalAwsUnavailable` carries what the tool answers when it cannot."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol
from ..engine.services_client import ServicesClient
from ..engine.services_host import HostStartError, find_host, start_host

# The services an agent can name, and the template resource types each resets (a reset returns them to the
# seed: the template's resources, the seed/ folder's objects and items).
SERVICE_TYPES = {
    "s3": ("AWS::S3::Bucket",),
    "dynamodb": ("AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable"),
    "sqs": ("AWS::SQS::Queue",),
    "sns": ("AWS::SNS::Topic",),
    "ses": ("AWS::SES::EmailIdentity",),
    "events": ("AWS::Events::EventBus",),
    "secretsmanager": ("AWS::SecretsManager::Secret",),
    "ssm": ("AWS::SSM::Parameter",),
}
HIDDEN = "(SecureString: not shown)"
ITEMS_SHOWN = 20


class LocalAwsUnavailable(RuntimeError):
    """The question cannot be answered: the host cannot start, or the question names no service."""


class LocalAws(Protocol):
    def resources(self, service: str | None) -> dict:
        """{"services": {"s3": {"buckets": [...]}, "dynamodb": {"tables": [...]}, ...}}, one service or all."""

    def outbox(self, limit: int) -> dict:
        """{"messages": [...]}: what the functions sent out (SES mail), newest first."""

    def reset(self, services: list[str] | None) -> dict:
        """Return the named services (all when None) to the seed state: {"reset": [service, ...]}."""


class NoLocalAws:
    """No local AWS services to ask (a server built without a workspace's host): every question says so."""

    MESSAGE = "local AWS services are not available to this server"

    def resources(self, service: str | None) -> dict:
        raise LocalAwsUnavailable(self.MESSAGE)

    def outbox(self, limit: int) -> dict:
        raise LocalAwsUnavailable(self.MESSAGE)

    def reset(self, services: list[str] | None) -> dict:
        raise LocalAwsUnavailable(self.MESSAGE)


class HostLocalAws:
    """The workspace's services host, joined (or started) on the first question."""

    def __init__(self, workspace: Path | str, region: str | None = None) -> None:
        self.workspace, self.region = Path(workspace), region

    def _client(self):
        try:
            record = find_host(self.workspace) or start_host(self.workspace, region=self.region)
        except (HostStartError, OSError) as error:
            raise LocalAwsUnavailable(f"the local AWS services could not start: {error}") from None
        return ServicesClient(record)

    def resources(self, service: str | None) -> dict:
        names = _services([service] if service else None)
        client = self._client()
        try:
            declared = client.resources()
            found = {name: _read(client, name) for name in names}
        except OSError as error:
            raise LocalAwsUnavailable(f"the local AWS services did not answer: {error}") from None
        found["declared"] = {"resources": declared["resources"], "warnings": declared["warnings"]}
        return {"services": found}

    def outbox(self, limit: int) -> dict:
        if limit < 1:
            raise LocalAwsUnavailable(f"limit must be 1 or more, not {limit}")
        try:
            return {"messages": self._client().outbox()[:limit]}
        except OSError as error:
            raise LocalAwsUnavailable(f"the local AWS services did not answer: {error}") from None

    def reset(self, services: list[str] | None) -> dict:
        names = _services(services)
        client = self._client()
        try:
            if services is None:
                client.reset()
                return {"reset": names}
            declared = client.resources()["resources"]
            for name in names:
                for resource in declared:
                    if resource["type"] in SERVICE_TYPES[name]:
                        client.reset(resource["logicalId"])
                if name == "ses":
                    client.reset("outbox")
        except OSError as error:
            raise LocalAwsUnavailable(f"the local AWS services did not answer: {error}") from None
        return {"reset": names}


def _services(services: list[str] | None) -> list[str]:
    if services is None:
        return list(SERVICE_TYPES)
    unknown = [name for name in services if name not in SERVICE_TYPES]
    if unknown:
        raise LocalAwsUnavailable(f"no local service {', '.join(map(repr, unknown))}: the services are "
                                  + ", ".join(SERVICE_TYPES))
    return list(dict.fromkeys(services))


def _read(client, service: str) -> dict:
    """What one service holds, as plain JSON."""
    if service == "s3":
        return {"buckets": [{"name": bucket, "objects": [{"key": o["key"], "size": o["size"]}
                                                          for o in client.objects(bucket)]}
                            for bucket in client.buckets()]}
    if service == "dynamodb":
        tables = []
        for table in client.tables():
            items = client.items(table)
            tables.append({"name": table, "keys": client.key_names(table), "itemCount": len(items),
                           "items": items[:ITEMS_SHOWN]})
        return {"tables": tables}
    if service == "sqs":
        return {"queues": client.queues()}
    if service == "sns":
        return {"topics": client.topics()}
    if service == "ses":
        return {"sent": len(client.outbox())}
    if service == "events":
        return {"buses": client.event_buses()}
    if service == "secretsmanager":
        return {"secrets": client.secrets()}  # names and ARNs; a value only through the function's own call
    return {"parameters": [{**p, "value": HIDDEN if p["type"] == "SecureString" else p["value"]}
                           for p in client.parameters()]}
