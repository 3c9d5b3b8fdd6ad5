"""Keeps the window's indicators honest: the badge and status messages whose problem is fixed."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Slot

# Status messages that describe a problem the user can fix; each disappears once its problem is gone.
EVENT_PROBLEM = "Event is not valid JSON"
SETTINGS_PROBLEM = "Fix the function settings first"


class WindowIndicators(QObject):
    """Follows a MainWindow's signals and corrects what its indicators would otherwise leave stale.

    - The badge says "cold next" (and why) when a warm environment exists but a change since it
      started (code saved, a setting edited) means the next run starts a new one.
    - (Picking another function shows that function's own log and result: FunctionPanels.)
    - "Event is not valid JSON" and "Fix the function settings first" leave the status bar once fixed.
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        window.tabs.sig_file_saved.connect(self.refresh_badge)
        window.tabs.sig_reloaded.connect(self.refresh_badge)
        # After the window has stored the new settings (it is connected first).
        window.function_settings.sig_config_changed.connect(lambda _config: QTimer.singleShot(0, self._settings_edited))
        window.session.environment_changed.connect(lambda _name, _state: QTimer.singleShot(0, self.refresh_badge))
        window.sig_run_finished.connect(self._on_run_finished)
        window.toolbar.sig_function_selected.connect(self._on_function_selected)
        window.event_editor.sig_validity_changed.connect(self._on_event_validity)

    @Slot()
    def refresh_badge(self) -> None:
        window = self._window
        if window.function is None or window.running:
            return
        config = window.function.config
        state = window.session.environment_state(config.name)
        reason = window.session.next_cold_reason(config) if state in ("ready", "warm") else None
        window.toolbar.set_environment_state(state, reason)

    @Slot(object)
    def _on_run_finished(self, _record) -> None:
        self.refresh_badge()

    @Slot(str)
    def _on_function_selected(self, _name: str) -> None:
        QTimer.singleShot(0, self.refresh_badge)

    @Slot()
    def _settings_edited(self) -> None:
        if not self._window.function_settings.problems():
            self._clear_message(SETTINGS_PROBLEM)
        self.refresh_badge()

    @Slot(bool)
    def _on_event_validity(self, valid: bool) -> None:
        if valid:
            self._clear_message(EVENT_PROBLEM)

    def _clear_message(self, prefix: str) -> None:
        status = self._window.statusBar()
        if status.currentMessage().startswith(prefix):
            status.clearMessage()
