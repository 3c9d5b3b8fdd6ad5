"""InvokeWithResponseStream's body: AWS event-stream messages, PayloadChunk ... then InvokeComplete.

Message format (application/vnd.amazon.eventstream): total length (4 bytes, big-endian), headers length
(4), CRC32 of those 8 bytes (4), headers, payload, CRC32 of everything before it (4). A header is its name
length (1 byte), name, type 7 (string), value length (2 bytes), value. Lambda API reference,
"InvokeWithResponseStream" and "InvokeWithResponseStreamResponseEvent"; botocore's EventStream parser is
the tests' oracle.
"""

from __future__ import annotations

import binascii
import json
import struct

_STRING = 7


def _header(name: str, value: str) -> bytes:
    name_bytes, value_bytes = name.encode("utf-8"), value.encode("utf-8")
    return struct.pack(">B", len(name_bytes)) + name_bytes + struct.pack(">BH", _STRING, len(value_bytes)) + value_bytes


def event_message(event_type: str, payload: bytes, content_type: str = "application/octet-stream") -> bytes:
    headers = (_header(":event-type", event_type) + _header(":content-type", content_type)
               + _header(":message-type", "event"))
    total = 12 + len(headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(headers))
    prelude += struct.pack(">I", binascii.crc32(prelude))
    message = prelude + headers + payload
    return message + struct.pack(">I", binascii.crc32(message))


def payload_chunk(data: bytes) -> bytes:
    return event_message("PayloadChunk", data)


def invoke_complete(error_code: str | None = None, error_details: str | None = None,
                    log_result: str | None = None) -> bytes:
    document = {key: value for key, value in (("ErrorCode", error_code), ("ErrorDetails", error_details),
                                              ("LogResult", log_result)) if value is not None}
    return event_message("InvokeComplete", json.dumps(document).encode("utf-8"), "application/json")
