"""How the main window is laid out: its panes and docks, and its menus. The window owns the widgets and
the slots; these functions only arrange them and return what they made (the splitters, the menu actions),
so that every connection is made in main_window.py, where the window is put together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QFrame, QLabel, QMainWindow, QMenu, QScrollArea, QSplitter, QTabWidget, QVBoxLayout,
                               QWidget)

from .debug.debug_docks import DebugDock, place_debug_dock
from .editors.code_editor_frame import focused_frame
from .window_fit import WindowFit
from .recent_workspaces_menu import RecentWorkspacesMenu


@dataclass(frozen=True)
class WindowPanes:
    """What build_layout made: the splitters whose sizes the window keeps, and the results' tabs."""
    main_splitter: QSplitter
    left_splitter: QSplitter
    right_splitter: QSplitter
    centre_splitter: QSplitter
    bottom_splitter: QSplitter
    result_tabs: QTabWidget
    fit: object = None
    """The WindowFit that sizes the splitters until the user does."""

    def splitters(self) -> list[QSplitter]:
        return [self.main_splitter, self.left_splitter, self.right_splitter, self.centre_splitter,
                self.bottom_splitter]

    def states(self) -> dict[str, QByteArray]:
        """Each splitter's state by its object name, for the settings."""
        return {splitter.objectName(): splitter.saveState() for splitter in self.splitters()}

    def restore(self, saved_state: Callable[[str], QByteArray | None]) -> None:
        """saved_state(name) is what states() gave for that splitter, or None."""
        for splitter in self.splitters():
            if (saved := saved_state(splitter.objectName())) is not None:
                splitter.restoreState(saved)
                if self.fit is not None:
                    self.fit.restored()


@dataclass(frozen=True)
class WindowMenus:
    """The menu entries the window connects to its slots (the others act on a panel's own action)."""
    open_folder: QAction
    env_vars_file: QAction
    new_function: QAction
    recent: QMenu
    save_all: QAction
    quit: QAction
    run_tests: QAction
    tune: QAction
    run_on_aws: QAction
    serve: QAction
    new_from_template: QAction
    find_in_logs: QAction
    themes: dict[str, QAction]
    shortcuts: QAction
    about: QAction


def build_layout(window: QMainWindow) -> WindowPanes:
    """The window's panes: tree and settings, editors and event, logs and results, the docks."""
    # The settings scroll rather than set the window's least height: at 1024x700 with two docks open they would.
    settings_scroll = QScrollArea(window, objectName="settings_scroll", widgetResizable=True,
                                  frameShape=QFrame.Shape.NoFrame)
    settings_scroll.setWidget(window.function_settings)
    settings_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    settings_scroll.setMinimumWidth(window.function_settings.minimumSizeHint().width()
                                    + settings_scroll.verticalScrollBar().sizeHint().width())
    left_splitter = _splitter(Qt.Orientation.Vertical, "left", [window.tree, settings_scroll])
    event_column = QWidget(window)
    column = QVBoxLayout(event_column)
    column.setContentsMargins(0, 0, 4, 0)  # room for the Save button's menu arrow at the right edge
    column.setSpacing(2)
    event_title = QLabel("<b>Event</b>", event_column)
    column.addWidget(event_title)
    column.addWidget(window.preset_picker)
    column.addWidget(window.event_editor, 1)
    centre_splitter = _splitter(Qt.Orientation.Horizontal, "centre", [window.tabs, event_column])
    result_tabs = QTabWidget(window)
    result_tabs.addTab(window.response_panel, "Response")
    result_tabs.addTab(window.summary_panel, "Summary")
    result_tabs.addTab(window.serve_panel, "Serve")
    result_tabs.addTab(window.dependencies_panel, "Dependencies")
    bottom_splitter = _splitter(Qt.Orientation.Horizontal, "bottom", [window.log_panel, result_tabs])
    # The banner says when the panels below show a run from the history rather than the latest one.
    results = QWidget(window)
    results_column = QVBoxLayout(results)
    results_column.setContentsMargins(0, 0, 0, 0)
    results_column.setSpacing(0)
    results_column.addWidget(window.past_run_banner)
    results_column.addWidget(bottom_splitter, 1)
    right_splitter = _splitter(Qt.Orientation.Vertical, "right", [centre_splitter, results])
    main_splitter = _splitter(Qt.Orientation.Horizontal, "main", [left_splitter,
                                                                      right_splitter])
    window.setCentralWidget(main_splitter)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.history)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.tests_dock)
    # Tests share the History's place at the bottom, one tab each, rather than halving its width.
    window.tabifyDockWidget(window.history, window.tests_dock)
    window.tests_dock.hide()
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.aws.dock)
    window.tabifyDockWidget(window.history, window.aws.dock)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.triggers.dock)
    window.tabifyDockWidget(window.history, window.triggers.dock)
    debugger = window.debug
    debugger.dock = DebugDock(window, debugger.actions, debugger.call_stack, debugger.variables, debugger.watches,
                              debugger.console)
    place_debug_dock(window, window.history, debugger.dock)
    window.history.raise_()  # History stays the tab in front; the AWS tab's title carries the Outbox's count
    window.toolbar.add_chip(window.aws.chip)
    # A first launch fits the screen; later launches restore what the user chose.
    available = window.screen().availableGeometry()
    window.resize(min(1360, int(available.width() * 0.95)), min(860, int(available.height() * 0.92)))
    panes = WindowPanes(main_splitter, left_splitter, right_splitter, centre_splitter, bottom_splitter, result_tabs)
    # Splitter sizes follow the window's size until the user arranges them (ui/window_fit.py).
    return replace(panes, fit=WindowFit(window, panes))


def restore_window_state(window: QMainWindow, settings, panes: WindowPanes) -> None:
    """The size, docks and splitters as the user left them (settings: the window's AppSettings)."""
    if (geometry := settings.geometry()) is not None:
        window.restoreGeometry(geometry)
    if (state := settings.window_state()) is not None:
        window.restoreState(state)
    panes.restore(settings.splitter_state)


def build_menus(window: QMainWindow, theme: str) -> WindowMenus:
    """File, Edit, Run, Event, View and Help. Entries that are a panel's own action act on it; the others
    are returned for the window to connect. `theme` is the one checked."""
    file_menu = window.menuBar().addMenu("&File")
    open_folder = file_menu.addAction("&Open Folder…")
    open_folder.setShortcut(QKeySequence.StandardKey.Open)
    env_vars_file = file_menu.addAction("Use &Env-Vars File…")
    env_vars_file.setToolTip("A SAM-format env-vars file applied to the template's functions, variables it does "
                             "not declare too")
    file_menu.addAction(window.tree.new_file_action)
    new_function = file_menu.addAction("New &Function…")
    recent = RecentWorkspacesMenu(window.settings, window)
    file_menu.addMenu(recent)
    file_menu.addAction(window.tabs.save_action)
    save_all = file_menu.addAction("Save A&ll")
    save_all.setShortcut(QKeySequence("Ctrl+Shift+S"))
    file_menu.addSeparator()
    quit_action = file_menu.addAction("&Quit")
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    _build_edit_menu(window)
    run_menu = window.menuBar().addMenu("&Run")
    for action in (window.toolbar.run_action, window.toolbar.stop_action, window.toolbar.reset_action):
        run_menu.addAction(action)
        window.addAction(action)
    run_menu.addSeparator()
    run_tests = run_menu.addAction("Run &Tests")
    run_tests.setShortcut(QKeySequence("Ctrl+Shift+Return"))
    run_tests.setToolTip("Run every preset of every function against its expectation, as before a push")
    run_menu.addAction(window.tests_dock.save_run_action)
    tune = run_menu.addAction("Tune &Memory…")
    tune.setToolTip("Run the event at each memory size and compare Duration and cost (local estimate)")
    run_on_aws = run_menu.addAction("Run on &AWS")
    run_on_aws.setToolTip("The same event against the deployed function (boto3, your AWS "
                          "credentials; AWS_ENDPOINT_URL_LAMBDA points it elsewhere)")
    run_menu.addSeparator()
    for action in (window.debug.actions.debug, *window.debug.actions.stepping, window.debug.actions.stop,
                   window.debug.actions.debug_next):
        run_menu.addAction(action)
    run_menu.addSeparator()
    serve = run_menu.addAction("&Serve Workspace…")
    serve.setToolTip("The Serve tab: the Lambda Invoke API and the HTTP routes, and every incoming call")
    event_menu = window.menuBar().addMenu("&Event")
    event_menu.addAction(window.event_editor.format_action)
    new_from_template = event_menu.addAction("&New from Template…")
    new_from_template.setShortcut(QKeySequence("Ctrl+Shift+N"))
    view_menu = window.menuBar().addMenu("&View")
    view_menu.addAction(window.tests_dock.toggleViewAction())
    find_in_logs = view_menu.addAction("Find in &Logs")
    find_in_logs.setShortcut(QKeySequence("Ctrl+Shift+L"))
    history_action = window.history.toggleViewAction()
    history_action.setText("&History")
    history_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
    view_menu.addAction(history_action)
    debug_action = window.debug.dock.toggleViewAction()
    debug_action.setText("&Debug (Call Stack, Variables, Watches, Console)")
    view_menu.addAction(debug_action)
    aws_action = window.aws.dock.toggleViewAction()
    aws_action.setText("&AWS (Local Services and Outbox)")
    view_menu.addAction(aws_action)
    triggers_action = window.triggers.dock.toggleViewAction()
    triggers_action.setText("T&riggers")
    view_menu.addAction(triggers_action)
    theme_menu = view_menu.addMenu("&Theme")
    theme_group = QActionGroup(window)  # one theme at a time: radio items
    themes = {}
    for name in ("system", "light", "dark"):
        themes[name] = QAction(name.capitalize(), theme_group, checkable=True)
        themes[name].setChecked(theme == name)
        theme_menu.addAction(themes[name])
    help_menu = window.menuBar().addMenu("&Help")
    shortcuts = help_menu.addAction("&Keyboard Shortcuts")
    shortcuts.setShortcut(QKeySequence("Ctrl+F1"))
    about = help_menu.addAction("&About Lambda Workbench")
    return WindowMenus(open_folder, env_vars_file, new_function, recent, save_all, quit_action, run_tests, tune,
                       run_on_aws, serve, new_from_template, find_in_logs, themes, shortcuts, about)


def _build_edit_menu(window) -> None:
    # The keys themselves belong to each editor frame; these entries act on the focused one
    # (else the current code tab), and only show the keys, so no shortcut is ambiguous.
    edit_menu = window.menuBar().addMenu("&Edit")
    for label, keys, act in (("&Find…", "Ctrl+F", lambda f: f.open_find()),
                             ("&Replace…", "Ctrl+H", lambda f: f.open_replace()),
                             ("&Go to Line…", "Ctrl+G", lambda f: f.open_go_to_line()),
                             ("Toggle &Comment", "Ctrl+/", lambda f: f.editor.toggle_comment())):
        edit_menu.addAction(f"{label}\t{keys}", lambda act=act: _in_focused_editor(window, act))


def _in_focused_editor(window, act) -> None:
    frame = focused_frame() or window.tabs.current_frame()
    if frame is not None:
        act(frame)


def _splitter(orientation: Qt.Orientation, name: str, widgets: list[QWidget]) -> QSplitter:
    splitter = QSplitter(orientation)
    splitter.setObjectName(f"splitter_{name}")
    splitter.setChildrenCollapsible(False)
    for widget in widgets:
        splitter.addWidget(widget)
    return splitter
