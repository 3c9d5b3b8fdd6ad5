"""serve's edges: SIGTERM answers and records the call in flight as a stopped run; a duplicate route, an
unknown method and an unknown event type in the template are named with file and line; a missing code
folder is said when serving starts."""

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from processes import processes_in
from serve_helpers import REPO, start_serve
from test_serve_invoke_api import FUNCTIONS, wait_for, write_workspace

FIXTURES = Path(__file__).parent / "fixtures" / "python"


def test_sigterm_answers_and_records_the_call_in_flight(tmp_path):
    workspace = write_workspace(tmp_path, [f for f in FUNCTIONS if f["name"] == "Barrier"])
    marks = tmp_path / "marks"
    marks.mkdir()
    served = start_serve(workspace)
    replies = []

    def call():
        try:
            reply = served.client().invoke(FunctionName="Barrier",
                                           Payload=json.dumps({"folder": str(marks), "count": 2, "wait_s": 50}))
            replies.append((reply.get("FunctionError"), json.loads(reply["Payload"].read())))
        except Exception as error:  # noqa: BLE001 - the test reports what the client saw
            replies.append(("client", repr(error)))

    caller = threading.Thread(target=call)
    caller.start()
    assert wait_for(lambda: len(os.listdir(marks)) == 1)
    assert served.stop() == 0, served.stderr
    caller.join(30)
    assert replies and replies[0][0] == "Unhandled", replies
    assert replies[0][1]["errorType"] == "Sandbox.Stopped", replies
    assert "1 call(s) in flight were stopped (Sandbox.Stopped), answered and recorded" in served.stderr
    assert processes_in(workspace / "code") == []
    listed = subprocess.run([sys.executable, "-m", "workbench", "history", "--workspace", str(workspace), "--json"],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    runs = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(run["function"], run["source"], run["errorType"]) for run in runs] == [
        ("Barrier", "serve", "Sandbox.Stopped")], listed.stdout + listed.stderr


TEMPLATE = """\
Globals:
  Function:
    Runtime: python3.12
    CodeUri: code
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: http_echo.handler
      Events:
        Place:
          Type: HttpApi
          Properties:
            Path: /orders
            Method: post
        Again:
          Type: HttpApi
          Properties:
            Path: /orders
            Method: POST
        Odd:
          Type: Api
          Properties:
            Path: /odd
            Method: FOO
        Queue:
          Type: Sqs
          Properties: {}
  Gone:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: missing-folder
"""


def test_template_mistakes_and_a_missing_code_folder_are_said_at_start(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "code", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    served = start_serve(tmp_path)
    try:
        assert wait_for(lambda: "missing-folder" in served.stderr, 10), served.stderr
    finally:
        assert served.stop() == 0, served.stderr
    problems = served.startup
    assert ("problem: template.yaml:19:19: Resources.Orders.Events.Again: POST /orders is already a route of this "
            "API (template.yaml:14:19: Resources.Orders.Events.Place); this one is not served") in problems
    assert "problem: template.yaml:25:21: Resources.Orders.Events.Odd.Properties.Method: 'FOO' is not an HTTP " \
           "method API Gateway routes" in problems
    assert "problem: template.yaml:27:17: Resources.Orders.Events.Queue: Type 'Sqs' is not an event type SAM " \
           "knows" in problems
    assert ("problem: function Gone cannot be served: CodeUri missing-folder does not exist; its calls are refused "
            "until that is fixed") in served.stderr
