"""The event editor: JSON checked as you type, the error's place marked, and a Format button."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.core.text.json_check import JsonProblem, check_json, format_json
from workbench.ui.editors.code_editor import CodeEditor
from workbench.ui.editors.code_editor_frame import CodeEditorFrame

_VALIDATE_DELAY_MS = 150  # long enough to skip half-typed tokens, short enough to feel live
_VALID_MESSAGE = "Valid JSON"


class EventEditor(QWidget):
    """A JSON CodeEditor with a message line: the event's first problem, or that it is valid.

    While the text is not valid JSON, `problem()` says where and why; the window blocks Run
    with that message.
    """

    validity_changed = Signal(bool)
    """The event became valid (True) or invalid (False)."""

    text_changed = Signal()
    """The event text changed, by typing, set_text or format_json."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._editor = CodeEditor(self, language="json")
        self.frame = CodeEditorFrame(self._editor, parent=self)
        self._message = QLabel(self)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message.setWordWrap(True)
        self._format_button = QPushButton("Format", self)
        self._format_button.setToolTip("Indent the JSON with 2 spaces (Ctrl+Shift+F)")
        self._format_button.clicked.connect(self.format_json)

        self.format_action = QAction("&Format JSON", self)
        self.format_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.format_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.format_action.triggered.connect(self.format_json)
        self.addAction(self.format_action)

        bottom = QHBoxLayout()
        bottom.setContentsMargins(6, 2, 2, 2)
        bottom.addWidget(self._message, 1)
        bottom.addWidget(self._format_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.frame, 1)
        layout.addLayout(bottom)
        self.setFocusProxy(self._editor)  # focusing the event editor means typing into the JSON

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.validate_now)
        self._editor.textChanged.connect(self._on_text_changed)
        self._problem: JsonProblem | None = check_json("")
        self._show(self._problem)

    def editor(self) -> CodeEditor:
        return self._editor

    def text(self) -> str:
        return self._editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Replace the event (as when a preset is loaded), check it now and mark it unmodified."""
        self._editor.setPlainText(text)
        self._editor.document().setModified(False)
        self.validate_now()

    def message(self) -> str:
        """The line under the editor: "Valid JSON", or where and why the event is broken."""
        return self._message.text()

    def problem(self) -> JsonProblem | None:
        """The event's first problem, or None when it is valid JSON; up to date when asked."""
        if self._timer.isActive():
            self.validate_now()
        return self._problem

    def is_valid(self) -> bool:
        return self.problem() is None

    def is_modified(self) -> bool:
        return self._editor.document().isModified()

    def set_modified(self, modified: bool) -> None:
        self._editor.document().setModified(modified)

    @Slot()
    def validate_now(self) -> JsonProblem | None:
        """Check the text at once (instead of after the typing pause) and show the result."""
        self._timer.stop()
        was_valid = self._problem is None
        self._problem = check_json(self.text())
        self._show(self._problem)
        if (self._problem is None) != was_valid:
            self.validity_changed.emit(self._problem is None)
        return self._problem

    @Slot()
    def format_json(self) -> bool:
        """Re-indent the event with 2 spaces; when it is not valid JSON, leave it and say why."""
        problem = self.validate_now()
        if problem is not None:
            self._message.setText(f"Cannot format: {problem}")
            return False
        formatted = format_json(self.text())
        if formatted != self.text():
            # Through a cursor, not setPlainText, so Ctrl+Z brings the old layout back.
            cursor = QTextCursor(self._editor.document())
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(formatted)
            cursor.movePosition(QTextCursor.MoveOperation.Start)
            self._editor.setTextCursor(cursor)
            self.validate_now()
        return True

    @Slot()
    def _on_text_changed(self) -> None:
        self._timer.start()
        self.text_changed.emit()

    def _show(self, problem: JsonProblem | None) -> None:
        palette = self._message.palette()
        if problem is None:
            self._editor.clear_error_mark()
            self._message.setText(_VALID_MESSAGE)
            colour = self.palette().color(QPalette.ColorRole.PlaceholderText)
        else:
            self._editor.mark_error(problem.line, problem.column)
            self._message.setText(str(problem))
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
            colour = QColor("#ff7b72" if dark else "#b00020")
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self._message.setPalette(palette)
