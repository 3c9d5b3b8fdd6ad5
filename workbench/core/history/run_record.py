"""One finished run as history keeps it: what was called, how, and everything that came back.

The run session builds a RunRecord for every invocation (window, command line, serve, tests, tuning);
the history store writes and reads them; Compare and the charts read them back.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..function.function_config import FunctionConfig
from ..function.invocation_result import InvocationResult
from ..triggers.recursion import trace_root
from ..triggers.triggered_batch import TriggeredBatch
from ..vocabulary import RunSource

# Where a run came from.
SOURCES = RunSource.ALL


@dataclass(frozen=True)
class CodeFile:
    """One file of the function's code folder when the run started (path relative to the folder)."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class RunRecord:
    started_at: float
    """Unix time (seconds) when the call was made."""
    source: str
    """One of SOURCES."""
    config: FunctionConfig
    """The configuration the call ran with (its name is the function's)."""
    event: bytes
    """The event exactly as sent."""
    result: InvocationResult
    log: tuple[str, ...]
    """Every log line of the call, START to REPORT (init output included on a cold start)."""
    cold: bool
    cold_reason: str | None
    """Why the call started a new environment, in words: "first call", "code changed: app.py", ...
    None for a warm call."""
    code_fingerprint: str
    code_files: tuple[CodeFile, ...] = ()
    preset: str | None = None
    """The preset the event came from, when it came from one."""
    environment_key: str | None = None
    """The interpreter / dependency cache key the environment was built from, when there is one."""
    secrets: tuple[str, ...] = ()
    """The secret values this call had beyond its variables (its AWS secret key and session token), for
    masking what the history keeps (core/privacy/secret_masking.py). Never stored itself."""
    aws_calls: tuple = ()
    """The AWS API calls the run made to the workspace's local services (core.services.api_calls.AwsCall)."""
    origin: str | None = None
    """Who called, in words, where a preset does not say it: a served route (`POST /orders`), the Invoke API
    and its caller (`Invoke API · Boto3/1.35.0`), a schedule (`schedule Nightly`). None from the window."""
    sweep: str | None = None
    """The memory sweep this run was one call of (one id per sweep), None for any other run."""
    trace_id: str | None = None
    """The X-Amzn-Trace-Id the call ran under (the handler's _X_AMZN_TRACE_ID); a run a trigger started shares
    its Root with the run whose write caused it."""
    trigger: TriggeredBatch | None = None
    """A triggered run's batch and each record's fate (None for any other run, or until the host tells)."""

    @property
    def trace_root(self) -> str | None:
        """The trace's Root (1-5f8a...-...), which links the runs of one chain."""
        return trace_root(self.trace_id)

    @property
    def function(self) -> str:
        return self.config.name
