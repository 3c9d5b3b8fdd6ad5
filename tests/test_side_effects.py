"""Presets as tests see side effects: an expectation requires emails sent, objects and items present with
given content, messages in a queue; each case starts from the seed state unless it opts out. Real runs: the
test command, a real boto3 handler, the workspace's services host."""

import json
import subprocess
import sys

import pytest

from workbench.core.expectations.expectation import ExpectationError, parse_expectation
from workbench.core.expectations.expectation_check import evaluate
from workbench.core.expectations.side_effects import ObservedEffects, item_key
from workbench.core.function.invocation_result import InvocationResult, Status
from workbench.engine.services_host import stop_host

TEMPLATE = """
Resources:
  Receipts:
    Type: AWS::S3::Bucket
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
  Shipping:
    Type: AWS::SQS::Queue
  Sender:
    Type: AWS::SES::EmailIdentity
    Properties: {EmailIdentity: shop@example.com}
  PlaceOrder:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: .
      Timeout: 10
      Environment:
        Variables:
          BUCKET: !Ref Receipts
          TABLE: !Ref Orders
          QUEUE: !Ref Shipping
"""

HANDLER = """
import json, os
import boto3

def handler(event, context):
    table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
    if event.get("count"):
        return {"orders": table.scan()["Count"]}
    order = event["id"]
    table.put_item(Item={"id": order, "status": "placed", "total": event["total"]})
    boto3.client("s3").put_object(Bucket=os.environ["BUCKET"], Key=f"receipts/{order}.json",
                                  Body=json.dumps({"order": order, "total": event["total"]}))
    boto3.client("sqs").send_message(QueueUrl=os.environ["QUEUE"], MessageBody=json.dumps({"ship": order}))
    boto3.client("ses").send_email(Source="shop@example.com", Destination={"ToAddresses": [event["email"]]},
                                   Message={"Subject": {"Data": f"Order {order}"},
                                            "Body": {"Text": {"Data": f"Total {event['total']}"}}})
    return {"ok": order}
"""

PLACED = """
sideEffects:
  emails:
    - to: ada@example.com
      subject: Order A-1
      text: Total 12
  objects:
    - bucket: Receipts
      key: receipts/A-1.json
      content: {order: A-1, total: "12"}
  items:
    - table: Orders
      key: {id: A-1}
      content: {status: placed, total: "12"}
  messages:
    - queue: Shipping
      body: {ship: A-1}
      count: 1
"""


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "app.py").write_text(HANDLER)
    (tmp_path / "seed" / "dynamodb").mkdir(parents=True)
    (tmp_path / "seed" / "dynamodb" / "Orders.json").write_text('[{"id": "seeded", "status": "old", "total": "1"}]')
    events = tmp_path / "events" / "PlaceOrder"
    events.mkdir(parents=True)
    yield tmp_path
    stop_host(tmp_path)


def _preset(workspace, name, event, expectation):
    folder = workspace / "events" / "PlaceOrder"
    (folder / f"{name}.json").write_text(json.dumps(event))
    (folder / f"{name}.expect.yaml").write_text(expectation)


def _test(workspace, *args):
    return subprocess.run([sys.executable, "-m", "workbench", "test", "--workspace", str(workspace), "--no-history",
                           *args], capture_output=True, text=True, timeout=120)


def test_side_effects_pass_and_each_case_starts_from_the_seed(workspace):
    """a-place writes an item, an object, a message and an email, all required by its file; b-count starts
    from the seed (only the seeded order); c-place places another from the seed; d-count opts out
    (fromSeed: false): it sees c's order and message, and no email of its own."""
    _preset(workspace, "a-place", {"id": "A-1", "total": "12", "email": "ada@example.com"}, PLACED)
    _preset(workspace, "b-count", {"count": True}, "assert:\n  - path: $.orders\n    equals: 1\n")
    _preset(workspace, "c-place", {"id": "C-1", "total": "5", "email": "cy@example.com"},
            "sideEffects:\n  emails:\n    - to: cy@example.com\n")
    _preset(workspace, "d-count", {"count": True},
            "fromSeed: false\nassert:\n  - path: $.orders\n    equals: 2\n"
            "sideEffects:\n  emails: []\n  messages:\n    - queue: Shipping\n      contains: C-1\n")
    done = _test(workspace)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASS") == 4


def test_a_missing_side_effect_fails_the_case_and_names_it(workspace):
    """Wrong subject, content, attribute and message: each difference named, with its line in the file."""
    wrong = (PLACED.replace("subject: Order A-1", "subject: Order A-2")
             .replace('content: {order: A-1, total: "12"}', 'content: {order: A-1, total: "13"}')
             .replace("content: {status: placed", "content: {status: shipped")
             .replace("count: 1", "count: 2"))
    _preset(workspace, "a-place", {"id": "A-1", "total": "12", "email": "ada@example.com"}, wrong)
    done = _test(workspace)
    assert done.returncode == 1
    assert "sideEffects.emails: expected an email (to 'ada@example.com', subject 'Order A-2', text 'Total 12'); " \
           "sent: to ada@example.com subject 'Order A-1'" in done.stdout
    assert "sideEffects.objects: s3://Receipts/receipts/A-1.json holds" in done.stdout
    assert 'sideEffects.items: Orders item {"id": "A-1"}: status is "placed", expected "shipped"' in done.stdout
    assert "sideEffects.messages: queue Shipping holds 1 message(s), expected 2 (a-place.expect.yaml:" in done.stdout


def test_account_mode_does_not_reset_and_says_side_effects_were_not_checked(workspace):
    """--aws account: nothing local is touched; a file that requires side effects fails in words."""
    (workspace / "app.py").write_text("def handler(event, context):\n    return 1\n")
    _preset(workspace, "a", {}, "sideEffects:\n  emails: []\n")
    done = _test(workspace, "--aws", "account")
    assert done.returncode == 1
    assert "sideEffects: not checked: side effects are looked at when the function's AWS calls go to the local " \
           "services (--aws local)" in done.stdout


def test_bad_side_effects_are_named_with_line_and_column():
    with pytest.raises(ExpectationError, match=r":4:7: unknown key 'too' in sideEffects.emails entry 1"):
        parse_expectation("sideEffects:\n  emails:\n    - to: a@example.com\n      too: b\n")
    with pytest.raises(ExpectationError, match=r":3:7: sideEffects.items entry 1 has no key"):
        parse_expectation("sideEffects:\n  items:\n    - table: T\n")
    with pytest.raises(ExpectationError, match=r"fromSeed must be true or false"):
        parse_expectation("fromSeed: sometimes\n")


def test_the_checks_themselves():
    """Pure: what the host held against what the file requires."""
    expectation = parse_expectation(PLACED).default
    ok = InvocationResult(request_id="r", status=Status.SUCCESS, payload=b'{"ok": "A-1"}', error_type=None,
                          platform_error_type=None, duration_ms=1.0, billed_duration_ms=1, init_duration_ms=None,
                          memory_size_mb=128, max_memory_used_mb=40, cost_usd=0.0)
    observed = ObservedEffects(
        emails=({"to": ["Ada <ada@example.com>"], "subject": "Order A-1", "text": "Total 12", "html": None},),
        objects=((("Receipts", "receipts/A-1.json"), b'{"total": "12", "order": "A-1"}'),),
        items=((("Orders", item_key({"id": "A-1"})), {"id": "A-1", "status": "placed", "total": "12"}),),
        messages=(("Shipping", ('{"ship": "A-1"}',)),))
    assert evaluate(expectation, ok, [], observed).passed
    empty = ObservedEffects(objects=((("Receipts", "receipts/A-1.json"), None),),
                            items=((("Orders", item_key({"id": "A-1"})), None),), messages=(("Shipping", ()),))
    differences = [str(d) for d in evaluate(expectation, ok, [], empty).differences]
    assert differences == [
        "sideEffects.emails: expected an email (to 'ada@example.com', subject 'Order A-1', text 'Total 12'), "
        "none was sent",
        "sideEffects.objects: expected object s3://Receipts/receipts/A-1.json, it is not there",
        'sideEffects.items: expected Orders item {"id": "A-1"}, it is not there',
        "sideEffects.messages: queue Shipping holds 0 message(s), expected 1"]
