"""A streamed response's timeline: time to first byte, the pieces so far, and a strip with a mark per piece
at its arrival time (taller for a bigger piece). Fed live, piece by piece, then with the finished stream."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from ..core.streaming.streamed_response import StreamChunk, StreamedResponse
from .elided_label import ElidedLabel


def _bytes(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def timeline_words(chunks: tuple[StreamChunk, ...] | list[StreamChunk], done: bool,
                   error_type: str | None = None) -> str:
    """The line above the strip, time to first byte first (the panel's title says whether it still streams):
    "first byte 2.5 ms · 3 pieces · 2.0 KB · last 610.2 ms"."""
    size = sum(chunk.size for chunk in chunks)
    first = next((chunk.at_ms for chunk in chunks if chunk.size), None)
    words = [f"first byte {first:.1f} ms" if first is not None else "no byte yet",
             f"{len(chunks)} piece{'s' if len(chunks) != 1 else ''}", _bytes(size)]
    if chunks and done:
        words.append(f"last {chunks[-1].at_ms:.1f} ms")
    if error_type:
        words.append(f"ended by {error_type}")
    return " · ".join(words)


class _Strip(QWidget):
    """The pieces on a time axis from 0 to the last piece (or the call's end)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.chunks: list[StreamChunk] = []
        self.span_ms = 0.0
        self.setMinimumHeight(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(200, 22)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        palette = self.palette()
        area = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.fillRect(area, palette.color(QPalette.ColorRole.AlternateBase))
        if not self.chunks:
            return
        span = max(self.span_ms, self.chunks[-1].at_ms, 1e-3)
        biggest = max(chunk.size for chunk in self.chunks) or 1
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
        for chunk in self.chunks:
            x = area.left() + (area.width() - 3) * chunk.at_ms / span
            # Height by the piece's size, on a log scale so a small piece beside a big one still shows.
            share = math.log1p(chunk.size) / math.log1p(biggest) if chunk.size else 0.1
            height = max(3.0, area.height() * share)
            painter.drawRect(QRectF(x, area.bottom() - height, 3, height))


class StreamTimeline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="stream_timeline")
        self.words = ElidedLabel(objectName="stream_timeline_words", minimum_text="first byte")
        self.strip = _Strip(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(2)
        layout.addWidget(self.words)
        layout.addWidget(self.strip)
        self.hide()

    def start(self) -> None:
        self.strip.chunks, self.strip.span_ms = [], 0.0
        self.words.setText(timeline_words([], done=False))
        self.show()
        self.strip.update()

    def add(self, at_ms: float, size: int) -> None:
        if self.isHidden():
            self.start()
        self.strip.chunks.append(StreamChunk(at_ms, size))
        self.words.setText(timeline_words(self.strip.chunks, done=False))
        self.strip.update()

    def show_stream(self, stream: StreamedResponse | None, duration_ms: float = 0.0) -> None:
        """A finished call: its stream's pieces (hidden for a call that did not stream)."""
        if stream is None:
            self.hide()
            return
        self.strip.chunks, self.strip.span_ms = list(stream.chunks), duration_ms
        self.words.setText(timeline_words(stream.chunks, done=True, error_type=stream.error_type))
        self.show()
        self.strip.update()
