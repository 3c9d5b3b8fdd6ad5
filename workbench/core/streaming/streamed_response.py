"""A streamed response as the workbench keeps it: the bytes, when each piece arrived, and how it ended.

Lambda's rules for streamed responses ("Response streaming for Lambda functions", AWS Lambda Developer
Guide): up to 200 MB per response; the first 6 MB stream at full speed, the rest at up to 2 MB/s. A runtime
reports a failure mid-stream in the trailers `Lambda-Runtime-Function-Error-Type` and
`Lambda-Runtime-Function-Error-Body` (base64 of the error's JSON; the Node.js runtime client's
ResponseStream.js).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

RESPONSE_MODE_HEADER = "Lambda-Runtime-Function-Response-Mode"
STREAMING_MODE = "streaming"
ERROR_TYPE_TRAILER = "Lambda-Runtime-Function-Error-Type"
ERROR_BODY_TRAILER = "Lambda-Runtime-Function-Error-Body"
DEFAULT_CONTENT_TYPE = "application/octet-stream"

MAX_STREAMED_RESPONSE_BYTES = 200 * 1024 * 1024
"""Enforced: past it the stream is cut and the call fails with Function.ResponseSizeTooLarge."""
UNCAPPED_BYTES = 6 * 1024 * 1024
CAPPED_BYTES_PER_S = 2 * 1024 * 1024
"""Not enforced locally (named in the README): Lambda streams past the first 6 MB at up to 2 MB/s."""


@dataclass(frozen=True)
class StreamChunk:
    at_ms: float
    """When the piece arrived, in milliseconds after the event was handed to the runtime."""
    size: int


@dataclass(frozen=True)
class StreamPiece:
    """A piece of a streamed response as it is relayed live."""

    data: bytes
    at_ms: float
    """Milliseconds after the event was handed to the runtime."""
    content_type: str
    """The stream's Content-Type (set by the runtime before its first byte)."""


@dataclass(frozen=True)
class StreamedResponse:
    """What the function streamed: its Content-Type, every byte, the pieces' arrival, and its error (if any)."""

    content_type: str
    body: bytes
    chunks: tuple[StreamChunk, ...]
    error_type: str | None = None
    """From the error trailers (or Function.ResponseSizeTooLarge); None when the stream ended cleanly."""

    @property
    def first_byte_ms(self) -> float | None:
        """Time to first byte: when the first non-empty piece arrived (None for an empty stream)."""
        return next((chunk.at_ms for chunk in self.chunks if chunk.size), None)

    @property
    def last_byte_ms(self) -> float | None:
        return self.chunks[-1].at_ms if self.chunks else None

    def to_json(self) -> dict:
        document = {"contentType": self.content_type, "chunks": [[c.at_ms, c.size] for c in self.chunks]}
        if self.error_type is not None:
            document["errorType"] = self.error_type
        return document

    @classmethod
    def from_json(cls, document: dict, body: bytes) -> "StreamedResponse":
        return cls(str(document.get("contentType", DEFAULT_CONTENT_TYPE)), body,
                   tuple(StreamChunk(float(at), int(size)) for at, size in document.get("chunks", ())),
                   document.get("errorType"))


def is_streaming_request(headers) -> bool:
    """Whether a POST to /response is a streamed one (the header's value compared as RAPID does, exactly)."""
    return headers.get(RESPONSE_MODE_HEADER, "") == STREAMING_MODE


def trailer_error(trailers: dict[str, str]) -> tuple[str, bytes] | None:
    """(error type, error payload) from a streamed response's trailers; None when they name no error.
    A body that is not base64 JSON is kept as the errorMessage, under the trailer's type."""
    error_type = trailers.get(ERROR_TYPE_TRAILER.lower(), "")
    encoded = trailers.get(ERROR_BODY_TRAILER.lower(), "")
    if not error_type and not encoded:
        return None
    try:
        payload = base64.b64decode(encoded, validate=True)
        document = json.loads(payload)
    except (binascii.Error, ValueError):
        document = None
    if not isinstance(document, dict):
        document = {"errorType": error_type or "Function.Unknown", "errorMessage": encoded}
        payload = json.dumps(document, separators=(",", ":")).encode("utf-8")
    return error_type or str(document.get("errorType", "Function.Unknown")), payload
