"""Launching: which workspace opens, what is remembered, and flows written as coroutines on qasync's loop."""

import asyncio
import json

import qasync
from PySide6.QtCore import QSettings

from workbench.app import choose_workspace, create_window
from workbench.core.workspace.sample_workspace import ensure_sample_workspace
from workbench.ui.app_settings import AppSettings
from workbench.ui.event_template_dialog import EventTemplateDialog


def settings_in(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_first_launch_opens_a_copy_of_the_sample(tmp_path, monkeypatch):
    """With no argument and no history, the sample is copied into the data folder and opened."""
    monkeypatch.setattr("workbench.app.data_dir", lambda: tmp_path / "data")
    folder = choose_workspace(None, None)
    assert folder == tmp_path / "data" / "sample-workspace"
    assert (folder / "order_confirmation" / "lambda_function.py").is_file()


def test_last_workspace_reopens(qtbot, tmp_path):
    """A workspace opened once is the one the next launch opens, with window and splitter state kept."""
    first = ensure_sample_workspace(tmp_path / "a")
    window = create_window(str(first), settings_in(tmp_path))
    qtbot.addWidget(window)
    # The offscreen screen (800 pixels wide) clamps a restored window to the window's minimum width: start there.
    window.resize(window.minimumSizeHint().width(), 700)
    qtbot.wait(10)
    window.panes.main_splitter.setSizes([330, 660])
    saved_sizes = window.panes.main_splitter.sizes()
    window.close()
    settings = AppSettings(settings_in(tmp_path))
    assert settings.last_workspace() == str(first.resolve())
    again = create_window(None, settings_in(tmp_path))
    qtbot.addWidget(again)
    assert again.workspace.folder == first.resolve()
    qtbot.wait(10)
    # The offscreen screen clamps the width; the height and the panes' proportions come back.
    assert again.size().height() == 700
    left, right = again.panes.main_splitter.sizes()
    assert abs(left / (left + right) - saved_sizes[0] / sum(saved_sizes)) < 0.03
    again.session.shutdown()


def test_new_event_from_template_uses_the_catalogue(qtbot):
    """The template dialog offers the generate-event catalogue and yields a valid event."""
    dialog = EventTemplateDialog()
    qtbot.addWidget(dialog)
    assert dialog.event_text() == ""
    dialog.select("s3", "put")
    event = json.loads(dialog.event_text())
    assert event["Records"][0]["eventSource"] == "aws:s3"


def test_run_tests_on_the_apps_event_loop(qapp, qtbot, tmp_path):
    """Run Tests fills the Tests table on qasync's loop, as in the real app; the sample passes out of the box."""
    workspace = ensure_sample_workspace(tmp_path / "data")
    window = create_window(str(workspace), settings_in(tmp_path))
    qtbot.addWidget(window)
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)

    async def run_tests():
        future = loop.create_future()
        window.tests_dock.tests.finished.connect(lambda results: future.done() or future.set_result(results))
        window.menus.run_tests.trigger()
        return await future

    try:
        results = loop.run_until_complete(asyncio.wait_for(run_tests(), 60))
    finally:
        asyncio.set_event_loop(None)
        loop.close()
        window.session.shutdown()
    assert len(results) == 14 and all(item.status == "passed" for item in results)
    assert window.tests_dock.isVisible()
    assert window.tests_dock.panel.summary_label.text().startswith("14 passed, 0 failed")
    assert "14 passed, 0 failed" in window.statusBar().currentMessage()


def test_theme_switches_to_dark_and_back_to_the_system_palette(qapp):
    """View > Theme: dark gives a dark window; System brings back the palette the app started with."""
    from PySide6.QtGui import QPalette

    from workbench.ui.theme import apply_theme

    apply_theme("system")
    system = qapp.palette().color(QPalette.ColorRole.Window)
    apply_theme("dark")
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert qapp.palette().color(QPalette.ColorRole.Text).lightness() > 180
    apply_theme("system")
    assert qapp.palette().color(QPalette.ColorRole.Window) == system
