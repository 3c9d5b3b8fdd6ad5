"""Node.js functions that fail: thrown errors, init failures, crashes, timeouts, memory limits and no node at all."""

import re

import pytest

from workbench.core.function.function_config import FunctionConfig
from workbench.core.function.invocation_result import Status
from node_functions import needs_node, node_function
from processes import process_gone, processes_in

pytestmark = needs_node


# --- Handler errors -------------------------------------------------------------------------------


def test_thrown_error_has_trace_and_an_invoke_error_line(code, invoke):
    """A thrown Error posts {errorType, errorMessage, trace}, logs "Invoke Error \\t{...}" and stays warm."""
    config = node_function(code, "faults.handler")
    ran = invoke(config, {"do": "throw"})
    assert ran.result.status is Status.ERROR and ran.result.error_type == "Error"
    assert list(ran.doc) == ["errorType", "errorMessage", "trace"]
    assert ran.doc["errorMessage"] == "boom from the handler"
    assert ran.doc["trace"][0] == "Error: boom from the handler"
    assert ran.doc["trace"][1].startswith("    at exports.handler (") and "faults.js:" in ran.doc["trace"][1]
    request_id, level, message = ran.app_lines()[-1]
    assert (request_id, level) == (ran.result.request_id, "ERROR")
    assert message.startswith('Invoke Error \t{"errorType":"Error","errorMessage":"boom from the handler",'
                              '"stack":["Error: boom from the handler",')
    assert "Status:" not in ran.lines[-1]  # a function error is no platform failure
    assert invoke(config).doc["calls"] == 2


def test_thrown_string_is_reported_with_its_type(code, invoke):
    """Throwing a string gives errorType "string" and an empty trace."""
    ran = invoke(node_function(code, "faults.handler"), {"do": "throw-string"})
    assert ran.doc == {"errorType": "string", "errorMessage": "plain string thrown", "trace": []}


@pytest.mark.parametrize("handler, error_type, message", [
    ("syntax_error.handler", "Runtime.UserCodeSyntaxError", "SyntaxError: Unexpected end of input"),
    ("missing_export.handler", "Runtime.HandlerNotFound", "missing_export.handler is undefined or not exported"),
    ("not_function.handler", "Runtime.HandlerNotFound", "not_function.handler is not a function"),
    ("index", "Runtime.MalformedHandlerName", "Bad handler"),
    ("../faults.handler", "Runtime.MalformedHandlerName",
     "'../faults.handler' is not a valid handler name. Use absolute paths when specifying root directories in "
     "handler names."),
    ("init_throws.handler", "Error", "failed while loading"),
])
def test_init_failures_use_lambdas_messages(code, invoke, handler, error_type, message):
    """Loading failures post Lambda's error type and message; the log shows an Uncaught Exception during init."""
    # Lambda retries a failed init inside the call, under the function's timeout and CPU share (7% of a CPU
    # at 128 MB): Node.js starting twice needs more than the default 3 s on a busy machine.
    ran = invoke(node_function(code, handler, timeout_s=10))
    assert ran.result.error_type == error_type
    assert ran.doc["errorMessage"] == message
    assert ran.doc["trace"][0].startswith(f"{error_type}: ")
    uncaught = [m for rid, level, m in ran.app_lines() if rid == "undefined" and level == "ERROR"]
    assert uncaught and uncaught[0].startswith(f'Uncaught Exception \t{{"errorType":"{error_type}"')
    # INIT_REPORT keeps only Runtime.* / Function.* types; any other (a plain Error) is Runtime.Unknown there.
    reported = error_type if error_type.startswith(("Runtime.", "Function.")) else "Runtime.Unknown"
    assert any(line.startswith("INIT_REPORT ") and line.endswith(f"Error Type: {reported}") for line in ran.lines)


def test_missing_module_is_an_import_module_error(code, invoke):
    """A handler file that does not exist gives Runtime.ImportModuleError with Node's message."""
    ran = invoke(node_function(code, "nowhere.handler"))
    assert ran.result.error_type == "Runtime.ImportModuleError"
    assert ran.doc["errorMessage"].startswith("Error: Cannot find module 'nowhere'\nRequire stack:\n- ")


def test_unhandled_rejection_fails_the_call_and_ends_the_environment(code, invoke, engine, qtbot):
    """A forgotten rejected promise reports Runtime.UnhandledPromiseRejection; the next call starts cold."""
    config = node_function(code, "faults.handler")
    ran = invoke(config, {"do": "unhandled"})
    assert ran.result.error_type == "Runtime.UnhandledPromiseRejection"
    assert ran.doc["errorMessage"] == "Error: rejected and forgotten"
    assert ran.doc["trace"][0] == "Runtime.UnhandledPromiseRejection: Error: rejected and forgotten"
    assert any(m.startswith('Unhandled Promise Rejection \t{"errorType":"Runtime.UnhandledPromiseRejection",'
                            '"errorMessage":"Error: rejected and forgotten","reason":{"errorType":"Error"')
               for _, _, m in ran.app_lines())
    # Straight away: the call must not be handed to the runtime that is exiting.
    after = invoke(config)
    assert after.doc["calls"] == 1 and after.result.init_duration_ms is not None


def test_uncaught_exception_fails_the_call_and_ends_the_environment(code, invoke, engine, qtbot):
    """An exception thrown from a timer is posted for the call in progress, then the runtime exits."""
    config = node_function(code, "faults.handler")
    ran = invoke(config, {"do": "uncaught"})
    assert ran.result.error_type == "Error"
    assert ran.doc["errorMessage"] == "thrown from a timer"
    assert any(m.startswith('Uncaught Exception \t{"errorType":"Error","errorMessage":"thrown from a timer"')
               for _, _, m in ran.app_lines())
    # Straight away: the call must not be handed to the runtime that is exiting.
    assert invoke(config).doc["calls"] == 1


def test_async_handler_that_never_settles(code, invoke):
    """A promise that never settles, once the event loop is empty, fails with Runtime.NodeJsExit."""
    ran = invoke(node_function(code, "faults.handler"), {"do": "never"})
    assert ran.result.error_type == "Runtime.NodeJsExit"
    assert ran.doc["errorMessage"] == (
        "The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a "
        "Promise that was never settled. For more information, see "
        "https://nodejs.org/docs/latest/api/process.html#exit-codes")


@pytest.mark.parametrize("runtime, error_type", [("nodejs20.x", "Error"), ("nodejs24.x", "Runtime.JSONStringifyError")])
def test_unserialisable_result(code, invoke, runtime, error_type):
    """A circular result cannot be sent: "Unable to stringify response body"."""
    ran = invoke(node_function(code, "faults.handler", runtime), {"do": "circular"})
    assert ran.result.error_type == error_type
    assert ran.doc["errorMessage"] == "Unable to stringify response body"


def test_event_that_is_not_json(code, invoke):
    """An event body that is not JSON fails the call with the parser's SyntaxError."""
    ran = invoke(node_function(code, "faults.handler"), b"not json")
    assert ran.result.error_type == "SyntaxError"
    assert ran.doc["errorMessage"].startswith("Unexpected token")


# --- Crashes and limits ---------------------------------------------------------------------------


def test_process_exit_is_a_runtime_exit_error(code, invoke):
    """process.exit(2) ends the call with Runtime.ExitError and Lambda's words; the next call starts cold."""
    config = node_function(code, "faults.handler")
    ran = invoke(config, {"do": "exit", "status": 2})
    rid = ran.result.request_id
    assert ran.result.error_type == "Runtime.ExitError"
    assert ran.doc == {"errorType": "Runtime.ExitError",
                       "errorMessage": f"RequestId: {rid} Error: Runtime exited with error: exit status 2"}
    assert (rid, "INFO", "about to exit with status 2") in ran.app_lines()
    assert ran.lines[-1].endswith("\tStatus: error\tError Type: Runtime.ExitError")
    assert invoke(config).doc["calls"] == 1


def test_segfault_is_reported_by_signal_name(code, invoke):
    """A runtime killed by SIGSEGV: "Runtime exited with error: signal: segmentation fault"."""
    ran = invoke(node_function(code, "faults.handler"), {"do": "segv"})
    assert ran.doc["errorMessage"].endswith("Error: Runtime exited with error: signal: segmentation fault")


def test_timeout_leaves_no_process_behind(code, invoke, qtbot):
    """After a 1 s timeout the runtime and every child it started (even in its own session) are gone."""
    config = node_function(code, "spawner.handler", timeout_s=1)
    ran = invoke(config)
    assert ran.result.status is Status.TIMEOUT and ran.result.error_type == "Sandbox.Timedout"
    assert ran.doc == {"errorMessage": f"RequestId: {ran.result.request_id} Error: Task timed out after 1.00 seconds",
                       "errorType": "Sandbox.Timedout"}
    assert ran.lines[-1].endswith("\tStatus: timeout")
    pids = [int(p) for p in re.findall(r"(?:child|runtime) pid (\d+)", "\n".join(ran.lines))]
    # SIGKILL has been sent to all of them; wait for the kernel to finish them off.
    qtbot.waitUntil(lambda: all(map(process_gone, pids)) and not processes_in(code), timeout=5_000)


def test_out_of_memory(code, invoke):
    """Allocating ~300 MB in a 128 MB function is killed: Runtime.OutOfMemory, and the next call is cold."""
    config = node_function(code, "faults.handler", memory_mb=128, timeout_s=10)
    ran = invoke(config, {"do": "allocate", "mb": 300})
    assert ran.result.error_type == "Runtime.OutOfMemory"
    assert ran.doc["errorType"] == "Runtime.OutOfMemory"
    assert ran.lines[-1].endswith("\tStatus: error\tError Type: Runtime.OutOfMemory")
    assert invoke(config).doc["calls"] == 1


def test_max_memory_used_counts_the_handlers_buffers(code, invoke):
    """A handler holding 100 MB of Buffers reports Max Memory Used above 100 MB, under the limit."""
    ran = invoke(node_function(code, "faults.handler", memory_mb=512, timeout_s=10), {"do": "allocate", "mb": 100})
    assert ran.result.succeeded and ran.doc["held_mb"] == 100
    assert 100 < ran.result.max_memory_used_mb < 512
    assert f"\tMax Memory Used: {ran.result.max_memory_used_mb} MB\t" in ran.lines[-1]


# --- A machine without node -----------------------------------------------------------------------


def test_missing_node_is_a_clear_error_and_python_still_runs(code, invoke, qapp, tmp_path):
    """With no node on PATH a Node function fails with what to install, and a Python function still works."""
    from workbench.engine.engine import Engine

    empty = tmp_path / "empty-bin"
    empty.mkdir()
    python_code = tmp_path / "py"
    python_code.mkdir()
    (python_code / "app.py").write_text("def handler(event, context):\n    return {'python': 'works'}\n")
    engine = Engine(host_env={"PATH": str(empty), "HOME": str(tmp_path)})
    try:
        node_ran = invoke(node_function(code, "intro.handler"), on=engine)
        assert node_ran.result.error_type == "Runtime.InvalidEntrypoint"
        assert "node was not found on PATH. Install Node.js 18 or later" in node_ran.doc["errorMessage"]
        assert node_ran.lines[-1].endswith("\tStatus: error\tError Type: Runtime.InvalidEntrypoint")
        python_ran = invoke(FunctionConfig(name="py", handler="app.handler", runtime="python3.12",
                                           code_dir=str(python_code)), on=engine)
        assert python_ran.result.succeeded and python_ran.doc == {"python": "works"}
    finally:
        engine.shutdown()
