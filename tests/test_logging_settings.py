"""LoggingConfig in the window's function settings: chosen there, saved to workbench.json, said where it came
from, refused in Lambda's words, and the next run logging in the format chosen."""

import dataclasses
import json
import textwrap

import pytest
from PySide6.QtWidgets import QComboBox, QLabel

from window_helpers import make_window  # noqa: F401 - fixture
from workbench.core.function.function_config import FunctionConfig
from workbench.core.workspace.sam_template import load_template
from workbench.core.workspace.workspace import load_workspace
from workbench.ui.function_settings import FunctionSettings

RUN_TIMEOUT_MS = 20000
CONFIG = FunctionConfig(name="Orders", handler="app.handler", runtime="python3.12", code_dir="/ws/src")

HANDLER = textwrap.dedent("""\
    import logging, os

    def handler(event, context):
        logging.getLogger().info("order accepted")
        logging.getLogger().debug("checking stock")
        print("plain print")
        return {name: os.environ.get(name) for name in ("AWS_LAMBDA_LOG_FORMAT", "AWS_LAMBDA_LOG_LEVEL")}
    """)

TEMPLATE = textwrap.dedent("""\
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Function:
        LoggingConfig:
          LogFormat: JSON
          SystemLogLevel: WARN
    Resources:
      Orders:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: src
          LoggingConfig:
            ApplicationLogLevel: DEBUG
    """)
FUNCTION_LOGGING = "      LoggingConfig:\n        ApplicationLogLevel: DEBUG\n"


@pytest.fixture
def form(qtbot):
    widget = FunctionSettings()
    qtbot.addWidget(widget)
    widget.set_config(CONFIG)
    widget.resize(460, 560)
    widget.show()
    return widget


def _combo(form, field):
    return form.findChild(QComboBox, field)


def _choose(combo, value):
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


def _problems(form):
    label = form.findChild(QLabel, "problems")
    return label.text() if label.isVisible() else ""


def test_levels_show_in_json_format_only(form):
    """In Text format (the default) only the format is offered; JSON brings the two levels, at Lambda's default."""
    assert _combo(form, "log_format").currentText() == "Text"
    assert not _combo(form, "application_log_level").isVisible()
    assert not _combo(form, "system_log_level").isVisible()
    _choose(_combo(form, "log_format"), "JSON")
    assert _combo(form, "application_log_level").isVisible() and _combo(form, "system_log_level").isVisible()
    assert _combo(form, "application_log_level").currentText() == "INFO (default)"
    assert form.config().log_format == "JSON" and form.config().application_log_level == ""


def test_a_choice_sends_the_new_config(form, qtbot):
    _choose(_combo(form, "log_format"), "JSON")
    with qtbot.waitSignal(form.config_changed) as sent:
        _choose(_combo(form, "application_log_level"), "DEBUG")
    assert (sent.args[0].log_format, sent.args[0].application_log_level) == ("JSON", "DEBUG")


def test_levels_in_text_format_are_refused_in_lambdas_words(form, qtbot):
    """Back to Text with a level set: Lambda's refusal, nothing sent, and the level stays on screen to clear."""
    _choose(_combo(form, "log_format"), "JSON")
    _choose(_combo(form, "system_log_level"), "WARN")
    with qtbot.assertNotEmitted(form.config_changed):
        _choose(_combo(form, "log_format"), "Text")
    assert _problems(form) == "Application and system log levels can only be set when the log format is JSON."
    assert _combo(form, "system_log_level").isVisible() and not _combo(form, "application_log_level").isVisible()
    with qtbot.waitSignal(form.config_changed):
        _choose(_combo(form, "system_log_level"), "")
    assert _problems(form) == "" and not _combo(form, "system_log_level").isVisible()


def test_a_value_the_template_reader_refuses_is_refused_in_the_same_words(tmp_path, qtbot, form):
    """A level Lambda does not know, from a template, is shown as it is with the template reader's message."""
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(TEMPLATE.replace("ApplicationLogLevel: DEBUG", "ApplicationLogLevel: LOUD"))
    function = load_template(tmp_path / "template.yaml").function("Orders")
    form.set_config(function.config)
    assert _combo(form, "application_log_level").currentText() == "LOUD"
    message = ("Value 'LOUD' at 'loggingConfig.applicationLogLevel' failed to satisfy constraint: "
               "Member must satisfy enum value set: [TRACE, DEBUG, INFO, WARN, ERROR, FATAL]")
    assert _problems(form) == message
    assert function.not_runnable_reason.endswith(f": {message}")


def test_each_value_says_where_it_came_from(tmp_path):
    """Globals give the format and the system level, the function its application level."""
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    origins = dict(load_template(tmp_path / "template.yaml").function("Orders").origins)
    assert origins["log_format"] == "Globals.Function"
    assert origins["system_log_level"] == "Globals.Function"
    assert origins["application_log_level"] == "Resources.Orders.Properties"
    (tmp_path / "template.yaml").write_text(TEMPLATE.replace(FUNCTION_LOGGING, ""))
    origins = dict(load_template(tmp_path / "template.yaml").function("Orders").origins)
    assert origins["application_log_level"] == "SAM default"


def test_origins_show_with_their_rows(form):
    form.set_config(dataclasses.replace(CONFIG, log_format="JSON", application_log_level="DEBUG"))
    form.set_origins({"log_format": "Globals.Function", "application_log_level": "Resources.Orders.Properties",
                      "system_log_level": "SAM default"})
    for field, origin in (("log_format", "Globals.Function"), ("application_log_level", "Resources.Orders.Properties")):
        label = form.findChild(QLabel, f"origin_{field}")
        assert label.isVisible() and label.toolTip() == f"Set in {origin}"
        assert _combo(form, field).toolTip().endswith(f"Set in {origin}")


def _run(qtbot, window):
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.toolbar.run_action.trigger()
    qtbot.waitUntil(lambda: '"type":"platform.report"' in window.log_panel.full_text()
                    or "REPORT RequestId" in window.log_panel.full_text(), timeout=2000)
    return blocker.args[0].result


def test_json_chosen_in_the_window_is_saved_and_the_next_run_logs_json(qtbot, make_window, tmp_path):
    """A template project: JSON and DEBUG chosen in the settings land in workbench.json beside the template,
    say so, and the next call gets AWS_LAMBDA_LOG_FORMAT=JSON and writes JSON records."""
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "app.py").write_text(HANDLER)
    (project / "template.yaml").write_text(TEMPLATE.replace("LogFormat: JSON", "LogFormat: Text")
                                           .replace("      SystemLogLevel: WARN\n", "")
                                           .replace(FUNCTION_LOGGING, ""))
    window = make_window(project)
    settings = window.function_settings
    assert window.function.config.log_format == "Text"
    assert settings.findChild(QLabel, "origin_log_format").text() == "Globals.Function"
    first = _run(qtbot, window)
    assert json.loads(first.payload) == {"AWS_LAMBDA_LOG_FORMAT": None, "AWS_LAMBDA_LOG_LEVEL": None}

    _choose(_combo(settings, "log_format"), "JSON")
    _choose(_combo(settings, "application_log_level"), "DEBUG")
    entry = json.loads((project / "workbench.json").read_text())["functions"][0]
    assert entry["name"] == "Orders"
    assert entry["loggingConfig"] == {"logFormat": "JSON", "applicationLogLevel": "DEBUG"}
    assert load_workspace(project).function("Orders").config.application_log_level == "DEBUG"
    assert settings.findChild(QLabel, "origin_application_log_level").text().startswith("workbench.json")

    window.log_panel.clear()
    second = _run(qtbot, window)
    assert json.loads(second.payload) == {"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "DEBUG"}
    assert second.init_duration_ms is not None  # a changed setting is a new environment
    lines = window.log_panel.full_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    start = next(r for r in records if r.get("type") == "platform.start")
    assert start["record"]["requestId"] == second.request_id
    own = {r["message"]: r["level"] for r in records if "message" in r and r.get("requestId") == second.request_id}
    assert own == {"order accepted": "INFO", "checking stock": "DEBUG"}
    assert any(r.get("type") == "platform.report" and r["record"]["requestId"] == second.request_id
               for r in records)
    assert "plain print" in lines
