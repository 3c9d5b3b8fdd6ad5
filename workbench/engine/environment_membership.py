"""Whether a process belongs to one execution environment, judged without a cgroup (Linux /proc).

A process belongs when it is the runtime, a descendant of it, in the runtime's session (the runtime
is started as a session leader, so its session id is its pid), or carries the environment's marker
variable (a NAME=value entry unique to the environment, inherited by everything the runtime starts,
even a daemon that left its session and was adopted by init). The Runtime API server asks this of the
process at the other end of each connection.

What this cannot tell apart: a program of the same user that copies the marker into its environment
on purpose (it can read the runtime's environment, as it could ptrace it). Another user's process
never passes: its environment cannot be read and it is in no session or tree of ours.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from .process_tree import descendants


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The command name in parentheses may itself contain spaces or parentheses.
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def _carries(pid: int, marker: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return marker in f.read().split(b"\0")
    except OSError:
        return False


class ProcessTreeMembership:
    """The default membership test: the runtime's tree, its session, or the marker variable.

    `runtime_pid` is asked each time (0 until the runtime has started), so one object serves the
    environment's whole life. Callable as the Runtime API server's predicate.
    """

    def __init__(self, runtime_pid: Callable[[], int], marker: str | None = None) -> None:
        self._runtime_pid = runtime_pid
        self.marker = marker

    def __call__(self, pid: int) -> bool:
        root = self._runtime_pid()
        if not root or pid <= 0:
            return False
        if pid == root:
            return True
        try:
            if os.getsid(pid) == root:
                return True
        except OSError:
            return False
        ancestor, steps = _parent(pid), 0
        while ancestor > 1 and steps < 4096:
            if ancestor == root:
                return True
            ancestor, steps = _parent(ancestor), steps + 1
        return bool(self.marker) and _carries(pid, self.marker.encode())

    def likely_pids(self) -> list[int]:
        """The runtime and its descendants: where a connection to the API almost always comes from."""
        root = self._runtime_pid()
        return [root, *descendants(root)] if root else []
