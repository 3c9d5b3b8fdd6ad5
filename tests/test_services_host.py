"""The services host as a user meets it: real moto in a child process, real boto3 (in the test and in a
handler), state that survives a restart, reset to the seed, the Outbox, calls attributed to the run."""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

from workbench.core.services.host_record import read_host_record
from workbench.engine.services_client import ServicesClient
from workbench.engine.services_host import HostStartError, find_host, start_host, stop_host

TEMPLATE = """
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
  Jobs:
    Type: AWS::SQS::Queue
  Sender:
    Type: AWS::SES::EmailIdentity
    Properties: {EmailIdentity: shop@example.com}
  ApiKey:
    Type: AWS::SecretsManager::Secret
    Properties: {SecretString: s3cr3t}
  Greeting:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: hello}
  OrderConfirmation:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.11
      CodeUri: .
      Environment:
        Variables:
          TABLE: !Ref Orders
          BUCKET: !Ref Uploads
          STREAM: !GetAtt Orders.StreamArn
"""

HANDLER = """
import os
import boto3

def handler(event, context):
    boto3.client("ses").send_email(
        Source="shop@example.com", Destination={"ToAddresses": [event["email"]]},
        Message={"Subject": {"Data": "Order " + event["id"]},
                 "Body": {"Text": {"Data": "Thanks for order " + event["id"]}, "Html": {"Data": "<p>Thanks</p>"}}})
    boto3.client("dynamodb").put_item(TableName=os.environ["TABLE"], Item={"id": {"S": event["id"]}})
    try:
        boto3.client("sesv2").create_email_template(TemplateName="t", TemplateContent={"Subject": "s"})
    except Exception as error:
        missing = type(error).__name__ + ":" + error.response["Error"]["Code"]
    return {"key": os.environ["AWS_ACCESS_KEY_ID"], "endpoint": os.environ["AWS_ENDPOINT_URL"], "missing": missing}
"""


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "app.py").write_text(HANDLER)
    (tmp_path / "seed" / "dynamodb").mkdir(parents=True)
    (tmp_path / "seed" / "dynamodb" / "Orders.json").write_text('[{"id": "seeded", "total": 12.5}]')
    (tmp_path / "seed" / "s3" / "Uploads" / "docs").mkdir(parents=True)
    (tmp_path / "seed" / "s3" / "Uploads" / "docs" / "readme.txt").write_text("from the seed")
    yield tmp_path
    stop_host(tmp_path)


def test_a_restart_keeps_every_kind_of_state_and_reset_returns_to_the_seed(workspace):
    """Objects, items, messages, sent emails, secrets and parameters survive the host stopping and starting
    again; reset brings back exactly the seed."""
    client = ServicesClient(start_host(workspace))
    names = {r["logicalId"]: r["name"] for r in client.resources()["resources"]}
    assert client.items(names["Orders"]) == [{"id": "seeded", "total": 12.5}]
    assert client.get_object(names["Uploads"], "docs/readme.txt")[0] == b"from the seed"
    client.put_object(names["Uploads"], "new.txt", b"added")
    client.put_item(names["Orders"], {"id": "added"})
    queue = client.queues()[0]["url"]
    client.send_message(queue, "job-1")
    client.client("ses").send_email(Source="shop@example.com", Destination={"ToAddresses": ["a@example.com"]},
                                    Message={"Subject": {"Data": "Kept"}, "Body": {"Text": {"Data": "t"}}})
    client.client("ssm").put_parameter(Name=names["Greeting"], Value="changed", Overwrite=True)
    first = read_host_record(workspace)
    assert stop_host(workspace) and find_host(workspace) is None

    client = ServicesClient(start_host(workspace))
    assert client.record.pid != first.pid
    assert client.get_object(names["Uploads"], "new.txt")[0] == b"added"
    assert sorted(item["id"] for item in client.items(names["Orders"])) == ["added", "seeded"]
    assert client.queues()[0]["visible"] == 1
    assert [mail["subject"] for mail in client.outbox()] == ["Kept"]
    assert client.secret_value(names["ApiKey"]) == "s3cr3t"
    assert {p["name"]: p["value"] for p in client.parameters()}[names["Greeting"]] == "changed"

    client.reset(names["Orders"])  # one resource
    assert [item["id"] for item in client.items(names["Orders"])] == ["seeded"]
    assert client.get_object(names["Uploads"], "new.txt")[0] == b"added"
    client.reset()  # everything
    assert [o["key"] for o in client.objects(names["Uploads"])] == ["docs/readme.txt"]
    assert client.outbox() == [] and client.queues()[0]["visible"] == 0
    assert {p["name"]: p["value"] for p in client.parameters()}[names["Greeting"]] == "hello"


def test_a_second_start_joins_the_running_host_and_a_taken_port_is_named(workspace, tmp_path_factory):
    """Two starters on one workspace share one host; a port in use is refused in words."""
    record = start_host(workspace)
    assert start_host(workspace) == record
    other = tmp_path_factory.mktemp("other")
    with pytest.raises(HostStartError, match=f"port {record.port} cannot be used"):
        start_host(other, port=record.port)


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to connect as another user")
def test_another_local_user_is_refused(workspace):
    """Loopback is open to every user of the machine: the host closes a connection from another uid."""
    record = start_host(workspace)
    probe = ("import encodings.idna, os, socket\nos.setuid(65534)\ns = socket.create_connection(('127.0.0.1', %d))\n"
             "s.sendall(b'GET /_workbench/ping HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')\nprint(repr(s.recv(100)))" % record.port)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=20)
    assert done.stdout.strip() in ("b''",) or "ConnectionResetError" in done.stderr, (done.stdout, done.stderr)


def test_a_handler_in_local_mode_sends_email_to_the_outbox_and_its_calls_are_in_history(workspace):
    """The real boto3 in the handler reaches the host with a key of its environment (not the user's); the
    email lands in the Outbox; `history show --json` lists the run's awsCalls; an operation moto lacks
    reaches the handler as AWS's NotImplemented error and is named in the log."""
    (workspace / "event.json").write_text(json.dumps({"email": "customer@example.com", "id": "42"}))
    done = subprocess.run([sys.executable, "-m", "workbench", "invoke", "OrderConfirmation", "--workspace",
                           str(workspace), "-e", str(workspace / "event.json")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["key"].startswith("ASIA") and answer["key"] != os.environ["AWS_ACCESS_KEY_ID"]
    assert answer["missing"] == "ClientError:NotImplemented"
    assert "Not emulated locally: sesv2.CreateEmailTemplate" in done.stderr
    record = find_host(workspace)
    assert answer["endpoint"] == record.endpoint
    mail = ServicesClient(record).outbox()[0]
    assert (mail["from"], mail["to"], mail["subject"]) == ("shop@example.com", ["customer@example.com"], "Order 42")
    assert (mail["text"], mail["html"]) == ("Thanks for order 42", "<p>Thanks</p>")
    listing = subprocess.run([sys.executable, "-m", "workbench", "history", "--workspace", str(workspace), "--json"],
                             capture_output=True, text=True, timeout=30)
    run_id = json.loads(listing.stdout.splitlines()[0])["id"]
    shown = subprocess.run([sys.executable, "-m", "workbench", "history", "show", run_id, "--workspace",
                            str(workspace), "--json"], capture_output=True, text=True, timeout=30)
    calls = json.loads(shown.stdout)["awsCalls"]
    table = {r["logicalId"]: r for r in ServicesClient(record).resources()["resources"]}["Orders"]
    assert calls[:2] == [
        {"service": "ses", "operation": "SendEmail",
         "resource": "arn:aws:ses:us-east-1:123456789012:identity/shop@example.com"},
        {"service": "dynamodb", "operation": "PutItem", "resource": table["arn"]}]
    assert calls[2]["error"] == "NotImplemented"


def test_account_mode_leaves_the_host_alone(workspace):
    """--aws account: today's behaviour, no host started and no endpoint given."""
    (workspace / "app.py").write_text("import os, boto3\ndef handler(e, c):\n"
                                      "    return os.environ.get('AWS_ENDPOINT_URL', 'none')\n")
    done = subprocess.run([sys.executable, "-m", "workbench", "invoke", "OrderConfirmation", "--workspace",
                           str(workspace), "--aws", "account", "--no-history"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == "none" and find_host(workspace) is None


def test_get_att_stream_arn_is_the_tables_real_stream(workspace):
    """!GetAtt Orders.StreamArn is the ARN DescribeTable gives (AWS's form, the label a time to the
    millisecond), and the stream answers to it: a put is read back as an INSERT record."""
    (workspace / "app.py").write_text(
        "import os, boto3\n"
        "def handler(event, context):\n"
        "    table = boto3.client('dynamodb').describe_table(TableName=os.environ['TABLE'])['Table']\n"
        "    boto3.client('dynamodb').put_item(TableName=os.environ['TABLE'], Item={'id': {'S': 'streamed'}})\n"
        "    streams = boto3.client('dynamodbstreams')\n"
        "    shard = streams.describe_stream(StreamArn=os.environ['STREAM'])['StreamDescription']['Shards'][0]\n"
        "    iterator = streams.get_shard_iterator(StreamArn=os.environ['STREAM'], ShardId=shard['ShardId'],\n"
        "                                          ShardIteratorType='TRIM_HORIZON')['ShardIterator']\n"
        "    records = streams.get_records(ShardIterator=iterator)['Records']\n"
        "    return {'variable': os.environ['STREAM'], 'latest': table['LatestStreamArn'],\n"
        "            'events': [(r['eventName'], r['dynamodb']['Keys']['id']['S']) for r in records]}\n")
    done = subprocess.run([sys.executable, "-m", "workbench", "invoke", "OrderConfirmation", "--workspace",
                           str(workspace), "--no-history"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["variable"] == answer["latest"]
    assert re.fullmatch(r"arn:aws:dynamodb:us-east-1:123456789012:table/local-Orders-\w+/stream/"
                        r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", answer["variable"]), answer["variable"]
    assert ["INSERT", "streamed"] in answer["events"]
