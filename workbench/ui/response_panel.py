"""The Response panel: what the invocation returned, as highlighted JSON, or as an error with its stack trace."""

from __future__ import annotations

import codecs
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette, QTextDocument
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPlainTextDocumentLayout, QPlainTextEdit, QSizePolicy,
                               QSplitter, QToolButton, QVBoxLayout, QWidget)

from workbench.core.lambda_rules.http_body import DecodedBody, decoded_http_body
from workbench.core.function.invocation_result import InvocationResult, Status
from workbench.core.text.json_check import format_json
from workbench.core.function.stack_frames import location_at, relative_in
from workbench.ui.elided_label import ElidedLabel
from workbench.ui.stream_timeline import StreamTimeline
from ..core.streaming.streamed_response import StreamPiece
from workbench.ui.editors.pygments_highlighter import PygmentsHighlighter, style_for_palette
from ..core.vocabulary import ErrorType

# Colouring costs about 2 ms per KB: above this size the payload is shown without colours.
HIGHLIGHT_LIMIT_CHARS = 50_000
# Lambda allows 6 MB responses; the view shows the first part, Copy still takes everything.
VIEW_LIMIT_CHARS = 1_000_000
VIEW_LINE_CHARS = 10_000
_PAYLOAD_CAPTION = "Payload as returned, pretty-printed"


def _size_text(size: int) -> str:
    if size < 1024:
        return "1 byte" if size == 1 else f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _viewable(text: str) -> str:
    """The text cut to what a text view lays out quickly; Copy still uses the whole."""
    cut = text[:VIEW_LIMIT_CHARS]
    if len(cut) > VIEW_LINE_CHARS:
        # One very long line (a base64 body, say) costs seconds of layout: shorten each such line.
        cut = "\n".join(f"{line[:VIEW_LINE_CHARS]} … [{len(line) - VIEW_LINE_CHARS:,} more characters]"
                        if len(line) > VIEW_LINE_CHARS else line for line in cut.split("\n"))
    if len(text) > VIEW_LIMIT_CHARS:
        cut += f"\n… {len(text) - VIEW_LIMIT_CHARS:,} more characters not shown; Copy takes the whole response."
    return cut


def _trace_text(document: dict) -> str:
    """Python's `stackTrace` (one string per frame) or Node's `trace` (one string per line), as lines."""
    frames = document.get("stackTrace", document.get("trace"))
    if not isinstance(frames, list):
        return ""
    return "\n".join(str(frame).rstrip("\n") for frame in frames)


class ResponsePanel(QWidget):
    """Shows one InvocationResult's payload; `show_running` and `clear` cover the time before it."""

    location_clicked = Signal(str, int, int)
    """A stack frame of the error was clicked: its path (relative to the workspace inside it), line, column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._folder: Path | None = None
        self._stopped = False
        self._payload_shown: tuple[str, bool] = ("", True)
        self._decoded: DecodedBody | None = None
        self._build()
        # Two documents: a coloured one for JSON of reasonable size, a plain one for text and big payloads,
        # because colouring works line by line in Python and a large payload would freeze the window.
        # Both belong to the panel: a QPlainTextEdit deletes a document it owns when given another.
        self._json_document, self._plain_document = QTextDocument(self), QTextDocument(self)
        for document in (self._json_document, self._plain_document):
            document.setDocumentLayout(QPlainTextDocumentLayout(document))
            document.setDefaultFont(self._payload.font())
            document.setUndoRedoEnabled(False)
        self._payload.setDocument(self._json_document)
        self._highlighter = PygmentsHighlighter(self._json_document, "json", style_for_palette(self.palette()))
        self._apply_palette()
        self.clear()

    # --- Public interface

    @Slot()
    def clear(self) -> None:
        """Nothing to show yet."""
        self._show_message("Response", "Run the function (Ctrl+Enter) to see what it returns.")

    @Slot()
    def show_running(self) -> None:
        """An invocation is under way: drop the previous response."""
        self._show_message("Running…", "Waiting for the response…")

    @Slot(object)
    def append_piece(self, piece: StreamPiece) -> None:
        """A piece of a streamed response, shown the moment it arrives; the finished result replaces it."""
        if self.stream_timeline.isHidden():
            self._streamed_text = codecs.getincrementaldecoder("utf-8")("replace")
            self._set_payload("", False)  # plain: a stream is shown as it comes, not coloured as JSON
            self._payload.setPlaceholderText("")
        self._title.setText("Streaming…")
        self.stream_timeline.add(piece.at_ms, len(piece.data))
        if len(self._text) < VIEW_LIMIT_CHARS:
            text = self._streamed_text.decode(piece.data)
            self._text += text
            cursor = self._payload.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            cursor.insertText(text)

    @Slot(object)
    def show_result(self, result: InvocationResult) -> None:
        self.stream_timeline.show_stream(result.stream, result.duration_ms)
        text, is_json = self._pretty(result.payload_text())
        kind = "JSON" if is_json else "text"
        self._payload_caption.setVisible(not result.succeeded)
        if result.succeeded:
            self._error_box.hide()
            self._title.setText(f"{kind} · {_size_text(len(result.payload))}")  # the tab already says Response
        else:
            document = result.error_document() or {
                "errorType": result.platform_error_type or (ErrorType.TIMED_OUT if result.status is Status.TIMEOUT
                                                            else "Error"),
                "errorMessage": result.payload_text()}
            self._error_type.setText(str(document.get("errorType") or result.error_type or "Error"))
            message = document.get("errorMessage")
            self._error_message.setText("" if message is None else str(message))
            self._error_message.setVisible(bool(self._error_message.text()))
            trace = _trace_text(document)
            if self._folder is not None:
                trace = relative_in(trace, self._folder)
                self._error_message.setText(relative_in(self._error_message.text(), self._folder))
            self._trace.setPlainText(trace)
            self._trace.setVisible(bool(trace))
            self._error_box.show()
            self._apply_palette(stopped=result.error_type == ErrorType.STOPPED)
            total = sum(self._splitter.sizes()) or self.height()
            box = (total * 3) // 5 if trace else min(self._error_box.sizeHint().height(), total // 2)
            self._splitter.setSizes([box, total - box])
            self._title.setText(("Stopped by you" if result.error_type == ErrorType.STOPPED else "Error response")
                                + f" · {kind} · {_size_text(len(result.payload))}")
        self._payload_shown = (text, is_json)
        self._decoded = decoded_http_body(result.payload_text()) if result.succeeded else None
        self._body_button.setVisible(self._decoded is not None)
        self._show_payload_or_body()
        self._copy.setEnabled(bool(text))

    def set_workspace(self, folder: str | Path) -> None:
        """Show the error's paths inside `folder` relative to it."""
        self._folder = Path(folder)

    def trace_text(self) -> str:
        return self._trace.toPlainText()

    def click_trace_at(self, line_number: int, column: int) -> bool:
        """Act as a click on the trace at 0-based line and column; True when it was a stack frame."""
        block = self._trace.document().findBlockByNumber(line_number)
        location = location_at(block.text(), column)
        if location is not None:
            self.location_clicked.emit(location.path, location.line, location.column)
        return location is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._trace.viewport() and event.type() in (QEvent.Type.MouseButtonRelease,
                                                                 QEvent.Type.MouseMove):
            cursor = self._trace.cursorForPosition(event.position().toPoint())
            if event.type() == QEvent.Type.MouseMove:
                over = location_at(cursor.block().text(), cursor.positionInBlock()) is not None
                self._trace.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over
                                                 else Qt.CursorShape.IBeamCursor)
            elif event.button() == Qt.MouseButton.LeftButton and not self._trace.textCursor().hasSelection():
                self.click_trace_at(cursor.blockNumber(), cursor.positionInBlock())
        return super().eventFilter(watched, event)

    def decoded_body(self) -> DecodedBody | None:
        """The decoded body of the last response when it is API Gateway-shaped, else None."""
        return self._decoded

    def show_decoded_body(self, shown: bool) -> None:
        """Show the response's decoded body (True) or the payload as returned (False)."""
        self._body_button.setChecked(shown)

    @Slot()
    def _show_payload_or_body(self) -> None:
        decoded = self._decoded
        if decoded is not None and self._body_button.isChecked():
            how = "base64-decoded, " if decoded.was_base64 else ""
            self._payload_caption.setText(
                f"Body of the {decoded.status_code} response ({how}{decoded.content_type or 'no Content-Type'})"
                + (", pretty-printed" if decoded.is_json else ""))
            self._payload_caption.show()
            self._set_payload(decoded.text, decoded.is_json)
            return
        self._payload_caption.setText(_PAYLOAD_CAPTION)
        self._payload_caption.setVisible(not self._error_box.isHidden())
        self._set_payload(*self._payload_shown)

    def payload_text(self) -> str:
        """The payload as shown (pretty-printed when it is JSON)."""
        return self._text

    # --- Qt overrides

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_highlighter"):
            self._apply_palette()
            self._highlighter.set_style(style_for_palette(self.palette()))

    # --- Building

    def _build(self) -> None:
        # Elided rather than widening the whole window when the panel is narrow (whole in its tooltip), from the
        # left: the kind and size are what the tab's name does not say, and an error has its box below.
        self._title = ElidedLabel(objectName="response_title", minimum_text="Response",
                                  mode=Qt.TextElideMode.ElideLeft)
        title_font = self._title.font()
        title_font.setWeight(QFont.Weight.DemiBold)
        self._title.setFont(title_font)
        self._copy = QToolButton(self, objectName="response_copy", text="Copy", autoRaise=True,
                                 toolTip="Copy the response as shown")
        self._copy.clicked.connect(self._copy_payload)
        self._body_button = QToolButton(self, objectName="response_body", text="Decoded body", autoRaise=True,
                                        checkable=True, toolTip="Show the body inside this API Gateway-shaped "
                                        "response, decoded (JSON pretty-printed, base64 decoded)")
        self._body_button.hide()
        self._body_button.toggled.connect(self._show_payload_or_body)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self._title, 1)
        header.addWidget(self._body_button)
        header.addWidget(self._copy)

        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._error_type = QLabel(objectName="response_error_type",
                                  textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        type_font = self._error_type.font()
        type_font.setWeight(QFont.Weight.Bold)
        self._error_type.setFont(type_font)
        self._error_message = QLabel(objectName="response_error_message", wordWrap=True,
                                     textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self._trace = QPlainTextEdit(objectName="response_trace", readOnly=True,
                                     lineWrapMode=QPlainTextEdit.LineWrapMode.NoWrap)
        self._trace.setFont(fixed)
        self._trace.setUndoRedoEnabled(False)
        self._trace.setToolTip("Click a frame to open its file at that line")
        self._trace.viewport().setMouseTracking(True)
        self._trace.viewport().installEventFilter(self)
        heading = QWidget()
        heading_layout = QVBoxLayout(heading)
        heading_layout.setContentsMargins(8, 6, 8, 6)
        heading_layout.setSpacing(2)
        heading_layout.addWidget(self._error_type)
        heading_layout.addWidget(self._error_message)
        self._error_box = QFrame(objectName="response_error", frameShape=QFrame.Shape.StyledPanel)
        self._error_box.setAutoFillBackground(True)
        box_layout = QVBoxLayout(self._error_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(0)
        box_layout.addWidget(heading)
        box_layout.addWidget(self._trace, 1)
        # Without a trace the heading keeps its height instead of spreading over the box.
        heading.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        box_layout.addStretch(0)

        self._payload = QPlainTextEdit(objectName="response_payload", readOnly=True)
        self._payload.setFont(fixed)
        self._payload.setUndoRedoEnabled(False)
        self._payload.setTabStopDistance(4 * self._payload.fontMetrics().horizontalAdvance(" "))
        self._payload_caption = QLabel(_PAYLOAD_CAPTION, objectName="response_payload_caption")
        self._payload_caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._payload_caption.setWordWrap(True)
        payload_pane = QWidget()
        payload_layout = QVBoxLayout(payload_pane)
        payload_layout.setContentsMargins(0, 2, 0, 0)
        payload_layout.setSpacing(2)
        payload_layout.addWidget(self._payload_caption)
        payload_layout.addWidget(self._payload, 1)
        # The error and the raw payload share the height; the user can drag the line between them.
        self._splitter = QSplitter(Qt.Orientation.Vertical, childrenCollapsible=False)
        self._splitter.addWidget(self._error_box)
        self._splitter.addWidget(payload_pane)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(header)
        self.stream_timeline = StreamTimeline(self)
        layout.addWidget(self.stream_timeline)
        layout.addWidget(self._splitter, 1)

    def _apply_palette(self, stopped: bool | None = None) -> None:
        """An error box tinted red and a red heading, both derived from the current palette; a call the
        user stopped is not a crash, so it reads in neutral colours."""
        self._stopped = self._stopped if stopped is None else stopped
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        dark = base.lightness() < 128
        red = QColor("#ff7b72" if dark else "#b71c1c")
        tint = QColor("#3d1d1f" if dark else "#fdecea")
        if self._stopped:
            red = palette.color(QPalette.ColorRole.Text)
            tint = palette.color(QPalette.ColorRole.AlternateBase)
        box = self._error_box.palette()
        box.setColor(QPalette.ColorRole.Window, tint)
        box.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.Text))
        self._error_box.setPalette(box)
        heading = self._error_type.palette()
        heading.setColor(QPalette.ColorRole.WindowText, red)
        self._error_type.setPalette(heading)

    # --- Showing

    def _show_message(self, title: str, placeholder: str) -> None:
        self.stream_timeline.hide()
        self._decoded = None
        self._body_button.hide()
        self._title.setText(title)
        self._error_box.hide()
        self._payload_caption.hide()
        self._set_payload("", True)
        self._payload.setPlaceholderText(placeholder)
        self._copy.setEnabled(False)

    @staticmethod
    def _pretty(text: str) -> tuple[str, bool]:
        if not text.strip():
            return "", False
        # format_json keeps what json.loads would change: 19.90 stays 19.90, 1e400 stays 1e400 (not
        # Infinity), duplicate keys stay, so the panel and Copy show exactly what the function returned.
        try:
            return format_json(text).rstrip("\n"), True
        except ValueError:
            return text, False

    def _set_payload(self, text: str, is_json: bool) -> None:
        document = self._json_document if is_json and len(text) <= HIGHLIGHT_LIMIT_CHARS else self._plain_document
        self._payload.clear()
        if self._payload.document() is not document:
            self._payload.setDocument(document)
            self._payload.setTabStopDistance(4 * self._payload.fontMetrics().horizontalAdvance(" "))
        self._text = text
        if not text and not is_json:
            self._payload.setPlaceholderText("The function returned an empty response.")
        self._payload.setPlainText(_viewable(text))

    @Slot()
    def _copy_payload(self) -> None:
        QGuiApplication.clipboard().setText(self._text)
