"""Python functions that fail: Lambda's error documents and log lines for handler, init and runtime start errors."""

import json
import re

import pytest

from workbench.core.function.invocation_result import Status
from python_functions import TIMESTAMP_MS, fn, platform_lines, report_of, stack_entry

NBSP = "\u00a0"


def error_doc(ran):
    return json.loads(ran.result.payload)


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
    """The [ERROR] event is one log entry (one record on the telemetry descriptor, its parts joined by
    newlines, as awslambdaric writes it there), indentation turned into U+00A0."""
    ran = run(fn(python_code, "nested_error.handler"), {"order": "B-7"})
    path = python_code / "nested_error.py"
    errors = [line for line in ran.lines if line.startswith("[ERROR]")]
    assert errors == ["\n".join([
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
            "serializable\nTraceback (most recent call last):") in ran.lines


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
        assert lines[1] == f"[ERROR] Runtime.ImportModuleError: {message}\nTraceback (most recent call last):"
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
    from workbench.core.child.runtime_launch import LaunchCommand
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
