"""A Sandbox's streamed responses: each piece relayed the moment it arrives, and the whole kept with its
timings for the call's result (core/streaming/streamed_response.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from ..core.function.invocation_result import Status
from ..core.lambda_rules.lambda_errors import platform_error
from ..core.streaming.streamed_response import (MAX_STREAMED_RESPONSE_BYTES, StreamChunk, StreamedResponse,
                                                StreamPiece,
                                                trailer_error)
from ..core.vocabulary import ErrorType

# finish(status, payload, error type, the error type REPORT names, time): how the Sandbox ends the call.
Finish = Callable[[Status, bytes, "str | None", "str | None", float], None]


class StreamRelay(QObject):
    chunk = Signal(object)
    """A StreamPiece: its bytes, when it arrived (ms after the event was handed over), the Content-Type."""

    def __init__(self, signals, parent: QObject, current_request: Callable[[], str | None],
                 dispatched_at: Callable[[], float], finish: Finish) -> None:
        super().__init__(parent)
        self._current_request = current_request
        self._dispatched_at = dispatched_at
        self._finish = finish
        self._request_id: str | None = None
        self._content_type = ""
        self._pieces: list[bytes] = []
        self._chunks: list[StreamChunk] = []
        self._error_type: str | None = None
        signals.stream_started.connect(self._on_started)
        signals.response_chunk.connect(self._on_chunk)
        signals.stream_ended.connect(self._on_ended)

    def take(self) -> StreamedResponse | None:
        """What was streamed for the call ending now (all of it, or up to a timeout or crash); None when the
        call did not stream. Clears the relay for the next call."""
        if self._request_id is None:
            return None
        stream = StreamedResponse(self._content_type, b"".join(self._pieces), tuple(self._chunks), self._error_type)
        self._request_id, self._pieces, self._chunks, self._error_type = None, [], [], None
        return stream

    def _ours(self, request_id: str) -> bool:
        return request_id == self._current_request()

    @Slot(str, str, float)
    def _on_started(self, request_id: str, content_type: str, _at: float) -> None:
        if self._ours(request_id):
            self._request_id, self._content_type = request_id, content_type
            self._pieces, self._chunks, self._error_type = [], [], None

    @Slot(str, object, float)
    def _on_chunk(self, request_id: str, piece: bytes, at: float) -> None:
        if not self._ours(request_id) or request_id != self._request_id:
            return
        at_ms = round(max(at - self._dispatched_at(), 0.0) * 1000, 3)  # microseconds, as history keeps it
        self._pieces.append(piece)
        self._chunks.append(StreamChunk(at_ms, len(piece)))
        self.chunk.emit(StreamPiece(piece, at_ms, self._content_type))

    @Slot(str, int, bool, object, float)
    def _on_ended(self, request_id: str, size: int, over_limit: bool, trailers: dict, at: float) -> None:
        if not self._ours(request_id) or request_id != self._request_id:
            return
        error = trailer_error(trailers)
        if over_limit:
            self._error_type = ErrorType.RESPONSE_TOO_LARGE
            payload = platform_error(ErrorType.RESPONSE_TOO_LARGE,
                                     f"Response payload size ({size} bytes) exceeded maximum allowed payload size "
                                     f"({MAX_STREAMED_RESPONSE_BYTES} bytes).")
            self._finish(Status.ERROR, payload, ErrorType.RESPONSE_TOO_LARGE, ErrorType.RESPONSE_TOO_LARGE, at)
        elif error is not None:
            self._error_type = error[0]
            self._finish(Status.ERROR, error[1], error[0], None, at)
        else:
            self._finish(Status.SUCCESS, b"".join(self._pieces), None, None, at)
