"""Records a runtime writes to its telemetry log descriptor, one record one log event: Lambda's runtime
clients (Java, Python, Node.js) frame each with a 16-byte big-endian header, the frame type (0xa55a0000 |
level << 2 | timestamp present << 1 | format), the message length, the timestamp in microseconds
(FramedTelemetryLogSink in aws-lambda-java-libs and in awslambdaric)."""

from __future__ import annotations

import struct
from dataclasses import dataclass

VARIABLE = "_LAMBDA_TELEMETRY_LOG_FD"
_HEADER = struct.Struct(">IIQ")
_MAGIC_MASK = 0xFFFF0000
_MAGIC = 0xA55A0000
# A record longer than this is not a frame but garbage on the descriptor (Lambda's event limit is 256 KB).
MAX_RECORD_BYTES = 1024 * 1024


@dataclass(frozen=True)
class LogRecord:
    text: str
    timestamp_us: int
    level: int
    """0 undefined, then trace, debug, info, warn, error, fatal (Java's order)."""
    json_format: bool


class FrameDecoder:
    """Feed bytes as they arrive; get the whole records so far (a record split across reads waits)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[LogRecord]:
        self._buffer += data
        records = []
        while len(self._buffer) >= _HEADER.size:
            frame_type, length, timestamp = _HEADER.unpack_from(self._buffer)
            if frame_type & _MAGIC_MASK != _MAGIC or length > MAX_RECORD_BYTES:
                # Not framed (a runtime writing plain text to it): shown as it is, line by line.
                text = bytes(self._buffer).decode("utf-8", errors="replace")
                self._buffer.clear()
                records += [LogRecord(line, 0, 0, False) for line in text.splitlines()]
                break
            if len(self._buffer) < _HEADER.size + length:
                break
            payload = bytes(self._buffer[_HEADER.size:_HEADER.size + length])
            del self._buffer[:_HEADER.size + length]
            records.append(LogRecord(entry_text(payload), timestamp, (frame_type >> 2) & 0x7,
                                     not frame_type & 1))
        return records


def entry_text(payload: bytes) -> str:
    """A record's text as one log entry: decoded, without the one newline a record may end with (a
    multi-line message stays one entry; a carriage return is the record's own and stays)."""
    text = payload.decode("utf-8", errors="replace")
    return text[:-1] if text.endswith("\n") else text
