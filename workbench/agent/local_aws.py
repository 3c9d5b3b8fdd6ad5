"""The seam for the local AWS services (the services host: S3, DynamoDB, SQS, SES ... on moto, with its
Outbox): what the agent's local-resources, Outbox and reset tools ask of it.

The tools are served today and answer through `LocalAws`; until the host exists, `NoLocalAws` says so in
one line. Wiring the host means one class with these three methods, built from the engine-side client of
the services host, passed to `build_server(..., local_aws=...)` by cli/mcp.py.
"""

from __future__ import annotations

from typing import Protocol


class LocalAwsUnavailable(RuntimeError):
    """The workspace has no local AWS services to ask (not started, or not part of this build)."""


class LocalAws(Protocol):
    def resources(self, service: str | None) -> dict:
        """{"services": {"s3": {"buckets": [...]}, "dynamodb": {"tables": [...]}, ...}}, one service or all."""

    def outbox(self, limit: int) -> dict:
        """{"messages": [...]}: what the functions sent out (SES mail, SNS to the outside ...), newest first."""

    def reset(self, services: list[str] | None) -> dict:
        """Empty the named services (all when None): {"reset": [service, ...]}."""


class NoLocalAws:
    """Local AWS services are not there: every question gets the same plain answer."""

    MESSAGE = ("local AWS services are not running for this workspace: this build of Lambda Workbench "
               "does not include the services host yet")

    def resources(self, service: str | None) -> dict:
        raise LocalAwsUnavailable(self.MESSAGE)

    def outbox(self, limit: int) -> dict:
        raise LocalAwsUnavailable(self.MESSAGE)

    def reset(self, services: list[str] | None) -> dict:
        raise LocalAwsUnavailable(self.MESSAGE)
