"""Waiting for a run in a Qt event loop, as test and tune do: Ctrl+C and SIGTERM cancel what runs (which
kills its environments) instead of leaving it behind, then the command says so and exits 130."""

from __future__ import annotations

from PySide6.QtCore import QEventLoop

from ..engine.qt_startup import on_interrupt


def run_until_finished(run) -> bool:
    """Start a run (an object with start(), cancel() and a finished signal) and wait for it in a Qt event
    loop; True when Ctrl+C or SIGTERM stopped it."""
    loop = QEventLoop()
    run.finished.connect(loop.quit)
    with on_interrupt(run.cancel) as interrupted:
        run.start()
        loop.exec()
    return bool(interrupted)
