"""Where the debugger's panels live: one Debug dock at the bottom, a tab beside History, Tests and AWS,
brought to the front when a debugged call starts. Side by side in it: the Call Stack under the stepping
bar, the Variables of the selected frame (the widest), and the Watches and Debug Console as two tabs.
Across the bottom, the editors keep their height and the stopped line stays in view at 1024x700."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from .call_stack_panel import CallStackPanel
from .debug_actions import DebugActions
from .debug_console import DebugConsole
from .stepping_bar import SteppingBar
from .variables_panel import VariablesPanel
from .watches_panel import WatchesPanel


class DebugDock(QDockWidget):
    def __init__(self, window: QMainWindow, actions: DebugActions, call_stack: CallStackPanel,
                 variables: VariablesPanel, watches: WatchesPanel, console: DebugConsole) -> None:
        super().__init__("Debug", window)
        self.setObjectName("debug_dock")
        self.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        stack_page = QWidget(self)
        column = QVBoxLayout(stack_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(SteppingBar(actions, stack_page))
        column.addWidget(call_stack, 1)
        self.side_tabs = QTabWidget(self)
        self.side_tabs.setDocumentMode(True)
        self.side_tabs.addTab(console, "Console")
        self.side_tabs.addTab(watches, "Watches")
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("splitter_debug")
        self.splitter.setChildrenCollapsible(False)
        for widget, minimum in ((stack_page, 200), (variables, 240), (self.side_tabs, 200)):
            widget.setMinimumWidth(minimum)
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([280, 460, 340])
        self.setWidget(self.splitter)
        self.variables = variables
        self.console = console

    def bring_forward(self) -> None:
        """Shown (a third of the window high, at least 230 pixels, when it was hidden) and in front."""
        window = self.parentWidget()
        if self.isHidden():
            self.show()
            if isinstance(window, QMainWindow):
                window.resizeDocks([self], [max(230, window.height() // 3)], Qt.Orientation.Vertical)
        self.raise_()


def place_debug_dock(window: QMainWindow, beside: QDockWidget, dock: DebugDock) -> None:
    """A tab of the bottom area, beside `beside` (History), hidden until a call is debugged."""
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.tabifyDockWidget(beside, dock)
    dock.hide()
