"""A runtime process and everything it started, found through /proc (Linux): the fallback where no
cgroup holds the environment. Their memory, whether a process belongs, and killing them all.

Pids are reused (pid_max is 32,768 on some machines), so nothing here signals a pid it has not just
seen belong to the environment: the runtime's own pid and process group only while it is not reaped,
its session only through processes found in it. Linux never hands out a pid that is still some live
process's session or process-group id, so a member found that way is a real member.
"""

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


def _has_marker(pid: int | str, entry: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return entry in f.read().split(b"\0")
    except OSError:
        return False


def marked_processes(marker: str) -> list[int]:
    """Processes whose environment holds marker, a NAME=value entry unique to one environment.

    A daemon (setsid in a shell that exits) has left both the runtime's session and its tree,
    having been adopted by init; it still carries the environment it was started with.
    """
    entry = marker.encode()
    return [int(name) for name in os.listdir("/proc") if name.isdigit() and _has_marker(name, entry)]


def _session_and_group(pid: int | str) -> tuple[int, int] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[3]), int(fields[2])
    except (OSError, IndexError, ValueError):
        return None


def session_members(leader: int) -> list[int]:
    """Processes whose session or process group is leader's (the runtime's, made at its start)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            ids = _session_and_group(name)
            if ids and leader in ids:
                found.append(int(name))
    return found


def kill_marked(marker: str) -> None:
    _kill([found for found in marked_processes(marker) if found != os.getpid()])


def kill_tree(pid: int, marker: str | None = None, session: int = 0) -> None:
    """SIGKILL the environment's processes.

    pid: the runtime, not yet reaped (0 once it is): it, its process group and its descendants.
    session: the runtime's pid even after it was reaped: the members of its session still running.
    marker: any process that still carries the environment's marker.
    """
    victims: set[int] = set()
    if pid:
        victims.update(descendants(pid))
        victims.update(session_members(pid))
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        victims.add(pid)
    elif session and not os.path.exists(f"/proc/{session}"):
        # The reaped runtime's pid is free only once its session and group are empty: while nothing has
        # that pid, the processes that still name it as their session are the runtime's.
        victims.update(session_members(session))
    if marker:
        victims.update(marked_processes(marker))
    victims.discard(os.getpid())
    _kill(sorted(victims))


def _kill(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
