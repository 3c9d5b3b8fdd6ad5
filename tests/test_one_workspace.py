"""One workspace at a time: File > Open Folder leaves nothing of the previous folder on screen, and tabs of files
with the same name say which folder each is in."""

import json

from PySide6.QtWidgets import QLabel

from window_helpers import make_window, workspace  # noqa: F401 - fixtures
from workbench.core.function.served_call import ServedCall

RUN_TIMEOUT_MS = 60_000
HANDLER = "def handler(event, context):\n    return {'from': %r}\n"


def two_function_folder(folder):
    """Two functions, each with its own app.py, as in many SAM projects."""
    for name in ("fnA", "fnB"):
        (folder / name).mkdir(parents=True)
        (folder / name / "app.py").write_text(HANDLER % name)
    functions = [{"name": name.upper(), "handler": "app.handler", "runtime": "python3.12", "codeUri": name}
                 for name in ("fnA", "fnB")]
    (folder / "workbench.json").write_text(json.dumps({"functions": functions}))
    return folder


def tab_titles(window):
    return [window.tabs.tabText(index) for index in range(window.tabs.count())]


def test_tabs_of_files_with_the_same_name_say_their_folder(qtbot, make_window, tmp_path):
    """Both handlers open: `app.py — fnA` and `app.py — fnB`; one closed, the other is plain `app.py` again."""
    folder = two_function_folder(tmp_path / "project")
    window = make_window(folder)
    window.toolbar.function_combo.setCurrentText("FNB")
    assert sorted(tab_titles(window)) == ["app.py — fnA", "app.py — fnB"]
    window.tabs.close_file(folder / "fnA" / "app.py")
    assert tab_titles(window) == ["app.py"]


def test_open_folder_clears_the_previous_workspace(qtbot, make_window, workspace, tmp_path):
    """After Open Folder: no tab, test result, served call or chart of the previous folder is left."""
    window = make_window(workspace)
    with qtbot.waitSignal(window.tests_dock.tests.sig_finished, timeout=RUN_TIMEOUT_MS):
        window.menus.run_tests.trigger()
    assert window.tests_dock.panel.model.rowCount() > 0
    window.serve_panel.add_call(ServedCall(at=0.0, entry="http", method="POST", target="/orders",
                                           function="OrderConfirmation", status=200, duration_ms=3.0))
    charts = window.history.show_charts()
    with qtbot.waitSignal(window.sig_run_finished, timeout=RUN_TIMEOUT_MS):
        window.toolbar.run_action.trigger()
    qtbot.waitUntil(lambda: "OrderConfirmation" in charts.caption.text(), timeout=5000)
    old_tabs = window.tabs.open_paths()
    assert old_tabs

    other = two_function_folder(tmp_path / "other")
    window.open_workspace(other)
    assert all(path.is_relative_to(other.resolve()) for path in window.tabs.open_paths())
    assert tab_titles(window) == ["app.py"]
    assert window.tests_dock.panel.model.rowCount() == 0
    assert not any("passed" in label.text() or "failed" in label.text()
                   for label in window.tests_dock.panel.findChildren(QLabel))
    assert window.serve_panel.row_texts() == []
    assert "OrderConfirmation" not in window.statusBar().currentMessage()
    assert "OrderConfirmation" not in charts.caption.text() and "FNA" in charts.caption.text()


def test_reopening_the_same_folder_keeps_its_tabs(qtbot, make_window, workspace):
    """Reopening the folder itself (after New Function or an env-vars file) closes nothing."""
    window = make_window(workspace)
    before = window.tabs.open_paths()
    window.open_workspace(workspace)
    assert window.tabs.open_paths() == before
