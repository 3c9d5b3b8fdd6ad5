"""The window's status bar as data: a notice has a kind and a text, and a problem's notice leaves the bar once
that problem is fixed, recognised by its kind rather than by the words it happened to use."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QStatusBar

NOTICE_MS = 15000


class NoticeKind(str, Enum):
    INFO = "info"
    """Something happened; it fades on its own."""
    EVENT_INVALID = "event-invalid"
    """The event is not valid JSON: gone once it is."""
    SETTINGS_INVALID = "settings-invalid"
    """A function setting is not one Lambda accepts: gone once it is."""


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    text: str


class StatusLine(QObject):
    """Shows notices in a status bar and takes a problem's notice away when told the problem is fixed."""

    def __init__(self, bar: QStatusBar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bar = bar
        self._shown: Notice | None = None
        # Any message shown by other means (a widget's own, a timeout) ends the current notice.
        bar.messageChanged.connect(self._on_message_changed)

    @Slot(str)
    def say(self, text: str) -> None:
        """An informational line, for NOTICE_MS."""
        self.show(Notice(NoticeKind.INFO, text))

    def show(self, notice: Notice) -> None:
        self._shown = notice
        self._bar.showMessage(notice.text, NOTICE_MS)

    def progress(self, text: str) -> None:
        """A line that stays until the next one (a run in progress, its outcome)."""
        self._shown = Notice(NoticeKind.INFO, text)
        self._bar.showMessage(text)

    def resolve(self, kind: NoticeKind) -> None:
        """The problem of this kind is fixed: its notice, if still shown, goes."""
        if self._shown is not None and self._shown.kind is kind:
            self._bar.clearMessage()

    @Slot(str)
    def _on_message_changed(self, text: str) -> None:
        if self._shown is not None and text != self._shown.text:
            self._shown = None
