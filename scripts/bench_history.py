"""How fast the History panel opens over a big history, beside a floor measured in the same run.

    .venv/bin/python scripts/bench_history.py [--runs 100000] [--repeat 7]

Fills a scratch workspace's history with RUNS runs (real records: config, event, payload, a 6-line log,
varied figures), then times, each REPEAT times, median printed:
  floor       a new sqlite3 connection and a bare SELECT COUNT(*) over the runs table
  plain dock  a QTableView over a QStandardItemModel with the same first 200 rows of text, added to the
              same window and painted (Qt's own cost)
  open panel  opening the HistoryStore, building the History dock, filling it and painting it in a window
              already on screen
  chart       charting one function's newest 500 runs
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.core.lambda_rules.billing import billed_duration_ms, invocation_cost_usd  # noqa: E402
from workbench.core.function.function_config import FunctionConfig  # noqa: E402
from workbench.core.history.history_codec import (DETAIL_COLUMNS, SUMMARY_COLUMNS, detail_values,  # noqa: E402
                                          stored_size, summary_values)
from workbench.core.history.history_store import HistoryStore  # noqa: E402
from workbench.core.function.invocation_result import InvocationResult, Status  # noqa: E402
from workbench.core.lambda_rules.log_lines import end_line, report_line, start_line  # noqa: E402
from workbench.core.history.run_record import CodeFile, RunRecord  # noqa: E402


def _record(n: int) -> RunRecord:
    request_id = str(uuid.UUID(int=n))
    cold = n % 40 == 0
    duration = 8.0 + (n * 7919 % 1000) / 100
    init = 140.0 if cold else None
    billed = billed_duration_ms(duration, init)
    result = InvocationResult(request_id, Status.SUCCESS if n % 25 else Status.ERROR,
                              b'{"statusCode": 200, "body": "{\\"total\\": \\"59.99\\"}"}',
                              None if n % 25 else "KeyError", None, duration, billed, init, 256, 40 + n % 9,
                              cost_usd=invocation_cost_usd(256, billed))
    config = FunctionConfig(name=f"Function{n % 5}", handler="app.handler", runtime="python3.12",
                            code_dir="/ws/fn", memory_mb=256, environment=(("TABLE", "orders"),))
    log = (start_line(request_id), "[INFO] order received", "[INFO] total 59.99", "[INFO] done",
           end_line(request_id), report_line(result))
    return RunRecord(started_at=1_780_000_000 + n, source="window", config=config, event=b'{"order": 42}',
                     result=result, log=log, cold=cold, cold_reason="first call" if cold else None,
                     code_fingerprint="f", code_files=(CodeFile("app.py", 100, 1),), preset=f"preset-{n % 3}")


def fill(store: HistoryStore, count: int) -> None:
    connection = store._connection
    summary_sql = (f"INSERT INTO runs (id, {', '.join(SUMMARY_COLUMNS)}, stored_bytes) "
                   f"VALUES ({', '.join('?' * (len(SUMMARY_COLUMNS) + 2))})")
    detail_sql = (f"INSERT INTO run_details (seq, {', '.join(DETAIL_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * (len(DETAIL_COLUMNS) + 1))})")
    connection.execute("BEGIN")
    for n in range(count):
        record = _record(n)
        details = detail_values(record, b"k")
        cursor = connection.execute(summary_sql, (f"{n:08x}", *summary_values(record), stored_size(details)))
        connection.execute(detail_sql, (cursor.lastrowid, *details))
    connection.execute("COMMIT")


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMainWindow

    from workbench.ui.history.history_dock import HistoryDock

    app = QApplication(sys.argv[:1])
    workspace = Path(tempfile.mkdtemp(prefix="workbench-bench-history-"))
    store = HistoryStore.for_workspace(workspace)
    started = time.perf_counter()
    fill(store, args.runs)
    print(f"filled {store.count():,} runs in {time.perf_counter() - started:.1f} s "
          f"({os.path.getsize(store.path) / 1e6:.0f} MB)")
    path = store.path
    store.close()

    def floor() -> None:
        connection = sqlite3.connect(path)
        connection.execute("SELECT COUNT(*) FROM runs").fetchone()
        connection.close()

    # The panel opens inside a window that is already on screen, as it does in the app.
    host = QMainWindow()
    host.resize(1400, 880)
    host.show()
    app.processEvents()
    opened_docks = []

    def open_panel() -> None:
        opened = HistoryStore(path)
        dock = HistoryDock(host)
        host.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.set_store(opened, str(workspace))
        dock.show()
        app.processEvents()
        opened_docks.append((dock, opened))

    def close_panel() -> None:
        dock, opened = opened_docks.pop()
        host.removeDockWidget(dock)
        dock.deleteLater()
        opened.close()
        app.processEvents()

    # The same page of texts the panel shows first, in Qt's own item model.
    first_page = [[str(cell) for cell in (run.id, run.started_at, run.function, run.preset, run.outcome,
                                          run.duration_ms, run.billed_duration_ms, run.max_memory_used_mb,
                                          run.cost_usd)]
                  for run in HistoryStore(path).list(limit=200)]

    def qt_floor() -> None:
        # A plain dock with a QTableView over a QStandardItemModel holding the same 200 rows of text:
        # what Qt itself takes to lay out and paint such a panel in this window on this machine.
        from PySide6.QtGui import QStandardItem, QStandardItemModel
        from PySide6.QtWidgets import QDockWidget, QTableView

        dock = QDockWidget("History", host)
        table = QTableView(dock)
        model = QStandardItemModel(0, 9, table)
        for texts in first_page:
            model.appendRow([QStandardItem(text) for text in texts])
        table.setModel(model)
        dock.setWidget(table)
        host.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.show()
        app.processEvents()
        host.removeDockWidget(dock)
        dock.deleteLater()

    floor_ms = median_ms(floor, args.repeat)
    qt_floor_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        qt_floor()
        qt_floor_times.append((time.perf_counter() - start) * 1000)
        app.processEvents()
    qt_floor_ms = statistics.median(qt_floor_times)
    panel_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        open_panel()
        panel_times.append((time.perf_counter() - start) * 1000)
        close_panel()
    panel_ms = statistics.median(panel_times)
    open_panel()
    dock, opened = opened_docks[-1]
    dock.show_charts()
    chart_ms = median_ms(lambda: dock.chart_function("Function1"), args.repeat)
    print(f"{'floor: connect + SELECT COUNT(*)':<44}{floor_ms:8.1f} ms")
    print(f"{'floor: a plain dock, same 200 rows of text':<44}{qt_floor_ms:8.1f} ms")
    print(f"{'open History panel (store, dock, paint)':<44}{panel_ms:8.1f} ms   "
          f"{panel_ms / qt_floor_ms:5.1f}x the plain dock")
    print(f"{'chart one function (500 runs)':<44}{chart_ms:8.1f} ms")
    print(f"goal: open under 200 ms with {args.runs:,} runs: {'met' if panel_ms < 200 else 'NOT met'}")
    close_panel()


if __name__ == "__main__":
    main()
