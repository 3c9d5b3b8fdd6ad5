"""A workspace's AWS access settings, kept in its workbench.json under "aws": the profile whose
credentials functions get, the region they run in, and endpoint URLs (AWS_ENDPOINT_URL and per-service
forms) that send SDK calls to a local emulator. No secret is ever stored here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .atomic_write import write_text_atomic
from ..child.aws_credentials import ENDPOINT_PREFIX
from .workspace_file import workspace_file_path

AWS_KEY = "aws"


@dataclass(frozen=True)
class AwsSettings:
    profile: str | None = None
    region: str | None = None
    endpoints: tuple[tuple[str, str], ...] = ()
    """("AWS_ENDPOINT_URL", "http://localhost:4566"), ("AWS_ENDPOINT_URL_S3", ...)."""
    local: object = None
    """core.services.settings.LocalServices when calls go to the workspace's services host (not saved here)."""


def load_aws_settings(folder: Path | str) -> AwsSettings:
    """The workspace's settings; defaults when the file or the section is absent or malformed."""
    try:
        document = json.loads(workspace_file_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return AwsSettings()
    section = document.get(AWS_KEY) if isinstance(document, dict) else None
    if not isinstance(section, dict):
        return AwsSettings()

    def text(key: str) -> str | None:
        value = section.get(key)
        return value.strip() or None if isinstance(value, str) else None

    endpoints = section.get("endpoints")
    pairs = tuple(sorted((str(name), str(url)) for name, url in endpoints.items()
                         if str(name).startswith(ENDPOINT_PREFIX) and url)) if isinstance(endpoints, dict) else ()
    return AwsSettings(text("profile"), text("region"), pairs)


def save_aws_settings(folder: Path | str, settings: AwsSettings) -> None:
    """Write the "aws" section, keeping everything else in workbench.json as it is."""
    path = workspace_file_path(folder)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        document = {}
    if not isinstance(document, dict):
        document = {}
    # The section's other keys (where calls go: core.services.settings) are kept as they are.
    section = document.get(AWS_KEY) if isinstance(document.get(AWS_KEY), dict) else {}
    for key, value in (("profile", settings.profile), ("region", settings.region),
                       ("endpoints", dict(settings.endpoints))):
        if value:
            section[key] = value
        else:
            section.pop(key, None)
    if section:
        document[AWS_KEY] = section
    else:
        document.pop(AWS_KEY, None)
    write_text_atomic(path, json.dumps(document, indent=2) + "\n")
