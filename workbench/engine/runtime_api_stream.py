"""Reading a streamed (chunked) request body on the Runtime API, piece by piece as it arrives.

The standard library's HTTP server reads the request line and headers but not a chunked body; h11 does the
chunk framing and the trailers. Each piece is handed on as soon as it is read, with its arrival time.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass

import h11

from ..core.lambda_rules.lambda_errors import MAX_RESPONSE_BYTES
from ..core.streaming.streamed_response import DEFAULT_CONTENT_TYPE, MAX_STREAMED_RESPONSE_BYTES

_READ_SIZE = 64 * 1024
OK_BODY = b'{"status":"OK"}'
TOO_LARGE_BODY = (b'{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).",'
                  b'"errorType":"RequestEntityTooLarge"}')
STREAM_TOO_LARGE_BODY = (f'{{"errorMessage":"Exceeded maximum allowed payload size ({MAX_STREAMED_RESPONSE_BYTES} '
                         'bytes).","errorType":"RequestEntityTooLarge"}').encode()


@dataclass(frozen=True)
class StreamEnd:
    size: int
    """Bytes of body read (counted past the limit too)."""
    trailers: dict[str, str]
    """Lower-case names."""
    over_limit: bool
    complete: bool
    """False when the connection broke (or the framing was bad) before the body's end."""


def read_stream(rfile, headers, on_piece: Callable[[bytes, float], None], limit: int) -> StreamEnd:
    """Read the body framed by `headers` (chunked or Content-Length) from `rfile`, calling on_piece(bytes,
    monotonic time) for each piece while the total stays within `limit`; past it, pieces are read and
    dropped so the client still hears the reply."""
    parser = h11.Connection(h11.SERVER)
    framing = [(b"host", b"localhost")]
    for name in ("Transfer-Encoding", "Content-Length"):
        if headers.get(name) is not None:
            framing.append((name.encode("latin-1"), headers[name].encode("latin-1")))
    head = b"POST / HTTP/1.1\r\n" + b"".join(name + b": " + value + b"\r\n" for name, value in framing) + b"\r\n"
    parser.receive_data(head)
    size, over = 0, False
    while True:
        try:
            event = parser.next_event()
        except h11.RemoteProtocolError:
            return StreamEnd(size, {}, over, False)
        if event is h11.NEED_DATA:
            data = rfile.read1(_READ_SIZE)
            if not data:
                return StreamEnd(size, {}, over, False)
            parser.receive_data(data)
        elif isinstance(event, h11.Data):
            size += len(event.data)
            over = over or size > limit
            if not over and event.data:
                on_piece(bytes(event.data), time.monotonic())
        elif isinstance(event, h11.EndOfMessage):
            trailers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in event.headers}
            return StreamEnd(size, trailers, over, True)


class StreamedBodies:
    """The Runtime API request handler's part for chunked bodies (mixed into its handler class)."""

    def _buffer_chunked(self) -> int:
        """A chunked body posted whole (a custom runtime's `curl -T -`): read it here, at most Lambda's limit
        of it kept, and served from memory to the rest of the request's handling."""
        kept = bytearray()
        end = read_stream(self.rfile, self.headers, lambda piece, _at: kept.extend(piece), MAX_RESPONSE_BYTES)
        self._socket_rfile, self.rfile = self.rfile, io.BufferedReader(io.BytesIO(bytes(kept)))
        if not end.complete:
            self.close_connection = True
        return end.size

    def _post_stream(self, request_id: str) -> None:
        """A streamed response: each piece is relayed as it arrives; the trailers say how it ended."""
        api = self.server.api
        # A handler may pause between writes for as long as its timeout allows (the deadline ends it).
        self.connection.settimeout(None)
        api._emit("stream_started", request_id, self.headers.get("Content-Type", DEFAULT_CONTENT_TYPE),
                  time.monotonic())
        end = read_stream(self.rfile, self.headers,
                          lambda piece, at: api._emit("response_chunk", request_id, piece, at),
                          MAX_STREAMED_RESPONSE_BYTES)
        if not end.complete:
            self.close_connection = True  # the runtime went away mid-stream: its exit ends the call
            return
        api._finish_current()
        api._emit("stream_ended", request_id, end.size, end.over_limit, end.trailers, time.monotonic())
        if end.over_limit:
            self._reply(413, STREAM_TOO_LARGE_BODY)
        else:
            self._reply(202, OK_BODY)
