"""The debugging scene of scripts/screenshot_scenes.py (kept apart: that script is long enough)."""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QWidget


def _until(condition, limit_ms: int = 30000) -> None:
    loop = QEventLoop()
    timer = QTimer(interval=50)
    timer.timeout.connect(lambda: condition() and loop.quit())
    timer.start()
    QTimer.singleShot(limit_ms, loop.quit)
    loop.exec()
    timer.stop()


def scene_debug_stopped(window) -> QWidget:
    """Stopped at a breakpoint in the sample's handler: the line marked, the call stack, the event expanded
    in Variables, a watch, and an answer in the Debug Console."""
    debug = window.debug
    path = str(window.tabs.current_path())
    debug.toggle_breakpoint(path, 29)
    debug.set_breakpoint(path, 31, condition="event.get('quantity', 0) > 5")
    if not debug.book.watches:
        debug.watches.sig_added.emit("len(event)")
    debug.actions.debug.trigger()
    _until(lambda: debug.frame is not None and debug.variables.topLevelItemCount() > 0)
    scope = debug.variables.topLevelItem(0)
    _until(lambda: debug.variables.item_named(scope.text(0), "event") is not None, 10000)
    event = debug.variables.item_named(scope.text(0), "event")
    if event is not None:
        event.setExpanded(True)
    debug.evaluate("context.function_name")
    _until(lambda: "OrderConfirmation" in debug.console.text(), 10000)
    return window
