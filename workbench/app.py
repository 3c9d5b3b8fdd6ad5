"""The window entry point: one qasync event loop for Qt and asyncio, then the main window."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import qasync
from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication

from .core.text.display_check import display_problem
from .core.workspace.sample_workspace import ensure_sample_workspace
from .engine.qt_startup import collecting_on_qt_thread, on_interrupt
from .serve.serve_controller import ServeController
from .serve.trigger_serving import TriggerServing
from .ui.app_settings import AppSettings
from .ui.main_window import MainWindow
from .ui.theme import apply_theme
from .cli.arguments import window_parser


def widget_application() -> QApplication:
    """The window's variant of engine/qt_startup.py's application: a QApplication (widgets), named for the
    settings and data folders."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("lambda-workbench")
    app.setApplicationName("Lambda Workbench")
    return app


def data_dir() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def choose_workspace(requested: str | None, last: str | None) -> Path:
    """The folder given, else the last workspace if it still exists, else the bundled sample (copied)."""
    if requested:
        return Path(requested).resolve()
    if last and Path(last).is_dir():
        return Path(last)
    return ensure_sample_workspace(data_dir())


def create_window(folder: str | None, settings: QSettings):
    """Build and show the window on a workspace (also used by tests and scripts)."""
    app_settings = AppSettings(settings)
    apply_theme(app_settings.theme())
    window = MainWindow(app_settings)
    window.serve_controller = attach_serve(window)
    window.trigger_serving = attach_trigger_serving(window)
    window.open_workspace(choose_workspace(folder, app_settings.last_workspace()))
    window.restore_window()
    window.show()
    return window


def attach_serve(window):
    """Wire the window's Serve panel to a serve controller on the window's run session (they are siblings:
    neither imports the other)."""
    controller = ServeController(lambda: window.workspace.folder if window.workspace else None, window.session,
                                 parent=window)
    panel = window.serve_panel
    panel.serve_toggled.connect(controller.set_serving)
    panel.schedule_toggled.connect(controller.set_schedule_enabled)
    panel.fire_requested.connect(controller.fire)
    controller.serving_changed.connect(panel.set_serving)
    controller.call_served.connect(panel.add_call)
    controller.schedules_listed.connect(panel.set_schedules)
    controller.problem.connect(window.statusBar().showMessage)
    window.run_on_aws_requested.connect(controller.run_remote)
    window.workspace_opened.connect(controller.follow_workspace)
    controller.remote_finished.connect(window.show_remote_record)
    return controller


def attach_trigger_serving(window):
    """The workspace's triggers run functions in the window from launch (serve/trigger_serving.py)."""
    serving = TriggerServing(window.session, parent=window)
    window.workspace_opened.connect(serving.follow_workspace)
    serving.notice.connect(window.status.say)
    # The Serve tab registers its own Invoke API while serving; once it stops, this one takes over again.
    window.serve_controller.serving_changed.connect(lambda serving_now, _text: serving_now or serving.relink())
    return serving


def main(argv: list[str]) -> int:
    parser = window_parser()
    args = parser.parse_args(argv)
    if args.path and not Path(args.path).is_dir():
        parser.error(f"{args.path}: not a folder")
    if QApplication.instance() is None and (problem := display_problem(os.environ, sys.platform)):
        print(f"lambda-workbench: {problem}", file=sys.stderr)
        return 2
    app = widget_application()
    # The Runtime API's and the history's threads must never free a Qt object (engine/qt_startup.py).
    with collecting_on_qt_thread(app), on_interrupt(app.quit):
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        window = create_window(args.path, QSettings())
        closed = asyncio.Event()
        # However the app ends, no environment outlives it.
        app.aboutToQuit.connect(window.session.shutdown)
        app.aboutToQuit.connect(closed.set)
        with loop:
            loop.run_until_complete(closed.wait())
            # The environments are gone with the window; the serve ports close here.
            loop.run_until_complete(window.serve_controller.stop())
            loop.run_until_complete(window.trigger_serving.stop())
        del window
    return 0
