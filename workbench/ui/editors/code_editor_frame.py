"""A CodeEditor with its find/replace and go-to-line bars, and the keys that open them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from workbench.ui.editors.code_editor import CodeEditor
from workbench.ui.editors.disk_change_bar import DiskChangeBar
from workbench.ui.editors.find_bar import FindBar
from workbench.ui.editors.go_to_line_bar import GoToLineBar


class CodeEditorFrame(QWidget):
    """Holds one editor (and an optional notice above it); Ctrl+F, Ctrl+H and Ctrl+G work inside it.

    The shortcuts belong to this frame (WidgetWithChildrenShortcut), so the code tabs and the
    event editor each find in their own text.
    """

    def __init__(self, editor: CodeEditor, notice: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.find_bar = FindBar(editor, self)
        self.go_to_line_bar = GoToLineBar(editor, self)
        self.disk_bar = DiskChangeBar(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.disk_bar)
        if notice is not None:
            layout.addWidget(notice)
        layout.addWidget(editor, 1)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.go_to_line_bar)
        self.setFocusProxy(editor)
        self.find_action = self._action("&Find…", QKeySequence.StandardKey.Find, self.open_find)
        self.replace_action = self._action("&Replace…", "Ctrl+H", self.open_replace)
        self.go_to_line_action = self._action("&Go to Line…", "Ctrl+G", self.open_go_to_line)

    def open_find(self) -> None:
        self.go_to_line_bar.hide()
        self.find_bar.open_find()

    def open_replace(self) -> None:
        self.go_to_line_bar.hide()
        self.find_bar.open_replace()

    def open_go_to_line(self) -> None:
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
        self.go_to_line_bar.open()

    def _action(self, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action


def focused_frame() -> CodeEditorFrame | None:
    """The frame holding the keyboard focus (its editor or one of its bars), if any."""
    widget = QApplication.focusWidget()
    while widget is not None and not isinstance(widget, CodeEditorFrame):
        widget = widget.parentWidget()
    return widget
