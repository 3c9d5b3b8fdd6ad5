"""Triggers under `lambda-workbench services` alone: it runs the functions its triggers call (a run session
behind an Invoke API of its own, registered with its host), each call a run in history with its source."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import boto3
import pytest
from botocore.config import Config

from serve_helpers import REPO
from trigger_host import history, show

pytestmark = pytest.mark.timeout(90)

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {QueueName: jobs}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: src
      Handler: app.handler
      Events:
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Jobs.Arn, BatchSize: 5}
"""


def _start(workspace):
    process = subprocess.Popen([sys.executable, "-m", "workbench", "services", "--workspace", str(workspace)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, PYTHONUNBUFFERED="1"))
    errors: list[str] = []
    threading.Thread(target=lambda: errors.extend(iter(process.stderr.readline, "")), daemon=True).start()
    lines = []
    for line in iter(process.stdout.readline, ""):
        lines.append(line)
        if line.startswith("Functions run for the triggers"):
            break
    if not lines or not lines[-1].startswith("Functions run"):
        process.kill()
        raise AssertionError(f"services did not run functions: {''.join(lines)} {''.join(errors)}")
    threading.Thread(target=lambda: process.stdout.read(), daemon=True).start()
    exports = dict(line.split(" ", 1)[1].strip().split("=", 1) for line in lines if line.startswith("export "))
    return process, exports, errors


def test_services_alone_runs_the_functions_its_triggers_call(tmp_path):
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(
        "def handler(event, context):\n    print('got', [r['body'] for r in event['Records']])\n"
        "    return {'count': len(event['Records'])}\n")
    process, exports, errors = _start(tmp_path)
    try:
        # A plain boto3 script pointed at the host with the export lines, as a user would.
        sqs = boto3.client("sqs", endpoint_url=exports["AWS_ENDPOINT_URL"], region_name=exports["AWS_REGION"],
                           aws_access_key_id=exports["AWS_ACCESS_KEY_ID"],
                           aws_secret_access_key=exports["AWS_SECRET_ACCESS_KEY"],
                           config=Config(retries={"max_attempts": 1}))
        url = sqs.get_queue_url(QueueName="jobs")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="order 1")
        deadline = time.time() + 30
        runs = []
        while time.time() < deadline and not runs:
            runs = [r for r in history(tmp_path) if r["function"] == "Worker"]
            time.sleep(0.2)
        assert runs and runs[0]["source"] == "sqs" and runs[0]["status"] == "success"
        deadline = time.time() + 10
        while time.time() < deadline and not show(tmp_path, runs[0]["id"])["trigger"]:
            time.sleep(0.1)
        shown = show(tmp_path, runs[0]["id"])
        assert [r["fate"] for r in shown["trigger"]["records"]] == ["deleted"]
        assert json.loads(shown["response"]) == {"count": 1}
        # The message was consumed: the queue is empty.
        assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])[
            "Attributes"]["ApproximateNumberOfMessages"] == "0"
        assert "got ['order 1']" in "".join(errors)  # the function's log, as serve prints it
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    assert code == 130
    # The host it started is gone with it.
    assert not (tmp_path / ".workbench" / "services" / "host.json").exists()
