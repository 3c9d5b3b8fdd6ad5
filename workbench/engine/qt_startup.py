"""Qt's start-up, written once for every entry point: the window (app.py, with its widget application),
serve, test, tune, deps, invoke --remote, and invoke (which reaches it only after its head start).

Three rules each entry point needs:
- one Qt application per process: the one already running (the window's, a test's), else a new one;
- Python's cycle collector runs on the Qt thread only (engine/main_thread_collector.py): collected on a
  Runtime API or history thread, a Qt object is freed outside its thread and Qt later crashes;
- Ctrl+C and SIGTERM reach Python while Qt waits: Python runs signal handlers only between bytecodes, so a
  timer ticks on the Qt thread to let them in.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QTimer

from .main_thread_collector import MainThreadCollector

# How often Qt's wait is interrupted so that a signal's Python handler runs (a tick costs next to nothing).
SIGNAL_TICK_MS = 100


def core_application() -> QCoreApplication:
    """The process's Qt application: the one that exists (a window's QApplication, a test's), else a new
    QCoreApplication (no widgets: the headless commands)."""
    return QCoreApplication.instance() or QCoreApplication(sys.argv[:1])


def collect_on_qt_thread(app: QCoreApplication) -> MainThreadCollector:
    """From now on the cycle collector runs on app's (the Qt) thread only, for as long as app lives (or until
    the collector's stop())."""
    return MainThreadCollector(app)


@contextmanager
def collecting_on_qt_thread(app: QCoreApplication) -> Iterator[MainThreadCollector]:
    """Within the block, the cycle collector runs on app's (the Qt) thread only; on leaving it is as before."""
    collector = collect_on_qt_thread(app)
    try:
        yield collector
    finally:
        collector.stop()
        collector.deleteLater()


@contextmanager
def headless_qt() -> Iterator[QCoreApplication]:
    """The start-up of a headless command that runs calls or builds: the application, with the collector on
    its thread for as long as the block runs."""
    app = core_application()
    with collecting_on_qt_thread(app):
        yield app


@contextmanager
def on_interrupt(handler: Callable[[], None]) -> Iterator[list[bool]]:
    """Within the block, Ctrl+C or SIGTERM calls handler() (cancel what runs, quit the loop, ...); the list
    it yields is non-empty once one came. The previous handlers are back on leaving."""
    interrupted: list[bool] = []

    def on_signal(_signum, _frame) -> None:
        interrupted.append(True)
        handler()

    previous = {signum: signal.signal(signum, on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
    ticker = QTimer(interval=SIGNAL_TICK_MS)
    ticker.timeout.connect(lambda: None)
    ticker.start()
    try:
        yield interrupted
    finally:
        ticker.stop()
        for signum, restored in previous.items():
            signal.signal(signum, restored)
