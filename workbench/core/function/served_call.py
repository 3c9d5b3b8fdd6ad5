"""One call the serve endpoint answered, as its live list and its log show it."""

from __future__ import annotations

from dataclasses import dataclass

ENTRIES = ("invoke", "event", "http", "schedule")
"""How the call came in: the Invoke API (RequestResponse), an Event (async) attempt, an HTTP route, a schedule."""


@dataclass(frozen=True)
class ServedCall:
    at: float
    """Unix time the request arrived."""
    entry: str
    """One of ENTRIES."""
    method: str
    """HTTP method, or "" for a schedule."""
    target: str
    """The path for an HTTP route, else the function name."""
    function: str | None
    """The function that ran; None when none did (unknown route or function, refused request)."""
    status: int
    """The HTTP status answered (for an Event attempt: 200 when it succeeded, else 500)."""
    duration_ms: float
    """From arrival to answer (for Event attempts: the attempt itself)."""
    request_id: str | None = None
    explanation: str | None = None
    """Why the answer is an error the front door made itself: which rule, which key."""
    attempt: int = 1
    function_error: str | None = None
    """The function's errorType when it failed although the call was answered 200 (the Invoke API answers a
    function error with 200 and X-Amz-Function-Error: Unhandled)."""

    @property
    def failed(self) -> bool:
        """The call failed: an error status, or the function's own error."""
        return self.status >= 400 or self.function_error is not None

    def summary(self) -> str:
        what = f"{self.method} {self.target}".strip()
        line = f"{what} -> {self.status} in {self.duration_ms:.1f} ms"
        if self.function_error:
            line += f", function failed: {self.function_error}"
        if self.function and self.function != self.target:
            line += f" ({self.function})"
        if self.entry == "event":
            line += f" [event, attempt {self.attempt}]"
        if self.explanation:
            line += f": {self.explanation}"
        return line
