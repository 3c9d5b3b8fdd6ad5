"""What a debugged call asks for, what its runtime is told, and what a stopped program shows: frozen data."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

DEBUG_VARIABLE = "_LAMBDA_WORKBENCH_DEBUG"
"""Set in an environment started to be debugged: its runtime loads the debugger before the function's
init (so a breakpoint in init code stops), and waits for the workbench (or an IDE) to attach."""
DEBUG_HEADER = "Lambda-Runtime-Workbench-Debug"
"""Sent with a call to debug in a warm environment: the runtime attaches its debugger before the handler
runs. Never sent with a call that is not debugged."""


@dataclass(frozen=True)
class Breakpoint:
    path: str
    """Absolute path of the file."""
    line: int
    """1-based line."""
    condition: str = ""
    """Stop only when this expression is true (in the handler's language)."""
    log_message: str = ""
    """A log point: print this (with {expressions}) instead of stopping."""


@dataclass(frozen=True)
class DebugRequest:
    """A call run under the debugger."""

    breakpoints: tuple[Breakpoint, ...] = ()
    port: int | None = None
    """An IDE attaches on 127.0.0.1:port (`invoke --debug-port`); None: the workbench's own debugger."""


@dataclass(frozen=True)
class RuntimeDebugSpec:
    """What the runtime is handed (as DEBUG_VARIABLE or DEBUG_HEADER, JSON): where to listen, where its
    debugger is (Python: a folder holding debugpy, added to the end of sys.path), and the clock file."""

    port: int
    debugger_path: str = ""
    clock_file: str = ""
    wait: bool = True
    """Wait for a debugger to attach; False when one already is (Node's inspector would wait for a second
    Runtime.runIfWaitingForDebugger)."""

    def to_json(self) -> str:
        return json.dumps({"port": self.port, "path": self.debugger_path, "clock": self.clock_file,
                           "wait": self.wait})


def clock_note(deadline_epoch_ms: int | None = None, remaining_ms: int | None = None) -> str:
    """The clock file's text, read by context.get_remaining_time_in_millis() / getRemainingTimeInMillis() in a
    debugged call: "D <epoch ms>" while running (the deadline, moved on by the time spent paused so far), or
    "P <ms>" while stopped (the remaining time, which does not shrink while the program is stopped)."""
    if remaining_ms is not None:
        return f"P {max(int(remaining_ms), 0)}"
    return f"D {int(deadline_epoch_ms or 0)}"


@dataclass(frozen=True)
class StopInfo:
    """The program stopped: why (breakpoint, step, exception, pause, entry), in which thread."""

    reason: str
    thread_id: int
    description: str = ""
    all_threads: bool = True


@dataclass(frozen=True)
class StackFrame:
    id: int | str
    name: str
    path: str
    """Absolute path, or "" when the frame has no file (native code)."""
    line: int
    column: int = 1


@dataclass(frozen=True)
class Variable:
    name: str
    value: str
    type: str = ""
    reference: int | str = 0
    """Non-zero/non-empty when the value has children (variables(reference) lists them)."""


@dataclass(frozen=True)
class Scope:
    name: str
    reference: int | str
    expensive: bool = False


@dataclass(frozen=True)
class EvaluateResult:
    value: str
    type: str = ""
    reference: int | str = 0
    error: str = ""


@dataclass(frozen=True)
class ThreadInfo:
    id: int
    name: str


@dataclass(frozen=True)
class DebugTarget:
    """Whom a debug session talks to."""

    runtime_family: str
    """"python" (DAP, debugpy) or "nodejs" (Chrome DevTools Protocol, Node's inspector)."""
    port: int
    excluded_paths: tuple[str, ...] = field(default=())
    """Folders a step never enters and whose frames are hidden (the workbench's runtime client)."""
