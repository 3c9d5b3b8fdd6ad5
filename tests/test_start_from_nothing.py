"""Starting from nothing in the real window: handler detection, New Function, the handler's file opening."""

import json

from window_helpers import make_window  # noqa: F401 - fixture
from workbench.ui.new_function_dialog import NewFunctionDialog

RUN_TIMEOUT_MS = 20000


def test_a_folder_with_only_app_py_gets_its_handler(qtbot, make_window, tmp_path):
    """A folder holding only app.py with def handler(event, context) proposes app.handler and opens it."""
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return {'ok': True}\n")
    window = make_window(tmp_path)
    assert window.function.config.handler == "app.handler"
    assert window.tabs.current_path().name == "app.py"
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    assert blocker.args[0].result.succeeded


def test_a_node_file_is_detected_too(make_window, tmp_path):
    """index.mjs exporting handler gives index.handler on Node."""
    (tmp_path / "index.mjs").write_text("export const handler = async (event) => ({ ok: true });\n")
    window = make_window(tmp_path)
    assert (window.function.config.handler, window.function.config.runtime) == ("index.handler", "nodejs20.x")


def test_new_function_writes_a_starter_and_workbench_json_and_runs(qtbot, make_window, tmp_path):
    """New Function (Orders, nodejs20.x): orders/index.mjs from the starter, an entry in workbench.json,
    the function selected with its file open, and it runs."""
    window = make_window(tmp_path)
    dialog = NewFunctionDialog(window, set(window.workspace.function_names))
    qtbot.keyClicks(dialog.name, "Orders")
    dialog.runtime.setCurrentText("nodejs20.x")
    assert dialog.handler.text() == "index.handler" and dialog.folder.text() == "orders"
    dialog.setResult(NewFunctionDialog.DialogCode.Accepted)
    assert window.workspace_actions.new_function(dialog) == "Orders"
    assert (tmp_path / "orders" / "index.mjs").is_file()
    entry = json.loads((tmp_path / "workbench.json").read_text())["functions"][0]
    assert (entry["name"], entry["runtime"], entry["handler"]) == ("Orders", "nodejs20.x", "index.handler")
    assert window.function.config.name == "Orders"
    assert window.tabs.current_path().name == "index.mjs"
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    assert blocker.args[0].result.succeeded, blocker.args[0].result.payload_text()


def test_new_function_refuses_a_bad_name(make_window, tmp_path):
    """A name with a space cannot be created: the dialog says why and Create is off."""
    window = make_window(tmp_path)
    dialog = NewFunctionDialog(window, set())
    dialog.name.setText("my function")
    assert "1 to 64 letters" in dialog.problem.text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()


def test_changing_the_handler_opens_its_file(qtbot, make_window, tmp_path):
    """Setting the handler to other.handler opens other.py."""
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return 1\n")
    (tmp_path / "other.py").write_text("def handler(event, context):\n    return 2\n")
    window = make_window(tmp_path)
    config = window.function_settings.config()
    window.function_settings.set_config(config.__class__(**{**config.__dict__, "handler": "other.handler"}))
    window.function_settings.config_changed.emit(window.function_settings.config())
    assert window.tabs.current_path().name == "other.py"
