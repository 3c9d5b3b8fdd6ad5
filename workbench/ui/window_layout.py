"""How the main window is put together: its panes and docks, and its menus. The window owns the
widgets and the slots; these functions only arrange them, so main_window.py keeps to the wiring."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from .about_dialog import AboutDialog
from .editors.code_editor_frame import focused_frame
from .recent_workspaces_menu import RecentWorkspacesMenu
from .shortcuts_dialog import ShortcutsDialog


def build_layout(window) -> None:
    """The window's panes: tree and settings, editors and event, logs and results, the docks."""
    window.left_splitter = _splitter(Qt.Orientation.Vertical, "left", [window.tree, window.function_settings])
    event_column = QWidget(window)
    column = QVBoxLayout(event_column)
    column.setContentsMargins(0, 0, 4, 0)  # room for the Save button's menu arrow at the right edge
    column.setSpacing(2)
    event_title = QLabel("<b>Event</b>", event_column)
    column.addWidget(event_title)
    column.addWidget(window.preset_picker)
    column.addWidget(window.event_editor, 1)
    window.centre_splitter = _splitter(Qt.Orientation.Horizontal, "centre", [window.tabs, event_column])
    window.result_tabs = QTabWidget(window)
    window.result_tabs.addTab(window.response_panel, "Response")
    window.result_tabs.addTab(window.summary_panel, "Summary")
    window.result_tabs.addTab(window.serve_panel, "Serve")
    window.result_tabs.addTab(window.dependencies_panel, "Dependencies")
    window.bottom_splitter = _splitter(Qt.Orientation.Horizontal, "bottom", [window.log_panel, window.result_tabs])
    # The banner says when the panels below show a run from the history rather than the latest one.
    results = QWidget(window)
    results_column = QVBoxLayout(results)
    results_column.setContentsMargins(0, 0, 0, 0)
    results_column.setSpacing(0)
    results_column.addWidget(window.past_run_banner)
    results_column.addWidget(window.bottom_splitter, 1)
    window.right_splitter = _splitter(Qt.Orientation.Vertical, "right", [window.centre_splitter, results])
    window.main_splitter = _splitter(Qt.Orientation.Horizontal, "main", [window.left_splitter,
                                                                      window.right_splitter])
    window.main_splitter.setSizes([380, 1020])
    window.left_splitter.setSizes([330, 470])
    window.centre_splitter.setSizes([600, 420])
    window.right_splitter.setSizes([430, 370])
    window.bottom_splitter.setSizes([640, 450])
    window.setCentralWidget(window.main_splitter)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.history)
    window.resizeDocks([window.history], [210], Qt.Orientation.Vertical)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.tests_dock)
    # Tests share the History's place at the bottom, one tab each, rather than halving its width.
    window.tabifyDockWidget(window.history, window.tests_dock)
    window.tests_dock.hide()


def build_menus(window) -> None:
    """File, Edit, Run, Event, View and Help, acting on the window's panels and its slots."""
    file_menu = window.menuBar().addMenu("&File")
    open_action = file_menu.addAction("&Open Folder…", window._choose_workspace)
    open_action.setShortcut(QKeySequence.StandardKey.Open)
    file_menu.addAction("Use &Env-Vars File…", window._choose_env_vars_file).setToolTip(
        "A SAM-format env-vars file applied to the template's functions, variables it does not declare too")
    file_menu.addAction(window.tree.new_file_action)
    file_menu.addAction("New &Function…", window._new_function)
    window.recent_menu = RecentWorkspacesMenu(window.settings, window)
    window.recent_menu.sig_open_requested.connect(window._open_recent)
    file_menu.addMenu(window.recent_menu)
    file_menu.addAction(window.tabs.save_action)
    save_all = file_menu.addAction("Save A&ll", window.save_all)
    save_all.setShortcut(QKeySequence("Ctrl+Shift+S"))
    file_menu.addSeparator()
    quit_action = file_menu.addAction("&Quit", window.close)
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    _build_edit_menu(window)
    run_menu = window.menuBar().addMenu("&Run")
    for action in (window.toolbar.run_action, window.toolbar.stop_action, window.toolbar.reset_action):
        run_menu.addAction(action)
        window.addAction(action)
    run_menu.addSeparator()
    window.run_tests_action = run_menu.addAction("Run &Tests", window.run_tests)
    window.run_tests_action.setShortcut(QKeySequence("Ctrl+Shift+Return"))
    window.run_tests_action.setToolTip("Run every preset of every function against its expectation, as before a push")
    run_menu.addAction(window.tests_dock.save_run_action)
    window.tune_action = run_menu.addAction("Tune &Memory…", window.tune_memory)
    window.tune_action.setToolTip("Run the event at each memory size and compare Duration and cost (local estimate)")
    window.run_on_aws_action = run_menu.addAction("Run on &AWS", window._request_run_on_aws)
    window.run_on_aws_action.setToolTip("The same event against the deployed function (boto3, your AWS "
                                      "credentials; AWS_ENDPOINT_URL_LAMBDA points it elsewhere)")
    serve = run_menu.addAction("&Serve Workspace…", lambda: window.result_tabs.setCurrentWidget(window.serve_panel))
    serve.setToolTip("The Serve tab: the Lambda Invoke API and the HTTP routes, and every incoming call")
    event_menu = window.menuBar().addMenu("&Event")
    event_menu.addAction(window.event_editor.format_action)
    window.format_action = window.event_editor.format_action
    new_from_template = event_menu.addAction("&New from Template…", window._new_event_from_template)
    new_from_template.setShortcut(QKeySequence("Ctrl+Shift+N"))
    view_menu = window.menuBar().addMenu("&View")
    view_menu.addAction(window.tests_dock.toggleViewAction())
    search = view_menu.addAction("Find in &Logs", window.log_panel.focus_search)
    search.setShortcut(QKeySequence("Ctrl+Shift+L"))
    history_action = window.history.toggleViewAction()
    history_action.setText("&History")
    history_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
    view_menu.addAction(history_action)
    theme_menu = view_menu.addMenu("&Theme")
    window.theme_group = QActionGroup(window)  # one theme at a time: radio items
    for theme in ("system", "light", "dark"):
        action = QAction(theme.capitalize(), window.theme_group, checkable=True)
        action.setChecked(window.settings.theme() == theme)
        action.triggered.connect(lambda _=False, t=theme: window._set_theme(t))
        theme_menu.addAction(action)
    help_menu = window.menuBar().addMenu("&Help")
    help_menu.addAction("&Keyboard Shortcuts", lambda: ShortcutsDialog(window).exec()).setShortcut(
        QKeySequence("Ctrl+F1"))
    help_menu.addAction("&About Lambda Workbench", lambda: AboutDialog(
        window, window.workspace.folder if window.workspace else None).exec())


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
