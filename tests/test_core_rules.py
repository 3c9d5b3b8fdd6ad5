"""Lambda's rules as pure functions: billing, cost, platform log lines, exit wording, line splitting,
the child environment and configuration validation."""

import datetime
import re
import signal

import pytest

from workbench.core.lambda_rules.billing import billed_duration_ms, gb_seconds, invocation_cost_usd
from workbench.core.child.process_variables import RESERVED_KEYS, build_environment
from workbench.core.function.function_config import (
    FunctionConfig,
    validate_config,
    validate_memory,
    validate_timeout,
)
from workbench.core.function.invocation_result import InvocationResult, Status
from workbench.core.lambda_rules.lambda_errors import (
    exit_error_payload,
    out_of_memory_payload,
    response_too_large_payload,
    runtime_exit_reason,
    timeout_payload,
)
from workbench.core.text.line_splitter import LineSplitter
from workbench.core.lambda_rules.log_lines import end_line, init_report_line, report_line, start_line

REQUEST_ID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"


def _result(**changes):
    values = dict(request_id=REQUEST_ID, status=Status.SUCCESS, payload=b"null", error_type=None,
                  platform_error_type=None, duration_ms=31414.74, billed_duration_ms=31964,
                  init_duration_ms=548.72, memory_size_mb=2048, max_memory_used_mb=273)
    values.update(changes)
    return InvocationResult(**values)


# --- Billing and cost ------------------------------------------------------------------------------

@pytest.mark.parametrize("duration, init, billed", [
    (31414.74, 548.72, 31964),   # a 2026 REPORT line: 31963.46 rounds up
    (1233.96, 463.512, 1698),    # a 2026 JSON platform.report record: 1697.472 rounds up
    (13.37, None, 14),           # a warm call: no init to add
    (13.0, None, 13),            # a whole number stays as it is
    (0.01, None, 1),             # anything above zero bills at least 1 ms
    (1000.0, 0.0, 1000),
])
def test_billed_duration_is_duration_plus_init_rounded_up_to_the_millisecond(duration, init, billed):
    """Billed Duration is ceil(Duration + Init Duration), as in Lambda's own REPORT lines."""
    assert billed_duration_ms(duration, init) == billed


def test_billed_duration_ignores_float_noise():
    """A sum that is whole but for float noise is billed as the whole number a reader sees."""
    assert billed_duration_ms(0.1 + 0.2, 13.7) == 14
    assert billed_duration_ms(10.1, 3.9) == 14


def test_cost_uses_the_price_of_each_architecture():
    """One call costs GB-seconds at the architecture's price plus $0.20 per million requests."""
    assert gb_seconds(128, 1000) == 0.125
    assert invocation_cost_usd(128, 1000, "x86_64") == pytest.approx(0.125 * 0.0000166667 + 0.2e-6, rel=1e-12)
    assert invocation_cost_usd(128, 1000, "arm64") == pytest.approx(0.125 * 0.0000133334 + 0.2e-6, rel=1e-12)
    assert invocation_cost_usd(128, 1000, "arm64") < invocation_cost_usd(128, 1000, "x86_64")
    # A million 1-second calls at 1 GB on x86_64: $16.67 of compute plus $0.20 of requests.
    assert invocation_cost_usd(1024, 1000) * 1_000_000 == pytest.approx(16.8667, abs=1e-4)


def test_cost_of_a_call_that_billed_nothing_is_the_request_charge():
    """A call that never ran still costs its request."""
    assert invocation_cost_usd(128, 0) == pytest.approx(0.2e-6, rel=1e-12)


# --- Platform log lines ----------------------------------------------------------------------------

def test_start_and_end_lines_match_lambda():
    """START has a single space before Version; END is just the request id."""
    assert start_line(REQUEST_ID) == f"START RequestId: {REQUEST_ID} Version: $LATEST"
    assert end_line(REQUEST_ID) == f"END RequestId: {REQUEST_ID}"


def test_report_line_of_a_cold_success_ends_with_a_tab():
    """A cold success lists the figures TAB-separated, Init Duration last, then a trailing TAB."""
    assert report_line(_result()) == (
        f"REPORT RequestId: {REQUEST_ID}\tDuration: 31414.74 ms\tBilled Duration: 31964 ms\t"
        "Memory Size: 2048 MB\tMax Memory Used: 273 MB\tInit Duration: 548.72 ms\t")


def test_report_line_of_a_warm_success_has_no_init_duration():
    """A warm call's REPORT has no Init Duration and still ends with a TAB."""
    line = report_line(_result(duration_ms=19266.38, billed_duration_ms=19267, init_duration_ms=None,
                               memory_size_mb=2688, max_memory_used_mb=2581))
    assert line == (f"REPORT RequestId: {REQUEST_ID}\tDuration: 19266.38 ms\tBilled Duration: 19267 ms\t"
                    "Memory Size: 2688 MB\tMax Memory Used: 2581 MB\t")


def test_report_line_of_a_timeout_ends_with_its_status():
    """A timeout's REPORT ends with Status: timeout and no trailing TAB."""
    line = report_line(_result(status=Status.TIMEOUT, error_type="Sandbox.Timedout",
                               platform_error_type="Sandbox.Timedout", duration_ms=180000.0,
                               billed_duration_ms=180000, init_duration_ms=None, memory_size_mb=1280,
                               max_memory_used_mb=1201))
    assert line == (f"REPORT RequestId: {REQUEST_ID}\tDuration: 180000.00 ms\tBilled Duration: 180000 ms\t"
                    "Memory Size: 1280 MB\tMax Memory Used: 1201 MB\tStatus: timeout")


def test_report_line_of_a_platform_error_names_the_error_type():
    """A runtime that died reports Status: error and its Error Type, after Init Duration."""
    line = report_line(_result(status=Status.ERROR, error_type="Runtime.ExitError",
                               platform_error_type="Runtime.ExitError", duration_ms=133.61,
                               billed_duration_ms=214, init_duration_ms=80.0, memory_size_mb=128,
                               max_memory_used_mb=31))
    assert line == (f"REPORT RequestId: {REQUEST_ID}\tDuration: 133.61 ms\tBilled Duration: 214 ms\t"
                    "Memory Size: 128 MB\tMax Memory Used: 31 MB\tInit Duration: 80.00 ms\t"
                    "Status: error\tError Type: Runtime.ExitError")


def test_report_line_of_a_handler_exception_looks_like_a_success():
    """An exception the runtime reported is a normal end for the platform: no Status field."""
    line = report_line(_result(status=Status.ERROR, error_type="ValueError", init_duration_ms=None,
                               duration_ms=2.5, billed_duration_ms=3, memory_size_mb=128, max_memory_used_mb=40))
    assert line == (f"REPORT RequestId: {REQUEST_ID}\tDuration: 2.50 ms\tBilled Duration: 3 ms\t"
                    "Memory Size: 128 MB\tMax Memory Used: 40 MB\t")


def test_init_report_lines_match_lambda():
    """INIT_REPORT carries the phase, the status and, for errors, the error type."""
    assert init_report_line(137.69, "init", Status.ERROR, "Runtime.ImportModuleError") == (
        "INIT_REPORT Init Duration: 137.69 ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError")
    assert init_report_line(1236.04, "init", Status.TIMEOUT, "Sandbox.Timedout") == (
        "INIT_REPORT Init Duration: 1236.04 ms\tPhase: init\tStatus: timeout")


# --- How a runtime ended ---------------------------------------------------------------------------

@pytest.mark.parametrize("exit_code, signal_number, reason", [
    (0, None, "Runtime exited without providing a reason"),
    (1, None, "Runtime exited with error: exit status 1"),
    (3, None, "Runtime exited with error: exit status 3"),
    (None, signal.SIGKILL, "Runtime exited with error: signal: killed"),
    (None, signal.SIGSEGV, "Runtime exited with error: signal: segmentation fault"),
    (None, signal.SIGABRT, "Runtime exited with error: signal: aborted"),
    (None, signal.SIGTERM, "Runtime exited with error: signal: terminated"),
])
def test_runtime_exit_reason_uses_lambdas_words(exit_code, signal_number, reason):
    """Exit statuses and signals read as Lambda (Go) writes them."""
    assert runtime_exit_reason(exit_code, signal_number) == reason


def test_platform_payloads_are_compact_json():
    """Platform failures are compact JSON with the request id inside the message."""
    assert exit_error_payload(REQUEST_ID, 1, None) == (
        '{"errorType":"Runtime.ExitError","errorMessage":"RequestId: %s Error: Runtime exited with error: '
        'exit status 1"}' % REQUEST_ID).encode()
    assert timeout_payload(REQUEST_ID, 1.0) == (
        '{"errorMessage":"RequestId: %s Error: Task timed out after 1.00 seconds","errorType":"Sandbox.Timedout"}'
        % REQUEST_ID).encode()
    assert out_of_memory_payload(REQUEST_ID) == (
        '{"errorType":"Runtime.OutOfMemory","errorMessage":"RequestId: %s Error: Runtime exited with error: '
        'signal: killed"}' % REQUEST_ID).encode()
    assert response_too_large_payload(6291557) == (
        b'{"errorType":"Function.ResponseSizeTooLarge","errorMessage":"Response payload size (6291557 bytes) '
        b'exceeded maximum allowed payload size (6291556 bytes)."}')


# --- Splitting output into lines -------------------------------------------------------------------

def test_line_splitter_keeps_a_multibyte_character_split_across_reads():
    """A character whose bytes arrive in different reads comes out whole, never as U+FFFD."""
    splitter = LineSplitter()
    data = "café 😀 naïve\n".encode("utf-8")
    lines = []
    for byte in data:
        lines += splitter.feed(bytes([byte]))
    assert lines == ["café 😀 naïve"]
    assert splitter.flush() == []


def test_line_splitter_holds_an_unfinished_line_until_flushed():
    """Only complete lines come out of feed; flush hands over the rest."""
    splitter = LineSplitter()
    assert splitter.feed(b"one\ntwo\nthr") == ["one", "two"]
    assert splitter.feed(b"ee") == []
    assert splitter.feed(b"\n\nfour") == ["three", ""]
    assert splitter.flush() == ["four"]
    assert splitter.flush() == []


def test_line_splitter_keeps_carriage_returns_inside_a_line():
    """Python's [ERROR] event joins its lines with CR: it stays one log line."""
    splitter = LineSplitter()
    assert splitter.feed(b"[ERROR] ValueError: boom\rTraceback (most recent call last):\r\xc2\xa0\xc2\xa0File\n") == [
        "[ERROR] ValueError: boom\rTraceback (most recent call last):\r\u00a0\u00a0File"]


def test_line_splitter_replaces_invalid_bytes_and_recovers():
    """Bytes that are not UTF-8 become U+FFFD; the following text is intact."""
    splitter = LineSplitter()
    assert splitter.feed(b"bad \xff byte\nok\n") == ["bad \ufffd byte", "ok"]


def test_line_splitter_flush_completes_a_truncated_character_as_replacement():
    """Output that ends in the middle of a character still shows what arrived."""
    splitter = LineSplitter()
    assert splitter.feed(b"cut \xe2\x82") == []
    assert splitter.flush() == ["cut \ufffd"]


# --- The child environment -------------------------------------------------------------------------

def _config(**changes):
    values = dict(name="orders", handler="app.handler", runtime="python3.12", code_dir="/work/code",
                  memory_mb=256)
    values.update(changes)
    return FunctionConfig(**values)


NOW = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
ENV_ID = "3893e0a17fac4485b47bb75b671a283c"


def _build(config, host_env=None):
    return build_environment(config, "127.0.0.1:40123", host_env or {"PATH": "/usr/bin:/bin"}, ENV_ID,
                             "/opt/runtimes", now=NOW)


def test_environment_has_lambdas_variables():
    """The runtime process gets the variables Lambda sets, with Lambda's values and formats."""
    env = _build(_config())
    assert {k: env[k] for k in (
        "_HANDLER", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR", "TZ", "LANG", "AWS_XRAY_CONTEXT_MISSING", "AWS_XRAY_DAEMON_ADDRESS",
        "_AWS_XRAY_DAEMON_ADDRESS", "_AWS_XRAY_DAEMON_PORT")} == {
        "_HANDLER": "app.handler",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
        "AWS_LAMBDA_FUNCTION_NAME": "orders",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/orders",
        "AWS_LAMBDA_LOG_STREAM_NAME": f"2026/03/04/[$LATEST]{ENV_ID}",
        "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:40123",
        "LAMBDA_TASK_ROOT": "/work/code",
        "LAMBDA_RUNTIME_DIR": "/opt/runtimes",
        "TZ": ":UTC",
        "LANG": "en_US.UTF-8",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
        "_AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129",
        "_AWS_XRAY_DAEMON_PORT": "2000",
    }
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}", env["AWS_LAMBDA_LOG_STREAM_NAME"])
    # Set per invoke by the runtime, or consumed by it on Lambda: never in the starting environment.
    assert "_X_AMZN_TRACE_ID" not in env
    assert "_LAMBDA_TELEMETRY_LOG_FD" not in env


def test_custom_runtime_has_no_execution_env():
    """provided.* runtimes get no AWS_EXECUTION_ENV, as on Lambda."""
    env = _build(_config(runtime="provided.al2023"))
    assert "AWS_EXECUTION_ENV" not in env
    assert env["_HANDLER"] == "app.handler"


def test_user_variables_are_added_but_never_override_reserved_ones():
    """User variables arrive; reserved keys keep Lambda's values; keys starting with _ are dropped."""
    env = _build(_config(environment=(
        ("TABLE_NAME", "orders-table"), ("AWS_REGION", "eu-west-1"), ("AWS_LAMBDA_FUNCTION_NAME", "other"),
        ("_PRIVATE", "x"), ("LAMBDA_TASK_ROOT", "/elsewhere"), ("AWS_LAMBDA_RUNTIME_API", "10.0.0.1:1"))))
    assert env["TABLE_NAME"] == "orders-table"
    assert env["AWS_REGION"] == "us-east-1"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "orders"
    assert env["LAMBDA_TASK_ROOT"] == "/work/code"
    assert env["AWS_LAMBDA_RUNTIME_API"] == "127.0.0.1:40123"
    assert "_PRIVATE" not in env
    assert {"AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME", "LAMBDA_TASK_ROOT", "_HANDLER"} <= RESERVED_KEYS


def test_overridable_variables_take_the_users_value():
    """TZ, LANG, PATH and the log settings are the user's to change."""
    env = _build(_config(environment=(("TZ", ":Europe/Paris"), ("LANG", "C.UTF-8"), ("PATH", "/opt/bin"),
                                      ("AWS_LAMBDA_LOG_LEVEL", "DEBUG"), ("AWS_LAMBDA_LOG_FORMAT", "JSON"))))
    assert (env["TZ"], env["LANG"], env["PATH"]) == (":Europe/Paris", "C.UTF-8", "/opt/bin")
    assert (env["AWS_LAMBDA_LOG_LEVEL"], env["AWS_LAMBDA_LOG_FORMAT"]) == ("DEBUG", "JSON")


def test_loopback_is_never_sent_through_a_proxy():
    """An inherited proxy setting passes through, but 127.0.0.1 is always exempt from it."""
    env = _build(_config(), host_env={"PATH": "/bin", "http_proxy": "http://proxy:3128", "no_proxy": "corp"})
    assert env["http_proxy"] == "http://proxy:3128"
    assert env["no_proxy"].split(",") == ["corp", "127.0.0.1", "localhost"]
    assert env["NO_PROXY"] == env["no_proxy"]


def test_host_variables_outside_the_passthrough_list_stay_out():
    """The developer's shell environment does not leak into the function beyond what it needs."""
    env = _build(_config(), host_env={"PATH": "/bin", "HOME": "/root", "SECRET_TOKEN": "x", "PYTHONPATH": "/x"})
    assert env["HOME"] == "/root"
    assert "SECRET_TOKEN" not in env
    assert "PYTHONPATH" not in env


# --- Configuration validation ----------------------------------------------------------------------

def test_memory_and_timeout_limits_use_lambdas_messages():
    """Out-of-range memory and timeout are refused with Lambda's ValidationException wording."""
    assert validate_memory(128) is None and validate_memory(10240) is None
    assert validate_memory(127).message == (
        "Value '127' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128")
    assert validate_memory(10241).message == (
        "Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240")
    assert validate_timeout(1) is None and validate_timeout(900) is None
    assert validate_timeout(0).message == (
        "Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1")
    assert validate_timeout(901).message == (
        "Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900")
    assert validate_timeout(1.5).message == "Value '1.5' at 'timeout' is not a whole number"
    assert validate_memory(True).message == "Value 'True' at 'memorySize' is not a whole number"


def test_validate_config_lists_every_problem():
    """A config with several bad values gets one message per field; a good one gets none."""
    assert validate_config(_config()) == []
    problems = validate_config(_config(memory_mb=64, timeout_s=1000, runtime="python2.7", architecture="sparc"))
    assert [p.field for p in problems] == ["memorySize", "timeout", "runtime", "architectures"]
    assert problems[2].message.startswith(
        "Value 'python2.7' at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [python3.9, ")
    assert problems[3].message == ("Value 'sparc' at 'architectures' failed to satisfy constraint: "
                                   "Member must satisfy enum value set: [x86_64, arm64]")


def test_handler_is_required_except_for_custom_runtimes():
    """A Python function needs a handler; a custom runtime's bootstrap does not."""
    assert [p.message for p in validate_config(_config(handler=""))] == [
        "Value '' at 'handler' failed to satisfy constraint: Member must have length greater than or equal to 1"]
    assert validate_config(_config(handler="", runtime="provided.al2023")) == []


def test_function_arn_names_region_account_and_function():
    """The ARN a function is invoked as, with Lambda's defaults for region and account."""
    assert _config().function_arn == "arn:aws:lambda:us-east-1:123456789012:function:orders"
    assert _config(region="eu-west-1", account_id="210987654321").function_arn == (
        "arn:aws:lambda:eu-west-1:210987654321:function:orders")


def test_fingerprint_follows_code_edits_and_new_packages(tmp_path):
    """Editing a source file or adding a package changes the fingerprint; an unchanged folder keeps it."""
    import os

    from workbench.core.function.code_fingerprint import code_fingerprint

    (tmp_path / "index.js").write_text("exports.handler = async () => 1;\n")
    (tmp_path / "node_modules" / "left-pad").mkdir(parents=True)
    first = code_fingerprint(str(tmp_path))
    assert code_fingerprint(str(tmp_path)) == first
    (tmp_path / "index.js").write_text("exports.handler = async () => 2;\n")
    os.utime(tmp_path / "index.js", ns=(1, 10**18))
    second = code_fingerprint(str(tmp_path))
    assert second != first
    (tmp_path / "node_modules" / "right-pad").mkdir()
    os.utime(tmp_path / "node_modules", ns=(1, 2 * 10**18))
    assert code_fingerprint(str(tmp_path)) != second
