"""Ctrl+C and SIGTERM while a command waits in a Qt event loop: cancel what runs (which kills its
environments) instead of leaving it behind, then let the command say so and exit 130."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def cancel_on_interrupt(cancel: Callable[[], None]) -> Iterator[list[bool]]:
    """Within the block, Ctrl+C or SIGTERM calls cancel(); the list it yields is non-empty once one came."""
    from PySide6.QtCore import QTimer

    interrupted: list[bool] = []

    def on_signal(_signum, _frame) -> None:
        interrupted.append(True)
        cancel()

    previous = {signum: signal.signal(signum, on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
    # Python runs signal handlers only between bytecodes: a tick lets them in while Qt waits.
    ticker = QTimer(interval=100)
    ticker.timeout.connect(lambda: None)
    ticker.start()
    try:
        yield interrupted
    finally:
        ticker.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def run_until_finished(run) -> bool:
    """Start a run (an object with start(), cancel() and a finished signal) and wait for it in a Qt event
    loop; True when Ctrl+C or SIGTERM stopped it."""
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    run.finished.connect(loop.quit)
    with cancel_on_interrupt(run.cancel) as interrupted:
        run.start()
        loop.exec()
    return bool(interrupted)
