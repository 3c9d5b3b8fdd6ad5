"""A strip above the Logs, Response and Summary panels saying they show a recorded run, not the latest one."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from ...core.history.history_codec import RunSummary
from .history_model import time_text


class PastRunBanner(QFrame):
    dismissed = Signal()
    """The user closed the banner: the panels may be cleared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("past_run_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._tinting = False
        self.label = QLabel(self, objectName="past_run_text")
        self.label.setWordWrap(True)
        close = QToolButton(self, objectName="past_run_close")
        close.setText("✕")
        close.setToolTip("Stop showing the past run")
        close.setAutoRaise(True)
        close.clicked.connect(self._dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 2, 2)
        row.addWidget(self.label, 1)
        row.addWidget(close)
        self._apply_palette()
        self.hide()

    def show_run(self, run: RunSummary) -> None:
        preset = f", preset <b>{run.preset}</b>" if run.preset else ""
        start = "cold start" if run.cold else "warm"
        self.label.setText(f"Past run <b>{run.id}</b> of <b>{run.function}</b> at {time_text(run.started_at)}"
                           f"{preset} ({run.outcome}, {start}) — from the history, not the latest run.")
        self.show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._tinting:
            self._apply_palette()

    def _apply_palette(self) -> None:
        palette = QApplication.palette()
        base = palette.color(QPalette.ColorRole.Base)
        # A tint of the highlight colour that stays readable in light and dark themes.
        highlight = palette.color(QPalette.ColorRole.Highlight)
        tint = highlight.lighter(185) if base.lightness() > 127 else highlight.darker(260)
        palette.setColor(QPalette.ColorRole.Window, tint)
        self._tinting = True  # setPalette sends a PaletteChange of its own
        self.setPalette(palette)
        self._tinting = False

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
