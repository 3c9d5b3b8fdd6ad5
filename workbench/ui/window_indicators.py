"""Keeps the run badge honest: "cold next" (and why) once a saved edit or a changed setting means the next run
starts a new environment, and the state the session reports otherwise."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot

from ..core.function.function_config import FunctionConfig
from ..engine.run_session import RunSession
from .run_toolbar import RunToolbar
from ..core.vocabulary import EnvironmentState


class WindowIndicators(QObject):
    """The badge of the selected function. The window calls refresh_badge (or refresh_soon, after the change
    in hand has been stored) whenever code is saved, a setting changes, a run ends or another function is
    picked."""

    def __init__(self, toolbar: RunToolbar, session: RunSession, current_config: Callable[[], FunctionConfig | None],
                 running: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._toolbar, self._session = toolbar, session
        self._current_config, self._running = current_config, running

    @Slot()
    def refresh_badge(self) -> None:
        config = self._current_config()
        if config is None or self._running():
            return
        state = self._session.environment_state(config.name)
        reason = self._session.next_cold_reason(config) if state in (EnvironmentState.READY, "warm") else None
        self._toolbar.set_environment_state(state, reason)

    @Slot()
    def refresh_soon(self) -> None:
        """On the next loop turn, once the window has taken in the change that prompted it."""
        QTimer.singleShot(0, self.refresh_badge)
