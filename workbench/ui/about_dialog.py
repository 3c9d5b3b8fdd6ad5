"""Help > About: the version, and where the app keeps its data, settings and caches."""

from __future__ import annotations

import os
import sys
from html import escape
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ..core.child.dependency_cache import cache_root
from ..core.history.history_store import history_path


def app_version() -> str:
    try:
        return version("lambda-workbench")
    except PackageNotFoundError:
        return "unknown (not installed)"


def storage_places(workspace: Path | None) -> list[tuple[str, str, bool]]:
    """(what, where, exists) for everything the app writes outside the code itself: the places it really
    uses (the dependency cache is the one the engine fills), each marked when it is not there yet."""
    places = [
        ("Settings (window, theme, recent workspaces)", QSettings().fileName()),
        ("App data (the sample workspace copy)",
         QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)),
        ("Dependency cache (installed packages, SDKs)", str(cache_root(dict(os.environ)))),
    ]
    if workspace is not None:
        places.append(("This workspace's functions and presets", str(workspace)))
        places.append(("This workspace's run history", str(history_path(workspace))))
    return [(what, where, Path(where).exists()) for what, where in places]


class AboutDialog(QDialog):
    """Version and storage places, selectable so they can be pasted into a bug report."""

    def __init__(self, parent: QWidget | None = None, workspace: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Lambda Workbench")
        rows = "".join(f"<tr><td nowrap><b>{escape(what)}</b>&nbsp;&nbsp;</td><td>{escape(where)}"
                       + ("" if exists else " <i>(not created yet)</i>") + "</td></tr>"
                       for what, where, exists in storage_places(workspace))
        self.text = QLabel(
            f"<h3>Lambda Workbench {app_version()}</h3>"
            "<p>Runs AWS Lambda functions on this machine as Lambda runs them.</p>"
            f"<p>Python {sys.version.split()[0]} · PySide6 {pyside_version}</p>"
            f"<table>{rows}</table>", self)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        # Wide enough for a label and a usual path on one line each (never wider than the screen).
        wanted = self.fontMetrics().averageCharWidth() * 110
        screen = self.screen().availableGeometry().width() if self.screen() else wanted
        self.setMinimumWidth(min(wanted, int(screen * 0.9)))
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
