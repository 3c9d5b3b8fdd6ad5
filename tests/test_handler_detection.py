"""Handler detection in a plain folder, and what New Function's dialog accepts, through the real window."""

import json
import shutil
from pathlib import Path

import pytest

from window_helpers import make_window  # noqa: F401 - fixture
from workbench.core.function.new_function import detect_handler
from workbench.ui.new_function_dialog import NewFunctionDialog

RUN_TIMEOUT_MS = 20000
needs_curl = pytest.mark.skipif(shutil.which("curl") is None or shutil.which("bash") is None,
                                reason="the custom runtime's starter bootstrap needs bash and curl on PATH")


@pytest.mark.parametrize("name, text, expected", [
    ("app.py", "import json\n\ndef handler(event, context):\n    return 1\n", ("app.handler", "python3.12")),
    ("main.py", "def lambda_handler(event, context):\n    pass\n", ("main.lambda_handler", "python3.12")),
    ("index.mjs", "export const handler = async (event) => 1;\n", ("index.handler", "nodejs20.x")),
    ("index.mjs", "export async function handler(event) { return 1; }\n", ("index.handler", "nodejs20.x")),
    ("index.js", "exports.handler = async (event) => 1;\n", ("index.handler", "nodejs20.x")),
    ("index.js", "module.exports.handler = async (event) => 1;\n", ("index.handler", "nodejs20.x")),
    ("index.cjs", "module.exports.handler = async (event) => 1;\n", ("index.handler", "nodejs20.x")),
    ("index.mjs", "export const VERSION = 1;\nexport const handler = async () => 1;\n",
     ("index.handler", "nodejs20.x")),
    ("app.py", "def main(argv):\n    pass\n", None),
])
def test_a_handler_shaped_function_is_found(tmp_path, name, text, expected):
    (tmp_path / name).write_text(text)
    assert detect_handler(tmp_path) == expected


def test_a_helper_module_beside_the_handler_does_not_hide_it(tmp_path):
    """app.py defining handler next to utils.py (no handler) still proposes app.handler."""
    (tmp_path / "app.py").write_text("from utils import x\n\ndef handler(event, context):\n    return x\n")
    (tmp_path / "utils.py").write_text("x = 1\n")
    assert detect_handler(tmp_path) == ("app.handler", "python3.12")


def test_two_handlers_are_not_guessed_between(make_window, tmp_path):
    """a.py and b.py both defining handler: no guess; the window keeps the console's default and says so."""
    (tmp_path / "a.py").write_text("def handler(event, context):\n    return 'a'\n")
    (tmp_path / "b.py").write_text("def handler(event, context):\n    return 'b'\n")
    assert detect_handler(tmp_path) is None
    window = make_window(tmp_path)
    assert window.function.config.handler == "lambda_function.lambda_handler"
    assert "no file defines lambda_function.lambda_handler yet" in window.statusBar().currentMessage()


def test_the_code_folder_follows_the_name_until_edited(qtbot, make_window, tmp_path):
    window = make_window(tmp_path)
    dialog = NewFunctionDialog(window, set())
    qtbot.keyClicks(dialog.name, "OrderSync")
    assert dialog.folder.text() == "order_sync"
    dialog.folder.selectAll()
    qtbot.keyClicks(dialog.folder, "functions/sync")
    qtbot.keyClicks(dialog.name, "er")
    assert dialog.values() == ("OrderSyncer", "python3.12", "lambda_function.lambda_handler", "functions/sync")


@pytest.mark.parametrize("folder", ["../elsewhere", "/tmp/elsewhere", "a/../../b"])
def test_a_code_folder_outside_the_workspace_is_refused(qtbot, make_window, tmp_path, folder):
    window = make_window(tmp_path)
    dialog = NewFunctionDialog(window, set())
    qtbot.keyClicks(dialog.name, "Orders")
    dialog.folder.setText(folder)
    assert "inside the workspace" in dialog.problem.text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()


def test_a_python_handler_in_a_subfolder_is_created_and_runs(qtbot, make_window, tmp_path):
    """New Function with the handler src/app.main: src/app.py from the Python starter, def main, and it runs
    (Lambda takes a path in the handler's module part)."""
    window = make_window(tmp_path)
    dialog = NewFunctionDialog(window, set())
    qtbot.keyClicks(dialog.name, "Orders")
    dialog.handler.clear()
    qtbot.keyClicks(dialog.handler, "src/app.main")
    dialog.runtime.setCurrentText("python3.11")
    dialog.setResult(NewFunctionDialog.DialogCode.Accepted)
    assert window.workspace_actions.new_function(dialog) == "Orders"
    source = tmp_path / "orders" / "src" / "app.py"
    assert "def main(event, context):" in source.read_text()
    assert window.tabs.current_path() == source.resolve()
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    result = blocker.args[0].result
    assert result.succeeded and '"statusCode": 200' in result.payload_text(), result.payload_text()


@needs_curl
def test_a_custom_runtime_function_gets_a_bootstrap_and_runs(qtbot, make_window, tmp_path):
    """New Function on provided.al2023: an executable bootstrap speaking the Runtime API and function.sh with
    the handler, which opens; the run returns the starter's response."""
    window = make_window(tmp_path)
    dialog = NewFunctionDialog(window, set())
    qtbot.keyClicks(dialog.name, "Shell")
    dialog.runtime.setCurrentText("provided.al2023")
    assert dialog.handler.text() == "function.handler"
    dialog.setResult(NewFunctionDialog.DialogCode.Accepted)
    assert window.workspace_actions.new_function(dialog) == "Shell"
    bootstrap = tmp_path / "shell" / "bootstrap"
    assert bootstrap.stat().st_mode & 0o111 and bootstrap.read_text().startswith("#!/bin/bash")
    assert window.tabs.current_path() == (tmp_path / "shell" / "function.sh").resolve()
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    result = blocker.args[0].result
    assert result.succeeded, result.payload_text()
    assert json.loads(json.loads(result.payload_text())["body"]) == {"message": "Hello from Lambda!"}


@needs_curl
def test_a_failing_custom_handler_is_reported_as_a_function_error(qtbot, make_window, tmp_path):
    """The starter's bootstrap posts to /error when the shell function fails."""
    window = make_window(tmp_path)
    dialog = NewFunctionDialog(window, set())
    qtbot.keyClicks(dialog.name, "Shell")
    dialog.runtime.setCurrentText("provided.al2")
    dialog.setResult(NewFunctionDialog.DialogCode.Accepted)
    window.workspace_actions.new_function(dialog)
    (tmp_path / "shell" / "function.sh").write_text("function handler () {\n  return 3\n}\n")
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    result = blocker.args[0].result
    assert not result.succeeded and result.error_type == "HandlerFailed", result.payload_text()


def test_an_executable_bootstrap_is_a_custom_runtime(tmp_path):
    """The AWS tutorial's layout (bootstrap + function.sh defining handler) proposes function.handler on
    provided.al2023; a lone compiled-style bootstrap gets "bootstrap"; a bootstrap that cannot run is no runtime."""
    bootstrap = tmp_path / "bootstrap"
    bootstrap.write_text("#!/bin/sh\n")
    assert detect_handler(tmp_path) is None
    bootstrap.chmod(0o755)
    assert detect_handler(tmp_path) == ("bootstrap", "provided.al2023")
    (tmp_path / "function.sh").write_text("function handler () {\n  echo hi\n}\n")
    assert detect_handler(tmp_path) == ("function.handler", "provided.al2023")


def test_the_window_says_what_it_proposed(make_window, tmp_path):
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return 1\n")
    window = make_window(tmp_path)
    message = window.statusBar().currentMessage()
    assert "app.handler (python3.12) found in app.py" in message and "workbench.json" in message


@needs_curl
def test_the_tutorials_folder_opens_and_runs_as_it_is(qtbot, make_window, tmp_path):
    """A folder holding only the AWS tutorial's bootstrap and function.sh: function.sh opens, and a run echoes."""
    folder = tmp_path / "tutorial"
    shutil.copytree(Path(__file__).parent / "fixtures" / "custom", folder)
    window = make_window(folder)
    assert (window.function.config.handler, window.function.config.runtime) == ("function.handler", "provided.al2023")
    assert window.tabs.current_path() == (folder / "function.sh").resolve()
    window.event_editor.set_text('{"hello": "world"}')
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    result = blocker.args[0].result
    assert result.succeeded and "Echoing request" in result.payload_text(), result.payload_text()
