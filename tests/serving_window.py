"""The window with its Serve side on free ports and an asyncio loop on Qt's, for the tests that serve from it."""

import asyncio

import qasync

from test_app import settings_in
from workbench.app import create_window
from workbench.serve.server import ServeOptions


def serving_window(qapp, qtbot, workspace, tmp_path):
    """(window, loop): the window on workspace, its serve controller set to free ports, and the qasync loop
    the test runs its scenario in (run_until_complete)."""
    window = create_window(str(workspace), settings_in(tmp_path))
    qtbot.addWidget(window)
    window.serve_controller.options = ServeOptions(lambda_port=0, api_port=0)
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    return window, loop
