"""Where a workspace's function sends its AWS calls: "local" (the workspace's services host; the default, so
nothing leaves the machine and no account is needed) or "account" (botocore's chain, profile and region, as
before). Kept in workbench.json's "aws" section beside the profile and region (core.aws_settings):

    "aws": {"calls": "local", "keepOnAccount": ["bedrock-runtime"], "sesSandbox": false}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..workspace.atomic_write import write_text_atomic
from ..workspace.workspace_file import existing_document, workspace_file_path
from .local_access import LOCAL_ACCESS_KEY_MARK, LOCAL_SECRET_ACCESS_KEY, LOCAL_SESSION_TOKEN

LOCAL, ACCOUNT = "local", "account"
MODES = (LOCAL, ACCOUNT)
DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class ServicesSettings:
    calls: str = LOCAL
    keep_on_account: tuple[str, ...] = ()
    """Services whose calls still go to the account in local mode (e.g. bedrock-runtime)."""
    ses_sandbox: bool = False
    """Reproduce a new account's SES sandbox: sends from an unverified identity get MessageRejected."""

    @property
    def local(self) -> bool:
        return self.calls == LOCAL


@dataclass(frozen=True)
class LocalServices:
    """Local mode for the next environments: the workspace whose services host takes their calls (started on
    the first environment whose code uses the SDK, unless `endpoint` names a running one already)."""

    workspace: str
    region: str
    keep_on_account: tuple[str, ...] = ()
    endpoint: str | None = None


class SettingsError(ValueError):
    """A malformed setting; the message names the file and the field."""


def parse_calls(value: str) -> str:
    """The --aws option's value; ValueError in words argparse can show."""
    if value not in MODES:
        raise ValueError(f"--aws must be 'local' or 'account', not {value!r}")
    return value


def load_services_settings(folder: Path | str) -> ServicesSettings:
    """The workspace's setting; the default (local) when the file or the section is absent. A wrong value
    raises SettingsError naming it: silently falling back to the account would send calls to AWS."""
    path = workspace_file_path(folder)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return ServicesSettings()
    except ValueError:
        return ServicesSettings()  # workbench.json's own reader reports a broken file with its line
    section = document.get("aws") if isinstance(document, dict) else None
    if not isinstance(section, dict):
        return ServicesSettings()
    calls = section.get("calls", LOCAL)
    if calls not in MODES:
        raise SettingsError(f"{path}: aws.calls: must be \"local\" or \"account\", not {calls!r}")
    keep = section.get("keepOnAccount", [])
    if not isinstance(keep, list) or not all(isinstance(name, str) and name for name in keep):
        raise SettingsError(f"{path}: aws.keepOnAccount: must be a list of service names such as \"bedrock-runtime\"")
    sandbox = section.get("sesSandbox", False)
    if not isinstance(sandbox, bool):
        raise SettingsError(f"{path}: aws.sesSandbox: must be true or false")
    return ServicesSettings(calls, tuple(keep), sandbox)


def workspace_local_services(folder: Path | str, region: str | None) -> LocalServices | None:
    """Local mode for a workspace as its setting says (None: account mode); the host is joined or started on
    the first environment that needs it. A malformed setting counts as local: never send calls to AWS on a
    typo (the command line names the mistake)."""
    try:
        settings = load_services_settings(folder)
    except SettingsError:
        settings = ServicesSettings()
    if not settings.local:
        return None
    return LocalServices(str(Path(folder).absolute()), region or DEFAULT_REGION, settings.keep_on_account)


def save_services_settings(folder: Path | str, settings: ServicesSettings) -> None:
    """Write the three keys into the "aws" section, keeping everything else as it is."""
    path = workspace_file_path(folder)
    document = existing_document(path)
    section = document.get("aws") if isinstance(document.get("aws"), dict) else {}
    section["calls"] = settings.calls
    for key, value, default in (("keepOnAccount", list(settings.keep_on_account), []),
                                ("sesSandbox", settings.ses_sandbox, False)):
        if value == default:
            section.pop(key, None)
        else:
            section[key] = value
    document["aws"] = section
    write_text_atomic(path, json.dumps(document, indent=2) + "\n")


def endpoint_variable(service: str) -> str:
    """The SDKs' per-service variable: the service id upper-cased, spaces and dashes as underscores
    (AWS SDKs and Tools Reference Guide, "Service-specific endpoints")."""
    return "AWS_ENDPOINT_URL_" + service.upper().replace("-", "_").replace(" ", "_")


def aws_endpoint(service: str, region: str) -> str:
    """The default public endpoint of a service (what an SDK uses with no endpoint configured)."""
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://{service}.{region}.{suffix}"


def local_variables(endpoint: str, region: str, keep_on_account: tuple[str, ...] = (),
                    account_credentials: tuple[tuple[str, str], ...] = ()) -> tuple[tuple[str, str], ...]:
    """The variables a function gets in local mode: every SDK call goes to the host (AWS_ENDPOINT_URL is
    read by boto3 >= 1.28 and the JS SDK v3 >= 3.428), signed with local credentials. A service kept on the
    account gets its public endpoint back through its own, more specific variable; AWS would refuse local
    credentials, so only then does the function get the account's (account_credentials)."""
    credentials = list(account_credentials) if keep_on_account else [
        ("AWS_ACCESS_KEY_ID", LOCAL_ACCESS_KEY_MARK), ("AWS_SECRET_ACCESS_KEY", LOCAL_SECRET_ACCESS_KEY),
        ("AWS_SESSION_TOKEN", LOCAL_SESSION_TOKEN)]
    variables = [("AWS_ENDPOINT_URL", endpoint), *credentials, ("AWS_REGION", region), ("AWS_DEFAULT_REGION", region)]
    variables += [(endpoint_variable(service), aws_endpoint(service, region)) for service in keep_on_account]
    return tuple(variables)
