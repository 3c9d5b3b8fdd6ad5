"""Turns a child's output bytes into log lines, however the reads split them."""

from __future__ import annotations

import codecs


class LineSplitter:
    """One per output channel: decodes UTF-8 incrementally and splits on LF only.

    A multi-byte character or a line may arrive split across reads; both are held until complete.
    CR stays inside a line, as Lambda keeps it (Python error events join their lines with CR).
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._partial = ""

    def feed(self, data: bytes) -> list[str]:
        text = self._partial + self._decoder.decode(data)
        *lines, self._partial = text.split("\n")
        return lines

    def flush(self) -> list[str]:
        """Whatever is buffered, as a last line (used when the invocation ends)."""
        text = self._partial + self._decoder.decode(b"", final=True)
        self._decoder.reset()
        self._partial = ""
        return [text] if text else []
