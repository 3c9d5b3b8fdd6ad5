"""The Debug Console: an expression typed at the prompt is evaluated in the selected frame and answered
below it; log points and the debugger's own notes appear here too. Up and Down recall earlier lines."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

MAX_LINES = 5000


class DebugConsole(QWidget):
    sig_evaluate_requested = Signal(str)
    """An expression to evaluate in the selected frame."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("debug_console")
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.output = QPlainTextEdit(self)
        self.output.setReadOnly(True)
        self.output.setFont(fixed)
        self.output.setMaximumBlockCount(MAX_LINES)
        self.output.setPlaceholderText("Evaluate an expression in the selected frame when the program is stopped.")
        self.prompt = QLineEdit(self)
        self.prompt.setFont(fixed)
        self.prompt.setPlaceholderText("> expression (Enter)")
        self.prompt.returnPressed.connect(self._submit)
        self.prompt.installEventFilter(self)
        self._history: list[str] = []
        self._recalled = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.output, 1)
        layout.addWidget(self.prompt)

    def text(self) -> str:
        return self.output.toPlainText()

    def append_answer(self, expression: str, value: str, error: str = "") -> None:
        self.output.appendPlainText(f"> {expression}\n{error or value}")

    def append_output(self, text: str) -> None:
        text = text.rstrip("\n")
        if text:
            self.output.appendPlainText(text)

    def _submit(self) -> None:
        expression = self.prompt.text().strip()
        if not expression:
            return
        self.prompt.clear()
        self._history.append(expression)
        self._recalled = len(self._history)
        self.sig_evaluate_requested.emit(expression)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.prompt and event.type() == QEvent.Type.KeyPress and self._history:
            key = event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                step = -1 if key == Qt.Key.Key_Up else 1
                self._recalled = min(max(self._recalled + step, 0), len(self._history))
                self.prompt.setText(self._history[self._recalled] if self._recalled < len(self._history) else "")
                return True
        return super().eventFilter(watched, event)
