"""The History panel, Compare and the charts: lazy list over 100,000 runs, filters, actions, chart points."""

import json
import shlex
import sqlite3
import time

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qt_compat import qt_api

from run_records import make_record
from workbench.core.function.invoke_command import program_words
from workbench.core.history.history_codec import SUMMARY_COLUMNS
from workbench.core.history.history_store import HistoryStore
from workbench.core.history.run_chart_data import chart_data
from workbench.ui.history.history_dock import HistoryDock
from workbench.ui.history.history_model import PAGE_SIZE, HistoryTableModel


def fill_synthetic(store: HistoryStore, count: int) -> None:
    """count runs written straight into the tables (as many runs would leave them), newest last."""
    details = store._connection.execute("SELECT * FROM run_details").fetchall()
    assert details, "record one real run first: its details are copied"
    template = details[0][1:]
    connection = store._connection
    connection.execute("BEGIN")
    for n in range(count):
        cursor = connection.execute(
            f"INSERT INTO runs (id, {', '.join(SUMMARY_COLUMNS)}, stored_bytes) VALUES "
            f"(?, ?, ?, 'window', ?, ?, NULL, ?, ?, ?, 256, ?, ?, ?, NULL, NULL, NULL, NULL, 100)",
            (f"{n:08x}", 1_700_000_000 + n, f"Fn{n % 4}", f"preset-{n % 3}",
             "error" if n % 10 == 0 else "success", 10.0 + n % 7, 11 + n % 7, None if n % 50 else 120.0,
             30 + n % 5, 2e-7, int(n % 50 == 0)))
        connection.execute("INSERT INTO run_details VALUES (?, " + ", ".join("?" * len(template)) + ")",
                           (cursor.lastrowid, *template))
    connection.execute("COMMIT")


@pytest.fixture
def store(tmp_path):
    instance = HistoryStore.for_workspace(tmp_path)
    yield instance
    instance.close()


def test_the_model_fetches_lazily_from_100000_runs(qtmodeltester, store):
    """100,000 runs: the model holds one page at first, more on fetchMore, and passes Qt's model checks."""
    store.record(make_record())
    fill_synthetic(store, 100_000)
    model = HistoryTableModel()
    model.set_store(store)
    assert model.total() == 100_001 and model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    assert model.data(model.index(0, 1)) == "Fn3" and model.summary(0).id == f"{99_999:08x}"
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE_SIZE
    assert model.data(model.index(PAGE_SIZE, 8)) in ("cold", "warm")
    model.set_filter("Fn0", "error")
    assert model.total() == store.count("Fn0", "error") == 5_000
    assert all(model.summary(row).function == "Fn0" for row in range(model.rowCount()))
    qtmodeltester.check(model)


def test_the_panel_scrolls_into_more_rows(qtbot, store):
    """Scrolling to the end of the table fetches the next page, as a user scrolling down would see."""
    store.record(make_record())
    fill_synthetic(store, 1_000)
    dock = HistoryDock()
    qtbot.addWidget(dock)
    dock.resize(900, 400)
    dock.set_store(store)
    dock.show()
    table = dock.panel.table
    assert dock.panel.model.rowCount() == PAGE_SIZE
    assert dock.panel.count_label.text() == "1,001 runs"
    table.scrollToBottom()
    qtbot.waitUntil(lambda: dock.panel.model.rowCount() > PAGE_SIZE)


def _three_runs(store):
    first = store.record(make_record(response={"total": "59.99"}, started_at=time.time() - 30, init_ms=90.0,
                                     cold_reason="first call"))
    failed = store.record(make_record(error_type="KeyError", started_at=time.time() - 20))
    last = store.record(make_record(response={"total": "61.00"}, started_at=time.time() - 10, preset="big-order"))
    return first, failed, last


def test_selecting_a_run_shows_it_and_compare_names_the_change(qtbot, store):
    """Selecting emits the whole record; Compare with Last Success shows `total` changed and the figures."""
    first, failed, last = _three_runs(store)
    dock = HistoryDock()
    qtbot.addWidget(dock)
    dock.set_store(store)
    with qtbot.waitSignal(dock.run_shown) as shown:
        assert dock.panel.select_run(last)
    record, summary = shown.args
    assert summary.id == last and json.loads(record.result.payload) == {"total": "61.00"}
    assert dock.charts is None  # built when the Charts tab is first opened
    assert dock.show_charts().data().run_ids == (first, failed, last)
    dock.tabs.setCurrentWidget(dock.panel)
    dock.panel.compare_success_action.trigger()
    assert dock.tabs.currentWidget().layout().itemAt(0).widget() is dock.compare
    table = dock.compare.response_table
    assert [table.item(0, c).text() for c in range(4)] == ["total", "changed", '"59.99"', '"61.00"']
    assert failed not in dock.compare.title.text() and first in dock.compare.title.text()
    assert "Responses differ at 1 path" in dock.compare.verdict.text()
    dock.panel.compare_previous_action.trigger()
    assert failed in dock.compare.title.text()
    figures = dock.compare.figures_table
    assert figures.item(0, 0).text() == "Duration"


def test_filters_and_delete(qtbot, store):
    """The status filter lists only failures; Delete removes the selected run from the store and the list."""
    first, failed, last = _three_runs(store)
    store.record(make_record(function="Other"))
    dock = HistoryDock()
    qtbot.addWidget(dock)
    dock.set_store(store)
    panel = dock.panel
    assert [panel.function_filter.itemText(i) for i in range(panel.function_filter.count())] == \
        ["All functions", "OrderConfirmation", "Other"]
    panel.function_filter.setCurrentText("OrderConfirmation")
    assert panel.model.total() == 3
    panel.status_filter.setCurrentText("error")
    assert panel.model.rowCount() == 1 and panel.model.summary(0).id == failed
    panel.select_run(failed)
    panel.delete_action.trigger()
    assert panel.model.rowCount() == 0 and store.count() == 3
    panel.status_filter.setCurrentText("Any status")
    assert [panel.model.summary(r).id for r in range(panel.model.rowCount())] == [last, first]


def test_run_again_copy_command_and_save_event(qtbot, store, tmp_path):
    """Run Again hands back the config with the current secret, Copy puts a working invoke line on the clipboard."""
    first, _failed, _last = _three_runs(store)
    dock = HistoryDock()
    qtbot.addWidget(dock)
    dock.set_store(store, str(tmp_path))
    current = make_record().config.__class__(
        name="OrderConfirmation", handler="app.handler", runtime="python3.12", code_dir="/ws/order",
        environment=(("TABLE", "orders"), ("API_TOKEN", "current-token")))
    dock.config_for = lambda name: current
    dock.panel.select_run(first)
    with qtbot.waitSignal(dock.run_again_requested) as again:
        dock.panel.run_again_action.trigger()
    config, event_text, preset = again.args
    assert config.env_dict() == {"TABLE": "orders", "API_TOKEN": "current-token"}
    assert config.memory_mb == 256 and event_text == '{"id": 1}' and preset == "new-order"
    dock.panel.copy_command_action.trigger()
    line = QGuiApplication.clipboard().text()
    program = shlex.join(program_words())
    assert program.startswith("/")
    assert line.startswith(f"printf '%s' '{{\"id\": 1}}' | {program} invoke OrderConfirmation --workspace ")
    assert "--memory 256" in line and "current-token" not in line and "tok-" not in line
    with qtbot.waitSignal(dock.save_event_requested) as saved:
        dock.panel.save_event_action.trigger()
    assert saved.args == ['{"id": 1}']


def test_chart_points_mark_cold_and_warm_and_a_click_selects_the_run(qtbot, store):
    """Cold and warm points are separate series on every chart; clicking a point selects that run."""
    first, failed, last = _three_runs(store)
    data = chart_data(store.list("OrderConfirmation"))
    duration = data.by_key("duration_ms")
    assert [p.run_id for p in duration.cold] == [first]
    assert [p.run_id for p in duration.warm] == [failed, last]
    assert "cold start: first call" in duration.cold[0].label and f"Run {first}" in duration.cold[0].label
    assert data.memory_size == ((1, 256), (2, 256), (3, 256))
    assert data.by_key("billed_duration_ms").cold[0].value == 103
    dock = HistoryDock()
    qtbot.addWidget(dock)
    dock.resize(1000, 500)
    dock.set_store(store)
    dock.show()
    dock.chart_function("OrderConfirmation")
    dock.show_charts()
    assert sorted(run for _x, _y, run in dock.charts.point_positions("max_memory_used_mb")) == sorted(
        [first, failed, last])
    qtbot.wait(50)
    # Click the warm Duration point of the failed run, where the user sees it.
    plot = dock.charts.plots["duration_ms"]
    x, y, _ = next(p for p in dock.charts.point_positions("duration_ms") if p[2] == failed)
    scene = plot.vb.mapViewToScene(QPointF(x, y))
    view = dock.charts.graphics
    with qtbot.waitSignal(dock.run_shown) as shown:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(scene))
    assert shown.args[1].id == failed
    assert dock.panel.selected_ids() == [failed]
    assert dock.charts.marked_run() == failed
    ring = dock.charts.rings["duration_ms"].points()
    assert len(ring) == 1 and (ring[0].pos().x(), ring[0].pos().y()) == (x, y)
