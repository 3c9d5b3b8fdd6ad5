"""The real window at the screen sizes people have: it fits 1024x700, nothing in the settings, the log's header
or the Summary is cut off, and a log that grows by thousands of lines moves no splitter."""

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea

from window_helpers import make_window, workspace  # noqa: F401 - fixtures
from workbench.ui.elided_label import ElidedLabel

RUN_TIMEOUT_MS = 20000
SAM_PROJECT = Path(__file__).parent / "fixtures" / "sam_project"
SIZES = ((1024, 700), (1400, 880), (1920, 1080))


@pytest.fixture
def sam_project(tmp_path):
    """A copy of the SAM fixture project: its settings come from Globals, Parameters and Mappings (long origins)."""
    target = tmp_path / "sam"
    shutil.copytree(SAM_PROJECT, target)
    return target


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    qtbot.waitUntil(window.log_panel.is_caught_up, timeout=5000)
    return blocker.args[0]


def shown_whole_or_elided(widget) -> bool:
    """The widget has the width its text needs, or it is an ElidedLabel that elides with the whole text in the tooltip."""
    if isinstance(widget, ElidedLabel) and widget.is_elided():
        return widget.text() in widget.toolTip()
    return widget.width() >= widget.sizeHint().width()


def clipped(container) -> list[str]:
    """The visible labels and buttons inside `container` that are cut off: narrower than their text, or
    partly outside what their parents show (a scroll area scrolled past them, say)."""
    problems = []
    for widget in container.findChildren(QLabel) + container.findChildren(QAbstractButton):
        if not widget.isVisible() or not (widget.text() if hasattr(widget, "text") else ""):
            continue
        if widget.parent() is not None and widget.parent().objectName().startswith("qt_"):
            continue  # Qt's own parts: scroll arrows, the tab bar's buttons
        if not shown_whole_or_elided(widget):
            problems.append(f"{widget.objectName() or widget.text()!r}: {widget.width()} < {widget.sizeHint().width()}")
        elif widget.visibleRegion() != QRegion(widget.rect()) and not _scrolled_vertically_only(widget):
            problems.append(f"{widget.objectName() or widget.text()!r}: partly hidden")
    return problems


def _scrolled_vertically_only(widget) -> bool:
    """A row below a short scroll area's fold is reachable by scrolling down: not clipped sideways."""
    area = widget.parent()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parent()
    if area is None:
        return False
    left = widget.mapTo(area.viewport(), widget.rect().topLeft()).x()
    return left >= 0 and left + widget.width() <= area.viewport().width()


@pytest.mark.parametrize("which", ["sample", "sam"])
def test_the_window_fits_1024x700(qtbot, make_window, workspace, sam_project, which):
    """With the docks as they open by default, the window's minimum size fits a 1024x700 screen (the sample, and a
    SAM project whose settings show where they come from)."""
    window = make_window(workspace if which == "sample" else sam_project)
    qtbot.wait(50)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 700, hint
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024 and window.height() == 700)


@pytest.mark.parametrize("width, height", SIZES)
def test_settings_log_header_and_summary_are_not_clipped(qtbot, make_window, sam_project, width, height):
    """After a run, each label and button of the function settings, the log's header, the Response and the Summary
    is as wide as its text, or elided with the whole text in its tooltip, and none is scrolled out of sight sideways."""
    window = make_window(sam_project)
    window.resize(width, height)
    run_and_wait(qtbot, window)
    assert window.width() == width
    for tab in (window.response_panel, window.summary_panel):
        window.panes.result_tabs.setCurrentWidget(tab)
        qtbot.wait(50)
        for panel in (window.function_settings, window.log_panel, tab):
            assert clipped(panel) == [], type(panel).__name__


def test_a_long_origin_is_elided_with_its_whole_text_in_the_tooltip(qtbot, make_window, sam_project):
    """At 1024 pixels a SAM setting's long origin (Parameters, Mappings) is elided; its tooltip has it whole."""
    window = make_window(sam_project)
    window.resize(1024, 700)
    qtbot.wait(50)
    origin = window.function_settings.findChild(ElidedLabel, "origin_memory_mb")
    assert origin.isVisible() and "Mappings" in origin.text()
    assert origin.is_elided() and origin.shown_text() != origin.text() and "Mappings" in origin.toolTip()


@pytest.mark.parametrize("width, height", [(1024, 700), (1400, 880)])
def test_a_growing_log_moves_no_splitter(qtbot, make_window, workspace, width, height):
    """Three runs printing 3,000 lines each (the line count passes the view's 5,000 cap) leave every splitter and
    the window's size where they were, also with the log column dragged to its narrowest."""
    handler = workspace / "order_confirmation" / "lambda_function.py"
    source = handler.read_text()
    handler.write_text(source.replace("def lambda_handler(event, context):\n",
                                      "def lambda_handler(event, context):\n"
                                      "    for i in range(3000):\n"
                                      "        print('line', i, 'x' * (i % 50))\n", 1))
    window = make_window(workspace)
    window.resize(width, height)
    window.panes.bottom_splitter.setSizes([1, 10_000])  # the log column at its minimum width
    qtbot.wait(50)

    def sizes():
        return ([s.sizes() for s in window.panes.splitters()], window.size().toTuple(),
                window.log_panel.minimumSizeHint().width())

    before = sizes()
    for _ in range(3):
        run_and_wait(qtbot, window)
        qtbot.wait(20)
        assert sizes() == before
    assert window.log_panel.line_count() > 9000


def test_environment_table_shares_a_narrow_column(qtbot, make_window, sam_project):
    """At 1024 pixels, with the From column shown, the variables' Name, Value and From fit the table side by side
    (Value keeps the largest share), and a name or value cut short has itself as tooltip."""
    from PySide6.QtWidgets import QTableWidget

    window = make_window(sam_project)
    window.resize(1024, 700)
    qtbot.wait(50)
    table = window.function_settings.findChild(QTableWidget, "environment")
    room = table.viewport().width()
    widths = [table.columnWidth(column) for column in range(3)]
    assert not table.isColumnHidden(2) and sum(widths) <= room + 1, (widths, room)
    assert widths[1] >= max(widths[0], widths[2]), widths
    for row in range(table.rowCount()):
        name, value = table.item(row, 0), table.item(row, 1)
        assert name.toolTip() == name.text()
        assert value.toolTip() in (value.data(Qt.ItemDataRole.UserRole), "Hidden: turn on Show secrets to see or edit it")


def test_the_window_still_fits_with_the_tests_dock_open(qtbot, make_window, workspace):
    """Run Tests opens the Tests dock beside History: the minimum size still fits 1024x700."""
    window = make_window(workspace)
    window.tests_dock.show()
    window.tests_dock.raise_()
    qtbot.wait(50)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 700, hint


def test_the_window_still_fits_while_serving(qapp, qtbot, tmp_path, workspace):
    """Serving writes both addresses in the Serve tab: they wrap under its buttons instead of widening the window."""
    import asyncio

    from serving_window import serving_window

    window, loop = serving_window(qapp, qtbot, workspace, tmp_path)
    window.resize(1024, 700)
    window.panes.result_tabs.setCurrentWidget(window.serve_panel)
    controller = window.serve_controller

    async def scenario():
        await controller.start()
        await asyncio.sleep(0.05)
        shown = controller.server.lambda_url in window.serve_panel.status.text()
        hint = window.minimumSizeHint()
        await controller.stop()
        return shown, hint

    try:
        shown, hint = loop.run_until_complete(asyncio.wait_for(scenario(), 60))
    finally:
        window.session.shutdown()
        loop.close()
        asyncio.set_event_loop(None)
    assert shown
    assert hint.width() <= 1024 and hint.height() <= 700, hint
