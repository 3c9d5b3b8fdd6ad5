"""The bar over an editor whose file changed on disk while it has unsaved edits: reload, or keep mine."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSizePolicy,
                               QVBoxLayout, QWidget)

from workbench.ui.editors.pygments_highlighter import PygmentsHighlighter

_DIFF_LINES = 8  # the difference view's height: enough to read a change, the editor stays in sight


class DiskChangeBar(QWidget):
    """Says the file changed on disk and offers Reload / Keep Mine, with the difference shown.

    The difference reads as a unified diff from the disk's version to the unsaved text, so
    "Keep Mine" makes exactly the + lines true on disk.
    """

    reload = Signal()
    """Drop the unsaved edits and load the disk's version."""

    keep_mine = Signal()
    """Keep the unsaved text; the next save overwrites the disk's version, as the user chose."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.reload_button = QPushButton("Reload", self)
        self.reload_button.setToolTip("Load the version on disk; your unsaved edits are dropped")
        self.keep_button = QPushButton("Keep Mine", self)
        self.keep_button.setToolTip("Keep your text; saving will replace the version on disk")
        self.diff_button = QPushButton("Hide Difference", self)
        self.diff_button.setCheckable(True)
        self.diff_button.setChecked(True)
        self.difference = QPlainTextEdit(self)
        self.difference.setReadOnly(True)
        self.difference.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.difference.setFixedHeight(self.difference.fontMetrics().lineSpacing() * _DIFF_LINES + 8)
        self._highlighter = PygmentsHighlighter(self.difference.document(), "diff")
        # The buttons get their own row: the bar must fit a narrow code column without widening it.
        row = QHBoxLayout()
        row.addWidget(self.diff_button)
        row.addStretch(1)
        row.addWidget(self.reload_button)
        row.addWidget(self.keep_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(4)
        layout.addWidget(self.message)
        layout.addLayout(row)
        layout.addWidget(self.difference)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.reload_button.clicked.connect(self._reload)
        self.keep_button.clicked.connect(self._keep)
        self.diff_button.toggled.connect(self._show_difference)
        self.hide()

    def ask(self, message: str, difference: str) -> None:
        self.message.setText(message)
        self.difference.setPlainText(difference)
        self._show_difference(self.diff_button.isChecked())
        self.show()

    def _show_difference(self, shown: bool) -> None:
        self.difference.setVisible(shown and bool(self.difference.toPlainText()))
        self.diff_button.setText("Hide Difference" if shown else "Show Difference")

    def _reload(self) -> None:
        self.hide()
        self.reload.emit()

    def _keep(self) -> None:
        self.hide()
        self.keep_mine.emit()
