"""The Lambda Invoke API's own rules, as the service applies them before and after a call.

`POST /2015-03-31/functions/{FunctionName}/invocations` (API_Invoke page,
https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html): which function a name, an ARN or a partial
ARN names; the invocation and log types it accepts; its error answers, in the shape boto3 and the other
SDKs turn into exception classes (the `x-amzn-ErrorType` header names the class, the JSON body carries
`Type` and `Message`, as the service sends them, e.g.
`{"Message":"Function not found: arn:aws:lambda:us-east-1:111111111111:function:my-fn:active","Type":"User"}`
quoted in aarondfrancis/sidecar#23); the payload limits; the log tail; the asynchronous retry delays.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass

from ..text.json_check import loads_any_depth
from .lambda_errors import MAX_REQUEST_BYTES

INVOCATION_TYPES = ("Event", "RequestResponse", "DryRun")
LOG_TYPES = ("None", "Tail")
LATEST = "$LATEST"

# API_Invoke: "For synchronous invocations, the maximum payload size is 6 MB. For asynchronous
# invocations, the maximum payload size is 1 MB" (raised from 256 KB in 2025; LAMBDA.md §7).
MAX_ASYNC_REQUEST_BYTES = 1024 * 1024
# X-Amz-Log-Result: "the last 4 KB of the execution log" (API_Invoke, LogType).
LOG_TAIL_BYTES = 4096
# invocation-async-error-handling page: "Lambda attempts to run it two more times, with a one-minute wait
# between the first two attempts, and two minutes between the second and third attempts."
ASYNC_RETRY_DELAYS_S = (60.0, 120.0)
FUNCTION_ERROR_HEADER_VALUE = "Unhandled"

# Function names: letters, digits, hyphens, underscores, up to 64 characters (API_Invoke, FunctionName).
_NAME = r"[a-zA-Z0-9_-]{1,64}"
_QUALIFIER = r"\$LATEST|[a-zA-Z0-9_-]{1,128}"
_FULL_ARN = re.compile(rf"^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{{12}}):function:({_NAME})(?::({_QUALIFIER}))?$")
_PARTIAL_ARN = re.compile(rf"^(\d{{12}}):function:({_NAME})(?::({_QUALIFIER}))?$")
_NAME_ONLY = re.compile(rf"^({_NAME})(?::({_QUALIFIER}))?$")


@dataclass(frozen=True)
class InvokeApiError:
    """A refused Invoke call: HTTP status, the SDK's exception name, and the service's message."""

    status: int
    error_type: str
    message: str
    kind: str = "User"
    """The body's Type: "User" for the caller's mistakes, "Service" for ours."""

    def body(self) -> bytes:
        return json.dumps({"Type": self.kind, "Message": self.message}, separators=(",", ":")).encode()

    def headers(self) -> dict[str, str]:
        return {"x-amzn-ErrorType": self.error_type, "Content-Type": "application/json"}


@dataclass(frozen=True)
class FunctionReference:
    """What the FunctionName path segment (and ?Qualifier=) named."""

    name: str
    qualifier: str | None
    region: str | None
    account_id: str | None


def validation_error(field: str, value: str, allowed: tuple[str, ...]) -> InvokeApiError:
    # The service's (Coral) wording for an enum violation.
    return InvokeApiError(400, "ValidationException",
                          f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
                          f"constraint: Member must satisfy enum value set: [{', '.join(allowed)}]")


def parse_function_reference(raw: str, qualifier: str | None) -> FunctionReference | InvokeApiError:
    """A function name, `name:qualifier`, a partial ARN `123456789012:function:name` or a full ARN."""
    if match := _FULL_ARN.match(raw):
        region, account, name, own_qualifier = match.groups()
    elif match := _PARTIAL_ARN.match(raw):
        account, name, own_qualifier = match.groups()
        region = None
    elif match := _NAME_ONLY.match(raw):
        name, own_qualifier = match.groups()
        region = account = None
    else:
        return InvokeApiError(
            400, "ValidationException",
            f"1 validation error detected: Value '{raw}' at 'functionName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}"
            r"(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?")
    if own_qualifier and qualifier and own_qualifier != qualifier:
        return InvokeApiError(400, "InvalidParameterValueException",
                              "The derived qualifier from the function name does not match the specified "
                              "qualifier.")
    return FunctionReference(name, own_qualifier or qualifier or None, region, account)


def function_not_found(reference: FunctionReference, region: str, account_id: str) -> InvokeApiError:
    arn = f"arn:aws:lambda:{reference.region or region}:{reference.account_id or account_id}:function:{reference.name}"
    if reference.qualifier:
        arn += f":{reference.qualifier}"
    return InvokeApiError(404, "ResourceNotFoundException", f"Function not found: {arn}")


def not_served_qualifier(reference: FunctionReference, region: str, account_id: str) -> InvokeApiError | None:
    """Only $LATEST exists locally (no published versions or aliases): any other qualifier is not found."""
    if reference.qualifier in (None, LATEST):
        return None
    return function_not_found(reference, region, account_id)


def request_too_large(size: int, invocation_type: str) -> InvokeApiError | None:
    """413 RequestEntityTooLargeException over the limit of the invocation type (6 MB sync, 1 MB async)."""
    limit = MAX_ASYNC_REQUEST_BYTES if invocation_type == "Event" else MAX_REQUEST_BYTES
    if size <= limit:
        return None
    return InvokeApiError(413, "RequestEntityTooLargeException",
                          f"{size} byte payload is too large for the {invocation_type} invocation type "
                          f"(limit {limit} bytes)")


def invalid_json(payload: bytes) -> InvokeApiError | None:
    """400 InvalidRequestContentException for a body that is not JSON (an empty body is an empty event).

    The service's message continues with its JSON parser's (Jackson's) own words; ours are Python's, with
    the same line and column.
    """
    if not payload.strip():
        return None
    try:
        loads_any_depth(payload)
    except UnicodeDecodeError:
        return InvokeApiError(400, "InvalidRequestContentException",
                              "Could not parse request body into json: Invalid UTF-8 middle byte")
    except ValueError as error:
        reason = f"{error.msg}: line {error.lineno} column {error.colno}" if hasattr(error, "lineno") else str(error)
        return InvokeApiError(400, "InvalidRequestContentException",
                              f"Could not parse request body into json: Could not parse payload into json: {reason}")
    return None


def log_tail(lines: list[str] | tuple[str, ...]) -> str:
    """X-Amz-Log-Result: base64 of the log's last 4 KB (bytes, so a character may be cut at the start)."""
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines).encode("utf-8")
    return base64.b64encode(text[-LOG_TAIL_BYTES:]).decode("ascii")


def retry_delays(scale: float = 1.0) -> tuple[float, ...]:
    """The waits before the second and third attempt of a failed Event call; `scale` shrinks them for tests."""
    return tuple(delay * scale for delay in ASYNC_RETRY_DELAYS_S)


def too_many_requests() -> InvokeApiError:
    """429 TooManyRequestsException: the service's throttle answer (Reason as in API_Invoke's errors)."""
    return InvokeApiError(429, "TooManyRequestsException", "Rate Exceeded.")
