"""Where a past run came from, in its Summary: the trigger that fired it with its batch and each record's fate
(core.triggers.triggered_batch.TriggeredBatch), and the runs of the same trace (the run whose write caused it,
the runs its own writes triggered)."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class RunOrigin(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("run_origin")
        self.title = QLabel(self)
        self.title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.body = QLabel(self, objectName="run_origin_body")
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        self.hide()

    def show_origin(self, trigger=None, linked=()) -> None:
        """trigger: the run's TriggeredBatch (None for a run nothing triggered); linked: RunSummary rows of the
        same trace, oldest first."""
        lines = list(trigger.lines()) if trigger is not None else []
        for other in linked:
            stamp = time.strftime("%H:%M:%S", time.localtime(other.started_at))
            lines.append(f"Same trace: {other.function} from {other.source}, {other.outcome} at {stamp} "
                         f"(run {other.id[:8]})")
        self.title.setText("Trigger and linked runs" if trigger is not None else "Linked runs")
        self.body.setText("\n".join(lines))
        self.setVisible(bool(lines))
