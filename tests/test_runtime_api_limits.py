"""The Runtime API's limits, as Lambda's: its state rules, one /next at a time, bodies over the limit,
idle connections, and a handler's own failure — over real HTTP on loopback."""

import http.client
import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
import threading

import pytest

from workbench.engine.environment_membership import ProcessTreeMembership
from workbench.engine.invoke_request import PendingInvoke, lambda_headers
from workbench.engine.runtime_api_server import RuntimeApiServer, _peer_hung_up

REQUEST_ID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
PREFIX = "/2018-06-01/runtime"
NOT_ALLOWED = "Error: State transition is not allowed"


def _server(**options):
    membership = ProcessTreeMembership(os.getpid)
    return RuntimeApiServer(peer_allowed=membership, likely_peers=membership.likely_pids, **options)


@pytest.fixture
def server(qapp):
    instance = _server()
    yield instance
    instance.close()


def _connect(server, timeout=10):
    host, port = server.address.split(":")
    return http.client.HTTPConnection(host, int(port), timeout=timeout)


def _request(connection, method, path, body=None, headers=None):
    connection.request(method, PREFIX + path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response, response.read()


def _dispatch(server, request_id=REQUEST_ID, event=b'{"order": "A-1"}'):
    server.dispatch(PendingInvoke(request_id, event, lambda_headers(
        request_id, 1542409706888, "arn:aws:lambda:us-east-1:123456789012:function:f", "Root=1-0-0")))


def _ask_next_in_background(server):
    got = {}

    def ask():
        try:
            got["response"], got["body"] = _request(_connect(server, timeout=30), "GET", "/invocation/next")
        except (http.client.HTTPException, OSError) as error:
            got["error"] = error

    asker = threading.Thread(target=ask)
    asker.start()
    return asker, got


# --- State rules -------------------------------------------------------------------------------------

def test_init_error_after_the_first_next_is_refused_with_403(server):
    """Once init has ended (the runtime asked for work), /init/error is a state transition Lambda refuses."""
    connection = _connect(server)
    _dispatch(server)
    _request(connection, "GET", "/invocation/next")
    response, body = _request(connection, "POST", "/init/error", body=b'{"errorType": "Runtime.X"}')
    assert response.status == 403
    assert json.loads(body) == {
        "errorMessage": f"State transition from Running to InitError failed for runtime. {NOT_ALLOWED}",
        "errorType": "InvalidStateTransition"}
    # After the response the state is Lambda's RuntimeResponseSentState; still refused.
    _request(connection, "POST", f"/invocation/{REQUEST_ID}/response", body=b"{}")
    response, body = _request(connection, "POST", "/init/error", body=b"{}")
    assert response.status == 403
    assert json.loads(body)["errorMessage"].startswith("State transition from RuntimeResponseSentState to InitError")


def test_a_second_init_error_and_a_next_after_it_are_refused(server, qtbot):
    """The first /init/error is taken; the runtime is then in InitError, where nothing more is allowed."""
    connection = _connect(server)
    with qtbot.waitSignal(server.signals.init_error_posted, timeout=5000):
        first, _ = _request(connection, "POST", "/init/error", body=b'{"errorType": "Runtime.X"}')
    second, body = _request(connection, "POST", "/init/error", body=b"{}")
    next_response, next_body = _request(connection, "GET", "/invocation/next")
    assert (first.status, second.status, next_response.status) == (202, 403, 403)
    assert json.loads(body)["errorMessage"] == f"State transition from InitError to InitError failed for runtime. {NOT_ALLOWED}"
    assert json.loads(next_body)["errorMessage"] == f"State transition from InitError to Ready failed for runtime. {NOT_ALLOWED}"


def test_a_second_concurrent_next_is_refused_and_the_first_gets_the_event(server, qtbot):
    """One /next waits at a time: another one meanwhile is refused, and the waiting one gets the event."""
    with qtbot.waitSignal(server.signals.next_requested, timeout=5000):
        asker, got = _ask_next_in_background(server)
    response, body = _request(_connect(server), "GET", "/invocation/next")
    assert response.status == 403
    assert json.loads(body) == {
        "errorMessage": f"State transition from Ready to Ready failed for runtime. {NOT_ALLOWED}",
        "errorType": "InvalidStateTransition"}
    _dispatch(server, event=b'"for the first"')
    asker.join(30)
    assert got["response"].status == 200 and got["body"] == b'"for the first"'


def test_a_next_whose_client_hung_up_gives_way_to_a_new_one(server, qtbot):
    """A runtime that gave up its /next (a client timeout) and asks again gets the event, not a 403."""
    host, port = server.address.split(":")
    abandoned = socket.create_connection((host, int(port)))
    with qtbot.waitSignal(server.signals.next_requested, timeout=5000):
        abandoned.sendall(f"GET {PREFIX}/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    abandoned.close()
    qtbot.waitUntil(lambda: _peer_hung_up(server._waiter), timeout=5000)  # the server can see it is gone
    asker, got = _ask_next_in_background(server)
    qtbot.waitUntil(lambda: server._waiter_generation == 1, timeout=5000)
    _dispatch(server, event=b'"for the new one"')
    asker.join(30)
    assert got["response"].status == 200 and got["body"] == b'"for the new one"'


# --- Bodies over the limit --------------------------------------------------------------------------

SENDER = textwrap.dedent('''
    import http.client, json, sys
    host, port, path, size = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    piece = b"x" * (1 << 20)

    def body():
        left = size
        while left > 0:
            yield piece[:min(left, len(piece))]
            left -= len(piece)

    connection = http.client.HTTPConnection(host, port, timeout=60)
    connection.request("POST", path, body=body(), headers={"Content-Length": str(size)})
    response = connection.getresponse()
    print(json.dumps([response.status, json.loads(response.read())]))
''')


def _peak_rss_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def _reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # resets VmHWM to the current resident size
    except OSError as error:
        pytest.skip(f"cannot reset the peak resident size here: {error}")


@pytest.mark.parametrize("path", [f"/invocation/{REQUEST_ID}/response", "/invocation/not-the-id/response",
                                  f"/invocation/{REQUEST_ID}/error", "/init/error"])
def test_a_100_mb_body_is_refused_while_it_streams_in(server, path):
    """100 MB from another process: the server answers (413, or 400 for a wrong id) and its memory
    never holds the body."""
    if path != "/init/error":
        _dispatch(server)
        _request(_connect(server), "GET", "/invocation/next")
    host, port = server.address.split(":")
    _reset_peak_rss()
    before = _peak_rss_kb()
    done = subprocess.run([sys.executable, "-c", SENDER, host, port, PREFIX + path, str(100 << 20)],
                          capture_output=True, text=True, timeout=60)
    grown_mb = (_peak_rss_kb() - before) / 1024
    assert done.returncode == 0, done.stderr
    status, body = json.loads(done.stdout)
    if "not-the-id" in path:
        assert (status, body["errorType"]) == (400, "InvalidRequestID")
    else:
        assert (status, body["errorType"]) == (413, "RequestEntityTooLarge")
    assert grown_mb < 20, f"the server's peak memory grew by {grown_mb:.0f} MB"


def test_a_content_length_that_is_not_a_number_is_a_400(server):
    """A malformed Content-Length gets Go net/http's 400 (Lambda's server), not a silent drop."""
    host, port = server.address.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(f"POST {PREFIX}/init/error HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n".encode())
        reply = raw.recv(4096)
    assert reply.startswith(b"HTTP/1.1 400 ")
    assert reply.endswith(b"400 Bad Request: bad Content-Length")


# --- Idle connections -------------------------------------------------------------------------------

def test_idle_connections_do_not_block_new_ones_and_threads_stay_bounded(qapp):
    """200 connections opened and left silent: each new one still connects, the server keeps at most
    its limit of them (so at most that many threads), and a runtime's /next still gets its event."""
    server = _server(max_connections=16)
    try:
        host, port = server.address.split(":")
        threads_before = threading.active_count()
        held = [socket.create_connection((host, int(port)), timeout=10) for _ in range(200)]
        _dispatch(server, event=b'"still served"')
        response, body = _request(_connect(server), "GET", "/invocation/next")
        assert (response.status, body) == (200, b'"still served"')
        assert len(server.connections) <= 16
        # Threads of connections hung up to make room wind down; bounded, whatever the count held.
        _wait_until(lambda: threading.active_count() - threads_before <= 16 + 2)
        for sock in held:
            sock.close()
    finally:
        server.close()


def _wait_until(condition, timeout_s=20.0):
    deadline = threading.Event()
    timer = threading.Timer(timeout_s, deadline.set)
    timer.start()
    try:
        while not condition():
            assert not deadline.wait(0.05), "condition not met in time"
    finally:
        timer.cancel()


def test_an_idle_connection_is_hung_up_but_not_while_the_environment_is_frozen(qapp):
    """Silent past the idle limit of running time: hung up. Frozen between calls: kept, as Lambda keeps
    a frozen runtime's connection."""
    server = _server(idle_timeout_s=1.0)
    try:
        host, port = server.address.split(":")
        server.pause_idle_clock()
        frozen = socket.create_connection((host, int(port)), timeout=10)
        frozen.settimeout(2.5)  # more than twice the idle limit, with the clock paused
        with pytest.raises(TimeoutError):
            frozen.recv(1)
        server.resume_idle_clock()
        frozen.settimeout(20)
        assert frozen.recv(1) == b""  # hung up once running time passes the limit
    finally:
        server.close()


# --- A failure inside the server ---------------------------------------------------------------------

def test_an_exception_in_a_request_handler_is_logged_and_answered_500(server, caplog, monkeypatch):
    """A bug in the server shows as a logged traceback and Lambda's 500, not a silently dropped call."""
    def broken(request_id):
        raise RuntimeError("bookkeeping broke")

    monkeypatch.setattr(server, "_is_current", broken)
    with caplog.at_level(logging.ERROR, logger="workbench.engine.runtime_api_server"):
        response, body = _request(_connect(server), "POST", f"/invocation/{REQUEST_ID}/response", body=b"{}")
    assert response.status == 500
    assert json.loads(body) == {"errorMessage": "Internal Server Error", "errorType": "InternalServerError"}
    record = next(r for r in caplog.records if "failed" in r.getMessage())
    assert f"POST {PREFIX}/invocation/{REQUEST_ID}/response" in record.getMessage()
    assert "bookkeeping broke" in caplog.text
