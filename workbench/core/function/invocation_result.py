"""The outcome of one invocation: what the caller got back and every REPORT figure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum

from ..child.containment import Containment
from ..streaming.streamed_response import StreamedResponse


class Status(str, Enum):
    """REPORT's Status field: absent on success, else error or timeout."""

    SUCCESS = "success"
    ERROR = "error"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class InvocationResult:
    request_id: str
    status: Status
    # Bytes the Invoke API would return: the response, or the error payload.
    payload: bytes
    # Set when the function failed: the payload's errorType, e.g. "Runtime.ExitError".
    error_type: str | None
    # Set for platform failures that REPORT names ("Status: error\tError Type: ...").
    platform_error_type: str | None
    duration_ms: float
    billed_duration_ms: int
    init_duration_ms: float | None
    memory_size_mb: int
    max_memory_used_mb: int
    architecture: str = "x86_64"
    cost_usd: float = 0.0
    # What held the environment and what CPU it had (None for a call that never reached one).
    containment: Containment | None = None
    stream: StreamedResponse | None = None
    """A streamed response (Lambda-Runtime-Function-Response-Mode: streaming) with its pieces' timings; its
    body is the payload when the stream ended cleanly."""
    paused_ms: float = 0.0
    """Time a debugged call spent stopped (at a breakpoint, after a step), left out of duration_ms."""

    @property
    def succeeded(self) -> bool:
        return self.status is Status.SUCCESS and self.error_type is None

    @property
    def cold(self) -> bool:
        return self.init_duration_ms is not None

    def payload_text(self) -> str:
        return self.payload.decode("utf-8", errors="replace")

    def error_document(self) -> dict | None:
        """The parsed error payload, or None for a success."""
        if self.error_type is None:
            return None
        try:
            doc = json.loads(self.payload)
        except (ValueError, RecursionError):
            return {"errorType": self.error_type, "errorMessage": self.payload_text()}
        return doc if isinstance(doc, dict) else {"errorType": self.error_type, "errorMessage": str(doc)}
