"""Fixtures for tests that drive the real window: a sample workspace and windows that clean up."""

import pytest
from PySide6.QtCore import QSettings

from workbench.core.workspace.sample_workspace import ensure_sample_workspace
from workbench.ui.app_settings import AppSettings
from workbench.ui.main_window import DISCARD, MainWindow


class Answers:
    """Scripted answers to the unsaved-changes question, recording what was asked."""

    def __init__(self, answer=DISCARD):
        self.answer = answer
        self.asked = []

    def __call__(self, parent, what):
        self.asked.append(what)
        return self.answer


@pytest.fixture
def workspace(tmp_path):
    """A fresh copy of the bundled sample workspace."""
    return ensure_sample_workspace(tmp_path / "data")


@pytest.fixture
def make_window(qtbot, tmp_path):
    """make_window(folder, answers=None, **options) opens the real window on a folder, shown."""
    windows = []

    def make(folder, answers=None, **options):
        settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings, ask_unsaved=answers or Answers(), **options)
        qtbot.addWidget(window)
        window.open_workspace(folder)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.session.shutdown()
