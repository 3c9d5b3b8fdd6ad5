"""The Debug Adapter Protocol's base protocol: each message is a JSON document preceded by a
`Content-Length: N\\r\\n\\r\\n` header (https://microsoft.github.io/debug-adapter-protocol/overview#base-protocol).

Framing is all we take from the protocol here. The one maintained client on PyPI (dap-python) needs
Python 3.12 or later, which the workbench does not require, so these few lines stand in for it.
"""

from __future__ import annotations

import json

_SEPARATOR = b"\r\n\r\n"
_LENGTH = b"content-length"


def encode_message(message: dict) -> bytes:
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


class FrameError(ValueError):
    """The peer sent something that is not DAP framing."""


class FrameReader:
    """Feed bytes as they arrive; get back every whole message (a message split across reads waits)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[dict]:
        self._buffer.extend(data)
        messages = []
        while True:
            end = self._buffer.find(_SEPARATOR)
            if end < 0:
                return messages
            length = _content_length(bytes(self._buffer[:end]))
            start = end + len(_SEPARATOR)
            if len(self._buffer) < start + length:
                return messages
            body = bytes(self._buffer[start:start + length])
            del self._buffer[:start + length]
            try:
                messages.append(json.loads(body))
            except ValueError as error:
                raise FrameError(f"a DAP message that is not JSON: {error}") from None


def _content_length(header: bytes) -> int:
    for line in header.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == _LENGTH:
            try:
                return int(value.strip())
            except ValueError:
                break
    raise FrameError(f"a DAP header without a valid Content-Length: {header[:80]!r}")
