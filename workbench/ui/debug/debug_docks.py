"""Where the debugger's panels live: a dock each (Call Stack with the stepping bar above it, Variables,
Watches at the right; the Debug Console at the bottom beside History), hidden until a call is debugged."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

from .call_stack_panel import CallStackPanel
from .debug_actions import DebugActions
from .debug_console import DebugConsole
from .variables_panel import VariablesPanel
from .watches_panel import WatchesPanel


@dataclass(frozen=True)
class DebugDocks:
    call_stack: QDockWidget
    variables: QDockWidget
    watches: QDockWidget
    console: QDockWidget

    def all(self) -> tuple[QDockWidget, ...]:
        return (self.call_stack, self.variables, self.watches, self.console)

    def show(self) -> None:
        for dock in self.all():
            if dock.isHidden():
                dock.show()
        self.variables.raise_()
        self.console.raise_()


def build_debug_docks(window: QMainWindow, actions: DebugActions, call_stack: CallStackPanel,
                      variables: VariablesPanel, watches: WatchesPanel, console: DebugConsole) -> DebugDocks:
    stack_page = QWidget(window)
    column = QVBoxLayout(stack_page)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(actions.stepping_bar(stack_page))
    column.addWidget(call_stack, 1)
    docks = DebugDocks(_dock(window, "Call Stack", "debug_call_stack_dock", stack_page),
                       _dock(window, "Variables", "debug_variables_dock", variables),
                       _dock(window, "Watches", "debug_watches_dock", watches),
                       _dock(window, "Debug Console", "debug_console_dock", console))
    right = Qt.DockWidgetArea.RightDockWidgetArea
    window.addDockWidget(right, docks.call_stack)
    window.splitDockWidget(docks.call_stack, docks.variables, Qt.Orientation.Vertical)
    window.splitDockWidget(docks.variables, docks.watches, Qt.Orientation.Vertical)
    window.resizeDocks([docks.call_stack, docks.variables, docks.watches], [150, 300, 120], Qt.Orientation.Vertical)
    window.resizeDocks([docks.variables], [380], Qt.Orientation.Horizontal)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, docks.console)
    for dock in docks.all():
        dock.hide()
    return docks


def _dock(window: QMainWindow, title: str, name: str, widget: QWidget) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.BottomDockWidgetArea
                         | Qt.DockWidgetArea.LeftDockWidgetArea)
    return dock
