"""Events nested 1,000 levels deep and more: valid JSON that Lambda accepts. The command line runs
them as Lambda would (the function's runtime decides), and a workspace holding one opens in the window."""

import json
import shutil
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings

from workbench.app import create_window
from workbench.core.lambda_rules.invoke_api_rules import invalid_json
from workbench.core.text.json_check import check_json, format_json
from workbench.ui.app_settings import AppSettings

TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  DeepFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: .
"""


def nested(depth, inner="1"):
    return '{"a": ' * depth + inner + "}" * depth


def test_any_depth_is_checked_as_json():
    """Deep documents are judged like shallow ones: valid, or broken at the right place."""
    assert check_json("[" * 100_000 + "]" * 100_000) is None
    assert check_json(nested(1500)) is None
    broken = check_json("[" * 1500 + "x" + "]" * 1500)
    assert (broken.line, broken.column) == (1, 1501)
    assert format_json(nested(1200)).count("\n") == 2 * 1200 + 1


def _invoke(tmp_path, event, *args):
    (tmp_path / "event.json").write_text(event)
    return subprocess.run([sys.executable, "-m", "workbench", "invoke", *args, "-e", "event.json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)


def test_a_deep_event_reaches_a_python_function_which_fails_it_as_lambda_does(tmp_path):
    """Python's runtime cannot unmarshal 1,500 levels: Runtime.UnmarshalError, exit 1, no traceback of ours."""
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return 'unreachable'\n")
    proc = _invoke(tmp_path, "[" * 1500 + "]" * 1500, "--handler", "app.handler")
    assert proc.returncode == 1, proc.stderr
    error = json.loads(proc.stdout)
    assert error["errorType"] == "Runtime.UnmarshalError"
    assert error["errorMessage"].startswith("Unable to unmarshal input: maximum recursion depth exceeded")
    assert "workbench/cli" not in proc.stderr and "RecursionError" not in proc.stderr.split("START")[0]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_a_deep_event_reaches_a_node_function_which_parses_it(tmp_path):
    """Node's JSON.parse takes 1,500 levels: the handler gets the whole event, and a response as deep
    comes back whole, in --report-json too (as its text)."""
    (tmp_path / "index.js").write_text(
        "exports.handler = async (event) => { let depth = 0;\n"
        "  for (let node = event; node && typeof node === 'object'; node = node.a) depth++;\n"
        "  return event.echo ? event : { depth }; };\n")
    proc = _invoke(tmp_path, nested(1500), "--handler", "index.handler", "--runtime", "nodejs20.x")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"depth": 1500}
    deep_echo = '{"echo": true, "a": ' + nested(1499) + "}"
    proc = _invoke(tmp_path, deep_echo, "--handler", "index.handler", "--runtime", "nodejs20.x",
                   "--report-json", "report.jsonl")
    assert proc.returncode == 0, proc.stderr
    assert check_json(proc.stdout) is None and proc.stdout.count("{") == 1500
    report = json.loads((tmp_path / "report.jsonl").read_text())
    assert report["status"] == "success" and report["response"].count("{") == 1500


def test_the_invoke_api_accepts_a_deep_event_and_still_names_a_deep_mistake():
    """serve's Invoke API checks a body as the service does, at any depth."""
    assert invalid_json(b"[" * 1500 + b"]" * 1500) is None
    error = invalid_json(b"[" * 1500 + b"x" + b"]" * 1500)
    assert error.status == 400 and "line 1 column 1501" in error.message


def test_a_workspace_with_a_deep_preset_reopens_in_the_window(qtbot, tmp_path):
    """The last workspace reopens at launch; a 1,500-deep preset in it is listed and loaded, not fatal."""
    workspace = tmp_path / "deep"
    (workspace / "events").mkdir(parents=True)
    (workspace / "template.yaml").write_text(TEMPLATE)
    (workspace / "app.py").write_text("def handler(event, context):\n    return 'ok'\n")
    deep = "[" * 1500 + "]" * 1500
    (workspace / "events" / "deep.json").write_text(deep)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    AppSettings(settings).remember_workspace(str(workspace))
    window = create_window(None, settings)
    qtbot.addWidget(window)
    try:
        assert window.isVisible()
        assert window.workspace.folder == workspace
        assert window.event_editor.text() == deep
        assert window.event_editor.problem() is None
    finally:
        window.session.shutdown()
