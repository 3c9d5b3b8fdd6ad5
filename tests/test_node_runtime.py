"""The Node.js runtimes (nodejs18.x-24.x) through the real engine: responses, callbacks, the context and logging."""

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from workbench.core.function.invocation_result import Status
from workbench.engine.engine import InvokeOptions
from node_functions import needs_node, node_function

pytestmark = needs_node

LEGACY_RUNTIMES = ("nodejs18.x", "nodejs20.x", "nodejs22.x")
INTRO_RESPONSE = b'{"statusCode":200,"body":"\\"Email sent successfully!\\""}'
CALLBACK_WARNING = (
    "AWS Lambda plans to remove support for callback-based function handlers starting with Node.js 24. You will "
    "need to update this function to use an async handler to use Node.js 24 or later. For more information and to "
    "provide feedback on this change, see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client/issues/137."
    " To disable this warning, set the AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING environment variable.")


# --- Responses ------------------------------------------------------------------------------------


@pytest.mark.parametrize("runtime", [*LEGACY_RUNTIMES, "nodejs24.x"])
def test_introductory_example_returns_exactly_its_response(code, invoke, runtime):
    """The introductory example returns {statusCode: 200, body: "\"Email sent successfully!\""} on every version."""
    ran = invoke(node_function(code, "intro.handler", runtime), {"to": "ada@example.com"})
    assert ran.result.succeeded
    assert ran.result.payload == INTRO_RESPONSE
    # This machine has only Node.js 20: another version's runtime says so once, before START.
    notices = [] if runtime == "nodejs20.x" else [f"WARNING: {runtime} requested; running on Node.js 20."]
    assert [line[:len(notice)] for line, notice in zip(ran.lines, notices)] == notices
    assert ran.lines[len(notices)].startswith("START RequestId: ")
    assert ran.app_lines() == [(ran.result.request_id, "INFO", 'Sending confirmation for {"to":"ada@example.com"}')]
    assert ran.lines[-2] == f"END RequestId: {ran.result.request_id}"
    assert ran.lines[-1].startswith(f"REPORT RequestId: {ran.result.request_id}\tDuration: ")


def test_warm_invocations_reuse_the_process(code, invoke):
    """The second call runs in the same node process: module state survives and no init is reported."""
    config = node_function(code, "faults.handler")
    first, second = invoke(config), invoke(config)
    assert first.doc["calls"] == 1 and second.doc["calls"] == 2
    assert first.doc["pid"] == second.doc["pid"]
    assert first.result.init_duration_ms is not None and second.result.init_duration_ms is None
    assert "\tInit Duration: " in first.lines[-1] and "Init Duration" not in second.lines[-1]


def test_code_change_starts_a_new_environment(code, invoke):
    """Editing the handler file makes the next call cold, as a deploy does."""
    config = node_function(code, "faults.handler")
    first = invoke(config)
    source = code / "faults.js"
    source.write_text(source.read_text() + "\n// edited\n")
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 1_000_000_000))
    second = invoke(config)
    assert second.doc["calls"] == 1 and second.doc["pid"] != first.doc["pid"]
    assert second.result.init_duration_ms is not None


@pytest.mark.parametrize("handler, expected", [
    ("esm.handler", {"module": "esm", "hasRequire": False, "file": "esm.mjs"}),
    ("common.handler", {"module": "commonjs", "hasRequire": True, "file": "common.cjs"}),
    ("esm_pkg/app.handler", {"module": "esm", "hasRequire": False}),
    ("src/handlers/order.handler", {"orderId": 7, "where": "src/handlers"}),
    ("src/handlers/order.nested.deeper", "found by a dotted export path"),
])
def test_handler_resolution_finds_every_module_kind(code, invoke, handler, expected):
    """.mjs, .cjs, a type-module package, nested folders and dotted export paths all load."""
    ran = invoke(node_function(code, handler), {"orderId": 7})
    assert ran.result.succeeded, ran.result.payload
    assert ran.doc == expected


def test_es_module_syntax_in_a_commonjs_js_file_is_a_syntax_error(code, invoke):
    """export in a .js file without "type": "module" fails init with Runtime.UserCodeSyntaxError."""
    (code / "wrong_kind.js").write_text("export const handler = async () => 'never';\n")
    ran = invoke(node_function(code, "wrong_kind.handler"))
    assert ran.result.error_type == "Runtime.UserCodeSyntaxError"
    assert ran.doc["errorMessage"] == "SyntaxError: Unexpected token 'export'"


def test_streaming_handler_returns_what_it_wrote(code, invoke):
    """awslambda.streamifyResponse works; the Invoke API gets the whole streamed body."""
    ran = invoke(node_function(code, "streaming.handler"))
    assert ran.result.succeeded
    assert ran.result.payload == b"streamed hello"


# --- Callbacks and the context's methods (Node 18-22) ---------------------------------------------


@pytest.mark.parametrize("handler, expected", [
    ("handler", {"style": "callback", "got": {"x": 1}}),
    ("callsTwice", "first"),
    ("noArguments", None),
    ("returnsValue", None),
    ("waitsForTimer", {"timer": "fired"}),
    ("doesNotWait", {"waits": False}),
])
def test_callback_handlers(code, invoke, handler, expected):
    """callback(null, result) answers; only the first call counts; a returned value without callback is null."""
    ran = invoke(node_function(code, f"callback.{handler}", timeout_s=3), {"x": 1})
    assert ran.result.succeeded, ran.result.payload
    assert ran.doc == expected


def test_callback_waits_for_the_event_loop_to_empty(code, invoke):
    """With callbackWaitsForEmptyEventLoop true, a pending timer runs before the response, inside the call."""
    ran = invoke(node_function(code, "callback.waitsForTimer"))
    end = ran.lines.index(f"END RequestId: {ran.result.request_id}")
    fired = [i for i, line in enumerate(ran.lines) if line.endswith("\tINFO\ttimer fired before the response")]
    assert fired and fired[0] < end


def test_callback_without_waiting_leaves_the_timer_pending(code, invoke):
    """callbackWaitsForEmptyEventLoop = false answers at once though a 60 s timer is pending; the next call runs."""
    config = node_function(code, "callback.doesNotWait", timeout_s=2)
    assert invoke(config).result.status is Status.SUCCESS
    second = invoke(config)
    assert second.result.succeeded and second.result.init_duration_ms is None


@pytest.mark.parametrize("handler, expected", [
    ("fails", {"errorType": "Error", "errorMessage": "callback error"}),
    ("failsWithString", {"errorType": "string", "errorMessage": "just a string", "trace": []}),
    ("throws", {"errorType": "Error", "errorMessage": "thrown before calling back"}),
])
def test_callback_errors(code, invoke, handler, expected):
    """callback(error) and a synchronous throw post the error at once."""
    ran = invoke(node_function(code, f"callback.{handler}"))
    assert ran.result.error_type == expected["errorType"]
    assert {key: ran.doc[key] for key in expected} == expected


def test_callback_handler_warning(code, invoke):
    """A three-argument non-async handler logs the deprecation warning at init (request id undefined)."""
    ran = invoke(node_function(code, "callback.handler"))
    assert ("undefined", "WARN", CALLBACK_WARNING) in ran.app_lines()
    quiet = invoke(node_function(code, "callback.handler", name="quiet",
                                 environment={"AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING": "1"}))
    assert not [line for line in quiet.lines if "plans to remove support" in line]
    assert not [line for line in invoke(node_function(code, "intro.handler")).lines if "plans to remove" in line]


@pytest.mark.parametrize("handler, expected", [
    ("succeeds", {"via": "succeed"}),
    ("done", {"via": "done"}),
    ("succeedsTwice", "first"),
])
def test_context_succeed_and_done(code, invoke, handler, expected):
    """context.succeed and context.done answer at once, even with a pending timer; the first call counts."""
    ran = invoke(node_function(code, f"context_methods.{handler}", timeout_s=3))
    assert ran.result.succeeded
    assert ran.doc == expected


@pytest.mark.parametrize("handler, expected", [
    ("fails", {"errorType": "Error", "errorMessage": "failed through the context"}),
    ("failsWithNothing", {"errorType": "string", "errorMessage": "handled", "trace": []}),
    ("doneWithError", {"errorType": "Error", "errorMessage": "done with an error"}),
])
def test_context_fail(code, invoke, handler, expected):
    """context.fail(error), context.fail() and context.done(error) post errors."""
    ran = invoke(node_function(code, f"context_methods.{handler}"))
    assert {key: ran.doc[key] for key in expected} == expected


# --- The context object ---------------------------------------------------------------------------


def test_context_object(code, invoke):
    """Every context property carries Lambda's value; memoryLimitInMB is a string; the trace id is forwarded."""
    config = node_function(code, "context_dump.handler", "nodejs22.x", name="orders", memory_mb=256, timeout_s=5)
    ran = invoke(config, options=InvokeOptions(client_context={"custom": {"tenant": "acme"}}))
    doc = ran.doc
    assert doc["keys"] == [
        "callbackWaitsForEmptyEventLoop", "succeed", "fail", "done", "functionVersion", "functionName",
        "memoryLimitInMB", "logGroupName", "logStreamName", "clientContext", "identity", "invokedFunctionArn",
        "awsRequestId", "tenantId", "getRemainingTimeInMillis"]
    assert doc["awsRequestId"] == ran.result.request_id
    assert doc["functionName"] == "orders" and doc["functionVersion"] == "$LATEST"
    assert doc["memoryLimitInMB"] == "256" and doc["memoryLimitType"] == "string"
    assert doc["invokedFunctionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:orders"
    assert doc["logGroupName"] == "/aws/lambda/orders"
    assert re.fullmatch(r"\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}", doc["logStreamName"])
    assert doc["identity"] is None and doc["clientContext"] == {"custom": {"tenant": "acme"}}
    assert doc["remainingType"] == "number" and 0 < doc["remaining"] <= 5000
    assert doc["callbackWaitsForEmptyEventLoop"] is True and doc["succeedType"] == "function"
    assert doc["traceEnv"].startswith("Root=1-")
    assert doc["executionEnv"] == "AWS_Lambda_nodejs22.x"
    assert doc["cwd"] == str(code)


def test_nodejs24_context_has_no_callback_members(code, invoke):
    """On nodejs24.x the context has data fields and xRayTraceId, but no succeed/fail/done."""
    doc = invoke(node_function(code, "context_dump.handler", "nodejs24.x")).doc
    assert "succeed" not in doc["keys"] and "callbackWaitsForEmptyEventLoop" not in doc["keys"]
    assert doc["succeedType"] == "undefined" and doc["callbackWaitsForEmptyEventLoop"] is None
    assert doc["xRayTraceId"].startswith("Root=1-") and doc["xRayTraceId"] == doc["traceEnv"]


# --- Node.js 24 differences -----------------------------------------------------------------------


def test_nodejs24_refuses_callback_handlers(code, invoke):
    """A three-argument handler fails init on nodejs24.x with Runtime.CallbackHandlerDeprecated."""
    ran = invoke(node_function(code, "callback.handler", "nodejs24.x"))
    assert ran.result.error_type == "Runtime.CallbackHandlerDeprecated"
    assert ran.doc["errorMessage"] == (
        "ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. "
        "You need to modify this function to use a supported handler signature to use Node.js 24 or later. For "
        "more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.")
    assert any(rid == "-" and m.startswith('Init Error \t{"errorType":"Runtime.CallbackHandlerDeprecated"')
               for rid, _, m in ran.app_lines())


@pytest.mark.parametrize("runtime, expected", [("nodejs20.x", None), ("nodejs24.x", {"sync": True})])
def test_sync_return_value(code, invoke, runtime, expected):
    """A plain handler's return value is ignored up to nodejs22.x and is the response on nodejs24.x."""
    ran = invoke(node_function(code, "sync.handler", runtime))
    assert ran.result.succeeded and ran.doc == expected


# --- Logging --------------------------------------------------------------------------------------


@pytest.mark.parametrize("runtime, init_id", [("nodejs20.x", "undefined"), ("nodejs24.x", "-")])
def test_console_methods_write_lambda_log_lines(code, invoke, runtime, init_id):
    """Each console method writes <time>\\t<request id>\\t<LEVEL>\\t<message>; a multi-line message is one
    event (a framed record on the telemetry descriptor)."""
    ran = invoke(node_function(code, "console_levels.handler", runtime))
    rid = ran.result.request_id
    lines = ran.app_lines()
    assert lines[0] == (init_id, "INFO", "loaded at init")
    assert lines[1:10] == [
        (rid, "INFO", "log line { n: 1 }"), (rid, "INFO", "info line"), (rid, "WARN", "warn line"),
        (rid, "ERROR", "error line"), (rid, "DEBUG", "debug line"), (rid, "TRACE", "trace line"),
        (rid, "FATAL", "fatal line"), (rid, "INFO", "first\nsecond"), (rid, "INFO", "{ structured: true, count: 2 }")]
    assert lines[10][2].startswith("failed with Error: logged error\n    at ")


def test_log_level_filters_console_methods(code, invoke):
    """AWS_LAMBDA_LOG_LEVEL=WARN drops log, info, debug and trace."""
    ran = invoke(node_function(code, "console_levels.handler", environment={"AWS_LAMBDA_LOG_LEVEL": "WARN"}))
    assert {level for _, level, _ in ran.app_lines()} == {"WARN", "ERROR", "FATAL"}


def test_json_log_format(code, invoke):
    """AWS_LAMBDA_LOG_FORMAT=JSON writes one JSON object per call; a single object stays structured."""
    ran = invoke(node_function(code, "console_levels.handler", environment={"AWS_LAMBDA_LOG_FORMAT": "JSON"}))
    records = [json.loads(line) for line in ran.lines if line.startswith("{")]
    assert records[0] == {"timestamp": records[0]["timestamp"], "level": "INFO", "message": "loaded at init"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", records[0]["timestamp"])
    by_message = {json.dumps(r["message"]): r for r in records[1:]}
    assert by_message['"warn line"']["level"] == "WARN"
    assert by_message['"warn line"']["requestId"] == ran.result.request_id
    assert by_message['{"structured": true, "count": 2}']["level"] == "INFO"
    assert by_message['"first\\nsecond"']["level"] == "INFO"
    failed = [r for r in records if str(r["message"]).startswith("failed with")][0]
    assert failed["errorType"] == "Error" and failed["errorMessage"] == "logged error"
    assert failed["stackTrace"][0] == "Error: logged error"


def test_json_log_format_logs_invoke_errors_as_objects(code, invoke):
    """In JSON format an Invoke Error is logged as the error object itself."""
    ran = invoke(node_function(code, "faults.handler", environment={"AWS_LAMBDA_LOG_FORMAT": "JSON"}),
                 {"do": "throw"})
    record = json.loads([line for line in ran.lines if line.startswith("{")][-1])
    assert record["level"] == "ERROR" and record["requestId"] == ran.result.request_id
    assert record["message"]["errorType"] == "Error"
    assert record["message"]["errorMessage"] == "boom from the handler"
    assert record["message"]["stackTrace"][0] == "Error: boom from the handler"


# --- The bundled sample ---------------------------------------------------------------------------

SAMPLE = Path(__file__).resolve().parent.parent / "resources" / "sample_workspace"
SAMPLE_ENVIRONMENT = {"STORE_NAME": "Workbench Books", "CURRENCY": "USD", "EMAIL_API_TOKEN": "dummy-token",
                      "SENDER_EMAIL": "orders@workbench-books.example"}


@pytest.mark.skipif(not os.path.isdir(os.path.join(os.environ["LAMBDA_WORKBENCH_CACHE"], "sdk", "nodejs22.x",
                                                   "node_modules", "@aws-sdk", "client-ses")),
                    reason="the JS SDK clients .ci/run installs are absent")
def test_sample_node_function_confirms_an_order_and_fails_on_purpose(invoke, engine, tmp_path):
    """The sample's Node.js order confirmation, in local mode, imports @aws-sdk/client-ses without packaging
    it (Lambda provides the SDK), sends the confirmation to the Outbox, answers 200 for new-order and fails
    for missing-email."""
    from workbench.core.services.settings import LocalServices
    from workbench.engine.services_client import ServicesClient
    from workbench.engine.services_host import find_host, stop_host

    workspace = tmp_path / "sample"
    shutil.copytree(SAMPLE, workspace, ignore=shutil.ignore_patterns(".workbench"))
    engine.builder.set_aws(None, "us-east-1", {}, LocalServices(str(workspace), "us-east-1"))
    config = node_function(workspace / "order_confirmation_node", "index.handler", "nodejs22.x",
                           name="OrderConfirmationNode", environment=SAMPLE_ENVIRONMENT)
    presets = workspace / "events" / "OrderConfirmationNode"
    try:
        ok = invoke(config, json.loads((presets / "new-order.json").read_text()))
        [mail] = ServicesClient(find_host(workspace)).outbox()
    finally:
        stop_host(workspace)
    assert (mail["from"], mail["to"], mail["subject"]) == (
        "Workbench Books <orders@workbench-books.example>", ["maria.garcia@example.com"],
        "Your order ORD-2001 is confirmed")
    assert "Total: 59.99 USD" in mail["text"]
    assert ok.result.succeeded
    assert ok.doc["statusCode"] == 200
    assert json.loads(ok.doc["body"]) == {
        "message": "Thank you for your order at Workbench Books!", "order_id": "ORD-2001",
        "email": "maria.garcia@example.com", "item_count": 3, "total": "59.99", "currency": "USD"}
    failed = invoke(config, json.loads((presets / "missing-email.json").read_text()))
    assert failed.result.error_type == "Error"
    assert failed.doc["errorMessage"] == "Missing required field 'customer.email' in the order event"
