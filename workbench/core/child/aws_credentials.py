"""AWS credentials for a function, resolved the way `sam local invoke` passes them: botocore's own chain
(environment, AWS_PROFILE or the chosen profile, ~/.aws/config and credentials, the SSO cache), handed to
the runtime as Lambda hands over its execution role's keys. The secret key and the session token are
secrets (masked by core/privacy/secret_masking.py); the access key ID is not."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

# A notice of short lines (the log does not wrap, and its pane may be narrow): what happens first, then where
# we looked, then the fix, each line under 60 characters.
NOTICE_WIDTH = 60
NO_CREDENTIALS_WARNING = (
    "WARNING: no AWS credentials found: AWS SDK calls will fail.\n"
    "  The function runs. Looked in: the environment, the\n"
    "  profile, ~/.aws/credentials, the SSO cache.\n"
    "  Fix: `aws configure` or `aws sso login`, or choose a\n"
    "  profile (--profile; Profile in AWS access settings).")
# Where calls go instead of AWS (a local emulator): passed through as the SDKs read them.
ENDPOINT_PREFIX = "AWS_ENDPOINT_URL"


@dataclass(frozen=True)
class AwsAccess:
    variables: tuple[tuple[str, str], ...]
    """AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN as the runtime gets them."""
    secrets: tuple[str, ...]
    """The secret access key and the session token (never the access key ID: AWS's identifier of a key)."""
    method: str
    """Where botocore found them ("shared-credentials-file", "env", "sso", ...), "" when none."""
    region: str | None
    """The profile's region, when it has one."""
    problem: str = ""

    @property
    def warning(self) -> str | None:
        if self.variables:
            return None
        """The notice's lines, joined by newlines (each becomes a log line)."""
        problem = textwrap.wrap(f"({self.problem})", NOTICE_WIDTH - 2, initial_indent="  ",
                                subsequent_indent="  ") if self.problem else []
        return "\n".join([NO_CREDENTIALS_WARNING, *problem])


_CACHE: dict[tuple, object] = {}


def _secret_values(variables: list[tuple[str, str]]) -> tuple[str, ...]:
    return tuple(value for name, value in variables if name != "AWS_ACCESS_KEY_ID")


def _files_botocore_reads(host_env: dict[str, str]) -> list[Path]:
    """The files botocore's chain can take credentials or a region from, where they exist."""
    home = Path(host_env.get("HOME") or Path.home())
    candidates = [host_env.get("AWS_SHARED_CREDENTIALS_FILE") or home / ".aws" / "credentials",
                  host_env.get("AWS_CONFIG_FILE") or home / ".aws" / "config",
                  host_env.get("BOTO_CONFIG") or home / ".boto", "/etc/boto.cfg"]
    return [Path(c) for c in candidates if Path(c).expanduser().exists()]


def _without_botocore(profile: str | None, host_env: dict[str, str]) -> AwsAccess | None:
    """What botocore's chain would find when nothing but the environment can hold credentials (no profile
    chosen, no AWS file on the machine, no web identity): then its first link, the environment, is the
    answer, and importing botocore (about 100 ms) is not needed. None when botocore must look."""
    if profile or host_env.get("AWS_PROFILE") or host_env.get("AWS_WEB_IDENTITY_TOKEN_FILE"):
        return None
    if _files_botocore_reads(host_env):
        return None
    region = host_env.get("AWS_DEFAULT_REGION") or None
    key, secret = host_env.get("AWS_ACCESS_KEY_ID"), host_env.get("AWS_SECRET_ACCESS_KEY")
    if not (key and secret):
        return AwsAccess((), (), "", region)
    variables = [("AWS_ACCESS_KEY_ID", key), ("AWS_SECRET_ACCESS_KEY", secret)]
    token = host_env.get("AWS_SESSION_TOKEN") or host_env.get("AWS_SECURITY_TOKEN")
    if token:
        variables.append(("AWS_SESSION_TOKEN", token))
    return AwsAccess(tuple(variables), _secret_values(variables), "env", region)


def resolve_aws_access(profile: str | None, host_env: dict[str, str]) -> AwsAccess:
    """Credentials from botocore's chain; never the instance-metadata or container endpoints (no network
    wait on a laptop). A refreshable source (SSO, assume-role) is refreshed when it is about to expire."""
    if (found := _without_botocore(profile, host_env)) is not None:
        return found
    key = (profile, host_env.get("AWS_SHARED_CREDENTIALS_FILE"), host_env.get("AWS_CONFIG_FILE"))
    try:
        # Here, not at the top: botocore is a large import, needed only when the credentials are not in the
        # environment already (and it may be absent).
        import botocore.exceptions
        # Here: botocore is heavy and only a function with an AWS profile needs it; invoke loads this module before
        # the head start
        import botocore.session
    except ImportError:
        return AwsAccess((), (), "", None, "botocore is not installed")
    try:
        if key not in _CACHE:
            session = botocore.session.Session(profile=profile or None)
            for variable, name in (("AWS_SHARED_CREDENTIALS_FILE", "credentials_file"),
                                   ("AWS_CONFIG_FILE", "config_file")):
                if host_env.get(variable):
                    session.set_config_variable(name, host_env[variable])
            resolver = session.get_component("credential_provider")
            for provider in ("iam-role", "container-role"):
                try:
                    resolver.remove(provider)
                except Exception:  # noqa: BLE001 - absent in some botocore versions
                    pass
            _CACHE[key] = (session.get_credentials(), session.get_config_variable("region"))
        credentials, region = _CACHE[key]
        if credentials is None:
            return AwsAccess((), (), "", region)
        frozen = credentials.get_frozen_credentials()
    except botocore.exceptions.BotoCoreError as error:
        _CACHE.pop(key, None)
        return AwsAccess((), (), "", None, str(error))
    variables = [("AWS_ACCESS_KEY_ID", frozen.access_key), ("AWS_SECRET_ACCESS_KEY", frozen.secret_key)]
    if frozen.token:
        variables.append(("AWS_SESSION_TOKEN", frozen.token))
    return AwsAccess(tuple(variables), _secret_values(variables), getattr(credentials, "method", "") or "", region)


def endpoint_variables(endpoints: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """AWS_ENDPOINT_URL and its per-service forms (AWS_ENDPOINT_URL_S3, ...) set for a workspace."""
    return tuple((name, url) for name, url in sorted(endpoints.items())
                 if name == ENDPOINT_PREFIX or name.startswith(ENDPOINT_PREFIX + "_"))


def available_profiles(host_env: dict[str, str]) -> list[str]:
    """The profile names of ~/.aws/config and credentials (botocore reads them), [] when it cannot."""
    try:
        import botocore.session  # here: only the window's AWS settings list profiles; it may be absent
        session = botocore.session.Session()
        for variable, name in (("AWS_SHARED_CREDENTIALS_FILE", "credentials_file"),
                               ("AWS_CONFIG_FILE", "config_file")):
            if host_env.get(variable):
                session.set_config_variable(name, host_env[variable])
        return sorted(session.available_profiles)
    except Exception:  # noqa: BLE001 - a malformed file must not take the window down
        return []
