"""The words the workbench stores, sends and compares, each spelled once.

They are plain `str` constants grouped in classes rather than Enum members, so that JSON, SQLite, YAML
(expectations) and f-strings see exactly the text they always saw; a typo is a NameError, not a silent
mismatch."""

from __future__ import annotations


class ErrorType:
    """The error types the platform itself reports (a runtime's own, such as a handler's exception class,
    come from the function)."""
    STOPPED = "Sandbox.Stopped"
    TIMED_OUT = "Sandbox.Timedout"
    OUT_OF_MEMORY = "Runtime.OutOfMemory"
    EXIT_ERROR = "Runtime.ExitError"
    INVALID_ENTRYPOINT = "Runtime.InvalidEntrypoint"
    UNKNOWN = "Runtime.Unknown"
    DEPENDENCY_INSTALL = "Runtime.DependencyInstallError"
    RESPONSE_TOO_LARGE = "Function.ResponseSizeTooLarge"
    FUNCTION_UNKNOWN = "Function.Unknown"


class RunSource:
    """Where a run came from, as history records it."""
    WINDOW = "window"
    CLI = "cli"
    SERVE = "serve"
    TEST = "test"
    TUNE = "tune"
    REMOTE = "remote"
    AGENT = "agent"
    """A coding agent, through `lambda-workbench mcp`."""
    # An event source of the workspace's local services (a trigger), as the event's own eventSource says it.
    S3 = "s3"
    SQS = "sqs"
    DYNAMODB = "dynamodb"
    SNS = "sns"
    EVENTS = "events"
    TRIGGERS = (S3, SQS, DYNAMODB, SNS, EVENTS)
    ALL = (WINDOW, CLI, SERVE, TEST, TUNE, REMOTE, AGENT, *TRIGGERS)


class EnvironmentState:
    """What a function's execution environment is doing, as the engine reports it and the badge shows it."""
    COLD = "cold"
    """None exists: the next call starts one."""
    BUILDING = "building"
    """Its dependencies, layers or SDK are being installed."""
    STARTING = "starting"
    """The runtime is in init."""
    READY = "ready"
    """Warm and frozen, waiting for a call."""
    RUNNING = "running"
    DEAD = "dead"
    """Ended (timeout, crash, Stop); reported to the window as cold."""
