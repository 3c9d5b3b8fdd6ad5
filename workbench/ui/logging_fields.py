"""LoggingConfig's three fields in the function settings form: the log format and the application and
system log levels, each a combo box whose empty choice is Lambda's default."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from workbench.core.function.function_config import FunctionConfig
from workbench.core.logging_config.settings import (
    APPLICATION_LOG_LEVELS, DEFAULT_APPLICATION_LOG_LEVEL, DEFAULT_SYSTEM_LOG_LEVEL, JSON, LOG_FORMATS,
    SYSTEM_LOG_LEVELS,
)

LOGGING_FIELDS = ("log_format", "application_log_level", "system_log_level")
_LABELS = {"log_format": "Log format", "application_log_level": "App log level",
           "system_log_level": "System level"}
_TOOLTIPS = {
    "log_format": "LoggingConfig.LogFormat: Text (the runtimes' plain lines, START/END/REPORT) or JSON "
                  "(JSON records, platform.* records, and log-level filtering)",
    "application_log_level": "LoggingConfig.ApplicationLogLevel: the function's records below it are dropped "
                             "(JSON format only; a line without a level counts as INFO)",
    "system_log_level": "LoggingConfig.SystemLogLevel: the platform's records below it are dropped "
                        "(JSON format only; platform.runtimeDone is DEBUG)",
}


class LoggingFields(QObject):
    """The three combo boxes and their labels; the form places them in its grid and asks which rows show.

    The level rows show in JSON format, and in Text format only while they hold a value: Lambda refuses
    levels on a text-format function, and the form keeps them on screen with that message until cleared.
    """

    edited = Signal()
    """The user chose another value in one of the three."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.editors: dict[str, QComboBox] = {}
        self.labels: dict[str, QLabel] = {}
        choices = {"log_format": [(name, name) for name in LOG_FORMATS],
                   "application_log_level": _level_choices(APPLICATION_LOG_LEVELS, DEFAULT_APPLICATION_LOG_LEVEL),
                   "system_log_level": _level_choices(SYSTEM_LOG_LEVELS, DEFAULT_SYSTEM_LOG_LEVEL)}
        for field in LOGGING_FIELDS:
            combo = QComboBox(parent, objectName=field)
            for text, value in choices[field]:
                combo.addItem(text, value)
            combo.setToolTip(_TOOLTIPS[field])
            combo.currentIndexChanged.connect(self._on_changed)
            self.editors[field] = combo
            self.labels[field] = QLabel(f"{_LABELS[field]}:", parent, buddy=combo)
        self._updating = False

    def show_config(self, config: FunctionConfig) -> None:
        """Show the config's values; a value Lambda would refuse (from a file) is shown as it is."""
        self._updating = True
        try:
            for field, combo in self.editors.items():
                value = getattr(config, field)
                index = combo.findData(value)
                if index < 0:
                    combo.addItem(value, value)  # shown, and reported as a problem
                    index = combo.count() - 1
                combo.setCurrentIndex(index)
        finally:
            self._updating = False
        self.refresh_rows()

    def values(self) -> dict[str, str]:
        """The three FunctionConfig fields as chosen ("" for a level left at Lambda's default)."""
        return {field: combo.currentData() or "" for field, combo in self.editors.items()}

    def row_shown(self, field: str) -> bool:
        if field == "log_format":
            return True
        return self.editors["log_format"].currentData() == JSON or bool(self.editors[field].currentData())

    def refresh_rows(self) -> None:
        for field in LOGGING_FIELDS:
            shown = self.row_shown(field)
            self.labels[field].setVisible(shown)
            self.editors[field].setVisible(shown)

    def _on_changed(self) -> None:
        if self._updating:
            return
        self.refresh_rows()
        self.edited.emit()


def _level_choices(levels: tuple[str, ...], default: str) -> list[tuple[str, str]]:
    # "" first: written to no file, so Lambda's default applies (INFO for both, in JSON format).
    return [(f"{default} (default)", "")] + [(level, level) for level in levels]
