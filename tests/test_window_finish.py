"""Finish of the real window: tree actions, Recent Workspaces, theme radio items, Help, icons, the .desktop file."""

import configparser

from PySide6.QtGui import QGuiApplication

from window_helpers import make_window, workspace  # noqa: F401 - fixtures
from workbench.resources import resource_path
from workbench.ui.about_dialog import AboutDialog
from workbench.ui.shortcuts_dialog import ShortcutsDialog


def test_tree_new_file_rename_delete_copy_path(qtbot, make_window, workspace):
    """New File creates and opens it, Rename and Delete change the disk, Copy Path copies."""
    window = make_window(workspace)
    actions = window.tree.file_actions
    answers = iter([("notes/todo.py", True), ("done.py", True)])
    actions._ask_text = lambda *args: next(answers)
    actions._confirm = lambda *args: True
    created = actions.new_file(workspace, workspace)
    assert created == workspace / "notes" / "todo.py" and created.is_file()
    assert window.tabs.current_path() == created.resolve()
    renamed = actions.rename(created)
    assert renamed.name == "done.py" and renamed.is_file() and not created.exists()
    assert actions.copy_path(renamed, workspace) == "notes/done.py"
    assert QGuiApplication.clipboard().text() == "notes/done.py"
    assert actions.delete(renamed) and not renamed.exists()
    actions._ask_text = lambda *args: ("../outside.py", True)
    assert actions.new_file(workspace, workspace) is None
    assert "inside the workspace" in window.statusBar().currentMessage()


def test_a_single_click_opens_a_file(qtbot, make_window, workspace):
    """Clicking workbench.json in the tree once opens it in a tab."""
    window = make_window(workspace)
    model = window.tree.model()
    qtbot.waitUntil(lambda: model.index(str(workspace / "workbench.json")).isValid(), timeout=3000)
    window.tree.clicked.emit(model.index(str(workspace / "workbench.json")))
    assert window.tabs.current_path().name == "workbench.json"


def test_recent_workspaces_menu(qtbot, make_window, workspace, tmp_path):
    """File > Recent Workspaces lists the folders opened, newest first, and opens one."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "app.py").write_text("def lambda_handler(event, context):\n    return 1\n")
    window = make_window(workspace)
    window.open_workspace(other)
    window.menus.recent.refresh()
    labels = [a.text() for a in window.menus.recent.actions()]
    assert labels[0].endswith("other") and labels[1].endswith(workspace.name)
    window.menus.recent.actions()[1].trigger()
    assert window.workspace.folder == workspace.resolve()


def test_theme_choices_are_radio_items(qtbot, make_window, workspace):
    """Exactly one theme is checked, and choosing another unchecks the first."""
    window = make_window(workspace)
    actions = list(window.menus.themes.values())
    assert actions[0].actionGroup().isExclusive() and sum(a.isChecked() for a in actions) == 1
    dark = next(a for a in actions if a.text() == "Dark")
    dark.trigger()
    assert [a.text() for a in actions if a.isChecked()] == ["Dark"]
    next(a for a in actions if a.text() == "Light").trigger()


def test_help_lists_shortcuts_and_about_names_the_places(qtbot, make_window, workspace):
    """Keyboard Shortcuts lists Run's Ctrl+Return and Find; About shows the version and the data places."""
    window = make_window(workspace)
    rows = ShortcutsDialog(window).rows()
    assert any(action == "Run" and "Ctrl+Return" in keys for _where, action, keys in rows)
    assert any(action == "Find" and keys == "Ctrl+F" for _where, action, keys in rows)
    about = AboutDialog(window, workspace).text.text()
    assert "0.1.0" in about or "unknown" in about
    assert "Settings" in about and "Dependency cache" in about and str(workspace) in about


def test_icons_and_desktop_file(qtbot, make_window, workspace):
    """Run, Stop and Reset have icons, Run reads bold, the window has an icon, the .desktop file is valid."""
    window = make_window(workspace)
    toolbar = window.toolbar
    assert all(not a.icon().isNull() for a in (toolbar.run_action, toolbar.stop_action, toolbar.reset_action))
    assert toolbar.widgetForAction(toolbar.run_action).font().bold()
    assert not window.windowIcon().isNull()
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(resource_path("lambda-workbench.desktop"))
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"].startswith("lambda-workbench") and desktop["Icon"] == "lambda-workbench"
    assert resource_path("icons", "lambda-workbench.svg").is_file()
