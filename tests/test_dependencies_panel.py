"""The Dependencies section: what it shows of a function's environment, Rebuild, and the AWS settings."""

from PySide6.QtWidgets import QLabel, QListWidget, QPushButton

from workbench.core.workspace.aws_settings import AwsSettings, load_aws_settings, save_aws_settings
from workbench.core.child.environment_report import EnvironmentReport
from workbench.core.function.function_config import LayerRef
from workbench.core.child.interpreter_choice import Interpreter
from workbench.core.child.package_report import Package, ParityFinding
from workbench.ui.dependencies_panel import DependenciesPanel


def report(**changes):
    values = dict(function="Orders", runtime="python3.12", architecture="arm64",
                  interpreter=Interpreter("python3.12", "/usr/bin/python3.11", "3.11.2", "PATH", False, "searched"),
                  manifest="/w/code/requirements.txt", entry="/cache/deps/abc", entry_built_at=1_700_000_000.0,
                  packages=(Package("greeting", "1.0.0"), Package("fastthing", "2.0", ("linux_x86_64",))),
                  layers=(LayerRef("Common", "/w/layers/common"), LayerRef("arn:aws:lambda:us-east-1:1:layer:x:1")),
                  sdk="boto3 1.40.4, botocore 1.40.4",
                  findings=(ParityFinding("fastthing", "fastthing 2.0 will not run on Lambda: ..."),),
                  size_bytes=300 * 1024 * 1024)
    values.update(changes)
    return EnvironmentReport(**values)


def test_report_shows_every_part_and_marks_what_is_wrong(qtbot):
    """Interpreter mismatch, packages, layers in order, the parity finding and the size over 250 MB."""
    panel = DependenciesPanel()
    qtbot.addWidget(panel)
    panel.set_report(report())
    text = lambda name: panel.findChild(QLabel, name).text()  # noqa: E731
    assert "3.11.2" in text("dep_interpreter") and "not python3.12" in text("dep_interpreter")
    assert "requirements.txt" in text("dep_manifest")
    assert "built 2023-11-14" in text("dep_entry")
    assert "boto3 1.40.4" in text("dep_sdk")
    assert "300.0 MB of 250 MB" in text("dep_size") and "over Lambda's limit" in text("dep_size")
    items = panel.findChild(QListWidget, "dep_packages")
    lines = [items.item(i).text() for i in range(items.count())]
    assert lines[:2] == ["greeting 1.0.0", "fastthing 2.0"]
    assert lines[2].startswith("layer 1: Common") and "not available offline" in lines[3]
    assert "will not run on Lambda" in lines[4]


def test_rebuild_and_building_progress(qtbot):
    """Rebuild asks for a rebuild; while a build runs it says what and is not pressable."""
    panel = DependenciesPanel()
    qtbot.addWidget(panel)
    button = panel.findChild(QPushButton, "rebuild")
    with qtbot.waitSignal(panel.rebuild_requested):
        button.click()
    panel.set_building("installing requirements.txt")
    assert not button.isEnabled()
    assert "installing requirements.txt" in panel.findChild(QLabel, "build_status").text()
    panel.set_building("")
    assert button.isEnabled() and panel.findChild(QLabel, "build_status").text() == ""


def test_aws_settings_are_applied_and_saved_beside_the_functions(qtbot, tmp_path):
    """Profile, Region and Endpoint URL come out as AwsSettings; workbench.json keeps them, and its other keys."""
    (tmp_path / "workbench.json").write_text('{"functions": []}\n')
    panel = DependenciesPanel()
    qtbot.addWidget(panel)
    panel.set_aws(AwsSettings(), ["default", "dev"])
    panel.profile.setCurrentText("dev")
    panel.region.setText("eu-west-1")
    panel.endpoint.setText("http://localhost:4566")
    with qtbot.waitSignal(panel.aws_changed) as blocker:
        panel.findChild(QPushButton, "aws_apply").click()
    settings = blocker.args[0]
    assert settings == AwsSettings("dev", "eu-west-1", (("AWS_ENDPOINT_URL", "http://localhost:4566"),))
    save_aws_settings(tmp_path, settings)
    assert load_aws_settings(tmp_path) == settings
    assert '"functions": []' in (tmp_path / "workbench.json").read_text()


from window_helpers import make_window  # noqa: E402,F401 - the fixture


def test_window_shows_the_environment_and_marks_a_missing_interpreter(qtbot, make_window, tmp_path):
    """A python3.14 function with requirements.txt: the toolbar marks the interpreter beside the runtime,
    the Dependencies tab names the manifest and the entry it will build."""
    import json
    folder = tmp_path / "ws"
    (folder / "fn").mkdir(parents=True)
    (folder / "fn" / "app.py").write_text("def handler(e, c):\n    return 1\n")
    (folder / "fn" / "requirements.txt").write_text("greeting==1.0.0\n")
    (folder / "workbench.json").write_text(json.dumps({"functions": [
        {"name": "Fn", "handler": "app.handler", "runtime": "python3.14", "codeUri": "fn"}]}))
    window = make_window(folder)
    marker = window.toolbar.interpreter_marker
    assert not marker.isHidden() and marker.text().startswith("⚠ runs on 3.")
    assert "python3.14 requested" in marker.toolTip()
    panel = window.dependencies_panel
    assert panel.findChild(QLabel, "dep_manifest").text().replace("\u200b", "").endswith("fn/requirements.txt")
    assert "not built yet" in panel.findChild(QLabel, "dep_entry").text()
