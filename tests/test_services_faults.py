"""The services host when things go wrong: it crashes under a run, two processes start it at once, SES's
sandbox is reproduced on request, and an operation moto lacks reaches a Node.js handler as AWS's error.
Real processes: the invoke command, the host, boto3 and the JS SDK in the handlers."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.core.services.host_record import read_host_record
from workbench.engine.services_client import ServicesClient
from workbench.engine.services_host import find_host, start_host, stop_host

TEMPLATE = """
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
  Sender:
    Type: AWS::SES::EmailIdentity
    Properties: {EmailIdentity: shop@example.com}
  Python:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: .
      Timeout: 20
      Environment:
        Variables:
          TABLE: !Ref Orders
  Node:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      CodeUri: node
      Timeout: 20
"""

HANDLER = """
import os, pathlib, time
import boto3

def handler(event, context):
    if "source" in event:
        ses = boto3.client("ses")
        try:
            ses.send_email(Source=event["source"], Destination={"ToAddresses": ["ada@example.com"]},
                           Message={"Subject": {"Data": "Hi"}, "Body": {"Text": {"Data": "t"}}})
            return "sent"
        except ses.exceptions.MessageRejected as error:
            return "MessageRejected: " + error.response["Error"]["Message"]
    table = boto3.client("dynamodb")
    table.put_item(TableName=os.environ["TABLE"], Item={"id": {"S": "before-the-crash"}})
    pathlib.Path(event["marker"]).write_text("written")
    while True:  # calls until the host is gone under it
        table.list_tables()
        time.sleep(0.05)
"""

NODE_HANDLER = """
import { DynamoDBClient, ListContributorInsightsCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient();

export const handler = async () => {
  const tables = await client.send(new ListTablesCommand({}));
  try {
    await client.send(new ListContributorInsightsCommand({}));
    return 'implemented?';
  } catch (error) {
    return { name: error.name, status: error.$metadata.httpStatusCode, message: error.message,
             tables: tables.TableNames.length };
  }
};
"""


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "app.py").write_text(HANDLER)
    (tmp_path / "node").mkdir()
    (tmp_path / "node" / "index.mjs").write_text(NODE_HANDLER)
    yield tmp_path
    stop_host(tmp_path)


def _invoke(workspace, function, event):
    path = workspace / "event.json"
    path.write_text(json.dumps(event))
    return subprocess.Popen([sys.executable, "-m", "workbench", "invoke", function, "--workspace", str(workspace),
                             "--no-history", "-e", str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _run(workspace, function, event):
    process = _invoke(workspace, function, event)
    out, err = process.communicate(timeout=90)
    return process.returncode, out, err


def test_a_host_that_crashes_under_a_run_fails_the_run_in_words_and_starts_again_with_its_saved_state(workspace):
    """The handler writes an item (saved), then the host is killed while the handler calls it: the run
    fails, the log says the host stopped and runs again, and the item is still there."""
    marker = workspace / "marker"
    process = _invoke(workspace, "Python", {"marker": str(marker)})
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert marker.exists(), process.stderr.read()
    crashed = find_host(workspace)
    ServicesClient(crashed).save()  # the state as last saved
    os.kill(crashed.pid, signal.SIGKILL)
    out, err = process.communicate(timeout=90)
    assert process.returncode == 1, err
    assert json.loads(out)["errorType"] == "EndpointConnectionError"
    assert f"The local AWS services host at {crashed.endpoint} did not answer" in err
    assert "it is started again with the state it last saved" in err
    again = find_host(workspace)
    assert again is not None and again.pid != crashed.pid and again.endpoint == crashed.endpoint, err
    assert f"The local AWS services run again at {again.endpoint} (pid {again.pid})" in err
    table = {r["logicalId"]: r["name"] for r in ServicesClient(again).resources()["resources"]}["Orders"]
    assert [item["id"] for item in ServicesClient(again).items(table)] == ["before-the-crash"]


def test_two_processes_starting_the_host_at_once_share_one(workspace):
    """Two commands (two windows) on one workspace at the same moment: one host, both get its address."""
    code = ("import sys; from workbench.engine.services_host import start_host\n"
            "r = start_host(sys.argv[1]); print(r.pid, r.port)")
    starters = [subprocess.Popen([sys.executable, "-c", code, str(workspace)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
    answers = [starter.communicate(timeout=60) for starter in starters]
    assert all(starter.returncode == 0 for starter in starters), answers
    first, second = (out.split() for out, _err in answers)
    record = read_host_record(workspace)
    assert first == second == [str(record.pid), str(record.port)]
    assert find_host(workspace) == record


def test_ses_sandbox_reproduces_message_rejected_and_local_mode_otherwise_verifies_senders(workspace):
    """Without the setting, any sender works (local mode verifies it); with "sesSandbox": true, a sender the
    workspace does not declare gets SES's MessageRejected, and the declared identity still sends."""
    assert _run(workspace, "Python", {"source": "someone@example.org"})[1].strip() == '"sent"'
    stop_host(workspace)
    (workspace / ".workbench" / "services" / "state.pickle").unlink()  # a new account: nothing verified yet
    (workspace / "workbench.json").write_text(json.dumps({"aws": {"calls": "local", "sesSandbox": True}}))
    code, out, err = _run(workspace, "Python", {"source": "stranger@example.org"})
    assert code == 0, err
    assert json.loads(out) == "MessageRejected: Email address not verified stranger@example.org"
    assert json.loads(_run(workspace, "Python", {"source": "Shop <shop@example.com>"})[1]) == "sent"
    outbox = ServicesClient(find_host(workspace)).outbox()
    assert [mail["from"] for mail in outbox] == ["Shop <shop@example.com>"]


@pytest.mark.skipif(not (Path(os.environ["LAMBDA_WORKBENCH_CACHE"]) / "sdk" / "nodejs20.x" / "node_modules" / "@aws-sdk"
                         / "client-dynamodb").is_dir(), reason="the JS SDK clients .ci/run installs are absent")
def test_an_operation_moto_lacks_reaches_a_node_handler_as_aws_error_and_the_log_names_it(workspace):
    """The JS SDK (not packaged with the function: the runtime provides it) gets a NotImplemented error it can
    catch, the call before it works, and the run's log names the operation as not emulated locally."""
    code, out, err = _run(workspace, "Node", {})
    assert code == 0, err
    answer = json.loads(out)
    assert answer == {"name": "NotImplemented", "status": 501, "tables": 1,
                      "message": "dynamodb.ListContributorInsights is not emulated locally (moto does not implement it)"}
    assert "Not emulated locally: dynamodb.ListContributorInsights" in err


def test_a_taken_port_is_named_and_the_host_starts_on_a_free_one(workspace, tmp_path_factory):
    import socket

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        from workbench.engine.services_host import HostStartError

        with pytest.raises(HostStartError, match=f"port {taken.getsockname()[1]} cannot be used"):
            start_host(workspace, port=taken.getsockname()[1])
        assert start_host(workspace).port != taken.getsockname()[1]
    finally:
        taken.close()
