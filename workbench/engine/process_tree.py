"""A runtime process and everything it started: their memory, and killing them all (Linux /proc)."""

from __future__ import annotations

import os
import signal


def _children(pid: int) -> list[int]:
    children: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return children
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                children.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return children


def descendants(pid: int) -> list[int]:
    """Every process below pid, even ones that left its process group."""
    found: list[int] = []
    stack = _children(pid)
    while stack:
        child = stack.pop()
        found.append(child)
        stack.extend(_children(child))
    return found


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_memory_kb(pid: int) -> int:
    """Peak resident memory of the runtime (its kernel high-water mark) plus its children's current use."""
    return _status_kb(pid, "VmHWM:") + sum(_status_kb(child, "VmRSS:") for child in descendants(pid))


def marked_processes(marker: str) -> list[int]:
    """Processes whose environment holds marker, a NAME=value entry unique to one environment.

    A daemon (setsid in a shell that exits) has left both the runtime's session and its tree,
    having been adopted by init; it still carries the environment it was started with.
    """
    entry = marker.encode()
    found: list[int] = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as f:
                if entry in f.read().split(b"\0"):
                    found.append(int(name))
        except OSError:
            continue
    return found


def kill_tree(pid: int, marker: str | None = None) -> None:
    """SIGKILL the runtime's session, any descendant that escaped it and, given the environment's
    marker, any process that still carries it."""
    escaped = descendants(pid)
    if marker:
        escaped += [found for found in marked_processes(marker) if found != os.getpid()]
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for child in escaped:
        try:
            os.kill(child, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
