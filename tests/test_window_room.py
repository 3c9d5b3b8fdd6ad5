"""Room at 1024x700 and 1600x1000: the code and the log get the lines, History waits on the small screen and
opens tall on the large one, and the window keeps the size it was given whatever panels appear."""

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from window_helpers import make_window, workspace  # noqa: F401 - fixtures

RUN_TIMEOUT_MS = 20000


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.sig_run_finished, timeout=RUN_TIMEOUT_MS):
        window.toolbar.run_action.trigger()
    qtbot.waitUntil(window.log_panel.is_caught_up)


def lines_shown(editor: QPlainTextEdit) -> int:
    return editor.viewport().height() // editor.fontMetrics().lineSpacing()


def sized(qtbot, window, width, height):
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.size().toTuple() == (width, height))
    qtbot.wait(50)


def test_at_1024x700_the_code_and_the_log_have_the_room(qtbot, make_window, workspace):
    """History starts closed; the handler shows at least 16 lines and the log at least 10."""
    window = make_window(workspace)
    sized(qtbot, window, 1024, 700)
    assert window.history.isHidden()
    editor = window.tabs.current_frame().editor
    assert lines_shown(editor) >= 16
    assert lines_shown(window.log_panel.findChild(QPlainTextEdit, "log_view")) >= 10


def test_at_1600x1000_history_opens_tall_enough_to_read(qtbot, make_window, workspace):
    """History is open with room for at least eight rows, and the handler still shows 20 lines."""
    window = make_window(workspace)
    sized(qtbot, window, 1600, 1000)
    assert window.history.isVisible()
    table = window.history.panel.table
    assert table.viewport().height() // table.verticalHeader().defaultSectionSize() >= 8
    assert lines_shown(window.tabs.current_frame().editor) >= 20


@pytest.mark.parametrize("width, height", [(1024, 700), (972, 644)])
def test_the_window_keeps_its_size_as_panels_appear(qtbot, make_window, workspace, width, height):
    """A run, the Serve tab, History, a past run's banner and the Tests dock change nothing of the window's size."""
    window = make_window(workspace)
    sized(qtbot, window, width, height)
    run_and_wait(qtbot, window)
    run_and_wait(qtbot, window)
    window.panes.result_tabs.setCurrentWidget(window.serve_panel)
    window.menus.run_tests.setEnabled(True)
    window.history.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: window.history.panel.table.model().rowCount() >= 2)
    window.history.panel.table.selectRow(1)
    qtbot.waitUntil(window.past_run_banner.isVisible)
    window.tests_dock.show()
    qtbot.wait(100)
    assert window.size().toTuple() == (width, height)
    assert lines_shown(window.tabs.current_frame().editor) >= 6
