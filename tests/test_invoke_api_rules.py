"""The Invoke API's own rules, as pure functions: names and ARNs, error shapes, limits, the log tail."""

import base64
import json

from workbench.core.lambda_rules import invoke_api_rules as invoke_api
from workbench.core.lambda_rules.invoke_api_rules import FunctionReference, InvokeApiError


def test_names_arns_and_partial_arns_name_the_function():
    """Every form the API documents resolves to the name (and the qualifier it carries)."""
    parse = invoke_api.parse_function_reference
    assert parse("my-function", None) == FunctionReference("my-function", None, None, None)
    assert parse("my-function:$LATEST", None).qualifier == "$LATEST"
    assert parse("123456789012:function:my-function", None) == FunctionReference(
        "my-function", None, None, "123456789012")
    assert parse("arn:aws:lambda:eu-west-1:123456789012:function:my-function:prod", None) == FunctionReference(
        "my-function", "prod", "eu-west-1", "123456789012")
    assert parse("my-function", "$LATEST").qualifier == "$LATEST"


def test_a_malformed_name_or_clashing_qualifier_is_a_validation_error():
    bad = invoke_api.parse_function_reference("not a name!", None)
    assert isinstance(bad, InvokeApiError) and bad.status == 400 and bad.error_type == "ValidationException"
    assert "at 'functionName' failed to satisfy constraint" in bad.message
    clash = invoke_api.parse_function_reference("fn:one", "two")
    assert clash.error_type == "InvalidParameterValueException"


def test_not_found_names_the_full_arn_with_its_qualifier():
    """The message is the service's: the ARN in the caller's region and account, qualifier appended."""
    reference = invoke_api.parse_function_reference("fn", "7")
    error = invoke_api.not_served_qualifier(reference, "us-east-1", "123456789012")
    assert (error.status, error.error_type) == (404, "ResourceNotFoundException")
    assert error.message == "Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn:7"
    assert invoke_api.not_served_qualifier(invoke_api.parse_function_reference("fn", "$LATEST"),
                                           "us-east-1", "123456789012") is None


def test_error_body_and_header_are_the_services_shape():
    """x-amzn-ErrorType names the exception; the body carries Type and Message (compact JSON)."""
    error = InvokeApiError(404, "ResourceNotFoundException", "Function not found: x")
    assert error.headers()["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert error.body() == b'{"Type":"User","Message":"Function not found: x"}'


def test_payload_limits_follow_the_invocation_type():
    """6,291,456 bytes synchronous, 1,048,576 asynchronous; the message states size, type and limit."""
    assert invoke_api.request_too_large(6291456, "RequestResponse") is None
    over = invoke_api.request_too_large(6291457, "RequestResponse")
    assert over.status == 413 and over.error_type == "RequestEntityTooLargeException"
    assert over.message == ("6291457 byte payload is too large for the RequestResponse invocation type "
                            "(limit 6291456 bytes)")
    assert invoke_api.request_too_large(1048576, "Event") is None
    assert "for the Event invocation type (limit 1048576 bytes)" in invoke_api.request_too_large(1048577, "Event").message


def test_invalid_json_names_line_and_column_and_empty_is_fine():
    error = invoke_api.invalid_json(b'{\n  "a": ,\n}')
    assert error.error_type == "InvalidRequestContentException" and error.status == 400
    assert "line 2 column 8" in error.message
    assert invoke_api.invalid_json(b"") is None
    assert invoke_api.invalid_json(b'"just a string"') is None


def test_log_tail_is_the_last_4_kb_ending_with_report():
    """The tail keeps the end of a long log (REPORT last) and cuts it at 4,096 bytes."""
    lines = [f"line {n:05d} " + "x" * 80 for n in range(200)] + ["REPORT RequestId: abc\tDuration: 1.00 ms\t"]
    tail = base64.b64decode(invoke_api.log_tail(lines))
    assert len(tail) == 4096
    assert tail.endswith(b"REPORT RequestId: abc\tDuration: 1.00 ms\t\n")
    short = base64.b64decode(invoke_api.log_tail(["START x", "END x"]))
    assert short == b"START x\nEND x\n"


def test_retry_delays_are_lambdas_one_and_two_minutes_scalable():
    assert invoke_api.retry_delays() == (60.0, 120.0)
    assert invoke_api.retry_delays(0.01) == (0.6, 1.2)


def test_validation_error_lists_the_allowed_values():
    error = invoke_api.validation_error("invocationType", "Later", invoke_api.INVOCATION_TYPES)
    assert error.message == ("1 validation error detected: Value 'Later' at 'invocationType' failed to satisfy "
                             "constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
    assert json.loads(error.body())["Type"] == "User"
