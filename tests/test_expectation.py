"""Expectation files: every mistake named with line and column, every assertion kind passing and failing,
recording and updating that keep what the user wrote."""

import json
import textwrap

import pytest

from workbench.core.expectations.expectation import ExpectationError, parse_expectation
from workbench.core.expectations.expectation_check import evaluate
from workbench.core.expectations.expectation_record import record_expectation
from workbench.core.function.invocation_result import InvocationResult, Status

RESPONSE = {"statusCode": 200, "headers": {"Content-Type": "application/json"},
            "body": '{"order_id": "ORD-1", "total": "19.90"}', "items": [1, 2, 3], "ok": True,
            "id": "req-123-abc", "price": 19.9}


def result(payload=RESPONSE, error_type=None, duration=12.5, memory=40, cost=2.1e-7, request_id="req-123"):
    return InvocationResult(
        request_id=request_id, status=Status.ERROR if error_type else Status.SUCCESS,
        payload=json.dumps(payload).encode(), error_type=error_type, platform_error_type=None,
        duration_ms=duration, billed_duration_ms=13, init_duration_ms=None, memory_size_mb=128,
        max_memory_used_mb=memory, cost_usd=cost)


def error_result(error_type="ValueError", message="Missing required field 'customer.email' in the order event"):
    return result({"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": ["  File x"]},
                  error_type=error_type)


def check(yaml_text, run=None, log=("START", "Order ORD-1 confirmed", "END")):
    expectation = parse_expectation(textwrap.dedent(yaml_text), "x.expect.yaml").for_function("Fn")
    return evaluate(expectation, run or result(), list(log))


# --- Parsing: line and column -------------------------------------------------------------------

@pytest.mark.parametrize("text, line, column, words", [
    ("outcome: success\nassert: [1, 2\n", 3, 1, "expected ','"),
    ("outcome: sucess\n", 1, 10, "outcome must be 'success' or 'error'"),
    ("outcome: success\nrespone: {}\n", 2, 1, "did you mean 'response'"),
    ("assert:\n  - path: $.a\n    equals: 1\n  - path: $.b\n    matches: '[unclosed'\n", 5, 14, "not a regular expression"),
    ("assert:\n  - path: $.a\n    equals: 1\n    contains: 2\n", 2, 5, "exactly one of"),
    ("assert:\n  - path: body\n    equals: 1\n", 2, 11, "must start with $"),
    ("assert:\n  - path: $..[\n    equals: 1\n", 2, 11, "not a JSON path"),
    ("assert:\n  - path: $.a\n    type: text\n", 3, 11, "type must be one of"),
    ("budget:\n  durationMs: fast\n", 2, 15, "must be a number"),
    ("logs:\n  include: Order\n", 2, 12, "must be a list"),
    ("outcome: success\noutcome: error\n", 2, 1, "duplicate key"),
    ("ignore: [$.id]\n", 1, 1, "no response"),
    ("- outcome\n", 1, 1, "must be a mapping"),
    ("", 1, 1, "empty"),
])
def test_broken_files_are_named_with_line_and_column(text, line, column, words):
    """Each mistake is reported as file:line:column with a message saying what is wrong."""
    with pytest.raises(ExpectationError) as raised:
        parse_expectation(text, "events/Fn/new-order.expect.yaml")
    error = raised.value
    assert (error.line, error.column) == (line, column), str(error)
    assert words in error.message
    assert str(error).startswith(f"events/Fn/new-order.expect.yaml:{line}:{column}: ")


def test_per_function_expectations_replace_the_shared_one():
    """A shared preset's file can say what one function does differently."""
    file = parse_expectation("outcome: error\nerrorType: ValueError\nfunctions:\n  Node:\n    errorType: Error\n")
    assert file.for_function("Py").error_type == "ValueError"
    assert file.for_function("Node").error_type == "Error"


# --- Every assertion kind, passing and failing -------------------------------------------------

def test_outcome_success_and_error_type():
    """outcome: success fails on an error; errorType must match the error's type."""
    assert check("outcome: success\n").passed
    failed = check("outcome: success\n", error_result())
    assert failed.first.startswith("outcome: expected success, got ValueError: Missing required field")
    assert check("outcome: error\nerrorType: ValueError\n", error_result()).passed
    assert check("outcome: error\nerrorType: TypeError\n", error_result()).first.startswith(
        "outcome: expected TypeError, got ValueError")
    assert check("outcome: error\n").first == "outcome: expected an error, but the function succeeded"


def test_without_expectation_success_passes_and_any_error_fails():
    assert evaluate(None, result(), []).passed
    assert not evaluate(None, error_result(), []).passed


def test_whole_response_equal_and_different():
    """The whole response compares as JSON (19.9 == 19.90, 200 == 200.0, true != 1); the first difference names its path."""
    same = dict(RESPONSE, statusCode=200.0)
    assert check(f"response: {json.dumps(same)}\n").passed
    changed = dict(RESPONSE, statusCode=500, ok=1)
    verdict = check(f"response: {json.dumps(changed)}\n")
    assert [d.where for d in verdict.differences] == ["response $.ok", "response $.statusCode"]
    assert verdict.first == "response $.ok: expected integer 1, got boolean true (and 1 more)"
    missing = {k: v for k, v in RESPONSE.items() if k != "price"}
    assert check(f"response: {json.dumps(missing)}\n").first == "response $.price: unexpected 19.9"


def test_ignored_paths_leave_the_comparison():
    other = dict(RESPONSE, id="req-999-zzz")
    assert not check(f"response: {json.dumps(other)}\n").passed
    assert check(f"response: {json.dumps(other)}\nignore: [$.id]\n").passed


@pytest.mark.parametrize("assertion, passes", [
    ("path: $.statusCode\n    equals: 200", True),
    ("path: $.statusCode\n    equals: 201", False),
    ("path: $.ok\n    equals: 1", False),
    ("path: $.body\n    contains: ORD-1", True),
    ("path: $.body\n    contains: ORD-2", False),
    ("path: $.items\n    contains: 2", True),
    ("path: $.items\n    contains: 7", False),
    ("path: $.headers\n    contains: {Content-Type: application/json}", True),
    ("path: $.headers\n    contains: {Content-Type: text/html}", False),
    ("path: $.body\n    matches: '\"total\": \"\\d+\\.\\d\\d\"'", True),
    ("path: $.body\n    matches: '^ORD'", False),
    ("path: $.statusCode\n    matches: '200'", False),
    ("path: $.headers\n    type: object", True),
    ("path: $.items\n    type: array", True),
    ("path: $.price\n    type: number", True),
    ("path: $.statusCode\n    type: integer", True),
    ("path: $.statusCode\n    type: string", False),
    ("path: $.ok\n    type: number", False),
    ("path: $.items[*]\n    type: integer", True),
    ("path: $.nothing\n    type: string", False),
])
def test_json_path_assertions(assertion, passes):
    """equals, contains, matches and type on JSON paths, each passing and failing."""
    verdict = check(f"assert:\n  - {assertion}\n")
    assert verdict.passed is passes, verdict.first
    if not passes:
        assert verdict.differences[0].line == 2
        assert verdict.first.startswith("assert $.")


def test_assertions_on_an_error_payload():
    """The error payload is the response of a failed call: its message can be asserted."""
    text = "outcome: error\nerrorType: ValueError\nassert:\n  - path: $.errorMessage\n    contains: customer.email\n"
    assert check(text, error_result()).passed
    assert not check(text.replace("customer.email", "items"), error_result()).passed


def test_log_lines_must_and_must_not_appear():
    assert check("logs:\n  include: [Order ORD-1 confirmed]\n").passed
    assert check("logs:\n  include:\n    - matches: 'ORD-\\d+ confirmed'\n").passed
    verdict = check("logs:\n  include: [Order ORD-2 confirmed]\n")
    assert verdict.first == 'logs: no line containing "Order ORD-2 confirmed"'
    assert check("logs:\n  exclude: [WARNING]\n").passed
    verdict = check("logs:\n  exclude:\n    - matches: 'ORD-\\d'\n")
    assert verdict.first == 'logs: a line matching /ORD-\\d/ appeared: "Order ORD-1 confirmed"'


def test_budgets():
    """Duration, Max Memory Used and cost per call over their budget fail, naming figure and limit."""
    assert check("budget: {durationMs: 50, maxMemoryUsedMB: 64, costUSD: 0.000001}\n").passed
    assert check("budget: {durationMs: 10}\n").first == "budget durationMs: Duration 12.50 ms is over 10 ms"
    assert check("budget: {maxMemoryUsedMB: 32}\n").first == "budget maxMemoryUsedMB: Max Memory Used 40 MB is over 32 MB"
    assert check("budget: {costUSD: 0.0000001}\n").first == \
        "budget costUSD: cost per call $0.00000021 is over $0.0000001"


# --- Recording and updating --------------------------------------------------------------------

def test_recording_a_success_passes_against_the_same_run_and_ignores_the_request_id():
    run = result(dict(RESPONSE, id="order for req-123"))
    text = record_expectation(run, "events/Fn/new-order.json", "Fn")
    assert text.startswith("# What `lambda-workbench test` expects of events/Fn/new-order.json.")
    file = parse_expectation(text)
    assert file.default.has_response and file.default.ignore == ("$.id",)
    assert evaluate(file.default, run, []).passed
    assert evaluate(file.default, result(dict(RESPONSE, id="order for req-456"), request_id="req-456"), []).passed
    assert not evaluate(file.default, result(dict(RESPONSE, statusCode=500)), []).passed


def test_recording_an_error_keeps_its_type_and_message():
    text = record_expectation(error_result(), "missing-email", "Fn")
    expectation = parse_expectation(text).default
    assert (expectation.outcome, expectation.error_type) == ("error", "ValueError")
    assert [(a.path, a.kind) for a in expectation.assertions] == [("$.errorMessage", "equals")]
    assert evaluate(expectation, error_result(), []).passed
    assert not evaluate(expectation, error_result(message="other"), []).passed


def test_updating_keeps_comments_rules_and_budgets():
    """An update rewrites the recorded parts only: comments, ignore paths, log rules and budgets stay."""
    written = textwrap.dedent("""\
        # Reviewed by the payments team: the total must stay a string.
        outcome: success
        response: {statusCode: 201}
        ignore:
          - $.id   # a new id each call
        assert:
          - path: $.statusCode
            equals: 201
          - path: $.body
            contains: ORD-1
        logs:
          exclude: [Traceback]
        budget:
          durationMs: 500
        """)
    updated = record_expectation(result(), "new-order", "Fn", existing_text=written)
    assert "# Reviewed by the payments team" in updated and "# a new id each call" in updated
    expectation = parse_expectation(updated).default
    assert expectation.response == RESPONSE
    assert expectation.ignore == ("$.id",)
    assert [(a.path, a.kind, a.value) for a in expectation.assertions] == [
        ("$.statusCode", "equals", 200), ("$.body", "contains", "ORD-1")]
    assert [r.text for r in expectation.exclude] == ["Traceback"]
    assert expectation.budgets == (("durationMs", 500.0),)
    assert evaluate(expectation, result(), []).passed


def test_updating_a_shared_preset_records_under_the_function_and_leaves_the_others():
    written = "outcome: error\nerrorType: ValueError\n"
    updated = record_expectation(error_result("Error"), "empty", "Node", existing_text=written, shared_by=2)
    file = parse_expectation(updated)
    assert file.for_function("Py").error_type == "ValueError"
    assert file.for_function("Node").error_type == "Error"
    # Alone in its workspace, the function's run replaces the file's own expectation.
    alone = parse_expectation(record_expectation(error_result("Error"), "empty", "Node", existing_text=written))
    assert alone.default.error_type == "Error" and alone.functions == ()


def test_success_to_error_and_back():
    text = record_expectation(result(), "p", "Fn")
    text = record_expectation(error_result(), "p", "Fn", existing_text=text)
    expectation = parse_expectation(text).default
    assert expectation.outcome == "error" and not expectation.has_response
    text = record_expectation(result(), "p", "Fn", existing_text=text)
    expectation = parse_expectation(text).default
    assert expectation.outcome == "success" and expectation.error_type is None
    assert expectation.assertions == () and expectation.has_response


def test_a_long_text_difference_is_shown_where_the_texts_part():
    body = '{"message": "Thank you for your order at Workbench Books!", "order_id": "ORD-1", "total": "59.99"}'
    expected = dict(RESPONSE, body=body)
    actual = dict(RESPONSE, body=body.replace("59.99", "59.90"))
    verdict = evaluate(parse_expectation(f"response: {json.dumps(expected)}\n").default, result(actual), [])
    assert verdict.first == ('response $.body: text differs at character 96: expected "…otal\\": \\"59.99\\"}", '
                             'got "…otal\\": \\"59.90\\"}"')
