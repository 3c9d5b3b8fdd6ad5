"""New Function in a folder whose function was detected, not written: the detected function stays."""

import json

import pytest

from window_helpers import make_window  # noqa: F401 - fixture
from workbench.core.workspace.workspace import add_function, load_workspace
from workbench.ui.new_function_dialog import NewFunctionDialog

RUN_TIMEOUT_MS = 20000


def _functions_listed(window) -> list[str]:
    combo = window.toolbar.function_combo
    return [combo.itemText(i) for i in range(combo.count())]


def _create(qtbot, window, name: str) -> None:
    dialog = NewFunctionDialog(window, set(window.workspace.function_names))
    qtbot.keyClicks(dialog.name, name)
    dialog.setResult(NewFunctionDialog.DialogCode.Accepted)
    assert window.workspace_actions.new_function(dialog) == name


def test_the_detected_function_stays_after_new_function(qtbot, make_window, tmp_path):
    """app.py defining handler is proposed as app.handler; after File > New Function (Orders) both are in the
    function list and in workbench.json, and the detected one still runs."""
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "app.py").write_text("def handler(event, context):\n    return {'from': 'app'}\n")
    window = make_window(folder)
    assert _functions_listed(window) == ["bare"]
    _create(qtbot, window, "Orders")
    assert _functions_listed(window) == ["bare", "Orders"]
    assert window.function.config.name == "Orders"
    entries = json.loads((folder / "workbench.json").read_text())["functions"]
    assert [(e["name"], e["handler"], e["runtime"], e["codeUri"]) for e in entries] == [
        ("bare", "app.handler", "python3.12", "."),
        ("Orders", "lambda_function.lambda_handler", "python3.12", "orders")]
    window.toolbar.function_combo.setCurrentText("bare")
    assert window.tabs.current_path() == (folder / "app.py").resolve()
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    assert blocker.args[0].result.payload_text() == '{"from": "app"}'


def test_a_second_new_function_keeps_both(qtbot, make_window, tmp_path):
    """Once workbench.json lists the functions, another New Function adds to it and drops nothing."""
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return 1\n")
    window = make_window(tmp_path)
    _create(qtbot, window, "Orders")
    _create(qtbot, window, "Payments")
    assert _functions_listed(window) == [tmp_path.name, "Orders", "Payments"]


def test_the_detected_name_cannot_be_taken_again(tmp_path):
    """The detected function's name is taken: New Function refuses it instead of writing it twice."""
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return 1\n")
    workspace = load_workspace(tmp_path)
    with pytest.raises(ValueError, match=f"A function named {tmp_path.name} already exists"):
        add_function(workspace, tmp_path.name, "python3.12", "lambda_function.lambda_handler", "other")
    assert not (tmp_path / "workbench.json").exists()


def test_an_empty_folders_placeholder_is_not_written(tmp_path):
    """An empty folder shows lambda_function.lambda_handler, a file that does not exist: a placeholder, which
    New Function replaces instead of writing a function that cannot run."""
    workspace = load_workspace(tmp_path)
    assert [f.config.handler for f in workspace.functions] == ["lambda_function.lambda_handler"]
    add_function(workspace, "Orders", "nodejs20.x", "index.handler", "orders")
    assert load_workspace(tmp_path).function_names == ["Orders"]
