"""A run's origin in words, for History where there is no preset to name the call: the served route
(`POST /orders`), the Invoke API and the program that called it (`Invoke API · Boto3/1.35.0`), a schedule
(`schedule PlaceOrderNightly`)."""

from __future__ import annotations

# The first product token of a User-Agent names the caller well enough (botocore sends
# "Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 ...", the AWS CLI "aws-cli/2.17.0 ...", the JS SDK
# "aws-sdk-js/3.600.0 ..."); the rest is platform detail. Bounded: the header is the caller's to fill.
_CALLER_LIMIT = 48


def route_origin(method: str, path: str) -> str:
    """A front door call: the method and the path it was called on."""
    return f"{method.upper()} {path}"


def invoke_api_origin(user_agent: str | None, invocation_type: str = "RequestResponse") -> str:
    """An Invoke API call: "Invoke API", its type when not the default, and the calling program."""
    words = "Invoke API" if invocation_type in ("", "RequestResponse") else f"Invoke API ({invocation_type})"
    caller = caller_name(user_agent)
    return f"{words} · {caller}" if caller else words


def caller_name(user_agent: str | None) -> str:
    """The calling program from a User-Agent header ("" when there is none)."""
    first = (user_agent or "").strip().split(" ", 1)[0]
    printable = "".join(ch for ch in first if ch.isprintable())
    return printable if len(printable) <= _CALLER_LIMIT else printable[:_CALLER_LIMIT - 1] + "…"


def schedule_origin(event_name: str) -> str:
    """A call fired by a schedule of the workspace (its event's name in the template)."""
    return f"schedule {event_name}"
