"""serve answers its own user only: another uid (65534, nobody) is refused by the Invoke API and the front
door before anything runs or is read, unless serve was opened up on purpose; the configuration calls
never give secret-looking variables' values unless asked."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from serve_helpers import start_serve
from test_serve_invoke_api import wait_for

FIXTURES = Path(__file__).parent / "fixtures" / "python"
OTHER_UID = 65534
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="switching to another user (uid 65534) needs root")

TEMPLATE = """
Globals:
  Function:
    Runtime: python3.12
    CodeUri: code
    Environment:
      Variables:
        API_TOKEN: tok-7f3a9c2e51
        DB_PASSWORD: hunter2-long-enough
        TABLE_NAME: orders
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Handler: http_echo.handler
      Events:
        Items:
          Type: HttpApi
          Properties:
            Path: /items
            Method: ANY
"""

# Every call another user would make: invoke, the three configuration calls, a tail, an HTTP route.
CALLER = textwrap.dedent('''
    import encodings.idna, http.client, json, os, sys  # imported before giving up root
    lambda_port, api_port, uid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    if uid >= 0:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)

    def call(port, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return [r.status, r.read().decode()]
        except OSError as error:
            return [0, str(error)]

    print(json.dumps({
        "uid": os.getuid(),
        "invoke": call(lambda_port, "POST", "/2015-03-31/functions/Echo/invocations", b"{}",
                       {"X-Amz-Log-Type": "Tail"}),
        "configuration": call(lambda_port, "GET", "/2015-03-31/functions/Echo/configuration"),
        "function": call(lambda_port, "GET", "/2015-03-31/functions/Echo"),
        "list": call(lambda_port, "GET", "/2015-03-31/functions/"),
        "http": call(api_port, "POST", "/items", b"hello"),
    }))
''')


def workspace(tmp_path) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "code", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    return tmp_path


def port(url: str) -> str:
    return url.rsplit(":", 1)[1]


def calls_as(served, uid: int) -> dict:
    done = subprocess.run([sys.executable, "-c", CALLER, port(served.lambda_url), port(served.api_url), str(uid)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@needs_root
def test_another_user_is_refused_everything_and_learns_nothing(tmp_path):
    served = start_serve(workspace(tmp_path))
    try:
        outcome = calls_as(served, OTHER_UID)
        assert outcome["uid"] == OTHER_UID
        for name in ("invoke", "configuration", "function", "list", "http"):
            status, body = outcome[name]
            assert status == 403, (name, outcome[name])
            for secret in ("tok-7f3a9c2e51", "hunter2-long-enough", "orders", "Echo", "START RequestId"):
                assert secret not in body, (name, body)
        # Our own user is answered as before, on the same ports.
        mine = calls_as(served, -1)
        assert mine["invoke"][0] == 200 and mine["http"][0] == 200
        assert wait_for(lambda: served.stderr.count(f"uid {OTHER_UID}") >= 5)
    finally:
        assert served.stop() == 0, served.stderr
    assert "refused: the caller runs as uid 65534" in served.stderr
    # Nothing ran for the other user: the two runs are our own (one invoke, one HTTP call).
    assert served.stderr.count("START RequestId") == 2, served.stderr


@needs_root
def test_opened_on_purpose_another_user_is_answered_after_a_loud_warning(tmp_path):
    served = start_serve(workspace(tmp_path), "--allow-other-users")
    try:
        outcome = calls_as(served, OTHER_UID)
        assert outcome["invoke"][0] == 200 and outcome["http"][0] == 200
        # Still masked: opening the door does not hand out the secrets.
        variables = json.loads(outcome["configuration"][1])["Environment"]["Variables"]
        assert variables == {"API_TOKEN": "****", "DB_PASSWORD": "****", "TABLE_NAME": "orders"}
    finally:
        assert served.stop() == 0, served.stderr
    assert "WARNING: --allow-other-users: every user of this machine" in served.stderr


def test_configuration_calls_mask_secret_variables_unless_asked(tmp_path):
    """GetFunctionConfiguration, GetFunction and ListFunctions through boto3: secrets masked; with
    --reveal-secrets, given as AWS gives them to the account's owner."""
    folder = workspace(tmp_path)
    masked = {"API_TOKEN": "****", "DB_PASSWORD": "****", "TABLE_NAME": "orders"}
    clear = {"API_TOKEN": "tok-7f3a9c2e51", "DB_PASSWORD": "hunter2-long-enough", "TABLE_NAME": "orders"}
    for extra, expected in (((), masked), (("--reveal-secrets",), clear)):
        served = start_serve(folder, *extra)
        try:
            client = served.client()
            assert client.get_function_configuration(FunctionName="Echo")["Environment"]["Variables"] == expected
            assert client.get_function(FunctionName="Echo")["Configuration"]["Environment"]["Variables"] == expected
            listed = client.list_functions()["Functions"]
            assert [f["Environment"]["Variables"] for f in listed] == [expected]
        finally:
            assert served.stop() == 0, served.stderr
