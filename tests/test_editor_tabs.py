"""Editor tabs: opening workspace files, dirty markers, Ctrl+S, and saves that never lose data."""

import os
import shutil
import stat

import pytest
from PySide6.QtCore import Qt

from workbench.ui.editors.editor_tabs import DIRTY_MARKER, EditorTabs


@pytest.fixture
def tabs(qtbot):
    widget = EditorTabs()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return 1\n")
    (tmp_path / "index.mjs").write_text("export const handler = async () => 1;\n")
    (tmp_path / "event.json").write_text('{"a": 1}\n')
    return tmp_path


def titles(tabs):
    return [tabs.tabText(index) for index in range(tabs.count())]


def type_into(qtbot, editor, text):
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, text)


def test_open_file_shows_it_with_its_language(tabs, workspace):
    """Opening a file adds a tab named after it, coloured for its language."""
    editor = tabs.open_file(workspace / "app.py")
    tabs.open_file(workspace / "index.mjs")
    assert titles(tabs) == ["app.py", "index.mjs"]
    assert editor.toPlainText() == "def handler(event, context):\n    return 1\n"
    assert editor.language() == "python"
    assert tabs.editor_for(workspace / "index.mjs").language() == "javascript"
    assert tabs.current_path() == workspace / "index.mjs"


def test_opening_an_open_file_reuses_its_tab(tabs, workspace):
    """A file already open is brought to the front, not opened twice."""
    first = tabs.open_file(workspace / "app.py")
    tabs.open_file(workspace / "event.json")
    again = tabs.open_file(workspace / "sub" / ".." / "app.py")
    assert again is first
    assert tabs.count() == 2
    assert tabs.current_path() == workspace / "app.py"


def test_typing_marks_the_tab_dirty(tabs, workspace, qtbot):
    """An edit puts the dirty marker on the tab and reports unsaved work."""
    editor = tabs.open_file(workspace / "app.py")
    assert not tabs.has_unsaved()
    with qtbot.waitSignal(tabs.dirty_changed) as dirty:
        type_into(qtbot, editor, "# note")
    assert dirty.args == [True]
    assert DIRTY_MARKER in titles(tabs)[0]
    assert tabs.dirty_paths() == [workspace / "app.py"]


def test_ctrl_s_writes_the_file_and_clears_the_marker(tabs, workspace, qtbot):
    """Ctrl+S in the editor saves to disk, removes the marker and announces the save."""
    editor = tabs.open_file(workspace / "app.py")
    tabs.activateWindow()
    type_into(qtbot, editor, "# saved")
    with qtbot.waitSignal(tabs.file_saved) as saved, qtbot.waitSignal(tabs.dirty_changed):
        qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.args == [str(workspace / "app.py")]
    assert (workspace / "app.py").read_text().endswith("    return 1\n# saved")
    assert titles(tabs) == ["app.py"]
    assert not tabs.has_unsaved()


def test_save_all_writes_every_dirty_file(tabs, workspace, qtbot):
    """save_all writes each edited file and leaves untouched ones alone."""
    app_editor = tabs.open_file(workspace / "app.py")
    tabs.open_file(workspace / "index.mjs")
    event_editor = tabs.open_file(workspace / "event.json")
    type_into(qtbot, app_editor, "#")
    type_into(qtbot, event_editor, " ")
    untouched = (workspace / "index.mjs").stat().st_mtime_ns
    assert sorted(tabs.save_all()) == sorted([workspace / "app.py", workspace / "event.json"])
    assert (workspace / "event.json").read_text() == '{"a": 1}\n '
    assert (workspace / "index.mjs").stat().st_mtime_ns == untouched
    assert tabs.save_all() == []


def test_saving_keeps_line_endings_bom_and_permissions(tabs, tmp_path, qtbot):
    """A CRLF file with a BOM stays CRLF with a BOM, and an executable stays executable."""
    path = tmp_path / "bootstrap"
    path.write_bytes(b"\xef\xbb\xbf#!/bin/sh\r\necho hi\r\n")
    path.chmod(0o755)
    editor = tabs.open_file(path)
    assert editor.toPlainText() == "#!/bin/sh\necho hi\n"
    type_into(qtbot, editor, "exit 0")
    assert tabs.save_current() == [path]
    assert path.read_bytes() == b"\xef\xbb\xbf#!/bin/sh\r\necho hi\r\nexit 0"
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bootstrap"]  # no temporary left


def test_unicode_text_round_trips(tabs, tmp_path, qtbot):
    """Accents and emoji are written back as UTF-8, unchanged."""
    path = tmp_path / "greet.py"
    path.write_text('print("Zoë 😀")\n', encoding="utf-8")
    editor = tabs.open_file(path)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText("# ✓")  # QTest cannot type characters beyond Latin-1
    tabs.save_current()
    assert path.read_text(encoding="utf-8") == 'print("Zoë 😀")\n# ✓'


def test_failed_save_raises_and_keeps_the_edit(tabs, workspace, qtbot):
    """When the folder is gone, saving raises OSError and the file stays dirty."""
    editor = tabs.open_file(workspace / "app.py")
    type_into(qtbot, editor, "# precious")
    shutil.rmtree(workspace)
    with pytest.raises(OSError):
        tabs.save_current()
    assert tabs.has_unsaved()
    assert editor.toPlainText().endswith("# precious")


def test_failed_ctrl_s_is_reported_by_signal(tabs, workspace, qtbot):
    """Ctrl+S that cannot write reports the path and reason instead of raising."""
    editor = tabs.open_file(workspace / "app.py")
    tabs.activateWindow()
    type_into(qtbot, editor, "#")
    shutil.rmtree(workspace)
    with qtbot.waitSignal(tabs.save_failed) as failed:
        qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert failed.args[0] == str(workspace / "app.py")
    assert failed.args[1]
    assert DIRTY_MARKER in titles(tabs)[0]


def test_non_utf8_file_opens_read_only_and_is_never_rewritten(tabs, tmp_path, qtbot):
    """A Latin-1 file is shown read-only with a notice, and saving leaves its bytes alone."""
    path = tmp_path / "legacy.txt"
    path.write_bytes("café\n".encode("latin-1"))
    editor = tabs.open_file(path)
    assert editor.isReadOnly()
    assert "read-only" in titles(tabs)[0]
    type_into(qtbot, editor, "x")
    assert tabs.save_all() == []
    assert path.read_bytes() == "café\n".encode("latin-1")


def test_closing_a_clean_tab_closes_it_and_a_dirty_one_asks(tabs, workspace, qtbot):
    """The close button closes a saved file, but for unsaved edits asks the owner first."""
    editor = tabs.open_file(workspace / "app.py")
    tabs.open_file(workspace / "event.json")
    tabs.tabCloseRequested.emit(1)
    assert titles(tabs) == ["app.py"]
    type_into(qtbot, editor, "#")
    with qtbot.waitSignal(tabs.close_requested) as asked:
        tabs.tabCloseRequested.emit(0)
    assert asked.args == [str(workspace / "app.py")]
    assert tabs.count() == 1
    with qtbot.waitSignal(tabs.dirty_changed) as dirty:
        tabs.close_file(workspace / "app.py")
    assert dirty.args == [False]
    assert tabs.count() == 0


def test_save_action_is_ctrl_s(tabs):
    """The save action carries the platform's Save shortcut, for the window's File menu."""
    assert tabs.save_action.shortcut().toString() == "Ctrl+S"


def test_unreadable_file_raises(tabs, tmp_path):
    """Opening a missing file raises OSError and opens no tab."""
    with pytest.raises(OSError):
        tabs.open_file(tmp_path / "missing.py")
    assert tabs.count() == 0


def test_symlinked_file_saves_through_the_link(tabs, tmp_path, qtbot):
    """Saving a file opened through a symlink writes the real file and keeps the link."""
    real = tmp_path / "real.py"
    real.write_text("x = 1\n")
    link = tmp_path / "link.py"
    os.symlink(real, link)
    editor = tabs.open_file(link)
    type_into(qtbot, editor, "y = 2")
    tabs.save_current()
    assert link.is_symlink()
    assert real.read_text() == "x = 1\ny = 2"
