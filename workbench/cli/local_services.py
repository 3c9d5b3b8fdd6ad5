"""`--aws local|account` for invoke, test, tune and serve: where the function's AWS calls go. Local (the
workspace's setting, local by default) joins the workspace's services host, or starts it."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.services.settings import LOCAL, LocalServices, load_services_settings, parse_calls, DEFAULT_REGION


def add_aws_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--aws", type=parse_calls, choices=None, metavar="local|account", default=None,
                        help="where the function's AWS SDK calls go: 'local' (the workspace's local services; "
                             "the default unless workbench.json says otherwise) or 'account' (your AWS "
                             "credentials, profile and region)")


def local_services(workspace: Path, mode: str | None, region: str | None) -> LocalServices | None:
    """The host to send calls to in local mode (started if none runs), None in account mode. Raises
    ValueError for a bad workbench.json setting, engine.services_host.HostStartError when it cannot start."""
    settings = load_services_settings(workspace)
    if (mode or settings.calls) != LOCAL:
        return None
    # Here: invoke imports this module before the head start; the host starter is loaded only with local services
    from ..engine.services_host import find_host

    running = find_host(workspace)  # joined now; otherwise started on the first function that uses the SDK
    return LocalServices(str(Path(workspace).absolute()), region or DEFAULT_REGION, settings.keep_on_account,
                         running.endpoint if running is not None else None)


def apply_aws(session, workspace: Path, mode: str | None) -> None:
    """Give a command's run session the workspace's AWS settings and, in local mode, its services host.
    Raises like local_services()."""
    # Here: on invoke's start-up path, read only when local services are asked for
    from ..core.workspace.aws_settings import load_aws_settings

    saved = load_aws_settings(workspace)
    local = local_services(workspace, mode, saved.region)
    session.set_aws(saved.profile, saved.region, dict(saved.endpoints), local)
