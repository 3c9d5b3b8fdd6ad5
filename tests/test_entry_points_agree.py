"""The window and `lambda-workbench invoke` give the same verdict on the same input: both go through
core/function/invocation_request.py and the run session, so a rule lives once."""

import json
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings

from workbench.core.workspace.sample_workspace import ensure_sample_workspace
from workbench.ui.app_settings import AppSettings
from workbench.ui.main_window import MainWindow

RESERVED = ("Lambda was unable to configure your environment variables because the environment variables you "
            "have provided contains reserved keys that are currently not supported for modification. "
            "Reserved keys used in this request: AWS_REGION")
BAD_NAME = "Environment variable name '1BAD' is not allowed"
TOO_BIG = "Lambda's limit is 4 KB in all."

# (case, variables added to the sample function, the words both entry points must say; None = it runs)
CASES = [
    ("reserved variable", {"AWS_REGION": "eu-west-1"}, RESERVED),
    ("bad variable name", {"1BAD": "x"}, BAD_NAME),
    ("variables over 4 KB", {"BIG": "x" * 4100}, TOO_BIG),
    ("a good variable", {"GREETING": "hello"}, None),
]


def cli(workspace, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "workbench", "invoke", *args, "--workspace", str(workspace),
                           "--no-history"], input=stdin, capture_output=True, text=True, timeout=60)


@pytest.fixture
def workspace(tmp_path):
    return ensure_sample_workspace(tmp_path / "data")


@pytest.fixture
def window(qtbot, tmp_path, workspace):
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings)
    qtbot.addWidget(window)
    yield window
    window.session.shutdown()


def _add_variables(workspace, variables):
    path = workspace / "workbench.json"
    document = json.loads(path.read_text())
    document["functions"][0]["environment"].update(variables)
    path.write_text(json.dumps(document, indent=2))


def _window_verdict(qtbot, window, workspace):
    window.open_workspace(workspace)
    window.event_editor.set_text((workspace / "events" / "OrderConfirmation" / "new-order.json").read_text())
    window.toolbar.run_action.trigger()
    if window.current_run is None:
        return "refused", window.statusBar().currentMessage()
    with qtbot.waitSignal(window.run_finished, timeout=20000) as blocker:
        pass
    return ("succeeded" if blocker.args[0].result.succeeded else "failed"), ""


@pytest.mark.parametrize("case, variables, words", CASES, ids=[case[0] for case in CASES])
def test_same_variables_same_verdict(qtbot, window, workspace, case, variables, words):
    """Variables Lambda refuses are refused by both, in Lambda's words; good ones run in both."""
    _add_variables(workspace, variables)
    proc = cli(workspace, "OrderConfirmation", "-e", str(workspace / "events" / "OrderConfirmation" / "new-order.json"))
    verdict, message = _window_verdict(qtbot, window, workspace)
    if words is None:
        assert proc.returncode == 0, proc.stderr
        assert verdict == "succeeded"
    else:
        assert proc.returncode == 2 and words in proc.stderr, proc.stderr
        assert verdict == "refused" and words in message, message


@pytest.mark.parametrize("flag", ["AWS_REGION=eu-west-1", "1BAD=x"])
def test_env_flag_is_refused_not_dropped(workspace, flag):
    """`--env` with a variable Lambda refuses fails with the window's message instead of being dropped."""
    proc = cli(workspace, "OrderConfirmation", "--env", flag)
    assert proc.returncode == 2
    assert (RESERVED if flag.startswith("AWS_") else BAD_NAME) in proc.stderr
    assert proc.stdout == ""


def test_cli_runs_the_sample_the_window_opens(qtbot, window, workspace):
    """The bundled sample (workbench.json, no template.yaml) runs from the command line as in the window."""
    event = workspace / "events" / "OrderConfirmation" / "new-order.json"
    proc = cli(workspace, "OrderConfirmation", "-e", str(event))
    assert proc.returncode == 0, proc.stderr
    verdict, _ = _window_verdict(qtbot, window, workspace)
    assert verdict == "succeeded"
    shown = json.loads(window.response_panel.payload_text())
    printed = json.loads(proc.stdout)
    # Same function, same event, same answer (the confirmation id aside, which is random per call).
    assert shown.keys() == printed.keys() and shown["statusCode"] == printed["statusCode"] == 200


def test_unknown_function_names_the_workspace_functions(workspace):
    proc = cli(workspace, "Nope")
    assert proc.returncode == 2
    assert "No function named 'Nope'" in proc.stderr and "OrderConfirmationNode" in proc.stderr


def test_non_utf8_event_on_stdin_is_refused(workspace):
    """Bytes that are not UTF-8 are bad input (exit 2, a message), not a traceback."""
    proc = subprocess.run([sys.executable, "-m", "workbench", "invoke", "OrderConfirmation", "-e", "-",
                           "--workspace", str(workspace), "--no-history"], input=b'{"a": "\xff"}',
                          capture_output=True, timeout=60)
    assert proc.returncode == 2
    assert b"<stdin>: event is not UTF-8 text: byte 0xff at offset 7" in proc.stderr


def test_response_is_shown_and_copied_as_the_function_returned_it(qtbot, window, tmp_path):
    """19.90 stays 19.90, 1e400 stays 1e400 and a duplicate key stays: the panel and Copy show the bytes
    the CLI prints, only indented."""
    code = tmp_path / "fn"
    code.mkdir()
    payload = '{"total": 19.90, "huge": 1e400, "k": 1, "k": 2}'
    # A Python handler cannot return these bytes through json.dumps; a custom runtime posts them verbatim.
    (code / "bootstrap").write_text(
        "#!/bin/sh\nset -e\nwhile true; do\n"
        '  H=$(mktemp); curl -sS -D "$H" -o /dev/null "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next"\n'
        "  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id \"$H\" | tr -d '[:space:]' | cut -d: -f2)\n"
        f"  curl -sS -X POST \"http://${{AWS_LAMBDA_RUNTIME_API}}/2018-06-01/runtime/invocation/$ID/response\" -d '{payload}' >/dev/null\n"
        "done\n")
    (code / "bootstrap").chmod(0o755)
    (code / "workbench.json").write_text(json.dumps({"functions": [
        {"name": "Raw", "handler": "none", "runtime": "provided.al2023", "codeUri": "."}]}))
    proc = subprocess.run([sys.executable, "-m", "workbench", "invoke", "--workspace", str(code), "--no-history"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == payload
    window.open_workspace(code)
    window.toolbar.run_action.trigger()
    with qtbot.waitSignal(window.run_finished, timeout=20000):
        pass
    shown = window.response_panel.payload_text()
    assert shown == '{\n  "total": 19.90,\n  "huge": 1e400,\n  "k": 1,\n  "k": 2\n}'
    window.response_panel._copy.click()
    from PySide6.QtGui import QGuiApplication
    assert QGuiApplication.clipboard().text() == shown
