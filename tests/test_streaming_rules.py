"""Response streaming's pure rules: the HTTP integration prelude (8 NUL bytes after the JSON metadata) and
InvokeWithResponseStream's event-stream framing, read back by botocore's own parser."""

import json

import pytest
from botocore.eventstream import EventStreamBuffer

from workbench.core.streaming.event_stream import invoke_complete, payload_chunk
from workbench.core.streaming.http_prelude import DELIMITER, PreludeError, split_prelude


def test_prelude_waits_for_its_delimiter_then_splits_off_the_body():
    metadata = json.dumps({"statusCode": 201, "headers": {"X-A": "1"}, "cookies": ["s=1"]}).encode()
    assert split_prelude(metadata + b"\x00" * 7) is None
    prelude, rest = split_prelude(metadata + DELIMITER + b"first bytes\x00")
    assert (prelude.status, prelude.headers, prelude.cookies, rest) == (201, (("X-A", "1"),), ("s=1",),
                                                                         b"first bytes\x00")
    assert split_prelude(b"{}" + DELIMITER)[0].status == 200


@pytest.mark.parametrize("bad", [b"[1]", b"{not json", b'{"statusCode": "x"}', b'{"headers": []}'])
def test_a_bad_prelude_is_named(bad):
    with pytest.raises(PreludeError, match="prelude"):
        split_prelude(bad + DELIMITER)


def test_botocore_reads_our_event_stream():
    body = payload_chunk(b"hello ") + payload_chunk("wörld".encode()) + invoke_complete(
        error_code="Unhandled", error_details="boom")
    buffer = EventStreamBuffer()
    # Fed in uneven pieces, as a socket delivers them.
    for start in range(0, len(body), 7):
        buffer.add_data(body[start:start + 7])
    messages = list(buffer)
    kinds = [message.headers[":event-type"] for message in messages]
    assert kinds == ["PayloadChunk", "PayloadChunk", "InvokeComplete"]
    assert all(message.headers[":message-type"] == "event" for message in messages)
    assert b"".join(message.payload for message in messages[:2]) == "hello wörld".encode()
    assert json.loads(messages[2].payload) == {"ErrorCode": "Unhandled", "ErrorDetails": "boom"}
