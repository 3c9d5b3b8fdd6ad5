"""The local Lambda Invoke API, called with boto3 as applications and tests call AWS: `lambda-workbench serve`
in a child process, real environments behind it."""

import base64
import json
import shutil
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import botocore.exceptions
import pytest

from processes import processes_in
from serve_helpers import start_serve

FIXTURES = Path(__file__).parent / "fixtures" / "python"


def write_workspace(folder: Path, functions: list[dict], **extra) -> Path:
    code = folder / "code"
    shutil.copytree(FIXTURES, code, ignore=shutil.ignore_patterns("__pycache__"))
    entries = [dict(runtime="python3.12", codeUri="code", **function) for function in functions]
    (folder / "workbench.json").write_text(json.dumps({"functions": entries, **extra}))
    return folder


FUNCTIONS = [
    {"name": "Success", "handler": "success.handler"},
    {"name": "Logs", "handler": "logs.handler"},
    {"name": "Fails", "handler": "logs.fails"},
    {"name": "Barrier", "handler": "barrier.handler", "timeout": 60},
    {"name": "Attempts", "handler": "attempts.handler"},
    {"name": "Context", "handler": "context_dump.handler"},
    {"name": "Recorder", "handler": "record_context.handler"},
]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    workspace = write_workspace(tmp_path_factory.mktemp("serve"), FUNCTIONS)
    server = start_serve(workspace, "--retry-delay-scale", "0.005")
    server.workspace = workspace
    yield server
    assert server.stop() == 0, server.stderr
    assert processes_in(workspace / "code") == []


def wait_for(check, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_request_response_returns_the_payload_and_the_version(served):
    """A plain invoke: 200, the handler's JSON, ExecutedVersion $LATEST, no FunctionError."""
    reply = served.client().invoke(FunctionName="Success", Payload=json.dumps({"order": "A-1"}))
    assert reply["StatusCode"] == 200
    assert reply["ExecutedVersion"] == "$LATEST"
    assert "FunctionError" not in reply
    assert json.loads(reply["Payload"].read())["event"] == {"order": "A-1"}


def test_log_type_tail_carries_the_log_with_its_report_line(served):
    """LogResult is base64 of the call's log: START, the handler's output, END and REPORT."""
    reply = served.client().invoke(FunctionName="Logs", Payload=b'{"value": "tail-me"}', LogType="Tail")
    log = base64.b64decode(reply["LogResult"]).decode()
    assert "print before logging" in log and "warning from a named logger" in log
    report = [line for line in log.splitlines() if line.startswith("REPORT RequestId: ")]
    assert len(report) == 1 and "\tDuration: " in report[0] and "\tMax Memory Used: " in report[0]
    assert reply["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"] in report[0]


def test_function_error_is_unhandled_with_the_runtime_error_payload(served):
    """A handler that raises: still 200, FunctionError 'Unhandled', the runtime's error document."""
    reply = served.client().invoke(FunctionName="Fails")
    assert reply["StatusCode"] == 200
    assert reply["FunctionError"] == "Unhandled"
    error = json.loads(reply["Payload"].read())
    assert error["errorType"] == "ValueError" and error["errorMessage"] == "boom from logs"


def test_name_arn_partial_arn_and_latest_qualifier_reach_the_same_function(served):
    """Every way the SDKs name a function works; Qualifier=$LATEST is accepted."""
    client = served.client()
    for name in ("Success", "arn:aws:lambda:us-east-1:123456789012:function:Success",
                 "123456789012:function:Success", "Success:$LATEST"):
        assert client.invoke(FunctionName=name)["StatusCode"] == 200, name
    assert client.invoke(FunctionName="Success", Qualifier="$LATEST")["ExecutedVersion"] == "$LATEST"


def test_unknown_function_raises_resource_not_found(served):
    """boto3 raises its ResourceNotFoundException class, with the service's message naming the ARN."""
    client = served.client()
    with pytest.raises(client.exceptions.ResourceNotFoundException) as raised:
        client.invoke(FunctionName="NoSuchFunction")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert raised.value.response["Error"]["Message"] == (
        "Function not found: arn:aws:lambda:us-east-1:123456789012:function:NoSuchFunction")
    with pytest.raises(client.exceptions.ResourceNotFoundException, match="function:Success:7"):
        client.invoke(FunctionName="Success", Qualifier="7")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.invoke(FunctionName="arn:aws:lambda:eu-west-1:123456789012:function:Success")


def test_dry_run_answers_204_without_running(served, tmp_path):
    """DryRun checks the call and runs nothing."""
    marks = tmp_path / "dry.txt"
    reply = served.client().invoke(FunctionName="Attempts", InvocationType="DryRun",
                                   Payload=json.dumps({"file": str(marks)}))
    assert reply["StatusCode"] == 204
    time.sleep(0.3)  # nothing should appear; give a wrongly started run the chance to show itself
    assert not marks.exists()


def test_event_is_accepted_at_once_and_runs(served, tmp_path):
    """Event: 202 with an empty body; the call runs afterwards and is in the workspace's history (source serve)."""
    marks = tmp_path / "event.txt"
    reply = served.client().invoke(FunctionName="Attempts", InvocationType="Event",
                                   Payload=json.dumps({"file": str(marks)}))
    assert reply["StatusCode"] == 202
    assert reply["Payload"].read() == b""
    assert wait_for(lambda: marks.exists() and len(marks.read_text().splitlines()) == 1)
    from workbench.core.history.history_store import HistoryStore

    def recorded():
        store = HistoryStore.for_workspace(served.workspace)
        try:
            runs = [run for run in store.list("Attempts", limit=1000) if run.source == "serve"]
            return [store.get(run.id) for run in runs if json.loads(store.get(run.id).event) == {"file": str(marks)}]
        finally:
            store.close()
    assert wait_for(lambda: len(recorded()) == 1)
    (record,) = recorded()
    assert record.source == "serve" and record.result.succeeded


def test_a_failing_event_is_tried_twice_more(served, tmp_path):
    """A failed Event call is retried twice (Lambda's delays, scaled down here), then given up."""
    marks = tmp_path / "retries.txt"
    served.client().invoke(FunctionName="Attempts", InvocationType="Event",
                           Payload=json.dumps({"file": str(marks), "succeed_on": 99}))
    assert wait_for(lambda: marks.exists() and len(marks.read_text().splitlines()) == 3)
    assert wait_for(lambda: "[event, attempt 3]" in served.stderr)
    time.sleep(1.5)  # the scaled-down delays are 0.3 s and 0.6 s: a fourth attempt would have come by now
    assert len(marks.read_text().splitlines()) == 3


def test_a_retry_that_succeeds_ends_the_attempts(served, tmp_path):
    """Succeeding on the second attempt: exactly two runs."""
    marks = tmp_path / "second.txt"
    served.client().invoke(FunctionName="Attempts", InvocationType="Event",
                           Payload=json.dumps({"file": str(marks), "succeed_on": 2}))
    assert wait_for(lambda: marks.exists() and len(marks.read_text().splitlines()) == 2)
    time.sleep(1.5)
    assert len(marks.read_text().splitlines()) == 2


def test_a_body_that_is_not_json_is_invalid_request_content(served):
    """400 InvalidRequestContentException, and boto3 raises that class."""
    client = served.client()
    with pytest.raises(client.exceptions.InvalidRequestContentException) as raised:
        client.invoke(FunctionName="Success", Payload=b'{"order": ')
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "Could not parse request body into json" in raised.value.response["Error"]["Message"]


def test_payloads_over_the_limits_are_refused_with_413(served):
    """Over 6 MB for RequestResponse, over 1 MB for Event: 413 RequestEntityTooLargeException."""
    client = served.client()
    big = b'"' + b"x" * (6 * 1024 * 1024) + b'"'
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        client.invoke(FunctionName="Success", Payload=big)
    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert error["Error"]["Code"] == "RequestEntityTooLargeException"
    assert error["Error"]["Message"] == (f"{len(big)} byte payload is too large for the RequestResponse "
                                         "invocation type (limit 6291456 bytes)")
    medium = b'"' + b"x" * (1024 * 1024) + b'"'
    with pytest.raises(botocore.exceptions.ClientError, match="for the Event invocation type"):
        client.invoke(FunctionName="Success", Payload=medium, InvocationType="Event")
    assert client.invoke(FunctionName="Success", Payload=medium)["StatusCode"] == 200


def test_ten_parallel_calls_run_in_ten_environments(served, tmp_path):
    """Ten calls that can only finish together all finish: ten environments of one function at once."""
    folder = tmp_path / "barrier"
    folder.mkdir()
    client = served.client(max_pool_connections=10)
    event = json.dumps({"folder": str(folder), "count": 10, "wait_s": 45})

    def call(_):
        reply = client.invoke(FunctionName="Barrier", Payload=event)
        return reply.get("FunctionError"), json.loads(reply["Payload"].read())

    with ThreadPoolExecutor(10) as pool:
        replies = list(pool.map(call, range(10)))
    assert [error for error, _ in replies] == [None] * 10
    assert [doc["seen"] for _, doc in replies] == [10] * 10
    assert len({doc["pid"] for _, doc in replies}) == 10


def test_sigterm_stops_cleanly_and_kills_the_environments(tmp_path):
    """SIGINT (Ctrl+C) ends serve with status 0 and no runtime process left behind."""
    workspace = write_workspace(tmp_path, FUNCTIONS[:1])
    server = start_serve(workspace)
    assert server.client().invoke(FunctionName="Success")["StatusCode"] == 200
    assert processes_in(workspace / "code") != []
    assert server.stop(signal.SIGINT) == 0
    assert processes_in(workspace / "code") == []
    assert "Stopped: every environment ended" in server.stderr


def test_client_context_reaches_the_handler_and_a_bad_one_is_refused(served):
    """ClientContext (base64 JSON) is the handler's context.client_context, for Event calls too; anything
    else is a 400."""
    client = served.client()
    context = base64.b64encode(json.dumps({"custom": {"tenant": "t-1"}, "env": {"locale": "en"}}).encode()).decode()
    reply = json.loads(client.invoke(FunctionName="Context", ClientContext=context)["Payload"].read())
    assert "t-1" in reply["client_context"] and reply["function_name"] == "Context"
    marks = served.workspace / "context-event.jsonl"
    client.invoke(FunctionName="Recorder", InvocationType="Event", ClientContext=context, Payload=b"{}")
    assert wait_for(lambda: marks.exists() and "t-1" in marks.read_text())
    with pytest.raises(client.exceptions.InvalidRequestContentException, match="Client context must be"):
        client.invoke(FunctionName="Context", ClientContext=base64.b64encode(b"[1]").decode())


def test_functions_can_be_listed_and_looked_up_as_sdk_tools_do(served):
    """ListFunctions, GetFunction(Configuration): the served functions in the API's shape; unknown is a 404."""
    client = served.client()
    names = [function["FunctionName"] for function in client.list_functions()["Functions"]]
    assert names == [function["name"] for function in FUNCTIONS]
    configuration = client.get_function_configuration(FunctionName="Success")
    assert configuration["FunctionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:Success"
    assert (configuration["Runtime"], configuration["Handler"], configuration["MemorySize"],
            configuration["Timeout"], configuration["State"]) == ("python3.12", "success.handler", 128, 3, "Active")
    assert client.get_function(FunctionName="Barrier")["Configuration"]["Timeout"] == 60
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_function(FunctionName="Nope")
