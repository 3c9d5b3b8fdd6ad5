"""The credentials a function gets when its AWS calls go to the local services host: never the user's, and
one access key per execution environment, so the host can tell which environment (and so which run) made
each call. The key is read back from the SigV4 Authorization header every SDK sends."""

from __future__ import annotations

import re

# moto's default account: the ARNs the host answers with carry it, so the template's ARNs must too.
LOCAL_ACCOUNT_ID = "123456789012"
# Stands in for the per-environment key until the environment's id is known (core.child_environment swaps it).
LOCAL_ACCESS_KEY_MARK = "ASIA-LOCAL-ENVIRONMENT"
LOCAL_SECRET_ACCESS_KEY = "local-secret-key-not-an-aws-secret"
LOCAL_SESSION_TOKEN = "local-session-token-not-an-aws-token"
# The key the workbench's own tools (CLI, dock, seeding) use: their calls are not a run's.
WORKBENCH_ACCESS_KEY = "ASIAWORKBENCHLOCAL00"
# The key the host creates the workspace's resources and seed with: the only calls that do not wait for it.
SEEDING_ACCESS_KEY = "ASIAWORKBENCHSEEDING"

# "AWS4-HMAC-SHA256 Credential=ASIA.../20261206/us-east-1/s3/aws4_request, SignedHeaders=..., Signature=..."
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")


def local_access_key(environment_id: str) -> str:
    """20 characters like the ASIA... keys Lambda hands a function; unique to the environment."""
    return "ASIA" + environment_id[:16].upper()


def credential_scope(authorization: str) -> tuple[str, str, str] | None:
    """(access key, region, signing name) from a SigV4 Authorization header (or X-Amz-Credential of a
    presigned URL, given as 'Credential=...'); None when the request is not signed that way."""
    match = _CREDENTIAL.search(authorization or "")
    if match is None:
        return None
    return match.group(1), match.group(3), match.group(4)
