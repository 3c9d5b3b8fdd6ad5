"""One event on its way to an environment (with the headers Lambda sends it with), and the ids Lambda gives
calls and environments."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class InvokeRequest:
    request_id: str
    event: bytes
    trace_id: str
    client_context: dict | None = None
    debug: object | None = None
    """A DebugRequest (core/debugging/debug_model.py) when the call runs under the debugger."""


@dataclass(frozen=True)
class PendingInvoke:
    """An event waiting for the runtime's next GET /next, with Lambda's headers."""

    request_id: str
    event: bytes
    headers: tuple[tuple[str, str], ...]


def lambda_headers(request_id: str, deadline_ms: int, function_arn: str, trace_id: str,
                   content_type: str = "application/json",
                   client_context: dict | None = None) -> tuple[tuple[str, str], ...]:
    """Every header Lambda sends with an event (awslambdaric stalls without Content-Type and Trace-Id)."""
    headers = [
        ("Lambda-Runtime-Aws-Request-Id", request_id),
        ("Lambda-Runtime-Deadline-Ms", str(deadline_ms)),
        ("Lambda-Runtime-Invoked-Function-Arn", function_arn),
        ("Lambda-Runtime-Trace-Id", trace_id),
        ("Content-Type", content_type),
    ]
    if client_context is not None:
        headers.append(("Lambda-Runtime-Client-Context", json.dumps(client_context)))
    return tuple(headers)


def new_trace_id(now: float | None = None) -> str:
    epoch = int(now if now is not None else time.time())
    return f"Root=1-{epoch:08x}-{os.urandom(12).hex()};Parent={os.urandom(8).hex()};Sampled=0"


def new_request_id() -> str:
    """A random (version 4) UUID, as Lambda's request ids are. From os.urandom rather than the uuid module,
    whose import (and platform's with it) costs every cold command about 3 ms."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # the RFC 4122 variant
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def new_environment_id() -> str:
    return os.urandom(16).hex()
