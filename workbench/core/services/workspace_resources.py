"""The resources a workspace declares for its local services: its SAM template's (intrinsics resolved), or,
for a folder without a template, workbench.json's "services": {"resources": {...}} in the template's own
shape ({"Orders": {"Type": "AWS::DynamoDB::Table", "Properties": {...}}})."""

from __future__ import annotations

import json
from pathlib import Path

from ..workspace.cfn_intrinsics import LOCAL_STACK_NAME, Resolver, pseudo_parameters
from ..workspace.cfn_yaml import TemplateError
from ..workspace.sam_template import find_template, load_template
from ..workspace.workspace_file import workspace_file_path
from .local_access import LOCAL_ACCOUNT_ID
from .resources import ResourceReading, read_resources


def workspace_resources(workspace: Path | str, region: str) -> ResourceReading:
    workspace = Path(workspace)
    template = find_template(workspace)
    if template is not None:
        try:
            loaded = load_template(template, region=region, account_id=LOCAL_ACCOUNT_ID)
        except TemplateError as error:
            return ResourceReading([], [f"{error}; no resource is created locally"])
        return ResourceReading(list(loaded.resources), list(loaded.resource_warnings))
    path = workspace_file_path(workspace)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return ResourceReading()
    except ValueError as error:
        return ResourceReading([], [f"{path.name}: {error}; no resource is created locally"])
    section = (document.get("services") or {}) if isinstance(document, dict) else {}
    entries = section.get("resources") if isinstance(section, dict) else None
    if entries is None:
        return ResourceReading()
    if not isinstance(entries, dict):
        return ResourceReading([], [f"{path.name}: services.resources must be an object of resources by name"])
    resolver = Resolver(parameters={}, pseudo=pseudo_parameters(region, LOCAL_ACCOUNT_ID))
    return read_resources(entries, resolver, region, LOCAL_ACCOUNT_ID, LOCAL_STACK_NAME,
                          lambda logical_id: f"{path.name}: services.resources.{logical_id}")


def uses_local_services(workspace: Path | str) -> bool:
    """Whether the window should start the host at launch: the workspace declares resources or a seed."""
    workspace = Path(workspace)
    if (workspace / "seed").is_dir():
        return True
    return bool(workspace_resources(workspace, "us-east-1").resources)
