"""The engine with Python functions that answer: responses, context, variables and the log lines of each call."""

import json
import re

import pytest

from workbench.core.function.invocation_result import Status
from workbench.engine.engine import InvokeOptions
from python_functions import TIMESTAMP_MS, fn, platform_lines, report_of, stack_entry

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


# --- Successful calls ------------------------------------------------------------------------------

def test_success_returns_the_handlers_dict_as_lambda_serialises_it(python_code, run):
    """The response is the handler's dict in Lambda's JSON: spaced separators, non-ASCII kept (3.12)."""
    ran = run(fn(python_code, "success.handler"), {"order": "A-1"})
    assert ran.result.status is Status.SUCCESS
    assert ran.result.error_type is None
    assert ran.result.payload == (
        '{"message": "héllo wörld ✓ 日本語 😀", "ok": true, "count": 3, "ratio": 0.5, "nothing": null, '
        '"event": {"order": "A-1"}}').encode("utf-8")


def test_python_311_escapes_non_ascii_in_the_response(python_code, run):
    """Before python3.12, Lambda's runtime writes non-ASCII characters as \\u escapes."""
    ran = run(fn(python_code, "success.handler", runtime="python3.11"))
    assert ran.result.payload.startswith(
        b'{"message": "h\\u00e9llo w\\u00f6rld \\u2713 \\u65e5\\u672c\\u8a9e \\ud83d\\ude00", "ok": true')
    assert json.loads(ran.result.payload)["message"] == "héllo wörld ✓ 日本語 😀"


def test_returned_bytes_pass_through_untouched(python_code, run):
    """A handler that returns bytes gets exactly those bytes back, not JSON."""
    ran = run(fn(python_code, "returns_bytes.handler"))
    assert ran.result.status is Status.SUCCESS
    assert ran.result.payload == b"\x00\x01raw bytes \xff\xfe end"


def test_values_lambdas_marshaller_encodes_its_own_way(python_code, run):
    """Decimal keeps its digits, namedtuples become objects, nested bytes become text, as on Lambda."""
    ran = run(fn(python_code, "marshal_types.handler"))
    assert ran.result.status is Status.SUCCESS, ran.text
    assert ran.text == (
        '{"price": 19.90, "quantity": 3, "tiny": 1E-7, "no_number": NaN, "point": {"x": 1, "y": 2}, '
        '"points": [{"x": 3, "y": 4}], "tuple": [1, "two"], "raw": "bytes inside", '
        '"floats": [0.1, 1e+300, Infinity, -Infinity], "1": "integer key", "2.5": "float key", '
        '"null": "null key", "false": "bool key"}')


def test_handler_in_a_subfolder_is_found(python_code, run):
    """A handler named dir/module.function loads the module from that folder."""
    ran = run(fn(python_code, "pkg/mod.handler"))
    assert ran.result.status is Status.SUCCESS
    assert json.loads(ran.result.payload) == {"where": "pkg.mod"}


def test_context_has_every_lambda_attribute(python_code, run):
    """The context carries Lambda's attributes with Lambda's types; memory size is a string."""
    config = fn(python_code, "context_dump.handler", name="orders", timeout_s=3)
    ran = run(config)
    context = json.loads(ran.result.payload)
    remaining = context.pop("remaining_ms")
    stream = context.pop("log_stream_name")
    assert context == {
        "aws_request_id": ran.result.request_id,
        "function_name": "orders",
        "function_version": "$LATEST",
        "memory_limit_in_mb": "128",
        "memory_limit_type": "str",
        "invoked_function_arn": "arn:aws:lambda:us-east-1:123456789012:function:orders",
        "log_group_name": "/aws/lambda/orders",
        "identity_type": "CognitoIdentity",
        "cognito_identity_id": None,
        "cognito_identity_pool_id": None,
        "client_context": None,
        "w3c": {},
        "remaining_type": "int",
    }
    assert 0 < remaining <= 3000
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}", stream)
    assert re.fullmatch(UUID, ran.result.request_id)


def test_client_context_reaches_the_handler(python_code, run):
    """A client context given to the invoke is a ClientContext with its client record."""
    options = InvokeOptions(client_context={"custom": {"tier": "gold"}, "env": {"locale": "fr"},
                                            "client": {"installation_id": "i-1", "app_title": "Shop"}})
    ran = run(fn(python_code, "context_dump.handler"), {}, options=options)
    assert json.loads(ran.result.payload)["client_context"] == (
        "ClientContext([custom={'tier': 'gold'},env={'locale': 'fr'},client=Client([installation_id=i-1,"
        "app_title=Shop,app_version_name=None,app_version_code=None,app_package_name=None])])")


def test_environment_has_lambdas_variables_and_the_users(python_code, run):
    """The handler sees Lambda's variables, a user variable even at import, and a fresh trace id."""
    config = fn(python_code, "env_dump.handler", name="env-fn", memory_mb=256,
                environment=(("USER_SETTING", "on"), ("TZ", ":Europe/Paris")))
    ran = run(config)
    dump = json.loads(ran.result.payload)
    variables = dump["variables"]
    assert dump["at_import"] == "on"
    assert variables["USER_SETTING"] == "on"
    assert variables["TZ"] == ":Europe/Paris"
    assert {k: variables[k] for k in (
        "_HANDLER", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME", "LAMBDA_TASK_ROOT", "LANG", "AWS_XRAY_CONTEXT_MISSING",
        "AWS_XRAY_DAEMON_ADDRESS", "_AWS_XRAY_DAEMON_ADDRESS", "_AWS_XRAY_DAEMON_PORT",
        "_LAMBDA_TELEMETRY_LOG_FD")} == {
        "_HANDLER": "env_dump.handler",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
        "AWS_LAMBDA_FUNCTION_NAME": "env-fn",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/env-fn",
        "LAMBDA_TASK_ROOT": str(python_code),
        "LANG": "en_US.UTF-8",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
        "_AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129",
        "_AWS_XRAY_DAEMON_PORT": "2000",
        "_LAMBDA_TELEMETRY_LOG_FD": None,
    }
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}", variables["AWS_LAMBDA_LOG_STREAM_NAME"])
    assert re.fullmatch(r"127\.0\.0\.1:\d+", variables["AWS_LAMBDA_RUNTIME_API"])
    assert re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]",
                        variables["_X_AMZN_TRACE_ID"])
    assert dump["cwd"] == str(python_code)
    # Each invocation gets its own trace id.
    again = json.loads(run(config).result.payload)["variables"]["_X_AMZN_TRACE_ID"]
    assert again != variables["_X_AMZN_TRACE_ID"]


def test_reserved_variables_cannot_be_overridden(python_code, run):
    """A user value for a reserved key is ignored; Lambda's value stays."""
    config = fn(python_code, "env_dump.handler", name="reserved",
                environment=(("AWS_REGION", "eu-west-1"), ("AWS_LAMBDA_FUNCTION_NAME", "hijack"),
                             ("_HANDLER", "other.handler"), ("LAMBDA_TASK_ROOT", "/elsewhere"),
                             ("AWS_LAMBDA_RUNTIME_API", "10.0.0.1:9001")))
    variables = json.loads(run(config).result.payload)["variables"]
    assert variables["AWS_REGION"] == "us-east-1"
    assert variables["AWS_LAMBDA_FUNCTION_NAME"] == "reserved"
    assert variables["_HANDLER"] == "env_dump.handler"
    assert variables["LAMBDA_TASK_ROOT"] == str(python_code)
    assert variables["AWS_LAMBDA_RUNTIME_API"].startswith("127.0.0.1:")


# --- Platform log lines ----------------------------------------------------------------------------

def test_cold_then_warm_start_end_report_lines(python_code, run):
    """START, END and REPORT are exact; Init Duration appears on the cold call only; success ends in TAB."""
    config = fn(python_code, "counter.handler")
    for call in (1, 2):
        ran = run(config)
        result = ran.result
        rid = result.request_id
        assert platform_lines(ran) == [f"START RequestId: {rid} Version: $LATEST", f"END RequestId: {rid}",
                                       report_of(ran)]
        expected = (f"REPORT RequestId: {rid}\tDuration: {result.duration_ms:.2f} ms\t"
                    f"Billed Duration: {result.billed_duration_ms} ms\tMemory Size: 128 MB\t"
                    f"Max Memory Used: {result.max_memory_used_mb} MB\t")
        if call == 1:
            assert ran.cold is True
            assert result.init_duration_ms is not None and result.init_duration_ms > 0
            expected += f"Init Duration: {result.init_duration_ms:.2f} ms\t"
        else:
            assert ran.cold is False
            assert result.init_duration_ms is None
        assert report_of(ran) == expected
        assert ran.lines[-1] == report_of(ran)


def test_billed_duration_is_duration_plus_init_rounded_up(python_code, run):
    """Billed Duration covers Duration and Init Duration, rounded up to the next millisecond."""
    config = fn(python_code, "counter.handler")
    cold = run(config).result
    total = cold.duration_ms + cold.init_duration_ms
    assert total <= cold.billed_duration_ms < total + 1
    warm = run(config).result
    assert warm.duration_ms <= warm.billed_duration_ms < warm.duration_ms + 1
    assert warm.billed_duration_ms >= 1


def test_cost_is_reported_for_each_call(python_code, run):
    """Every result carries the call's cost: its GB-seconds at the x86 price plus the request charge."""
    result = run(fn(python_code, "counter.handler", memory_mb=1024)).result
    assert result.cost_usd == pytest.approx(result.billed_duration_ms / 1000 * 0.0000166667 + 0.2e-6, rel=1e-9)


def test_prints_and_logs_appear_between_start_and_end(python_code, run):
    """What the handler writes lands after START and before END, in order."""
    ran = run(fn(python_code, "logs.handler"))
    start = ran.lines.index(f"START RequestId: {ran.result.request_id} Version: $LATEST")
    end = ran.lines.index(f"END RequestId: {ran.result.request_id}")
    between = ran.lines[start + 1:end]
    assert between[0] == "print before logging"
    assert between[-1] == "context.log line"


def test_output_written_during_init_comes_before_start(python_code, run):
    """What the module prints while it loads appears before START on the cold call, and only then."""
    config = fn(python_code, "counter.handler")
    cold = run(config)
    assert cold.lines[0] == "counter module loaded"
    assert cold.lines[1].startswith("START RequestId: ")
    warm = run(config)
    assert "counter module loaded" not in warm.lines


def test_stderr_is_logged_too(python_code, run):
    """Lines the handler writes to stderr reach the log, before END, like stdout's."""
    ran = run(fn(python_code, "logs.to_stderr"))
    end = ran.lines.index(f"END RequestId: {ran.result.request_id}")
    assert ran.lines.index("written to stderr") < end
    assert ran.lines.index("written to stdout") < end


def test_a_last_line_without_newline_is_still_logged(python_code, run):
    """Output that does not end in a newline is shown as a line of its own, before END."""
    ran = run(fn(python_code, "logs.no_newline"))
    end = ran.lines.index(f"END RequestId: {ran.result.request_id}")
    assert ran.lines[end - 1] == "no newline at the end"


def test_info_logging_is_dropped_at_the_default_level(python_code, run):
    """Without AWS_LAMBDA_LOG_LEVEL the root logger stays at WARNING: info records do not appear."""
    ran = run(fn(python_code, "logs.handler"), {"value": 42})
    rid = ran.result.request_id
    assert not any("info from the handler" in line for line in ran.lines)
    warnings = [line for line in ran.lines if line.startswith("[WARNING]")]
    assert len(warnings) == 1
    assert re.fullmatch(rf"\[WARNING\]\t{TIMESTAMP_MS}\t{rid}\twarning from a named logger", warnings[0])


def test_info_logging_appears_with_log_level_info(python_code, run):
    """With AWS_LAMBDA_LOG_LEVEL=INFO, logging.info prints [INFO], UTC time, request id and message."""
    ran = run(fn(python_code, "logs.handler", environment=(("AWS_LAMBDA_LOG_LEVEL", "INFO"),)), {"value": 42})
    rid = ran.result.request_id
    infos = [line for line in ran.lines if line.startswith("[INFO]")]
    assert len(infos) == 1
    assert re.fullmatch(rf"\[INFO\]\t{TIMESTAMP_MS}\t{rid}\tinfo from the handler: 42", infos[0])


def test_json_log_format_writes_one_object_per_record(python_code, run):
    """AWS_LAMBDA_LOG_FORMAT=JSON: each record is a JSON object with Lambda's fields, in Lambda's order."""
    config = fn(python_code, "logs.handler",
                environment=(("AWS_LAMBDA_LOG_FORMAT", "JSON"), ("AWS_LAMBDA_LOG_LEVEL", "INFO")))
    ran = run(config, {"value": "é"})
    rid = ran.result.request_id
    records = [json.loads(line) for line in ran.lines if line.startswith("{")]
    assert [list(r) for r in records] == [["timestamp", "level", "message", "logger", "requestId"]] * 2
    for record in records:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", record.pop("timestamp"))
    assert records == [
        {"level": "INFO", "message": "info from the handler: é", "logger": "root", "requestId": rid},
        {"level": "WARNING", "message": "warning from a named logger", "logger": "orders", "requestId": rid},
    ]
    assert '"info from the handler: é"' in next(line for line in ran.lines if "info from" in line)


def test_json_log_format_records_a_logged_exception(python_code, run):
    """logger.exception in JSON format adds errorType, errorMessage, stackTrace and location."""
    config = fn(python_code, "logs.logs_exception",
                environment=(("AWS_LAMBDA_LOG_FORMAT", "JSON"), ("AWS_LAMBDA_LOG_LEVEL", "INFO")))
    ran = run(config)
    record = json.loads(next(line for line in ran.lines if line.startswith("{")))
    assert list(record) == ["timestamp", "level", "message", "logger", "stackTrace", "errorType", "errorMessage",
                            "requestId", "location"]
    assert (record["level"], record["message"], record["errorType"], record["errorMessage"]) == (
        "ERROR", "lookup failed", "KeyError", "'missing'")
    assert record["location"] == f"{python_code}/logs.py:logs_exception:25"
    # traceback.format_tb, as Amazon's formatter uses it (Python 3.11+ adds a caret line).
    assert len(record["stackTrace"]) == 1
    assert record["stackTrace"][0].startswith(
        stack_entry(python_code / "logs.py", 23, "logs_exception", '{}["missing"]'))


def test_json_log_format_writes_the_error_record(python_code, run):
    """An unhandled exception in JSON format is logged as one JSON object with level ERROR."""
    config = fn(python_code, "logs.fails", environment=(("AWS_LAMBDA_LOG_FORMAT", "JSON"),))
    ran = run(config)
    rid = ran.result.request_id
    record = json.loads(next(line for line in ran.lines if line.startswith("{")))
    assert list(record) == ["timestamp", "level", "errorMessage", "errorType", "requestId", "stackTrace"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", record["timestamp"])
    assert (record["level"], record["errorMessage"], record["errorType"], record["requestId"]) == (
        "ERROR", "boom from logs", "ValueError", rid)
    assert not any(line.startswith("[ERROR]") for line in ran.lines)


def test_print_flood_arrives_whole_and_before_end(python_code, run):
    """Thousands of lines printed right before returning all arrive, in order, before END."""
    ran = run(fn(python_code, "print_flood.handler"), {"lines": 5000})
    assert ran.result.status is Status.SUCCESS
    end = ran.lines.index(f"END RequestId: {ran.result.request_id}")
    printed = [line for line in ran.lines if line.startswith("line ")]
    assert printed == ["line %06d of 5000 ünïcode" % i for i in range(5000)]
    assert ran.lines.index(printed[-1]) < end


def test_multibyte_characters_split_across_writes_arrive_whole(python_code, run):
    """Characters written a few bytes at a time reach the log intact, never as U+FFFD."""
    ran = run(fn(python_code, "split_char.handler"))
    assert "café then 😀 done" in ran.lines
    assert not any("\ufffd" in line for line in ran.lines)
