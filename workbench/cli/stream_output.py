"""`invoke`'s stdout for a streamed response: each piece written the moment it arrives, as bytes.

A buffered response stays one line per call (newlines escaped). A streamed one is written as the function
streams it, unescaped, and ends with a line break; when the stream fails part-way its error document follows
on a line of its own.
"""

from __future__ import annotations

import codecs
from typing import TextIO

from ..core.function.invocation_result import InvocationResult
from ..core.streaming.streamed_response import StreamPiece


class StreamedStdout:
    def __init__(self, stdout: TextIO) -> None:
        self.stdout = stdout
        self._binary = getattr(stdout, "buffer", None)
        # A text-only stdout (a StringIO) gets the text; a piece may end inside a UTF-8 character.
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._last = b""

    def write_piece(self, piece: StreamPiece) -> None:
        if not piece.data:
            return
        if self._binary is not None:
            self.stdout.flush()
            self._binary.write(piece.data)
            self._binary.flush()
        else:
            self.stdout.write(self._decoder.decode(piece.data))
            self.stdout.flush()
        self._last = piece.data[-1:]

    def finish(self, result: InvocationResult) -> bool:
        """End the call's output; False when the result was not streamed (the caller writes it as a line)."""
        if result.stream is None:
            return False
        if not self._binary:
            self.stdout.write(self._decoder.decode(b"", final=True))
        if self._last not in (b"", b"\n"):
            self.stdout.write("\n")
        if not result.succeeded:
            self.stdout.write(result.payload_text().replace("\n", "\\n") + "\n")
        self.stdout.flush()
        return True
