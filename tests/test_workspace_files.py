"""Files from the window: File > New File, the tree's context menu acting on real files, open tabs following
a rename, and a clear message when the disk refuses."""

import shutil

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from window_helpers import Answers, make_window  # noqa: F401 - fixture
from workbench.ui.editors.unsaved_question import CANCEL


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "shop"
    (folder / "lib").mkdir(parents=True)
    (folder / "lambda_function.py").write_text("def lambda_handler(event, context):\n    return 1\n")
    (folder / "lib" / "util.py").write_text("def helper():\n    return 2\n")
    return folder


def answer(window, *texts):
    """Scripted answers to the tree's name questions, and Yes to its confirmations; records the questions."""
    asked = []
    replies = iter(texts)

    def ask(_parent, title, label, text):
        asked.append((title, label, text))
        return next(replies), True

    window.tree.file_actions._ask_text = ask
    window.tree.file_actions._confirm = lambda *args: True
    return asked


def file_menu(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    return {a.text().replace("&", ""): a for a in menu.actions()}


def test_file_new_file_creates_in_the_selected_folder_and_opens_it(qtbot, make_window, folder):
    """File > New File (Ctrl+N) with lib selected in the tree asks for a name and creates lib/<name>, open in an
    ordinary tab (a new file is for writing, not a preview)."""
    window = make_window(folder)
    action = file_menu(window)["New File…"]
    assert action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    window.tree.setCurrentIndex(window.tree.model().index(str(folder / "lib")))
    asked = answer(window, "prices.py")
    action.trigger()
    assert asked[0][1] == "File name (in lib):"
    assert (folder / "lib" / "prices.py").is_file()
    assert window.tabs.current_path() == (folder / "lib" / "prices.py").resolve()
    assert window.tabs.preview_path() is None


def test_file_new_file_with_nothing_selected_goes_to_the_top(qtbot, make_window, folder):
    window = make_window(folder)
    window.tree.setCurrentIndex(window.tree.rootIndex().sibling(-1, -1))
    answer(window, "README.md")
    file_menu(window)["New File…"].trigger()
    assert (folder / "README.md").is_file()


def test_the_context_menu_entries_act_on_real_files(qtbot, make_window, folder):
    """The tree's menu on a file: New File, Rename, Delete, Copy Path, Copy Relative Path, each doing it."""
    window = make_window(folder)
    actions = window.tree.file_actions
    target = folder / "lib" / "util.py"
    menu = {a.text().replace("&", ""): a for a in actions.menu_for(target, folder).actions() if a.text()}
    assert list(menu) == ["New File…", "Rename…", "Delete…", "Copy Path", "Copy Relative Path"]
    answer(window, "helpers.py", "more.py")
    menu["Rename…"].trigger()
    assert (folder / "lib" / "helpers.py").is_file() and not target.exists()
    menu = {a.text().replace("&", ""): a for a in actions.menu_for(folder / "lib" / "helpers.py", folder).actions()}
    menu["Copy Path"].trigger()
    assert QGuiApplication.clipboard().text() == str(folder / "lib" / "helpers.py")
    menu["Copy Relative Path"].trigger()
    assert QGuiApplication.clipboard().text() == "lib/helpers.py"
    menu["New File…"].trigger()
    assert (folder / "lib" / "more.py").is_file()
    menu["Delete…"].trigger()
    assert not (folder / "lib" / "helpers.py").exists()
    assert window.statusBar().currentMessage() == "Deleted helpers.py"
    root_menu = [a.text().replace("&", "") for a in actions.menu_for(folder, folder).actions() if a.text()]
    assert "Rename…" not in root_menu and "Delete…" not in root_menu  # the workspace itself is not renamed here


def test_renaming_an_open_file_moves_its_tab_and_saving_writes_the_new_name(qtbot, make_window, folder):
    """An edited tab of util.py, renamed in the tree to helpers.py: the tab says helpers.py, keeps the edit,
    and saving writes helpers.py instead of bringing util.py back."""
    window = make_window(folder)
    window.open_file(str(folder / "lib" / "util.py"))
    window.tabs.editor_for(folder / "lib" / "util.py").textCursor().insertText("# mine\n")
    answer(window, "helpers.py")
    window.tree.file_actions.rename(folder / "lib" / "util.py")
    moved = (folder / "lib" / "helpers.py").resolve()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "• helpers.py"
    assert window.tabs.tabToolTip(window.tabs.currentIndex()) == str(moved)
    assert window.tabs.save_all() == [moved]
    assert moved.read_text().startswith("# mine\n") and not (folder / "lib" / "util.py").exists()


def test_renaming_a_folder_moves_the_tabs_inside_it(qtbot, make_window, folder):
    window = make_window(folder)
    window.open_file(str(folder / "lib" / "util.py"), preview=True)
    answer(window, "shared")
    window.tree.file_actions.rename(folder / "lib")
    moved = (folder / "shared" / "util.py").resolve()
    assert window.tabs.open_paths()[-1] == moved and window.tabs.preview_path() == moved
    window.tabs.editor_for(moved).textCursor().insertText("# edited\n")
    window.tabs.save_all()
    assert moved.read_text().startswith("# edited\n") and not (folder / "lib").exists()


def test_what_the_disk_refuses_is_said_in_the_status_bar(qtbot, make_window, folder):
    """A new file under a file, and deleting a file already gone: one line naming the path, no traceback."""
    window = make_window(folder)
    answer(window, "lambda_function.py/inner.py")
    assert window.tree.file_actions.new_file(folder, folder) is None
    assert window.statusBar().currentMessage().startswith("No file created: ")
    assert "lambda_function.py" in window.statusBar().currentMessage()
    gone = folder / "lib" / "util.py"
    gone.unlink()
    assert window.tree.file_actions.delete(gone) is False
    assert window.statusBar().currentMessage() == f"Not deleted: {gone}: No such file or directory"


def test_recent_workspaces_marks_a_gone_folder_and_can_be_cleared(qtbot, make_window, folder, tmp_path):
    """A folder deleted since is listed greyed out, saying so; Clear Recent Workspaces keeps only the open one,
    which the next launch reopens."""
    gone = tmp_path / "gone"
    gone.mkdir()
    window = make_window(gone)
    window.open_workspace(folder)
    shutil.rmtree(gone)
    window.recent_menu.refresh()
    entries = {a.text(): a for a in window.recent_menu.actions() if a.text()}
    assert list(entries) == ["&1 shop", "&2 gone", "&Clear Recent Workspaces"]
    assert not entries["&2 gone"].isEnabled() and entries["&2 gone"].toolTip().endswith("(no longer there)")
    entries["&Clear Recent Workspaces"].trigger()
    assert [a.text() for a in window.recent_menu.actions()] == ["&1 shop"]
    assert window.settings.last_workspace() == str(folder.resolve())


def test_ctrl_n_asks_for_a_new_file(qtbot, make_window, folder):
    """The key itself, pressed in the tree, reaches File > New File."""
    window = make_window(folder)
    asked = answer(window, "notes.txt")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.tree.setFocus()
    window.tree.setCurrentIndex(window.tree.model().index(str(folder / "lambda_function.py")))
    qtbot.keyClick(window.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked and asked[0][:2] == ("New File", "File name (in shop):")
    assert (folder / "notes.txt").is_file()


def test_a_right_click_in_the_tree_shows_the_menu(qtbot, make_window, folder):
    """The context-menu event a right-click sends, on a file, pops up the menu with its entries (closed again
    once seen)."""
    window = make_window(folder)
    tree, model = window.tree, window.tree.model()
    target = model.index(str(folder / "lambda_function.py"))
    qtbot.waitUntil(lambda: tree.visualRect(target).isValid(), timeout=15000)
    shown = []

    def look_and_close():
        popup = QApplication.activePopupWidget()
        shown.extend(a.text().replace("&", "") for a in popup.actions() if a.text())
        popup.close()

    QTimer.singleShot(200, look_and_close)
    point = tree.visualRect(target).center()
    QApplication.sendEvent(tree.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                                              tree.viewport().mapToGlobal(point)))
    assert shown == ["New File…", "Rename…", "Delete…", "Copy Path", "Copy Relative Path"]


def test_a_recent_workspace_with_unsaved_edits_asks_first(qtbot, make_window, folder, tmp_path):
    """Choosing another recent workspace with an edited tab asks; Cancel stays, with the edit."""
    other = tmp_path / "other"
    other.mkdir()
    answers = Answers(CANCEL)
    window = make_window(other, answers)
    window.open_workspace(folder)
    window.tabs.editor_for(folder / "lambda_function.py").textCursor().insertText("# kept\n")
    window.recent_menu.refresh()
    next(a for a in window.recent_menu.actions() if a.text().endswith("other")).trigger()
    assert answers.asked and window.workspace.folder == folder.resolve()
    assert window.tabs.dirty_paths() == [(folder / "lambda_function.py").resolve()]
