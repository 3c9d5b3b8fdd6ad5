"""JSON log records in columns: time, level and message; a row expands to the whole record; Copy gives the
raw lines as they were written."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit

from workbench.core.logging_config.record_columns import record_columns
from workbench.ui.logs.log_panel import LogPanel
from workbench.ui.logs.log_records_view import LogRecordsView

APP_RECORD = ('{"timestamp": "2026-03-04T10:00:00Z", "level": "WARNING", "message": "low stock",'
              ' "logger": "shop", "requestId": "r-1", "sku": "A-1"}')
PLATFORM = ('{"time":"2026-03-04T10:00:00.120Z","type":"platform.report","record":{"requestId":"r-1",'
            '"metrics":{"durationMs":1.5,"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":30},'
            '"status":"success"}}')
NODE_OBJECT = '{"timestamp":"2026-03-04T10:00:00.000Z","level":"INFO","requestId":"r-1","message":{"n":1}}'


def test_columns_of_each_kind_of_line():
    app = record_columns(APP_RECORD)
    assert (app.time, app.level, app.message) == ("2026-03-04T10:00:00Z", "WARNING", "low stock")
    platform = record_columns(PLATFORM)
    assert (platform.time, platform.level) == ("2026-03-04T10:00:00.120Z", "INFO")
    assert platform.message == "platform.report requestId=r-1 status=success durationMs=1.5"
    assert record_columns(NODE_OBJECT).message == '{"n": 1}'
    plain = record_columns("plain print")
    assert (plain.time, plain.level, plain.message, plain.record) == ("", "", "plain print", None)


@pytest.fixture
def panel(qtbot):
    widget = LogPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_panel_shows_records_in_columns_and_copies_raw_lines(qtbot, panel):
    lines = [APP_RECORD, "plain print", PLATFORM]
    panel.append_lines(lines)
    qtbot.waitUntil(panel.is_caught_up)
    panel.records_action.trigger()
    records = panel.findChild(LogRecordsView, "log_records")
    assert records.isVisible() and not panel.findChild(QPlainTextEdit, "log_view").isVisible()
    rows = [[records.topLevelItem(i).text(c) for c in range(3)] for i in range(records.topLevelItemCount())]
    assert rows == [["2026-03-04T10:00:00Z", "WARNING", "low stock"], ["", "", "plain print"],
                    ["2026-03-04T10:00:00.120Z", "INFO",
                     "platform.report requestId=r-1 status=success durationMs=1.5"]]
    # Expanded, a record shows all of itself.
    detail = records.topLevelItem(0).child(0).text(0)
    assert json.loads(detail) == json.loads(APP_RECORD) and "\n" in detail
    # Copy gives the lines exactly as written, a detail row standing for its record.
    records.topLevelItem(0).child(0).setSelected(True)
    records.topLevelItem(2).setSelected(True)
    records.copy_raw()
    assert QGuiApplication.clipboard().text() == APP_RECORD + "\n" + PLATFORM
    # New lines arrive while shown; the text view comes back when switched off.
    panel.append_lines([NODE_OBJECT])
    qtbot.waitUntil(lambda: records.topLevelItemCount() == 4)
    assert records.topLevelItem(3).text(2) == '{"n": 1}'
    panel.records_action.trigger()
    assert panel.findChild(QPlainTextEdit, "log_view").isVisible() and records.isHidden()


def test_another_log_starts_the_columns_over(qtbot, panel):
    panel.records_action.trigger()
    panel.append_to("a", [APP_RECORD])
    panel.show_log("a")
    records = panel.findChild(LogRecordsView, "log_records")
    qtbot.waitUntil(lambda: records.topLevelItemCount() == 1)
    panel.append_to("b", [PLATFORM, NODE_OBJECT])
    panel.show_log("b")
    qtbot.waitUntil(lambda: records.topLevelItemCount() == 2)
    assert records.topLevelItem(0).text(2).startswith("platform.report")
