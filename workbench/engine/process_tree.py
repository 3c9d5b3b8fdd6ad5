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


def kill_tree(pid: int) -> None:
    """SIGKILL the runtime's session and any descendant that escaped it."""
    escaped = descendants(pid)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for child in escaped:
        try:
            os.kill(child, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
