"""The real window, offscreen, with the real engine: what a user does and sees."""

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel

from processes import process_gone
from workbench.core.function.invocation_result import Status
from window_helpers import Answers, make_window, workspace  # noqa: F401 - fixtures
from workbench.ui.main_window import CANCEL, DISCARD, SAVE

RUN_TIMEOUT_MS = 20000


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    qtbot.waitUntil(lambda: "REPORT RequestId" in window.log_panel.full_text(), timeout=2000)
    return blocker.args[0].result


def test_a_font_is_available(qapp):
    """Text renders as glyphs, not boxes: Qt found at least one font family."""
    assert QFontDatabase.families()


def test_sample_opens_and_runs(qtbot, make_window, workspace):
    """The sample function runs with its first preset: logs, response and REPORT figures appear."""
    window = make_window(workspace)
    assert window.function.config.name == "OrderConfirmation"
    assert window.tabs.current_path().name == "lambda_function.py"
    result = run_and_wait(qtbot, window)
    assert result.succeeded, result.payload_text()
    logs = window.log_panel.full_text()
    assert "START RequestId: " in logs and "END RequestId: " in logs and "\tInit Duration: " in logs
    assert json.loads(result.payload)["statusCode"] == 200
    assert "statusCode" in window.response_panel.payload_text()
    assert window.toolbar.badge.text() == "warm"
    second = run_and_wait(qtbot, window)
    assert second.init_duration_ms is None


def test_edited_code_saves_and_starts_cold(qtbot, make_window, workspace):
    """Editing the handler and running saves the file first, and the run is a cold start."""
    window = make_window(workspace)
    run_and_wait(qtbot, window)
    type_at_end(window, workspace / "order_confirmation" / "lambda_function.py",
                "\nprint('edited in the window')\n")
    assert window.tabs.has_unsaved()
    result = run_and_wait(qtbot, window)
    assert not window.tabs.has_unsaved()
    assert "edited in the window" in (workspace / "order_confirmation" / "lambda_function.py").read_text()
    assert result.init_duration_ms is not None
    assert "edited in the window" in window.log_panel.full_text()
    # The reason is said where the user looks: the status bar and the log, naming the file.
    assert "cold start: code changed: lambda_function.py" in window.statusBar().currentMessage()
    assert "[workbench] Cold start: code changed: lambda_function.py" in window.log_panel.full_text()


def test_invalid_event_blocks_run(qtbot, make_window, workspace):
    """While the event is not valid JSON, Run does nothing but say where the error is."""
    window = make_window(workspace)
    window.event_editor.set_text('{\n  "order_id": 1,\n}')
    window.toolbar.run_action.trigger()
    assert window.current_run is None
    message = window.statusBar().currentMessage()
    assert "line 3, column 1" in message
    assert window.log_panel.full_text() == ""


def test_failing_preset_shows_error(qtbot, make_window, workspace):
    """The sample's failing preset shows the error type and message in the response panel."""
    window = make_window(workspace)
    presets = {p.name: p for p in window.presets.store.list("OrderConfirmation")}
    window.presets.on_selected(presets["missing-email"])
    result = run_and_wait(qtbot, window)
    assert result.error_type == "ValueError"
    assert "ValueError" in window.response_panel.payload_text()
    assert window.panes.result_tabs.currentWidget() is window.response_panel


def test_preset_round_trip_on_disk(qtbot, make_window, workspace):
    """Save as, edit and save, rename and delete all land in events/ as plain JSON files."""
    window = make_window(workspace)
    events = workspace / "events" / "OrderConfirmation"
    window.event_editor.set_text('{"order_id": "A-1"}')
    window.presets.save_as("from-window")
    assert json.loads((events / "from-window.json").read_text()) == {"order_id": "A-1"}
    window.event_editor.set_text('{"order_id": "A-2"}')
    window.event_editor.set_modified(True)
    assert window.presets.save()
    assert json.loads((events / "from-window.json").read_text()) == {"order_id": "A-2"}
    window.presets.rename(window.presets.current, "renamed")
    assert not (events / "from-window.json").exists() and (events / "renamed.json").exists()
    window.presets.delete(window.presets.current)
    assert not (events / "renamed.json").exists()
    # Loading another preset puts its text in the editor, unmodified.
    presets = {p.name: p for p in window.presets.store.list("OrderConfirmation")}
    window.presets.on_selected(presets["big-order"])
    assert json.loads(window.event_editor.text()) == json.loads((events / "big-order.json").read_text())
    assert not window.event_editor.is_modified()


def type_at_end(window, path: Path, text: str) -> None:
    """Type text at the end of an open file, as a user would (the tab becomes dirty)."""
    cursor = window.tabs.editor_for(path).textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.insertText(text)


def _write_handler(folder: Path, body: str) -> None:
    (folder / "order_confirmation" / "lambda_function.py").write_text(body)


def test_timeout_shows_as_timeout(qtbot, make_window, workspace):
    """A handler that outlives its 1 s timeout ends as Sandbox.Timedout, shown as timed out."""
    _write_handler(workspace, "import time\ndef lambda_handler(event, context):\n    time.sleep(30)\n")
    window = make_window(workspace)
    window.function_settings.set_config(window.function.config.__class__(
        **{**window.function.config.__dict__, "timeout_s": 1}))
    window._on_config_changed(window.function_settings.config())
    assert window.function.config.timeout_s == 1
    result = run_and_wait(qtbot, window)
    assert result.status is Status.TIMEOUT
    assert "Task timed out after 1.00 seconds" in window.response_panel.payload_text()
    assert "Status: timeout" in window.log_panel.full_text()
    assert window.toolbar.badge.text() == "cold"


def test_stop_ends_looping_handler_and_children(qtbot, make_window, workspace):
    """Stop kills a looping handler and the processes it started."""
    _write_handler(workspace, (
        "import subprocess, time\n"
        "def lambda_handler(event, context):\n"
        "    child = subprocess.Popen(['sleep', '300'])\n"
        "    print('child', child.pid, flush=True)\n"
        "    while True:\n"
        "        time.sleep(0.01)\n"))
    window = make_window(workspace)
    window.toolbar.run_action.trigger()
    qtbot.waitUntil(lambda: "child " in window.log_panel.full_text(), timeout=RUN_TIMEOUT_MS)
    assert window.toolbar.stop_action.isEnabled()
    pid = int(window.log_panel.full_text().split("child ")[1].split()[0])
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.stop_action.trigger()
    assert blocker.args[0].result.error_type == "Sandbox.Stopped"
    qtbot.waitUntil(lambda: process_gone(pid), timeout=3000)
    assert window.toolbar.run_action.isEnabled()


@pytest.mark.parametrize("answer, closes", [(CANCEL, False), (DISCARD, True), (SAVE, True)])
def test_unsaved_changes_prompt(qtbot, make_window, workspace, answer, closes):
    """Closing with an edited file asks; Cancel keeps the window, Save writes, Discard drops."""
    answers = Answers(answer)
    window = make_window(workspace, answers)
    path = workspace / "order_confirmation" / "lambda_function.py"
    type_at_end(window, path, "\n# edited\n")
    closed = window.close()
    assert answers.asked and "lambda_function.py" in answers.asked[0]
    assert closed is closes
    assert path.read_text().endswith("# edited\n") is (answer == SAVE)
    if not closed:
        assert window.isVisible() and window.tabs.has_unsaved()


def test_sam_project_functions_and_origins(qtbot, make_window, tmp_path):
    """A SAM project lists its functions; settings and variables say where they came from."""
    import shutil
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "sam_project", project)
    window = make_window(project)
    combo = window.toolbar.function_combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert {"OrderFunction", "NotifyFunction", "AuditFunction"} <= set(names)
    window.select_function("OrderFunction")
    origin = window.function_settings.findChild(QLabel, "origin_memory_mb").toolTip()
    assert origin.startswith("Set in ") and ("Globals" in origin or "Resources" in origin)
    window.workspace_actions.use_env_vars_file(str(project / "env.json"))
    assert window.function.config.name == "OrderFunction"
    assert window.function_settings.variable_origin("TABLE_NAME") == "env-vars file (OrderFunction)"
    assert window.function_settings.variable_origin("POWERTOOLS_SERVICE_NAME") == "Globals.Function"
    result = run_and_wait(qtbot, window)
    assert result.succeeded, result.payload_text()


def test_garbage_and_a_crash_do_not_take_the_window_down(qtbot, make_window, workspace):
    """Invalid UTF-8, a megabyte-long line and a segfault show up in the panels; the next run works."""
    _write_handler(workspace, (
        "import os, signal, sys\n"
        "def lambda_handler(event, context):\n"
        "    if event.get('crash'):\n"
        "        sys.stdout.buffer.write(b'bytes \\xff\\xfe not utf-8\\n' + b'x' * 1_000_000 + b'\\n')\n"
        "        sys.stdout.flush()\n"
        "        os.kill(os.getpid(), signal.SIGSEGV)\n"
        "    return 'fine'\n"))
    window = make_window(workspace)
    window.event_editor.set_text('{"crash": true}')
    result = run_and_wait(qtbot, window)
    assert result.error_type == "Runtime.ExitError"
    assert "Runtime exited with error: signal: segmentation fault" in window.response_panel.payload_text()
    logs = window.log_panel.full_text()
    assert "bytes \ufffd\ufffd not utf-8" in logs and "x" * 1_000_000 in logs
    window.event_editor.set_text("{}")
    again = run_and_wait(qtbot, window)
    assert again.succeeded and again.payload == b'"fine"'


def test_each_function_remembers_its_preset(qtbot, make_window, workspace):
    """Switching functions shows each one's presets, and coming back brings back the preset last used."""
    window = make_window(workspace)
    presets = {p.name: p for p in window.presets.store.list("OrderConfirmation")}
    window.presets.on_selected(presets["new-order"])
    window.select_function("OrderConfirmationNode")
    assert window.function.config.runtime.startswith("nodejs")
    assert window.tabs.current_path().name == "index.mjs"
    assert window.preset_picker.current_preset().path.parent.name == "OrderConfirmationNode"
    window.select_function("OrderConfirmation")
    assert window.preset_picker.current_preset().name == "new-order"
    assert json.loads(window.event_editor.text()) == json.loads(presets["new-order"].text)


@pytest.mark.parametrize("answer", [CANCEL, DISCARD, SAVE])
def test_closing_an_edited_tab_asks(qtbot, make_window, workspace, answer):
    """Closing a tab with edits asks; Cancel keeps it open, Save writes then closes, Discard just closes."""
    answers = Answers(answer)
    window = make_window(workspace, answers)
    path = workspace / "order_confirmation" / "lambda_function.py"
    type_at_end(window, path, "# tab edit\n")
    window.tabs.tabCloseRequested.emit(window.tabs.currentIndex())
    assert answers.asked and "lambda_function.py" in answers.asked[0]
    assert (window.tabs.editor_for(path) is not None) is (answer == CANCEL)
    assert path.read_text().endswith("# tab edit\n") is (answer == SAVE)


def test_files_open_from_the_workspace_tree(qtbot, make_window, workspace):
    """Double-clicking a file in the workspace tree opens it in a tab."""
    window = make_window(workspace)
    target = workspace / "workbench.json"
    model = window.tree.model()
    qtbot.waitUntil(lambda: model.index(str(target)).isValid(), timeout=5000)
    window.tree.doubleClicked.emit(model.index(str(target)))
    assert window.tabs.current_path() == target
    assert '"functions"' in window.tabs.editor_for(target).toPlainText()


def test_workspace_parameter_overrides_reach_the_template(qtbot, make_window, tmp_path):
    """parameterOverrides in workbench.json replace a template parameter's default, as --parameter-overrides does."""
    import shutil
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "sam_project", project)
    (project / "workbench.json").write_text(json.dumps({"functions": [], "parameterOverrides": {"Stage": "prod"}}))
    window = make_window(project)
    window.select_function("OrderFunction")
    env = window.function.config.env_dict()
    assert env["STAGE"] == "prod"
    assert "parameter override" in window.function_settings.variable_origin("STAGE")


@pytest.mark.parametrize("answer", [CANCEL, DISCARD, SAVE])
def test_switching_preset_with_an_edited_event_asks(qtbot, make_window, workspace, answer):
    """An edited event is never dropped silently: Cancel keeps it, Save writes it, Discard switches."""
    answers = Answers(answer)
    window = make_window(workspace, answers)
    presets = {p.name: p for p in window.presets.store.list("OrderConfirmation")}
    window.presets.on_selected(presets["new-order"])
    window.event_editor.set_text('{"edited": true}')
    window.event_editor.set_modified(True)
    window.presets.on_selected(presets["big-order"])
    assert answers.asked
    saved = json.loads((workspace / "events" / "OrderConfirmation" / "new-order.json").read_text())
    assert (saved == {"edited": True}) is (answer == SAVE)
    if answer == CANCEL:
        assert window.event_editor.text() == '{"edited": true}' and window.presets.current.name == "new-order"
    else:
        assert window.presets.current.name == "big-order" and not window.event_editor.is_modified()
