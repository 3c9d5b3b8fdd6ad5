"""Making the workspace's triggers live wherever functions are served (`serve`, the window's Serve tab): in
local mode, with triggers declared, the services host is started (or joined) and told to call this process's
Invoke API. Qt-free; it blocks while a host starts, so the window calls it off its Qt thread."""

from __future__ import annotations

from pathlib import Path

from ..core.services.settings import LOCAL, load_services_settings
from ..core.triggers.trigger_reader import load_triggers
from .services_host import control, find_host, start_host


def link_triggers(workspace: Path, mode: str | None, lambda_url: str, delay_scale: float = 1.0) -> list[str]:
    """Lines to print: the triggers that are live, and each problem of their configuration (file:line).
    Nothing in account mode or without triggers. Raises engine.services_host.HostStartError."""
    if (mode or load_services_settings(workspace).calls) != LOCAL:
        return []
    found = load_triggers(workspace)
    if not found.triggers and not found.problems:
        return []

    record = start_host(workspace)
    control(record, "POST", "triggers/invoker", {"endpoint": lambda_url, "asyncDelayScale": delay_scale})
    lines = [str(problem) for problem in found.problems]
    names = ", ".join(f"{t.function}.{t.name} ({t.source})" for t in found.triggers)
    lines.append(f"Triggers live through the services host {record.endpoint}: {names or 'none'}")
    return lines


def unlink_triggers(workspace: Path, lambda_url: str) -> None:
    """Stop the host calling this process (it keeps its state; messages wait in their queues)."""
    record = find_host(workspace)
    if record is None:
        return
    try:
        if control(record, "GET", "triggers").get("invoker") == lambda_url:
            control(record, "POST", "triggers/invoker", {"endpoint": None})
    except (OSError, ValueError, KeyError):
        pass
