"""One event on its way to an environment, and the ids Lambda gives calls and environments."""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class InvokeRequest:
    request_id: str
    event: bytes
    trace_id: str
    client_context: dict | None = None


def new_trace_id(now: float | None = None) -> str:
    epoch = int(now if now is not None else time.time())
    return f"Root=1-{epoch:08x}-{uuid.uuid4().hex[:24]};Parent={uuid.uuid4().hex[:16]};Sampled=0"


def new_environment_id() -> str:
    return os.urandom(16).hex()
