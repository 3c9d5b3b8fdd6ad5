"""The Runtime API server alone, spoken to over real HTTP on loopback, as a runtime would."""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from workbench.core.child.process_variables import build_environment
from workbench.core.function.function_config import FunctionConfig
from workbench.core.lambda_rules.lambda_errors import MAX_RESPONSE_BYTES
from workbench.engine.environment_membership import ProcessTreeMembership
from workbench.engine.invoke_request import PendingInvoke, lambda_headers
from workbench.engine.runtime_api_server import RuntimeApiServer
from workbench.resources import runtime_path

REQUEST_ID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
TRACE_ID = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders"
PREFIX = "/2018-06-01/runtime"


def _this_process_and_its_children():
    """The membership these tests need: they speak to the server themselves, and start runtimes."""
    return ProcessTreeMembership(os.getpid)


@pytest.fixture
def server(qapp):
    membership = _this_process_and_its_children()
    instance = RuntimeApiServer(peer_allowed=membership, likely_peers=membership.likely_pids)
    yield instance
    instance.close()


def _connect(server):
    host, port = server.address.split(":")
    return http.client.HTTPConnection(host, int(port), timeout=10)


def _dispatch(server, request_id=REQUEST_ID, event=b'{"order": "A-1"}', deadline_ms=1542409706888,
              client_context=None):
    server.dispatch(PendingInvoke(request_id, event, lambda_headers(
        request_id, deadline_ms, ARN, TRACE_ID, client_context=client_context)))


def _request(connection, method, path, body=None, headers=None):
    connection.request(method, PREFIX + path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response, response.read()


def test_server_listens_on_loopback_with_an_ephemeral_port(server):
    """AWS_LAMBDA_RUNTIME_API is host:port on 127.0.0.1, never a fixed or public address."""
    host, port = server.address.split(":")
    assert host == "127.0.0.1"
    assert 0 < int(port) < 65536


def test_next_returns_the_event_with_lambdas_headers(server):
    """GET /next answers 200 with the event bytes and every header Lambda sends."""
    _dispatch(server)
    response, body = _request(_connect(server), "GET", "/invocation/next")
    assert response.status == 200
    assert body == b'{"order": "A-1"}'
    assert response.getheader("Lambda-Runtime-Aws-Request-Id") == REQUEST_ID
    assert response.getheader("Lambda-Runtime-Deadline-Ms") == "1542409706888"
    assert response.getheader("Lambda-Runtime-Invoked-Function-Arn") == ARN
    assert response.getheader("Lambda-Runtime-Trace-Id") == TRACE_ID
    assert response.getheader("Content-Type") == "application/json"
    assert response.getheader("Content-Length") == str(len(body))
    # Absent headers are not sent empty.
    assert response.getheader("Lambda-Runtime-Client-Context") is None
    assert response.getheader("Lambda-Runtime-Cognito-Identity") is None


def test_next_carries_the_client_context_as_json(server):
    """A client context given to the invoke reaches the runtime as a JSON header."""
    _dispatch(server, client_context={"custom": {"tier": "gold"}})
    response, _ = _request(_connect(server), "GET", "/invocation/next")
    assert json.loads(response.getheader("Lambda-Runtime-Client-Context")) == {"custom": {"tier": "gold"}}


def test_next_waits_until_an_event_is_dispatched(server, qtbot):
    """A runtime that asks before there is work is answered when the work arrives."""
    got = {}

    def ask():
        got["response"], got["body"] = _request(_connect(server), "GET", "/invocation/next")

    asker = threading.Thread(target=ask)
    with qtbot.waitSignal(server.signals.next_requested, timeout=5000):
        asker.start()
    assert "response" not in got
    _dispatch(server, event=b'"late"')
    asker.join(10)
    assert got["response"].status == 200 and got["body"] == b'"late"'


def test_response_is_accepted_with_202_and_handed_on(server, qtbot):
    """POST /response answers 202 {"status":"OK"} and reports the body and content type."""
    connection = _connect(server)
    _dispatch(server)
    _request(connection, "GET", "/invocation/next")
    with qtbot.waitSignal(server.signals.response_posted, timeout=5000) as posted:
        response, body = _request(connection, "POST", f"/invocation/{REQUEST_ID}/response",
                                  body='{"ok": "héllo"}'.encode(), headers={"Content-Type": "application/json"})
    assert (response.status, body) == (202, b'{"status":"OK"}')
    request_id, payload, content_type, _ = posted.args
    assert (request_id, payload, content_type) == (REQUEST_ID, '{"ok": "héllo"}'.encode(), "application/json")


def test_error_is_accepted_with_202_and_its_type_header_handed_on(server, qtbot):
    """POST /error answers 202 and reports the body and the error-type header."""
    connection = _connect(server)
    _dispatch(server)
    _request(connection, "GET", "/invocation/next")
    error = b'{"errorMessage": "boom", "errorType": "ValueError", "requestId": "", "stackTrace": []}'
    with qtbot.waitSignal(server.signals.error_posted, timeout=5000) as posted:
        response, body = _request(connection, "POST", f"/invocation/{REQUEST_ID}/error", body=error,
                                  headers={"Lambda-Runtime-Function-Error-Type": "Function.ValueError"})
    assert (response.status, body) == (202, b'{"status":"OK"}')
    assert posted.args[:3] == [REQUEST_ID, error, "Function.ValueError"]


def test_a_wrong_request_id_is_refused_with_400(server):
    """A response for an id that is not the current invocation gets 400 InvalidRequestID."""
    connection = _connect(server)
    _dispatch(server)
    _request(connection, "GET", "/invocation/next")
    for kind in ("response", "error"):
        response, body = _request(connection, "POST", f"/invocation/00000000-0000-0000-0000-000000000000/{kind}",
                                  body=b"{}")
        assert response.status == 400
        assert json.loads(body) == {"errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"}


def test_a_second_response_for_the_same_invocation_is_refused(server):
    """Once an invocation has its result, another post for it is an invalid request id."""
    connection = _connect(server)
    _dispatch(server)
    _request(connection, "GET", "/invocation/next")
    first, _ = _request(connection, "POST", f"/invocation/{REQUEST_ID}/response", body=b"1")
    second, body = _request(connection, "POST", f"/invocation/{REQUEST_ID}/response", body=b"2")
    assert (first.status, second.status) == (202, 400)
    assert json.loads(body)["errorType"] == "InvalidRequestID"


def test_a_response_before_any_invocation_is_refused(server):
    """Posting a result when nothing was handed out is an invalid request id too."""
    response, _ = _request(_connect(server), "POST", f"/invocation/{REQUEST_ID}/response", body=b"{}")
    assert response.status == 400


def test_a_response_at_the_size_limit_is_accepted(server, qtbot):
    """6,291,556 bytes is the largest response Lambda takes."""
    connection = _connect(server)
    _dispatch(server)
    _request(connection, "GET", "/invocation/next")
    payload = b"x" * MAX_RESPONSE_BYTES
    with qtbot.waitSignal(server.signals.response_posted, timeout=10000) as posted:
        response, _ = _request(connection, "POST", f"/invocation/{REQUEST_ID}/response", body=payload)
    assert response.status == 202
    assert len(posted.args[1]) == MAX_RESPONSE_BYTES == 6291556


def test_an_oversize_response_is_refused_with_413(server, qtbot):
    """One byte over the limit: the runtime reads a 413, and the invocation is reported as too large."""
    connection = _connect(server)
    _dispatch(server)
    _request(connection, "GET", "/invocation/next")
    with qtbot.waitSignal(server.signals.response_too_large, timeout=10000) as too_large:
        response, body = _request(connection, "POST", f"/invocation/{REQUEST_ID}/response",
                                  body=b"x" * (MAX_RESPONSE_BYTES + 1))
    assert response.status == 413
    assert json.loads(body) == {"errorMessage": "Exceeded maximum allowed payload size (6291556 bytes).",
                                "errorType": "RequestEntityTooLarge"}
    assert too_large.args[:2] == [REQUEST_ID, MAX_RESPONSE_BYTES + 1]
    # The runtime heard the refusal and carries on with the next event on the same connection.
    _dispatch(server, request_id="00000000-0000-0000-0000-000000000002", event=b'"next"')
    assert _request(connection, "GET", "/invocation/next")[1] == b'"next"'


def test_an_oversize_declared_length_is_refused_before_the_body_is_sent(server):
    """The server answers 413 from the Content-Length alone, without waiting for 6 MB."""
    _dispatch(server)
    _request(_connect(server), "GET", "/invocation/next")
    host, port = server.address.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(f"POST {PREFIX}/invocation/{REQUEST_ID}/response HTTP/1.1\r\nHost: x\r\n"
                    f"Content-Length: {MAX_RESPONSE_BYTES + 1}\r\n\r\n".encode())
        reply = raw.recv(4096)
    assert reply.startswith(b"HTTP/1.1 413 ")


def test_unknown_paths_get_404(server):
    """Paths outside the Runtime API are 404, for GET and POST alike."""
    connection = _connect(server)
    for method, path in [("GET", "/invocation/nope"), ("GET", "/../ping"), ("POST", "/invocation/next"),
                         ("POST", f"/invocation/{REQUEST_ID}/result"), ("POST", "/init/fail")]:
        response, body = _request(connection, method, path, body=b"{}" if method == "POST" else None)
        assert response.status == 404, (method, path)
        assert json.loads(body)["errorType"] == "NotFound"
    connection.request("GET", "/2015-03-31/functions/function/invocations")
    assert connection.getresponse().status == 404


def test_init_error_is_accepted_with_its_type(server, qtbot):
    """POST /init/error answers 202 and reports the body and the error-type header."""
    error = (b'{"errorMessage": "Unable to import module \'app\': No module named \'requests\'", '
             b'"errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": []}')
    with qtbot.waitSignal(server.signals.init_error_posted, timeout=5000) as posted:
        response, body = _request(_connect(server), "POST", "/init/error", body=error,
                                  headers={"Lambda-Runtime-Function-Error-Type": "Runtime.ImportModuleError"})
    assert (response.status, body) == (202, b'{"status":"OK"}')
    assert posted.args[:2] == [error, "Runtime.ImportModuleError"]


def test_closing_wakes_a_runtime_blocked_in_next(server):
    """When an environment ends, a runtime waiting in GET /next is released, not left hanging."""
    outcome = {}

    def ask():
        try:
            outcome["status"] = _request(_connect(server), "GET", "/invocation/next")[0].status
        except (http.client.HTTPException, OSError) as error:
            outcome["error"] = error

    asker = threading.Thread(target=ask)
    asker.start()
    time.sleep(0.1)  # let it reach the server; the assertion below does not depend on it
    server.close()
    asker.join(10)
    assert not asker.is_alive()
    assert "status" not in outcome


def test_keep_alive_serves_many_invocations_on_one_connection(server):
    """A runtime can reuse one HTTP/1.1 connection for every /next and /response."""
    connection = _connect(server)
    for i in range(20):
        request_id = f"00000000-0000-0000-0000-{i:012d}"
        _dispatch(server, request_id=request_id, event=str(i).encode())
        response, body = _request(connection, "GET", "/invocation/next")
        assert (response.status, body) == (200, str(i).encode())
        response, _ = _request(connection, "POST", f"/invocation/{request_id}/response", body=body)
        assert response.status == 202


# --- A real runtime against the server alone -------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "python"


def _start_runtime(server, code_dir, command, tmp_path):
    config = FunctionConfig(name="deadline", handler="context_dump.handler", runtime="python3.12",
                            code_dir=str(code_dir))
    env = build_environment(config, server.address, dict(os.environ), "0" * 32, str(runtime_path()))
    log = open(tmp_path / "runtime.log", "wb")
    return subprocess.Popen(command, cwd=code_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


@pytest.mark.parametrize("client", ["bootstrap", "awslambdaric"])
def test_remaining_time_is_never_negative(server, qtbot, tmp_path, client):
    """Given a deadline already past, the context reports 0 ms left, not a negative number."""
    code_dir = tmp_path / "code"
    shutil.copytree(FIXTURES, code_dir, ignore=shutil.ignore_patterns("__pycache__"))
    if client == "bootstrap":
        command = [sys.executable, str(runtime_path() / "python" / "bootstrap.py")]
    else:
        command = [sys.executable, "-m", "awslambdaric", "context_dump.handler"]
    process = _start_runtime(server, code_dir, command, tmp_path)
    try:
        past = int(time.time() * 1000) - 60_000
        with qtbot.waitSignal(server.signals.response_posted, timeout=20000) as posted:
            _dispatch(server, event=b"{}", deadline_ms=past)
        result = json.loads(posted.args[1])
        assert result["remaining_ms"] == 0
        assert result["remaining_type"] == "int"
        assert result["aws_request_id"] == REQUEST_ID
        assert result["invoked_function_arn"] == ARN
    finally:
        os.killpg(process.pid, 9)
        process.wait(10)
