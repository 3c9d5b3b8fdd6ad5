"""The engine with Python functions: real runtime processes speaking the Runtime API, through the
fixture handlers in tests/fixtures/python."""

import json
import re

import pytest

from workbench.core.function_config import FunctionConfig
from workbench.core.invocation_result import Status
from workbench.engine.engine import InvokeOptions

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
TIMESTAMP_MS = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"
NBSP = "\u00a0"


def fn(code, handler, name=None, **changes):
    values = dict(name=name or re.sub(r"[^A-Za-z0-9]", "-", handler), handler=handler, runtime="python3.12",
                  code_dir=str(code))
    values.update(changes)
    return FunctionConfig(**values)


def platform_lines(ran):
    return [line for line in ran.lines if line.startswith(("START ", "END ", "REPORT ", "INIT_REPORT "))]


def report_of(ran):
    reports = [line for line in ran.lines if line.startswith("REPORT ")]
    assert len(reports) == 1, ran.lines
    return reports[0]


def error_doc(ran):
    return json.loads(ran.result.payload)


def stack_entry(path, line, function, source):
    return f'  File "{path}", line {line}, in {function}\n    {source}\n'


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


# --- Errors the runtime reports --------------------------------------------------------------------

def test_unhandled_exception_payload_shows_user_frames_only(python_code, run):
    """An exception two calls down gives Lambda's error document, stack trace from the handler down."""
    ran = run(fn(python_code, "nested_error.handler"), {"order": "B-7"})
    path = python_code / "nested_error.py"
    assert ran.result.status is Status.ERROR
    assert ran.result.error_type == "ValueError"
    assert ran.result.platform_error_type is None
    assert ran.result.payload == json.dumps({
        "errorMessage": "boom: order B-7 is not valid",
        "errorType": "ValueError",
        "requestId": ran.result.request_id,
        "stackTrace": [
            stack_entry(path, 13, "handler", "return _validate(event)"),
            stack_entry(path, 9, "_validate", 'return _parse(event.get("order", "A-1"))'),
            stack_entry(path, 5, "_parse", 'raise ValueError("boom: order %s is not valid" % order)'),
        ],
    }).encode()


def test_unhandled_exception_log_line_uses_cr_and_no_break_spaces(python_code, run):
    """The [ERROR] event is one line: parts joined by CR, indentation turned into U+00A0."""
    ran = run(fn(python_code, "nested_error.handler"), {"order": "B-7"})
    path = python_code / "nested_error.py"
    errors = [line for line in ran.lines if line.startswith("[ERROR]")]
    assert errors == ["\r".join([
        "[ERROR] ValueError: boom: order B-7 is not valid",
        "Traceback (most recent call last):",
        f'{NBSP * 2}File "{path}", line 13, in handler',
        f"{NBSP * 4}return _validate(event)",
        f'{NBSP * 2}File "{path}", line 9, in _validate',
        f'{NBSP * 4}return _parse(event.get("order", "A-1"))',
        f'{NBSP * 2}File "{path}", line 5, in _parse',
        f'{NBSP * 4}raise ValueError("boom: order %s is not valid" % order)',
    ])]
    # A handler's own exception is a normal end for the platform: no Status in REPORT.
    assert report_of(ran).endswith(" MB\t") or report_of(ran).endswith(" ms\t")
    assert "Status:" not in report_of(ran)


def test_unhandled_exception_keeps_the_environment_warm(python_code, run):
    """After a handler exception the next call reuses the same environment."""
    config = fn(python_code, "nested_error.handler")
    run(config)
    again = run(config)
    assert again.cold is False
    assert again.result.init_duration_ms is None


def test_non_serialisable_result_is_a_marshal_error(python_code, run):
    """A datetime in the result gives Runtime.MarshalError with Python's reason and no stack trace."""
    ran = run(fn(python_code, "marshal_error.handler"))
    assert ran.result.error_type == "Runtime.MarshalError"
    assert error_doc(ran) == {
        "errorMessage": "Unable to marshal response: Object of type datetime is not JSON serializable",
        "errorType": "Runtime.MarshalError", "requestId": ran.result.request_id, "stackTrace": []}
    assert ("[ERROR] Runtime.MarshalError: Unable to marshal response: Object of type datetime is not JSON "
            "serializable\rTraceback (most recent call last):") in ran.lines


@pytest.mark.parametrize("event, reason", [
    (b"{not json", "Expecting property name enclosed in double quotes or '}': line 1 column 2 (char 1)"),
    (b'{"a": 1,}', "Illegal trailing comma before end of object: line 1 column 8 (char 7)"),
    (b'{"ratio": NaN}', "Expecting value: line 1 column 11 (char 10)"),
    (b"[1, 2] [3]", "Extra data: line 1 column 8 - line 1 column 11 (char 7 - 10)"),
    (b'"caf\xff"', "'utf-8' codec can't decode byte 0xff in position 4: invalid start byte"),
])
def test_event_that_is_not_json_is_an_unmarshal_error(python_code, run, event, reason):
    """An event body Lambda's parser (simplejson) refuses gives Runtime.UnmarshalError with its reason."""
    ran = run(fn(python_code, "success.handler"), event)
    assert ran.result.error_type == "Runtime.UnmarshalError"
    assert error_doc(ran) == {
        "errorMessage": f"Unable to unmarshal input: {reason}",
        "errorType": "Runtime.UnmarshalError", "requestId": ran.result.request_id, "stackTrace": []}


def test_event_with_a_byte_order_mark_is_read(python_code, run):
    """A UTF-8 byte order mark before the event is skipped, as Lambda's parser does."""
    ran = run(fn(python_code, "success.handler"), b'\xef\xbb\xbf{"order": "A-1"}')
    assert json.loads(ran.result.payload)["event"] == {"order": "A-1"}


# --- Errors while loading the handler (init errors) ------------------------------------------------

INIT_ERRORS = [
    ("import_error.handler", "Runtime.ImportModuleError",
     "Unable to import module 'import_error': No module named 'workbench_fixture_missing_package'"),
    ("no_handler.handler", "Runtime.HandlerNotFound", "Handler 'handler' missing on module 'no_handler'"),
    ("success", "Runtime.MalformedHandlerName",
     "Bad handler 'success': not enough values to unpack (expected 2, got 1)"),
    ("sys.handler", "Runtime.BuiltInModuleConflict", "Cannot use built-in module sys as a handler module"),
    ("missing_module.handler", "Runtime.ImportModuleError",
     "Unable to import module 'missing_module': No module named 'missing_module'"),
]


@pytest.mark.parametrize("handler, error_type, message", INIT_ERRORS)
def test_init_errors_have_lambdas_type_and_message(python_code, run, handler, error_type, message):
    """A handler that cannot be loaded fails with Lambda's error type and exact message, requestId ""."""
    ran = run(fn(python_code, handler))
    assert ran.result.status is Status.ERROR
    assert ran.result.error_type == error_type
    assert ran.result.payload == json.dumps(
        {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": []}).encode()


def test_syntax_error_names_the_module_and_line(python_code, run):
    """A module that does not compile: Runtime.UserCodeSyntaxError, with Lambda's 'Line' stack entry."""
    ran = run(fn(python_code, "syntax_error.handler"))
    path = python_code / "syntax_error.py"
    assert ran.result.error_type == "Runtime.UserCodeSyntaxError"
    assert error_doc(ran) == {
        "errorMessage": "Syntax error in module 'syntax_error': expected ':' (syntax_error.py, line 4)",
        "errorType": "Runtime.UserCodeSyntaxError", "requestId": "",
        "stackTrace": [f'  File "{path}" Line 4\n    def handler(event, context)\n']}


def test_exception_at_import_reports_its_own_type(python_code, run):
    """An exception raised while the module loads keeps its class name and message."""
    ran = run(fn(python_code, "import_exception.handler"))
    path = python_code / "import_exception.py"
    doc = error_doc(ran)
    assert ran.result.error_type == "RuntimeError"
    assert (doc["errorType"], doc["errorMessage"], doc["requestId"]) == ("RuntimeError", "settings table is missing", "")
    assert doc["stackTrace"][-2:] == [stack_entry(path, 8, "<module>", "SETTINGS = _load_settings()"),
                                      stack_entry(path, 5, "_load_settings",
                                                  'raise RuntimeError("settings table is missing")')]
    assert not any("/runtimes/python/" in entry for entry in doc["stackTrace"])


def test_init_error_log_sequence(python_code, run):
    """A failed init logs its error and INIT_REPORT twice (Phase: init, then invoke), then START, END, REPORT."""
    ran = run(fn(python_code, "import_error.handler"))
    rid = ran.result.request_id
    message = "Unable to import module 'import_error': No module named 'workbench_fixture_missing_package'"
    for attempt, phase in ((0, "init"), (3, "invoke")):
        lines = ran.lines[attempt:attempt + 3]
        assert re.fullmatch(rf"\[WARNING\]\t{TIMESTAMP_MS}\t\tLAMBDA_WARNING: Unhandled exception\. The most "
                            r"likely cause is an issue in the function code\. .* see "
                            r"https://docs\.aws\.amazon\.com/lambda/latest/dg/runtimes-update\.html\r", lines[0])
        assert lines[1] == f"[ERROR] Runtime.ImportModuleError: {message}\rTraceback (most recent call last):"
        assert re.fullmatch(rf"INIT_REPORT Init Duration: \d+\.\d{{2}} ms\tPhase: {phase}\tStatus: error\t"
                            r"Error Type: Runtime\.ImportModuleError", lines[2])
    assert ran.lines[6:8] == [f"START RequestId: {rid} Version: $LATEST", f"END RequestId: {rid}"]
    result = ran.result
    assert ran.lines[8:] == [
        f"REPORT RequestId: {rid}\tDuration: {result.duration_ms:.2f} ms\tBilled Duration: "
        f"{result.billed_duration_ms} ms\tMemory Size: 128 MB\tMax Memory Used: {result.max_memory_used_mb} MB\t"
        "Status: error\tError Type: Runtime.ImportModuleError"]
    assert result.init_duration_ms is None
    assert result.duration_ms <= result.billed_duration_ms < result.duration_ms + 1


def test_runtime_exit_during_init_is_an_exit_error(python_code, run):
    """A module that exits while loading: INIT_REPORT and REPORT name Runtime.ExitError with its status."""
    ran = run(fn(python_code, "exit_at_import.handler"))
    rid = ran.result.request_id
    assert ran.result.error_type == "Runtime.ExitError"
    assert ran.result.payload == (
        '{"errorType":"Runtime.ExitError","errorMessage":"RequestId: %s Error: Runtime exited with error: '
        'exit status 2"}' % rid).encode()
    for attempt, phase in ((0, "init"), (2, "invoke")):
        assert ran.lines[attempt] == "giving up while loading"
        assert re.fullmatch(rf"INIT_REPORT Init Duration: \d+\.\d{{2}} ms\tPhase: {phase}\tStatus: error\t"
                            r"Error Type: Runtime\.ExitError", ran.lines[attempt + 1])
    assert ran.lines[4:6] == [f"START RequestId: {rid} Version: $LATEST", f"END RequestId: {rid}"]
    assert report_of(ran).endswith("\tStatus: error\tError Type: Runtime.ExitError")


def test_init_error_is_retried_on_the_next_call(python_code, run):
    """After a failed init the next call starts a new environment, which fails the same way."""
    config = fn(python_code, "import_error.handler")
    run(config)
    ran = run(config)
    assert ran.cold is True
    assert ran.result.error_type == "Runtime.ImportModuleError"


def test_fixing_the_code_after_an_init_error_makes_the_next_call_succeed(python_code, run):
    """Edit the broken module, run again: the new code loads and answers."""
    config = fn(python_code, "import_error.handler")
    assert run(config).result.error_type == "Runtime.ImportModuleError"
    (python_code / "import_error.py").write_text("def handler(event, context):\n    return 'fixed'\n")
    ran = run(config)
    assert ran.result.status is Status.SUCCESS
    assert ran.result.payload == b'"fixed"'


# --- Platform failures -----------------------------------------------------------------------------

def test_timeout_kills_the_environment_and_the_next_call_is_cold(python_code, run):
    """Past its timeout a call ends as Sandbox.Timedout with Lambda's message; the next call starts cold."""
    config = fn(python_code, "faults.handler", timeout_s=1)
    assert run(config).result.payload  # warm it up: the timeout below hits a warm environment
    ran = run(config, {"do": "loop"})
    result = ran.result
    rid = result.request_id
    assert result.status is Status.TIMEOUT
    assert result.error_type == "Sandbox.Timedout"
    assert result.payload == (
        '{"errorMessage":"RequestId: %s Error: Task timed out after 1.00 seconds","errorType":"Sandbox.Timedout"}'
        % rid).encode()
    assert result.duration_ms == 1000.0
    assert result.billed_duration_ms == 1000
    assert report_of(ran) == (f"REPORT RequestId: {rid}\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\t"
                              f"Memory Size: 128 MB\tMax Memory Used: {result.max_memory_used_mb} MB\t"
                              "Status: timeout")
    assert any(line.startswith("runtime pid ") for line in ran.lines)
    after = run(config)
    assert after.cold is True
    assert json.loads(after.result.payload)["calls"] == 1


def test_timeout_on_a_cold_call_bills_the_init_too(python_code, run):
    """A cold call that times out reports Init Duration and bills timeout plus init."""
    ran = run(fn(python_code, "faults.handler", timeout_s=1), {"do": "loop"})
    result = ran.result
    assert result.status is Status.TIMEOUT
    assert result.init_duration_ms is not None
    assert 1000 + result.init_duration_ms <= result.billed_duration_ms < 1000 + result.init_duration_ms + 1
    assert f"Init Duration: {result.init_duration_ms:.2f} ms\tStatus: timeout" in report_of(ran)


def test_out_of_memory_is_reported_and_the_environment_replaced(python_code, run):
    """A handler that grows past its memory size is killed: Runtime.OutOfMemory, next call cold."""
    config = fn(python_code, "faults.handler", memory_mb=128, timeout_s=10)
    ran = run(config, {"do": "allocate", "mb": 300})
    result = ran.result
    rid = result.request_id
    assert result.status is Status.ERROR
    assert result.error_type == "Runtime.OutOfMemory"
    assert json.loads(result.payload) == {
        "errorType": "Runtime.OutOfMemory",
        "errorMessage": f"RequestId: {rid} Error: Runtime exited with error: signal: killed"}
    assert result.max_memory_used_mb == 128
    assert report_of(ran).endswith("\tMemory Size: 128 MB\tMax Memory Used: 128 MB\t"
                                   f"Init Duration: {result.init_duration_ms:.2f} ms\t"
                                   "Status: error\tError Type: Runtime.OutOfMemory")
    after = run(config)
    assert after.cold is True
    assert json.loads(after.result.payload)["calls"] == 1


def test_max_memory_used_is_measured(python_code, run):
    """A small handler uses some memory, below its size; one that holds 60 MB shows 60 MB more."""
    small = run(fn(python_code, "faults.handler", name="small", memory_mb=256)).result
    assert 0 < small.max_memory_used_mb < 256
    big = run(fn(python_code, "faults.handler", name="big", memory_mb=256), {"do": "allocate", "mb": 60}).result
    assert json.loads(big.payload)["held_mb"] == 60
    assert big.max_memory_used_mb >= small.max_memory_used_mb + 55
    assert big.max_memory_used_mb < 256


@pytest.mark.parametrize("event, reason", [
    ({"do": "exit", "status": 3}, "Runtime exited with error: exit status 3"),
    ({"do": "exit", "status": 0}, "Runtime exited without providing a reason"),
    ({"do": "segv"}, "Runtime exited with error: signal: segmentation fault"),
])
def test_runtime_exit_is_an_exit_error_and_the_next_call_is_cold(python_code, run, event, reason):
    """A runtime that exits mid-call gives Runtime.ExitError with Lambda's wording; the next call is cold."""
    config = fn(python_code, "faults.handler")
    run(config)
    ran = run(config, event)
    result = ran.result
    rid = result.request_id
    assert result.error_type == "Runtime.ExitError"
    assert result.payload == (
        '{"errorType":"Runtime.ExitError","errorMessage":"RequestId: %s Error: %s"}' % (rid, reason)).encode()
    assert report_of(ran).endswith("\tStatus: error\tError Type: Runtime.ExitError")
    end = ran.lines.index(f"END RequestId: {rid}")
    if event["do"] == "exit":
        assert ran.lines.index(f"about to exit with status {event['status']}") < end
    after = run(config)
    assert after.cold is True
    assert json.loads(after.result.payload)["calls"] == 1


def test_cancel_kills_the_environment(python_code, run, engine, qtbot):
    """Stopping a running call ends it at once as stopped, kills its process, and the next call is cold."""
    config = fn(python_code, "faults.handler", timeout_s=30)
    first = run(config)
    runtime_pid = json.loads(first.result.payload)["pid"]
    invocation = engine.invoke(config, {"do": "loop"})
    lines = []
    invocation.log_lines.connect(lines.extend)
    qtbot.waitUntil(lambda: f"runtime pid {runtime_pid}" in lines, timeout=10000)
    with qtbot.waitSignal(invocation.finished, timeout=10000) as blocker:
        invocation.cancel()
    result = blocker.args[0]
    assert result.status is Status.ERROR
    assert result.error_type == "Sandbox.Stopped"
    assert json.loads(result.payload)["errorType"] == "Sandbox.Stopped"
    assert f"END RequestId: {result.request_id}" in lines
    qtbot.waitUntil(lambda: not _running(runtime_pid), timeout=5000)
    after = run(config)
    assert after.cold is True
    assert json.loads(after.result.payload)["calls"] == 1


def test_cancel_before_the_call_starts_finishes_it_once(python_code, engine, qtbot):
    """A call stopped while queued still finishes, exactly once, and never runs."""
    config = fn(python_code, "counter.handler")
    invocation = engine.invoke(config, {})
    finished = []
    invocation.finished.connect(finished.append)
    invocation.cancel()
    qtbot.waitUntil(lambda: len(finished) > 0, timeout=5000)
    qtbot.wait(50)
    assert len(finished) == 1
    assert finished[0].error_type == "Sandbox.Stopped"


def test_cancel_during_init_stops_the_call(python_code, engine, qtbot):
    """Stopping a call whose environment is still loading ends it once, with START, END and REPORT."""
    invocation = engine.invoke(fn(python_code, "slow_init.handler", timeout_s=60), {})
    lines = []
    invocation.log_lines.connect(lines.extend)
    qtbot.waitUntil(lambda: "loading slowly" in lines, timeout=10000)
    with qtbot.waitSignal(invocation.finished, timeout=10000) as blocker:
        invocation.cancel()
    result = blocker.args[0]
    rid = result.request_id
    assert result.error_type == "Sandbox.Stopped"
    assert lines[-3:-1] == [f"START RequestId: {rid} Version: $LATEST", f"END RequestId: {rid}"]
    assert lines[-1].endswith("\tStatus: error\tError Type: Sandbox.Stopped")


def test_reset_while_running_stops_the_call(python_code, engine, qtbot):
    """Reset environment during a call stops that call; the next one starts cold."""
    config = fn(python_code, "faults.handler", timeout_s=60)
    invocation = engine.invoke(config, {"do": "loop"})
    lines = []
    invocation.log_lines.connect(lines.extend)
    qtbot.waitUntil(lambda: any(line.startswith("runtime pid ") for line in lines), timeout=10000)
    with qtbot.waitSignal(invocation.finished, timeout=10000) as blocker:
        engine.reset(config.name)
    assert blocker.args[0].error_type == "Sandbox.Stopped"
    assert engine.environment_state(config.name) == "cold"


def test_different_functions_run_side_by_side(python_code, run, engine, qtbot):
    """A long call of one function does not hold up another function's calls."""
    busy = engine.invoke(fn(python_code, "faults.handler", name="busy", timeout_s=60), {"do": "loop"})
    lines = []
    busy.log_lines.connect(lines.extend)
    qtbot.waitUntil(lambda: any(line.startswith("runtime pid ") for line in lines), timeout=10000)
    other = run(fn(python_code, "counter.handler", name="other"))
    assert other.result.status is Status.SUCCESS
    assert busy.result is None  # still running
    with qtbot.waitSignal(busy.finished, timeout=10000):
        busy.cancel()


def test_response_over_the_size_limit_fails_the_call(python_code, run):
    """A response one byte over 6,291,556 fails with Function.ResponseSizeTooLarge; at the limit it passes."""
    config = fn(python_code, "big_response.handler", timeout_s=10)
    too_big = run(config, {"size": 6291557}).result
    assert too_big.error_type == "Function.ResponseSizeTooLarge"
    assert json.loads(too_big.payload) == {
        "errorType": "Function.ResponseSizeTooLarge",
        "errorMessage": "Response payload size (6291557 bytes) exceeded maximum allowed payload size "
                        "(6291556 bytes)."}
    at_limit = run(config, {"size": 6291556})
    assert at_limit.result.status is Status.SUCCESS
    assert len(at_limit.result.payload) == 6291556
    # The runtime took the refusal in its stride: same environment, no traceback in the log.
    assert at_limit.cold is False
    assert not any("Traceback" in line for line in at_limit.lines)


def test_request_over_the_size_limit_is_refused_before_running(python_code, run):
    """An event over 6,291,456 bytes is refused like Lambda's Invoke API, and nothing runs."""
    ran = run(fn(python_code, "counter.handler"), b'"' + b"x" * 6291455 + b'"')
    assert ran.result.error_type == "RequestEntityTooLargeException"
    assert ran.cold is None
    assert json.loads(ran.result.payload) == {
        "Message": "6291457 byte payload is too large for the RequestResponse invocation type "
                   "(limit 6291456 bytes)"}


# --- Warm environments -----------------------------------------------------------------------------

def test_warm_calls_reuse_the_same_process(python_code, run):
    """Calls after the first reuse the environment: module state survives, same process."""
    config = fn(python_code, "counter.handler")
    results = [run(config) for _ in range(3)]
    payloads = [json.loads(r.result.payload) for r in results]
    assert [p["calls"] for p in payloads] == [1, 2, 3]
    assert len({p["pid"] for p in payloads}) == 1
    assert [r.cold for r in results] == [True, False, False]


def test_code_change_starts_a_new_environment(python_code, run):
    """Editing the function's code makes the next call cold, running the new code."""
    config = fn(python_code, "counter.handler")
    run(config)
    run(config)
    path = python_code / "counter.py"
    path.write_text(path.read_text().replace('return {"calls": calls', 'return {"edited": True, "calls": calls'))
    ran = run(config)
    assert ran.cold is True
    assert json.loads(ran.result.payload)["calls"] == 1
    assert json.loads(ran.result.payload)["edited"] is True


def test_config_change_starts_a_new_environment(python_code, run):
    """Changing memory or a variable makes the next call cold, as a deploy does."""
    config = fn(python_code, "counter.handler")
    run(config)
    assert run(config).cold is False
    bigger = fn(python_code, "counter.handler", memory_mb=256)
    ran = run(bigger)
    assert ran.cold is True and json.loads(ran.result.payload)["calls"] == 1
    with_variable = fn(python_code, "counter.handler", memory_mb=256, environment=(("STAGE", "prod"),))
    assert run(with_variable).cold is True


def test_reset_discards_the_warm_environment(python_code, run, engine):
    """Reset environment: the next call is cold and module state starts again."""
    config = fn(python_code, "counter.handler")
    pid = json.loads(run(config).result.payload)["pid"]
    engine.reset(config.name)
    ran = run(config)
    assert ran.cold is True
    assert json.loads(ran.result.payload)["calls"] == 1
    assert not _running(pid)


def test_forced_cold_start_option(python_code, run):
    """InvokeOptions(cold=True) starts a new environment even when a warm one exists."""
    config = fn(python_code, "counter.handler")
    run(config)
    ran = run(config, {}, options=InvokeOptions(cold=True))
    assert ran.cold is True
    assert json.loads(ran.result.payload)["calls"] == 1


def test_calls_to_one_function_run_one_at_a_time_in_order(python_code, engine, qtbot):
    """Invokes queued together run one after another in one warm environment, each finishing once."""
    config = fn(python_code, "counter.handler")
    invocations = [engine.invoke(config, {}) for _ in range(5)]
    results = []
    for invocation in invocations:
        invocation.finished.connect(results.append)
    qtbot.waitUntil(lambda: len(results) == 5, timeout=20000)
    assert [json.loads(r.payload)["calls"] for r in results] == [1, 2, 3, 4, 5]
    assert [r.request_id for r in results] == [i.request_id for i in invocations]


# --- Nothing left behind ---------------------------------------------------------------------------

def _stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], fields[19]  # state, start time


def _running(pid, start_time=None):
    """True while pid is a live process (not a zombie) that is still the one first seen."""
    stat = _stat(pid)
    if stat is None or stat[0] in ("Z", "X"):
        return False
    return start_time is None or stat[1] == start_time


def test_children_of_a_timed_out_handler_are_killed(python_code, engine, qtbot):
    """A handler that starts children (in its own session, daemonised too) and loops leaves none behind."""
    # 3 s, not 1: starting five processes can take most of a second on a loaded 2-core machine, and
    # every pid must be printed before the deadline for the test to check them all. At the machine's
    # full CPU for the same reason: at 128 MB Lambda's share is 7% of a CPU.
    config = fn(python_code, "spawner.handler", timeout_s=3, scale_cpu=False)
    invocation = engine.invoke(config, {})
    seen, logged = {}, []

    def note(lines):
        logged.extend(lines)
        for line in lines:
            # The runtime and its children share one pipe, as on Lambda: a child's line can land in the
            # middle of one of the runtime's (print writes the text and its newline apart).
            for match in re.finditer(r"(?:grandchild|child|daemon|runtime) pid (\d+)", line):
                pid = int(match.group(1))
                stat = _stat(pid)
                seen[pid] = stat[1] if stat else None

    invocation.log_lines.connect(note)
    with qtbot.waitSignal(invocation.finished, timeout=20000) as blocker:
        pass
    assert blocker.args[0].error_type == "Sandbox.Timedout"
    # three children, a grandchild, a daemon, and the runtime itself (the log says what was missed)
    assert len(seen) == 6, (seen, logged)
    qtbot.waitUntil(lambda: not any(_running(pid, start) for pid, start in seen.items()), timeout=5000)


def test_shutdown_leaves_no_runtime_running(python_code, run, engine):
    """Closing the engine kills every warm environment."""
    pids = [json.loads(run(fn(python_code, "counter.handler", name=f"fn{i}")).result.payload)["pid"]
            for i in range(3)]
    assert all(_running(pid) for pid in pids)
    engine.shutdown()
    assert not any(_running(pid) for pid in pids)


# --- Runtimes that cannot start --------------------------------------------------------------------

def test_missing_interpreter_is_a_clear_error_on_the_call(python_code, run):
    """An interpreter path that does not exist fails that call with a message saying what to fix."""
    ran = run(fn(python_code, "counter.handler", interpreter="/nonexistent/bin/python3"))
    result = ran.result
    rid = result.request_id
    assert result.status is Status.ERROR
    assert result.error_type == "Runtime.InvalidEntrypoint"
    message = json.loads(result.payload)["errorMessage"]
    assert message.startswith(f"RequestId: {rid} Error: Python interpreter not found: /nonexistent/bin/python3.")
    assert platform_lines(ran) == [
        f"START RequestId: {rid} Version: $LATEST", f"END RequestId: {rid}", report_of(ran)]
    assert report_of(ran).endswith("\tStatus: error\tError Type: Runtime.InvalidEntrypoint")


def test_interpreter_that_cannot_execute_is_a_clear_error(python_code, run, tmp_path):
    """An interpreter file that exists but cannot run fails the call with Runtime.InvalidEntrypoint."""
    broken = tmp_path / "python3"
    broken.write_bytes(b"\x7fELF not really a program")
    broken.chmod(0o755)
    ran = run(fn(python_code, "counter.handler", interpreter=str(broken)))
    assert ran.result.error_type == "Runtime.InvalidEntrypoint"
    assert str(broken) in json.loads(ran.result.payload)["errorMessage"]
    assert report_of(ran).endswith("\tStatus: error\tError Type: Runtime.InvalidEntrypoint")


def test_a_launcher_that_cannot_be_started_fails_the_call_with_its_request_id(python_code, run, monkeypatch, tmp_path):
    """A runtime program the system cannot start at all (here: the launcher is gone) fails the call as
    Lambda's fork/exec does, naming the program and the call's request id."""
    from workbench.core.runtime_launch import LaunchCommand
    from workbench.engine import environment_group

    gone = tmp_path / "gone" / "launcher"
    monkeypatch.setattr(environment_group.EnvironmentGroup, "launch",
                        lambda self, command: LaunchCommand(str(gone), command.arguments))
    ran = run(fn(python_code, "counter.handler"))
    rid = ran.result.request_id
    assert ran.result.error_type == "Runtime.InvalidEntrypoint"
    assert json.loads(ran.result.payload)["errorMessage"] == (
        f"RequestId: {rid} Error: fork/exec {gone}: no such file or directory")
    assert report_of(ran).endswith("\tStatus: error\tError Type: Runtime.InvalidEntrypoint")


def test_engine_still_works_after_a_failed_start(python_code, run):
    """A failed start does not break the engine: the same function with a good interpreter runs."""
    assert run(fn(python_code, "counter.handler", interpreter="/nonexistent/python")).result.error_type
    ran = run(fn(python_code, "counter.handler"))
    assert ran.result.status is Status.SUCCESS


def test_environment_is_frozen_between_calls(python_code, run, qtbot):
    """Like Lambda, a warm environment is frozen between calls: a thread the handler left behind does not
    run while no call is in progress (it would tick about 50 times in the second of waiting)."""
    config = fn(python_code, "background.handler")
    first = json.loads(run(config).result.payload)["ticks"]
    qtbot.wait(1000)
    second = json.loads(run(config).result.payload)["ticks"]
    assert second - first < 25
