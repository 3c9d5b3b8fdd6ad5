"""The Go to Line bar under an editor: a line number (and optionally :column), Enter jumps there."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from workbench.ui.editors.code_editor import CodeEditor


class GoToLineBar(QWidget):
    """Asks for "line" or "line:column" within the editor's range; Enter jumps, Escape cancels."""

    closed = Signal()
    """The bar was hidden, after a jump or by Escape."""

    def __init__(self, editor: CodeEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self.label = QLabel(self)
        self.field = QLineEdit(self)
        self.field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,9}(:\d{0,9})?"), self))
        self.field.setPlaceholderText("line[:column]")
        self.field.installEventFilter(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.label)
        layout.addWidget(self.field, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hide()

    def open(self) -> None:
        cursor = self._editor.textCursor()
        self.label.setText(f"Go to line (1–{self._editor.document().blockCount()}):")
        self.field.setText(str(cursor.blockNumber() + 1))
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    @Slot()
    def accept(self) -> None:
        """Jump to what the field says (clamped to the document) and close."""
        line_text, _, column_text = self.field.text().partition(":")
        if line_text:
            self._editor.go_to_line(int(line_text))
            if column_text:
                cursor = self._editor.textCursor()
                length = cursor.block().length() - 1
                cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.MoveAnchor,
                                    min(max(0, int(column_text) - 1), length))
                self._editor.setTextCursor(cursor)
        self.close_bar()

    @Slot()
    def close_bar(self) -> None:
        self.hide()
        self._editor.setFocus()
        self.closed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept()
                return True
        return super().eventFilter(watched, event)
