"""The Java runtimes with the real JDK: handler forms, method selection, serialization, Context and
faults, in the words and shapes of Amazon's Java runtime client for java17 and later (JAVA.md)."""

import json

import pytest

from java_functions import java_code, java_config  # noqa: F401 (java_code: the shared fixture)
from workbench.core.function.invocation_result import Status


def _payload(ran):
    return json.loads(ran.result.payload)


def _own_lines(ran):
    return [line for line in ran.lines
            if not line.startswith(("START ", "END ", "REPORT ", "INIT_REPORT ", "[build]", "WARNING: java"))]


def test_class_form_through_a_generic_superclass(java_code, run):
    """`pkg.Class` implementing RequestHandler through a superclass: bound, called, static init once."""
    config = java_config(java_code, "example.Greeter")
    first = run(config, {"name": "Ada"})
    second = run(config, {"name": "Bob"})
    assert _payload(first) == "Hello, Ada (static init ran 1 time)"
    assert _payload(second) == "Hello, Bob (static init ran 1 time)"
    assert first.cold is True and second.cold is False
    assert first.result.init_duration_ms is not None


def test_stream_handler_bytes_are_the_payload_verbatim(java_code, run):
    ran = run(java_config(java_code, "example.Streamer"), {"x": 1})
    assert ran.result.payload == b"not json, verbatim"


@pytest.mark.parametrize("handler, event, expected", [
    ("example.Handlers::greet", b'"hello"', b'"got:hello"'),
    ("example.Handlers::answer", {}, b"42"),
    ("example.Handlers::nothing", {"a": 1}, b"null"),
    ("example.Handlers::echo", {"b": 1, "a": "é"}, '{"b":1,"a":"é","list":[null]}'.encode()),
    ("example.Handlers::overload", {"a": 1}, b'"map with context"'),
    ("example.Handlers::stream", {"a": 1}, b'raw:{"a": 1}'),
    ("example.Handlers::inputOnly", {"a": 1}, b"null"),
])
def test_method_forms_and_their_payloads(java_code, run, handler, event, expected):
    """Each accepted method shape; Map keys in input order, a null map value omitted, a null list item kept;
    the overload with more parameters (Context counting one more) wins; non-ASCII raw UTF-8."""
    ran = run(java_config(java_code, handler), event)
    assert ran.result.status is Status.SUCCESS, ran.text
    assert ran.result.payload == expected


def test_pojo_round_trip_with_lambdas_mapper(java_code, run):
    """A POJO in and out: single value as list, unknown keys ignored, nulls left out, Date as millis, Instant
    as decimal seconds, LocalDate as an array, Optional unwrapped, standard bean naming (URL)."""
    ran = run(java_config(java_code, "example.Handlers::order"),
              {"orderId": "A-1", "items": "single", "unknown": True, "paid": True})
    assert ran.result.status is Status.SUCCESS, ran.text
    text = ran.result.payload.decode()
    assert '"instant":1700000000.000005000' in text
    assert json.loads(text) == {
        "orderId": "A-1", "items": ["single"], "status": "confirmed", "paid": True, "date": 1700000000123,
        "instant": 1700000000.000005, "day": [2024, 1, 2], "big": 9007199254740993, "maybe": "x",
        "URL": "https://example.com", "computed": "items:1"}


def test_context_as_lambda_gives_it(java_code, run):
    ran = run(java_config(java_code, "example.Handlers::context"))
    assert _payload(ran) == {
        "requestId": ran.result.request_id, "functionName": "java-fn", "version": "$LATEST", "memory": 1024,
        "arn": "arn:aws:lambda:us-east-1:123456789012:function:java-fn", "logGroup": "/aws/lambda/java-fn",
        "remainingPositive": True, "identityIsNull": True, "clientContextIsNull": True, "sameLogger": True,
        "contextLoader": True}


def test_handler_exception_payload_and_log_inside_the_invocation(java_code, run):
    """The error body (no cause, reflection frames kept), and the fault log written after /error landing
    before END."""
    ran = run(java_config(java_code, "example.Handlers::boom"), {})
    assert ran.result.status is Status.ERROR
    assert ran.result.error_type == "java.lang.IllegalStateException"
    body = _payload(ran)
    assert list(body) == ["errorMessage", "errorType", "stackTrace"]
    assert body["errorMessage"] == "bad order"
    assert body["stackTrace"][0].startswith("example.Handlers.boom(Handlers.java:")
    assert any(frame.startswith("java.base/java.lang.reflect.Method.invoke(") for frame in body["stackTrace"])
    assert not any("lambdaworkbench" in frame for frame in body["stackTrace"])
    log = "\n".join(_own_lines(ran))
    assert log.startswith("bad order: java.lang.IllegalStateException\njava.lang.IllegalStateException: bad order")
    assert "Caused by: java.lang.IllegalArgumentException: the cause" in log


def test_exception_without_message_is_named_by_its_class(java_code, run):
    ran = run(java_config(java_code, "example.Handlers::quiet"), {})
    assert _payload(ran)["errorMessage"] == "example.Handlers$OrderException"


@pytest.mark.parametrize("handler, body", [
    ("example.Nope", {"errorMessage": "Class not found: example.Nope",
                      "errorType": "java.lang.ClassNotFoundException"}),
    ("example.Handlers::missing", {"errorMessage": "No public method named missing with appropriate method "
                                                   "signature found on class example.Handlers"}),
    ("example.Faults$NotAHandler", {"errorMessage": "Class does not implement an appropriate handler interface: "
                                                    "example.Faults$NotAHandler"}),
    ("example.Handlers::", {"errorMessage": "Invalid handler: `example.Handlers::'"}),
])
def test_non_fatal_faults_fail_every_call_after_a_good_init(java_code, run, handler, body):
    config = java_config(java_code, handler)
    for expected_cold in (True, False):
        ran = run(config)
        assert ran.cold is expected_cold
        assert ran.result.status is Status.ERROR
        assert _payload(ran) == body


@pytest.mark.parametrize("handler, body, log_start", [
    ("example.Faults$BadInit::handle",
     {"errorMessage": "Error loading class example.Faults$BadInit", "errorType": "java.lang.ExceptionInInitializerError"},
     "Error loading class example.Faults$BadInit: java.lang.ExceptionInInitializerError"),
    ("example.Faults$BadConstructor::handle",
     {"errorMessage": "no table name", "errorType": "java.lang.IllegalArgumentException"},
     "no table name: java.lang.IllegalArgumentException"),
])
def test_fatal_init_faults(java_code, run, handler, body, log_start):
    """A static initialiser or constructor that throws fails init: /init/error with Lambda's body, its log."""
    ran = run(java_config(java_code, handler))
    assert ran.result.status is Status.ERROR
    assert _payload(ran) == body
    assert any(line.startswith(log_start) for line in ran.lines)


def test_json_that_does_not_bind(java_code, run):
    ran = run(java_config(java_code, "example.Handlers::greet"), {"not": "a string"})
    assert _payload(ran) == {"errorMessage": "An error occurred during JSON parsing",
                             "errorType": "java.lang.RuntimeException", "stackTrace": []}


def test_system_exit_is_a_runtime_exit_error(java_code, run):
    ran = run(java_config(java_code, "example.Handlers::exit"), {})
    assert ran.result.error_type == "Runtime.ExitError"
    assert "exit status 3" in ran.text


def test_out_of_memory_error_is_reported_and_ends_the_environment(java_code, run):
    config = java_config(java_code, "example.Handlers::oom", memory_mb=256)
    ran = run(config, {})
    assert ran.result.error_type == "java.lang.OutOfMemoryError"
    assert _payload(ran)["errorMessage"] == "Java heap space"
    assert run(config, {}).cold is True


def test_logger_text_format_one_call_one_log_entry(java_code, run):
    """LambdaLogger in TEXT format over the telemetry descriptor: each call one entry (no newline needed, a
    multi-line message stays one), a level as a prefix, a level below AWS_LAMBDA_LOG_LEVEL dropped."""
    ran = run(java_config(java_code, "example.Handlers::logs", environment=[("AWS_LAMBDA_LOG_LEVEL", "INFO")]))
    lines = _own_lines(ran)
    # System.out is another pipe: its place among the logger's records is not the runtime's to decide.
    assert [line for line in lines if line != "printed"] == ["a", "b", "first line\nsecond line", "[WARN] careful"]
    assert "printed" in lines


def test_logger_json_format(java_code, run):
    ran = run(java_config(java_code, "example.Handlers::logs", environment=[("AWS_LAMBDA_LOG_FORMAT", "JSON")]))
    records = [json.loads(line) for line in _own_lines(ran) if line.startswith("{")]
    assert [record["message"] for record in records] == ["a", "b", "first line\nsecond line", "careful",
                                                          "fine detail"]
    assert records[0]["level"] == "UNDEFINED" and records[3]["level"] == "WARN"
    assert all(record["AWSRequestId"] == ran.result.request_id for record in records)
    assert list(records[0]) == ["timestamp", "message", "level", "AWSRequestId"]
    assert "printed" in _own_lines(ran)


def test_java_tool_options_are_honoured_and_noticed_in_the_init_log(java_code, run):
    """JAVA_TOOL_OPTIONS reaches the JVM, whose notice lands before START (the init log)."""
    ran = run(java_config(java_code, "example.Handlers::answer",
                          environment=[("JAVA_TOOL_OPTIONS", "-Dorders.table=Orders")]))
    assert ran.result.payload == b"42"
    notice = ran.lines.index("Picked up JAVA_TOOL_OPTIONS: -Dorders.table=Orders")
    assert notice < next(i for i, line in enumerate(ran.lines) if line.startswith("START "))


def test_a_sam_template_with_a_java_maven_function(tmp_path, run):
    """Runtime: java21 and a CodeUri at a Maven project, read as the Python ones are."""
    from workbench.core.workspace.workspace import load_workspace

    project = tmp_path / "orders"
    (project / "src/main/java/example").mkdir(parents=True)
    (project / "pom.xml").write_text("<project/>")
    (project / "src/main/java/example/Hello.java").write_text(
        "package example;\npublic class Hello {\n  public String handle(String name) { return \"Hi \" + name; }\n}\n")
    (tmp_path / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
        "  Orders:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: orders\n"
        "      Handler: example.Hello::handle\n      Runtime: java21\n      MemorySize: 1024\n      Timeout: 20\n")
    config = load_workspace(str(tmp_path)).function("Orders").config
    assert (config.runtime, config.code_dir) == ("java21", str(project))
    ran = run(config, b'"Ada"')
    assert ran.result.payload == b'"Hi Ada"'
