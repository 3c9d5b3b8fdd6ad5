"""Files changed by another program while the window is open: reloaded, asked about, never overwritten."""

import json
import os

from window_helpers import Answers, make_window, workspace  # noqa: F401 - fixtures

WAIT_MS = 5000


def handler_path(workspace):
    return workspace / "order_confirmation" / "lambda_function.py"


def write_elsewhere(path, text):
    """Save as another editor does: a new file renamed over the old one."""
    temporary = path.with_name(path.name + ".other-editor")
    temporary.write_text(text)
    os.replace(temporary, path)


def test_an_unmodified_tab_reloads_by_itself(qtbot, make_window, workspace):
    """Another editor's save shows up in an unedited tab, which stays unmodified."""
    window = make_window(workspace)
    path = handler_path(workspace)
    editor = window.tabs.editor_for(path)
    changed = path.read_text() + "\n# added in another editor\n"
    write_elsewhere(path, changed)
    qtbot.waitUntil(lambda: editor.toPlainText() == changed, timeout=WAIT_MS)
    assert not window.tabs.has_unsaved()
    # A second outside change, after the watch was renewed, arrives too.
    path.write_text(changed + "# and again\n")
    qtbot.waitUntil(lambda: "# and again" in editor.toPlainText(), timeout=WAIT_MS)


def test_a_modified_tab_asks_with_the_difference_and_run_does_not_overwrite(qtbot, make_window, workspace):
    """Edited here and changed there: the tab asks, shows the diff, and Run refuses to save over it."""
    window = make_window(workspace)
    path = handler_path(workspace)
    editor = window.tabs.editor_for(path)
    editor.textCursor().insertText("# mine\n")
    theirs = path.read_text().replace("import json", "import json  # theirs")
    write_elsewhere(path, theirs)
    bar = window.tabs.current_frame().disk_bar
    qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
    difference = bar.difference.toPlainText()
    assert "+# mine" in difference and "-import json  # theirs" in difference
    assert "(on disk)" in difference
    window.toolbar.run_action.trigger()
    assert window.current_run is None
    assert "changed on disk" in window.statusBar().currentMessage()
    assert path.read_text() == theirs  # the outside change is still there
    # Keep Mine: now the user has chosen, and saving writes their text.
    bar.keep_button.click()
    assert window.save_all()
    assert path.read_text().startswith("# mine\n")


def test_reload_drops_my_edits_for_the_disk_version(qtbot, make_window, workspace):
    """Reload in the bar puts the disk's text in the tab, unmodified."""
    window = make_window(workspace)
    path = handler_path(workspace)
    editor = window.tabs.editor_for(path)
    editor.textCursor().insertText("# mine\n")
    write_elsewhere(path, "def lambda_handler(event, context):\n    return 'theirs'\n")
    bar = window.tabs.current_frame().disk_bar
    qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
    bar.reload_button.click()
    assert editor.toPlainText() == path.read_text()
    assert not window.tabs.has_unsaved() and not bar.isVisible()


def test_the_preset_follows_its_file(qtbot, make_window, workspace):
    """A preset file edited elsewhere reloads into the unedited event editor; edited, saving asks first."""
    window = make_window(workspace)
    preset = window.presets.current
    write_elsewhere(preset.path, '{"order_id": "from-git"}\n')
    qtbot.waitUntil(lambda: "from-git" in window.event_editor.text(), timeout=WAIT_MS)
    assert not window.event_editor.is_modified()
    window.event_editor.editor().textCursor().insertText(" ")
    write_elsewhere(preset.path, '{"order_id": "from-git-2"}\n')
    bar = window.event_editor.frame.disk_bar
    qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
    assert not window.presets.save()
    assert json.loads(preset.path.read_text()) == {"order_id": "from-git-2"}
    bar.reload_button.click()
    assert "from-git-2" in window.event_editor.text() and not window.event_editor.is_modified()


def test_a_preset_added_on_disk_appears_in_the_picker(qtbot, make_window, workspace):
    """A new file in events/<Function>/ shows up in the preset list without reopening."""
    window = make_window(workspace)
    (workspace / "events" / "OrderConfirmation" / "from-disk.json").write_text("{}")
    qtbot.waitUntil(lambda: "from-disk" in [p.name for p in window.preset_picker.presets()],
                    timeout=WAIT_MS)


def test_workbench_json_edited_elsewhere_changes_the_settings(qtbot, make_window, workspace):
    """A memory size changed in workbench.json by hand reaches the settings panel and the toolbar."""
    window = make_window(workspace)
    path = workspace / "workbench.json"
    document = json.loads(path.read_text())
    entry = next(f for f in document["functions"] if f["name"] == "OrderConfirmation")
    entry["memorySize"] = 1024
    write_elsewhere(path, json.dumps(document, indent=2))
    qtbot.waitUntil(lambda: window.function.config.memory_mb == 1024, timeout=WAIT_MS)
    assert "1024 MB" in window.toolbar.limits_label.text()
    assert window.function_settings.config().memory_mb == 1024
