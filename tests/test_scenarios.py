"""Scenario files: what they say read into a Scenario, every mistake named with file, line and column, and the
judging of what came (runs, the front door's status, side effects)."""

import pytest

from workbench.core.expectations.expectation import ExpectationError
from workbench.core.expectations.side_effects import ObservedEffects
from workbench.core.scenarios.scenario import parse_scenario
from workbench.core.scenarios.scenario_check import SeenRun, judge_scenario, runs_complete

STORY = """\
description: An order through the front door is confirmed
action:
  http:
    method: POST
    path: /orders
    body: {order_id: ORD-1}
expect:
  status: 201
  runs:
    - {function: PlaceOrder, source: serve}
    - {function: OrderConfirmation, source: dynamodb, count: 1}
  sideEffects:
    emails:
      - {to: a@example.com, subject: Your order ORD-1 is confirmed}
waitSeconds: 5
"""


def test_a_scenario_is_read_whole():
    scenario = parse_scenario(STORY, "scenarios/place-order.yaml")
    assert scenario.name == "place-order" and scenario.action.kind == "http"
    assert scenario.action.words() == "POST /orders" and scenario.action.payload("body") == b'{"order_id": "ORD-1"}'
    assert [(r.function, r.source, r.count, r.status, r.line) for r in scenario.runs] == [
        ("PlaceOrder", "serve", None, "success", 10), ("OrderConfirmation", "dynamodb", 1, "success", 11)]
    assert scenario.status == 201 and scenario.wait_s == 5 and scenario.from_seed
    assert scenario.functions == ("PlaceOrder", "OrderConfirmation")
    assert [r.kind for r in scenario.side_effects.requirements] == ["emails"]


@pytest.mark.parametrize("change, where, message", [
    (("    method: POST\n", "    methd: POST\n"), (4, 5), "unknown key 'methd' in action.http"),
    (("  http:\n", "  ftp:\n"), (3, 3), "unknown key 'ftp' in action"),
    (("source: dynamodb, count: 1", "source: kinesis, count: 1"), (11, 45),
     "expect.runs entry 2: source must be one of"),
    (("count: 1}", "count: -1}"), (11, 62), "count must be a whole number, 0 or more"),
    (("  status: 201\n", "  status: created\n"), (8, 11), "expect.status is the front door's HTTP status"),
    (("waitSeconds: 5", "waitSeconds: 0"), (15, 14), "waitSeconds must be a number of seconds"),
    (("    path: /orders\n", "    path: orders\n"), (5, 11), "action.http.path must start with /"),
])
def test_each_mistake_is_named_with_line_and_column(change, where, message):
    with pytest.raises(ExpectationError) as raised:
        parse_scenario(STORY.replace(*change), "scenarios/place-order.yaml")
    error = raised.value
    assert (error.line, error.column) == where and message in error.message, str(error)


def test_a_scenario_without_action_or_expectations_is_refused():
    with pytest.raises(ExpectationError, match="needs an action"):
        parse_scenario("expect: {status: 200}\n")
    with pytest.raises(ExpectationError, match="expect names nothing to check"):
        parse_scenario("action: {message: {queue: Jobs, body: x}}\nexpect: {}\n")


def test_the_verdict_names_what_did_not_come():
    scenario = parse_scenario(STORY, "scenarios/place-order.yaml")
    placed = SeenRun("PlaceOrder", "serve", True)
    assert not runs_complete(scenario, (placed,))
    verdict = judge_scenario(scenario, (placed,), 201, ObservedEffects())
    assert [str(d) for d in verdict.differences] == [
        "runs OrderConfirmation (dynamodb): expected 1 run(s), 0 came within 5 s (runs: PlaceOrder from serve)",
        "sideEffects.emails: expected an email (to 'a@example.com', subject 'Your order ORD-1 is confirmed'), "
        "none was sent"]
    confirmed = SeenRun("OrderConfirmation", "dynamodb", False)
    assert runs_complete(scenario, (placed, confirmed))
    verdict = judge_scenario(scenario, (placed, confirmed, confirmed), 500, None)
    assert [d.where for d in verdict.differences] == ["status", "runs OrderConfirmation (dynamodb)"]
    assert verdict.differences[0].message == "expected 201, the front door answered 500"
    assert verdict.differences[1].line == 11
