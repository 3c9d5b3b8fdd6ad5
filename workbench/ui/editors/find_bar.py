"""The find and replace bar under an editor: live matches, their count, next/previous, replace."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (QGridLayout, QLabel, QLineEdit, QSizePolicy, QToolButton, QWidget)

from workbench.core.text.text_edits import SearchQuery, find_matches, replacement_for
from workbench.ui.editors.code_editor import CodeEditor, document_positions

_REFRESH_DELAY_MS = 120  # after an edit of the document, matches are counted again once typing pauses


class FindBar(QWidget):
    """Finds in one CodeEditor as the user types: every match tinted, "3 of 12", Enter for the next.

    `open_find()` / `open_replace()` show it (the replace row only for the second), seeded with
    the editor's selection; Escape hides it and gives the editor its focus back.
    """

    closed = Signal()
    """The bar was hidden (Escape or its close button)."""

    def __init__(self, editor: CodeEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._spans: list[tuple[int, int]] = []  # document positions (UTF-16 units)
        self._char_spans: list[tuple[int, int]] = []  # the same matches in characters
        self._current = -1
        self.find_field = QLineEdit(self)
        self.find_field.setPlaceholderText("Find")
        self.find_field.setClearButtonEnabled(True)
        self.replace_field = QLineEdit(self)
        self.replace_field.setPlaceholderText("Replace")
        self.case_button = _toggle(self, "Aa", "Match case")
        self.word_button = _toggle(self, "W", "Whole words only")
        self.regex_button = _toggle(self, ".*", "Regular expression (replace may use \\1, \\g<name>)")
        self.count_label = QLabel(self)
        self.count_label.setMinimumWidth(self.count_label.fontMetrics().horizontalAdvance("99 of 99") + 4)
        self.find_field.setMinimumWidth(self.find_field.fontMetrics().horizontalAdvance("M" * 8))
        self.previous_button = _button(self, "↑", "Previous match (Shift+Enter)", self.find_previous)
        self.next_button = _button(self, "↓", "Next match (Enter)", self.find_next)
        self.close_button = _button(self, "✕", "Close (Escape)", self.close_bar)
        self.replace_button = _button(self, "Replace", "Replace this match and go to the next", self.replace_one)
        self.replace_all_button = _button(self, "All", "Replace every match (one undo step)", self.replace_all)
        self.replace_all_button.setText("Replace All")
        for button in (self.replace_button, self.replace_all_button):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        layout = QGridLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setHorizontalSpacing(2)
        layout.setVerticalSpacing(2)
        layout.addWidget(self.find_field, 0, 0)
        for column, widget in enumerate((self.case_button, self.word_button, self.regex_button,
                                         self.count_label, self.previous_button, self.next_button,
                                         self.close_button), start=1):
            layout.addWidget(widget, 0, column)
        layout.addWidget(self.replace_field, 1, 0)
        layout.addWidget(self.replace_button, 1, 1, 1, 3)
        layout.addWidget(self.replace_all_button, 1, 4, 1, 3)
        layout.setColumnStretch(0, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(_REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh_keeping_place)
        self.find_field.textChanged.connect(self._on_query_changed)
        for button in (self.case_button, self.word_button, self.regex_button):
            button.toggled.connect(self._on_query_changed)
        editor.document().contentsChanged.connect(self._on_document_changed)
        for field in (self.find_field, self.replace_field):
            field.installEventFilter(self)
        self._set_replace_visible(False)
        self.hide()

    # --- Opening and closing

    def open_find(self) -> None:
        self._open(replace=False)

    def open_replace(self) -> None:
        self._open(replace=True)

    @Slot()
    def close_bar(self) -> None:
        self._editor.set_search_marks([])
        self.hide()
        self._editor.setFocus()
        self.closed.emit()

    def _open(self, replace: bool) -> None:
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:  # a multi-line selection is not a search term
            self.find_field.setText(selected)
        self._set_replace_visible(replace and not self._editor.isReadOnly())
        self.show()
        self.find_field.setFocus()
        self.find_field.selectAll()
        self._search(from_position=self._editor.textCursor().selectionStart())

    def _set_replace_visible(self, visible: bool) -> None:
        for widget in (self.replace_field, self.replace_button, self.replace_all_button):
            widget.setVisible(visible)

    # --- What the user sees

    def query(self) -> SearchQuery:
        return SearchQuery(self.find_field.text(), case_sensitive=self.case_button.isChecked(),
                           whole_word=self.word_button.isChecked(), regex=self.regex_button.isChecked())

    def count_text(self) -> str:
        return self.count_label.text()

    # --- Moving and replacing

    @Slot()
    def find_next(self) -> None:
        self._step(+1)

    @Slot()
    def find_previous(self) -> None:
        self._step(-1)

    @Slot()
    def replace_one(self) -> None:
        """Replace the current match (selecting one first if none is), then go to the next."""
        if self._editor.isReadOnly() or not self._spans:
            return
        cursor = self._editor.textCursor()
        if self._current < 0 or (cursor.selectionStart(), cursor.selectionEnd()) != self._spans[self._current]:
            self._step(+1)
            return
        text = self._editor.toPlainText()
        replacement = replacement_for(text, self._char_spans[self._current], self.query(),
                                      self.replace_field.text())
        start = cursor.selectionStart()
        cursor.insertText(replacement)
        self._search(from_position=start + len(replacement.encode("utf-16-le")) // 2)

    @Slot()
    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many were replaced."""
        if self._editor.isReadOnly() or not self._spans:
            return 0
        text = self._editor.toPlainText()
        query, template = self.query(), self.replace_field.text()
        cursor = QTextCursor(self._editor.document())
        cursor.beginEditBlock()
        # From the end backwards, so the earlier positions stay valid while replacing.
        for span, char_span in reversed(list(zip(self._spans, self._char_spans))):
            cursor.setPosition(span[0])
            cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(replacement_for(text, char_span, query, template))
        cursor.endEditBlock()
        count = len(self._spans)
        self._search(from_position=0)
        self.count_label.setText(f"Replaced {count}")
        return count

    def _step(self, direction: int) -> None:
        if self._refresh_timer.isActive():
            self._refresh_timer.stop()
            self._search(from_position=self._editor.textCursor().selectionStart())
        if not self._spans:
            return
        cursor = self._editor.textCursor()
        if direction > 0:
            after = cursor.selectionEnd() if cursor.hasSelection() else cursor.position()
            index = next((i for i, (start, _) in enumerate(self._spans) if start >= after), 0)
        else:
            before = cursor.selectionStart()
            index = next((i for i in range(len(self._spans) - 1, -1, -1) if self._spans[i][0] < before),
                         len(self._spans) - 1)
        self._select(index)

    # --- Searching

    @Slot()
    def _on_query_changed(self) -> None:
        self._search(from_position=self._editor.textCursor().selectionStart())

    @Slot()
    def _on_document_changed(self) -> None:
        if self.isVisible():
            self._refresh_timer.start()

    @Slot()
    def _refresh_keeping_place(self) -> None:
        self._search(from_position=self._editor.textCursor().selectionStart(), select=False)

    def _search(self, from_position: int, select: bool = True) -> None:
        text = self._editor.toPlainText()
        result = find_matches(text, self.query())
        self._char_spans = list(result.matches)
        flat = document_positions(text, [i for span in self._char_spans for i in span])
        self._spans = list(zip(flat[0::2], flat[1::2]))
        self._editor.set_search_marks(self._spans if self.isVisible() else [])
        self._current = -1
        if result.problem:
            self.count_label.setText("Bad pattern")
            self.count_label.setToolTip(result.problem)
            self.find_field.setToolTip(result.problem)
            return
        self.count_label.setToolTip("")
        self.find_field.setToolTip("")
        if not self._spans:
            self.count_label.setText("No results" if self.find_field.text() else "")
            return
        index = next((i for i, (start, _) in enumerate(self._spans) if start >= from_position), 0)
        if select:
            self._select(index)
        else:
            self.count_label.setText(f"{len(self._spans)} found")

    def _select(self, index: int) -> None:
        self._current = index
        start, end = self._spans[index]
        cursor = self._editor.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self._editor.setTextCursor(cursor)
        self._editor.ensureCursorVisible()
        self.count_label.setText(f"{index + 1} of {len(self._spans)}")

    # --- Qt overrides

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                if watched is self.replace_field and not shift:
                    self.replace_one()
                else:
                    self._step(-1 if shift else +1)
                return True
        return super().eventFilter(watched, event)


def _toggle(parent: QWidget, text: str, tip: str) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setCheckable(True)
    button.setAutoRaise(True)
    _compact(button)
    return button


def _button(parent: QWidget, text: str, tip: str, slot) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    button.clicked.connect(slot)
    if len(text) <= 2:
        _compact(button)
    return button


def _compact(button: QToolButton) -> None:
    # Icon-sized: the bar must fit the event column of a 1024-pixel-wide window.
    button.setFixedWidth(button.fontMetrics().horizontalAdvance("Aa") + 10)
