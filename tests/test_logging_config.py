"""Lambda's logging controls: LoggingConfig from the template and workbench.json, the variables the runtime
gets, platform.* records in JSON format, and the application and system level filters."""

import json
import re
import sys
import textwrap

import pytest

from workbench.core.function.function_config import FunctionConfig, validate_config
from workbench.core.function.invocation_result import InvocationResult, Status
from workbench.core.logging_config.filtering import application_level, keeps_application_line
from workbench.core.logging_config.platform_records import PlatformLog, report_record
from workbench.core.logging_config.settings import logging_variables
from workbench.core.workspace.sam_template import load_template
from workbench.core.workspace.workspace_file import WorkspaceFileError, load_workspace_functions, save_workspace_functions

from python_functions import fn

TIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"


# --- Pure rules ------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, level", [
    ('{"level": "debug", "msg": "x"}', "DEBUG"),
    ('{"level": "WARNING", "message": "x"}', "WARN"),
    ('{"level": "CRITICAL"}', "FATAL"),
    ('{"level": "loud"}', "INFO"),            # invalid level: INFO
    ('{"msg": "no level"}', "INFO"),          # missing level: INFO
    ('{"level": 3}', "INFO"),
    ('{not json', "INFO"),
    ("plain print", "INFO"),
    ("[ERROR]\t2024-01-01T00:00:00.000Z\tid\ttext", "INFO"),  # a text record is not read for a level
])
def test_application_level_follows_lambdas_rule(line, level):
    assert application_level(line) == level


def test_application_filter_keeps_the_level_and_above():
    assert keeps_application_line('{"level": "ERROR"}', "WARN")
    assert not keeps_application_line('{"level": "INFO"}', "WARN")
    assert not keeps_application_line("a print counts as INFO", "ERROR")
    assert keeps_application_line('{"level": "TRACE"}', "TRACE")
    assert keeps_application_line('{"level": "DEBUG"}', None)  # Text format: nothing is filtered


def test_variables_are_set_in_json_format_only():
    assert logging_variables("Text", "") == {}
    assert logging_variables("JSON", "") == {"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "INFO"}
    assert logging_variables("JSON", "DEBUG")["AWS_LAMBDA_LOG_LEVEL"] == "DEBUG"


def test_invalid_values_are_refused_in_lambdas_words(tmp_path):
    config = FunctionConfig(name="f", handler="app.handler", runtime="python3.12", code_dir=str(tmp_path),
                            log_format="Yaml", application_log_level="VERBOSE")
    messages = [problem.message for problem in validate_config(config)]
    assert ("Value 'Yaml' at 'loggingConfig.logFormat' failed to satisfy constraint: Member must satisfy enum "
            "value set: [Text, JSON]") in messages
    assert any("'VERBOSE' at 'loggingConfig.applicationLogLevel'" in message for message in messages)
    text_with_level = FunctionConfig(name="f", handler="app.handler", runtime="python3.12", code_dir=str(tmp_path),
                                     system_log_level="WARN")
    assert [p.field for p in validate_config(text_with_level)] == ["loggingConfig"]


def _result(**changes):
    values = dict(request_id="r-1", status=Status.SUCCESS, payload=b'"ok"', error_type=None,
                  platform_error_type=None, duration_ms=12.3456, billed_duration_ms=13, init_duration_ms=101.23456,
                  memory_size_mb=256, max_memory_used_mb=40, architecture="x86_64", cost_usd=0.0)
    values.update(changes)
    return InvocationResult(**values)


def test_report_record_has_lambdas_shape():
    assert report_record(_result()) == {
        "requestId": "r-1", "status": "success",
        "metrics": {"durationMs": 12.35, "billedDurationMs": 13, "memorySizeMB": 256, "maxMemoryUsedMB": 40,
                    "initDurationMs": 101.235}}
    failed = report_record(_result(status=Status.ERROR, platform_error_type="Runtime.OutOfMemory",
                                   init_duration_ms=None))
    assert (failed["status"], failed["errorType"], "initDurationMs" in failed["metrics"]) == (
        "error", "Runtime.OutOfMemory", False)
    assert report_record(_result(status=Status.TIMEOUT, platform_error_type="Sandbox.Timedout"))["status"] == "timeout"


def test_platform_log_in_each_format_and_system_level(tmp_path):
    base = dict(name="f", handler="app.handler", runtime="python3.12", code_dir=str(tmp_path))
    text = PlatformLog(FunctionConfig(**base))
    assert text.start("r-1") == ["START RequestId: r-1 Version: $LATEST"]
    assert [line.split("\t")[0] for line in text.end(_result())] == ["END RequestId: r-1", "REPORT RequestId: r-1"]

    start = json.loads(PlatformLog(FunctionConfig(**base, log_format="JSON")).start("r-1")[0])
    assert list(start) == ["time", "type", "record"] and re.fullmatch(TIME, start["time"])
    assert (start["type"], start["record"]) == ("platform.start", {
        "requestId": "r-1", "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:f", "version": "$LATEST"})
    info = PlatformLog(FunctionConfig(**base, log_format="JSON"))
    assert [json.loads(line)["type"] for line in info.end(_result())] == ["platform.report"]
    debug = PlatformLog(FunctionConfig(**base, log_format="JSON", system_log_level="DEBUG"))
    assert [json.loads(line)["type"] for line in debug.end(_result())] == ["platform.runtimeDone", "platform.report"]
    warn = PlatformLog(FunctionConfig(**base, log_format="JSON", system_log_level="WARN"))
    assert warn.start("r-1") == [] and warn.end(_result()) == []


# --- Where the setting comes from ------------------------------------------------------------------

def test_template_logging_config_merges_globals_and_the_function(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(textwrap.dedent("""\
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
                LogGroup: /custom/orders
          Plain:
            Type: AWS::Lambda::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              Code: src
        """))
    template = load_template(tmp_path / "template.yaml")
    orders = template.function("Orders").config
    assert (orders.log_format, orders.application_log_level, orders.system_log_level) == ("JSON", "DEBUG", "WARN")
    plain = template.function("Plain").config  # Globals apply to AWS::Serverless::Function only
    assert (plain.log_format, plain.application_log_level) == ("Text", "")


def test_a_bad_template_value_names_file_line_and_column(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(textwrap.dedent("""\
        Resources:
          Orders:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              CodeUri: src
              LoggingConfig:
                LogFormat: json
        """))
    function = load_template(tmp_path / "template.yaml").function("Orders")
    assert not function.runnable
    assert function.not_runnable_reason.startswith("template.yaml:9:")
    assert "Value 'json' at 'loggingConfig.logFormat'" in function.not_runnable_reason


def test_workbench_json_keeps_the_logging_config(tmp_path):
    config = FunctionConfig(name="f", handler="app.handler", runtime="python3.12", code_dir=str(tmp_path),
                            log_format="JSON", application_log_level="WARN")
    save_workspace_functions(tmp_path, [config])
    entry = json.loads((tmp_path / "workbench.json").read_text())["functions"][0]
    assert entry["loggingConfig"] == {"logFormat": "JSON", "applicationLogLevel": "WARN"}
    assert load_workspace_functions(tmp_path) == [config]
    entry["loggingConfig"]["systemLogLevel"] = "TRACE"
    (tmp_path / "workbench.json").write_text(json.dumps({"functions": [entry]}))
    with pytest.raises(WorkspaceFileError, match=r"functions\[0\]\.loggingConfig\.systemLogLevel: Value 'TRACE'"):
        load_workspace_functions(tmp_path)


# --- A real run --------------------------------------------------------------------------------------

def test_json_format_gives_platform_records_and_filters_by_level(python_code, run):
    ran = run(fn(python_code, "leveled_logs.handler", log_format="JSON", application_log_level="WARN"))
    rid = ran.result.request_id
    assert not any(line.startswith(("START ", "END ", "REPORT ")) for line in ran.lines)
    records = [json.loads(line) for line in ran.lines if line.startswith("{")]
    platform = [record for record in records if "type" in record]
    assert [record["type"] for record in platform] == ["platform.initStart", "platform.start", "platform.report"]
    assert platform[2]["record"]["requestId"] == rid and platform[2]["record"]["status"] == "success"
    assert platform[2]["record"]["metrics"]["memorySizeMB"] == 128
    assert "initDurationMs" in platform[2]["record"]["metrics"]
    # The runtime's own records at WARN and above (Python's WARNING is Lambda's WARN); prints without a level,
    # with an invalid one or below WARN are INFO or DEBUG and are dropped.
    own = [(record.get("level"), record.get("message") or record.get("msg")) for record in records
           if "type" not in record]
    # Sorted: logging records travel on the telemetry descriptor and prints on stdout, two channels whose
    # relative order depends on when each is read.
    assert sorted(own) == [("ERROR", "error record"), ("ERROR", "printed error"), ("WARNING", "warning record")]
    assert "plain print" not in ran.lines


def test_debug_levels_show_everything_and_runtime_done(python_code, run):
    ran = run(fn(python_code, "leveled_logs.handler", log_format="JSON", application_log_level="DEBUG",
                 system_log_level="DEBUG"))
    types = [json.loads(line).get("type") for line in ran.lines if line.startswith('{"time"')]
    assert types == ["platform.initStart", "platform.start", "platform.runtimeDone", "platform.report"]
    assert "plain print" in ran.lines
    assert any('"message": "debug record"' in line for line in ran.lines)


def test_init_start_opens_a_cold_start_in_json_format(python_code, run):
    """platform.initStart (INFO) comes first on a cold start, before what the init writes; a warm call has none;
    the Text format and a WARN system level write none."""
    (python_code / "init_logs.py").write_text('print("importing")\n\ndef handler(event, context):\n    return 1\n')
    config = fn(python_code, "init_logs.handler", name="Orders", log_format="JSON")
    cold = run(config)
    first = json.loads(cold.lines[0])
    assert list(first) == ["time", "type", "record"] and re.fullmatch(TIME, first["time"])
    assert (first["type"], first["record"]) == ("platform.initStart", {
        "initializationType": "on-demand", "phase": "init", "functionName": "Orders", "functionVersion": "$LATEST"})
    assert cold.lines.index("importing") > 0
    assert json.loads(cold.lines[cold.lines.index("importing") + 1])["type"] == "platform.start"
    warm = run(config)
    assert not any("platform.initStart" in line for line in warm.lines)
    for quiet in (dict(log_format="JSON", system_log_level="WARN"), {}):
        ran = run(fn(python_code, "init_logs.handler", name=f"Quiet{len(quiet)}", **quiet))
        assert ran.cold and "importing" in ran.lines
        assert not any("initStart" in line or line.startswith("INIT_START") for line in ran.lines)


def test_text_format_filters_nothing(python_code, run):
    ran = run(fn(python_code, "leveled_logs.handler"))
    assert ran.lines[0].startswith("START RequestId: ")
    assert '{"level": "debug", "msg": "printed debug"}' in ran.lines
    assert not any("debug record" in line for line in ran.lines)  # the runtime's own default: WARNING


def test_logging_config_reaches_awslambdaric_as_it_reaches_ours(python_code, run):
    """The variables LoggingConfig sets make Amazon's runtime client and ours write the same records."""
    pytest.importorskip("awslambdaric")
    bootstrap = python_code / "bootstrap"
    bootstrap.write_text(f'#!/bin/sh\nexport AWS_EXECUTION_ENV=AWS_Lambda_python3.12\n'
                         f'exec "{sys.executable}" -m awslambdaric "$_HANDLER"\n')
    bootstrap.chmod(0o755)
    logging = dict(log_format="JSON", application_log_level="DEBUG")
    ours = run(fn(python_code, "leveled_logs.handler", name="oracle", interpreter=sys.executable, **logging))
    amazon = run(fn(python_code, "leveled_logs.handler", name="oracle", runtime="provided.al2023", **logging))

    def own(ran):
        lines = [line for line in ran.lines if not line.startswith(('{"time"', "WARNING: python3"))]
        return [re.sub(r'"timestamp": "[^"]+"', "<t>", line.replace(ran.result.request_id, "<id>")) for line in lines]

    # In order within each channel (logging records on the telemetry descriptor, prints on stdout); the two
    # channels' relative order depends on when each is read.
    assert sorted(own(ours)) == sorted(own(amazon))
    assert [line for line in own(ours) if '"logger"' in line] == [line for line in own(amazon) if '"logger"' in line]
    assert any('"level": "DEBUG", "message": "debug record"' in line for line in own(amazon))
