"""The preview tab, driven through the real window's tree and tabs with real mouse clicks (as in VS Code):
one click previews, the next click replaces the preview, editing or double-clicking keeps it."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from window_helpers import make_window  # noqa: F401 - fixture
from workbench.ui.editors.editor_tabs import PREVIEW_TIP


@pytest.fixture
def folder(tmp_path):
    """A plain folder: the handler's file (opened at start) and three more files to click."""
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "lambda_function.py").write_text("def lambda_handler(event, context):\n    return 1\n")
    (folder / "util.py").write_text("def helper():\n    return 2\n")
    (folder / "prices.py").write_text("PRICES = {}\n")
    (folder / "README.md").write_text("# Shop\n")
    return folder


def _index(qtbot, window, path: Path):
    tree, model = window.tree, window.tree.model()
    qtbot.waitUntil(lambda: tree.visualRect(model.index(str(path))).isValid(), timeout=15000)
    return model.index(str(path))


def click(qtbot, window, path: Path) -> None:
    rect = window.tree.visualRect(_index(qtbot, window, path))
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def double_click(qtbot, window, path: Path) -> None:
    """As a mouse does it: a click, then the second press that makes it a double-click."""
    rect = window.tree.visualRect(_index(qtbot, window, path))
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def titles(window) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def previews(window) -> list[str]:
    """The titles of the tabs drawn as a preview (italics)."""
    bar = window.tabs.tabBar()
    return [bar.tabText(i) for i in range(bar.count()) if bar.is_preview(i)]


def test_a_click_previews_and_the_next_click_replaces_the_preview(qtbot, make_window, folder):
    """Clicking util.py then prices.py leaves one preview tab (prices.py, where util.py was), not two tabs."""
    window = make_window(folder)
    assert titles(window) == ["lambda_function.py"] and previews(window) == []
    click(qtbot, window, folder / "util.py")
    assert titles(window) == ["lambda_function.py", "util.py"] and previews(window) == ["util.py"]
    assert window.tabs.current_path() == (folder / "util.py").resolve()
    assert PREVIEW_TIP in window.tabs.tabToolTip(1)
    click(qtbot, window, folder / "prices.py")
    assert titles(window) == ["lambda_function.py", "prices.py"] and previews(window) == ["prices.py"]
    assert window.tabs.editor_for(folder / "util.py") is None


def test_the_preview_replaces_in_place_among_other_tabs(qtbot, make_window, folder):
    """A preview dragged between ordinary tabs is replaced where it stands."""
    window = make_window(folder)
    double_click(qtbot, window, folder / "README.md")
    click(qtbot, window, folder / "util.py")
    assert titles(window) == ["lambda_function.py", "README.md", "util.py"]
    window.tabs.tabBar().moveTab(1, 2)
    assert titles(window) == ["lambda_function.py", "util.py", "README.md"]
    window.tabs.tabBar().moveTab(2, 1)
    assert titles(window) == ["lambda_function.py", "README.md", "util.py"]
    window.tabs.tabBar().moveTab(2, 0)
    click(qtbot, window, folder / "prices.py")
    assert titles(window) == ["prices.py", "lambda_function.py", "README.md"] and previews(window) == ["prices.py"]


def test_typing_in_the_preview_keeps_it(qtbot, make_window, folder):
    """An edited preview becomes an ordinary tab first: the next click opens beside it, the edit is kept."""
    window = make_window(folder)
    click(qtbot, window, folder / "util.py")
    editor = window.tabs.editor_for(folder / "util.py")
    editor.setFocus()
    qtbot.keyClicks(editor, "# edited")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert previews(window) == [] and window.tabs.dirty_paths() == [(folder / "util.py").resolve()]
    click(qtbot, window, folder / "prices.py")
    assert titles(window) == ["lambda_function.py", "• util.py", "prices.py"] and previews(window) == ["prices.py"]
    assert "# edited" in window.tabs.editor_for(folder / "util.py").toPlainText()
    assert PREVIEW_TIP not in window.tabs.tabToolTip(1)


def test_double_clicking_the_file_in_the_tree_keeps_it(qtbot, make_window, folder):
    """A double-click opens (or turns the preview into) an ordinary tab; later clicks preview beside it."""
    window = make_window(folder)
    click(qtbot, window, folder / "util.py")
    double_click(qtbot, window, folder / "util.py")
    assert titles(window) == ["lambda_function.py", "util.py"] and previews(window) == []
    double_click(qtbot, window, folder / "README.md")
    assert previews(window) == [] and titles(window)[-1] == "README.md"
    click(qtbot, window, folder / "prices.py")
    assert titles(window) == ["lambda_function.py", "util.py", "README.md", "prices.py"]
    assert previews(window) == ["prices.py"]


def test_double_clicking_the_tab_keeps_it(qtbot, make_window, folder):
    """A double-click on the preview's tab makes it ordinary, and it is drawn upright again."""
    window = make_window(folder)
    click(qtbot, window, folder / "util.py")
    bar = window.tabs.tabBar()
    italic = bar.grab(bar.tabRect(1)).toImage()
    qtbot.mouseDClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert previews(window) == [] and titles(window) == ["lambda_function.py", "util.py"]
    bar.repaint()
    upright = bar.grab(bar.tabRect(1)).toImage()
    assert italic != upright  # the title is drawn differently once it is kept
    click(qtbot, window, folder / "prices.py")
    assert titles(window) == ["lambda_function.py", "util.py", "prices.py"]


def test_a_file_open_in_an_ordinary_tab_is_only_focused(qtbot, make_window, folder):
    """Clicking the handler's file, open in an ordinary tab, focuses that tab and keeps the preview as it is."""
    window = make_window(folder)
    click(qtbot, window, folder / "util.py")
    click(qtbot, window, folder / "lambda_function.py")
    assert titles(window) == ["lambda_function.py", "util.py"] and previews(window) == ["util.py"]
    assert window.tabs.current_path() == (folder / "lambda_function.py").resolve()


def test_the_handlers_file_opens_as_an_ordinary_tab(qtbot, make_window, folder):
    """Selecting a function opens its handler's file to stay: a preview of it is kept, later clicks do not
    take it away."""
    window = make_window(folder)
    window.tabs.close_file(folder / "lambda_function.py")
    click(qtbot, window, folder / "lambda_function.py")
    assert previews(window) == ["lambda_function.py"]
    window.select_function(window.function.config.name)
    assert previews(window) == []
    click(qtbot, window, folder / "util.py")
    assert titles(window) == ["lambda_function.py", "util.py"]


def test_a_change_on_disk_reloads_the_preview_and_it_stays_a_preview(qtbot, make_window, folder):
    """A preview reloaded from disk is not an edit: the next click still replaces it."""
    window = make_window(folder)
    click(qtbot, window, folder / "util.py")
    (folder / "util.py").write_text("def helper():\n    return 3\n")
    window.tabs.check_disk(str(folder / "util.py"))
    assert "return 3" in window.tabs.editor_for(folder / "util.py").toPlainText()
    assert previews(window) == ["util.py"] and window.tabs.dirty_paths() == []
    click(qtbot, window, folder / "prices.py")
    assert titles(window) == ["lambda_function.py", "prices.py"]


def test_a_preview_with_kept_text_of_a_deleted_file_is_never_replaced(qtbot, make_window, folder):
    """util.py deleted on disk while previewed, and the user keeps the text: the next click leaves it open."""
    window = make_window(folder)
    click(qtbot, window, folder / "util.py")
    (folder / "util.py").unlink()
    window.tabs.check_disk(str(folder / "util.py"))
    window.tabs.current_frame().disk_bar.keep_mine.emit()
    click(qtbot, window, folder / "prices.py")
    assert titles(window) == ["lambda_function.py", "• util.py", "prices.py"]


def test_closing_the_preview_lets_the_next_click_preview_again(qtbot, make_window, folder):
    window = make_window(folder)
    click(qtbot, window, folder / "util.py")
    window.tabs.tabCloseRequested.emit(1)
    assert titles(window) == ["lambda_function.py"] and window.tabs.preview_path() is None
    click(qtbot, window, folder / "prices.py")
    assert titles(window) == ["lambda_function.py", "prices.py"] and previews(window) == ["prices.py"]


def test_enter_in_the_tree_opens_an_ordinary_tab(qtbot, make_window, folder):
    window = make_window(folder)
    window.tree.setCurrentIndex(_index(qtbot, window, folder / "util.py"))
    qtbot.keyClick(window.tree, Qt.Key.Key_Return)
    assert titles(window) == ["lambda_function.py", "util.py"] and previews(window) == []
