"""Bad input and load against `lambda-workbench serve`: malformed requests, bodies over 6 MB, slow clients and
a burst of 1,000 requests. The server keeps answering, nothing it accepted is lost, its memory stays bounded."""

import asyncio
import json
import socket
import time
from urllib.parse import urlsplit

import aiohttp
import pytest

from serve_helpers import start_serve
from test_serve_invoke_api import FUNCTIONS, wait_for, write_workspace

INVOKE = "/2015-03-31/functions/{}/invocations"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    workspace = write_workspace(tmp_path_factory.mktemp("load"), FUNCTIONS)
    server = start_serve(workspace, "--quiet")
    yield server
    assert server.stop() == 0, server.stderr


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def raw(url: str, data: bytes, read=True, timeout=10) -> bytes:
    """Send bytes as they are (no client library tidying them up) and read the answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as connection:
        connection.sendall(data)
        if not read:
            return b""
        chunks = []
        try:
            while chunk := connection.recv(65536):
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks):
                    break
        except (socket.timeout, ConnectionResetError):
            pass
        return b"".join(chunks)


def still_answers(served) -> bool:
    reply = served.client().invoke(FunctionName="Success", Payload=b'{"ping": 1}')
    return reply["StatusCode"] == 200 and "FunctionError" not in reply


def test_malformed_requests_get_400_and_the_server_goes_on(served):
    """Garbage, a broken request line, a header without a colon, an oversized header: each answered, no crash."""
    for junk in (b"GARBAGE\r\n\r\n", b"POST /x HTTP/9.9\r\n\r\n", b"GET / HTTP/1.1\r\nNoColonHere\r\n\r\n",
                 b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n", b"\x00\xff\x16\x03\x01\r\n\r\n"):
        for url in (served.lambda_url, served.api_url):
            answer = raw(url, junk)
            assert answer[:9] in (b"HTTP/1.0 ", b"HTTP/1.1 ") and answer[9:10] == b"4", (junk[:30], answer[:80])
    assert still_answers(served)


def test_a_declared_body_over_6_mb_is_refused_without_reading_it(served):
    """Content-Length over the limit: 413 at once, the body never sent, never held in memory."""
    head = (f"POST {INVOKE.format('Success')} HTTP/1.1\r\nHost: x\r\nContent-Length: {64 * 1024 * 1024}\r\n"
            "Content-Type: application/json\r\n\r\n").encode()
    answer = raw(served.lambda_url, head)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"RequestEntityTooLargeException" in answer
    assert still_answers(served)


def test_a_chunked_body_over_6_mb_is_counted_and_refused(served):
    """No length given: the server reads and counts, keeping at most the limit, then answers 413 with the size."""
    async def send():
        async def chunks():
            for _ in range(7):
                yield b"x" * (1024 * 1024)
        async with aiohttp.ClientSession() as session:
            async with session.post(served.lambda_url + INVOKE.format("Success"), data=chunks()) as reply:
                return reply.status, await reply.json()
    status, body = asyncio.run(send())
    assert status == 413 and body["Message"].startswith(f"{7 * 1024 * 1024} byte payload is too large")


def test_slow_clients_do_not_hold_up_the_others(served):
    """Five clients that send half a request and stall: every other call is still answered."""
    parts = urlsplit(served.lambda_url)
    stalled = []
    try:
        for n in range(5):
            connection = socket.create_connection((parts.hostname, parts.port), timeout=10)
            connection.sendall(f"POST {INVOKE.format('Success')} HTTP/1.1\r\nHost: x\r\n".encode() if n % 2 else
                               f"POST {INVOKE.format('Success')} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                               "{\"a\"".encode())
            stalled.append(connection)
        for _ in range(5):
            assert still_answers(served)
    finally:
        for connection in stalled:
            connection.close()
    assert still_answers(served)


def test_a_burst_of_1000_requests_is_answered_in_full_with_bounded_memory(served, tmp_path):
    """1,000 invokes at once (and 300 Event calls): every one answered 200, every Event run; RSS stays bounded."""
    before = rss_mb(served.process.pid)
    marks = tmp_path / "events"
    marks.mkdir()

    async def burst():
        connector = aiohttp.TCPConnector(limit=200)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=300)) as session:
            async def call(n):
                async with session.post(served.lambda_url + INVOKE.format("Success"),
                                        data=json.dumps({"n": n})) as reply:
                    body = await reply.json(content_type=None)
                    return reply.status, reply.headers.get("X-Amz-Function-Error"), body["event"]["n"]

            async def event(n):
                async with session.post(served.lambda_url + INVOKE.format("Attempts"),
                                        headers={"X-Amz-Invocation-Type": "Event"},
                                        data=json.dumps({"file": str(marks / f"{n}.txt")})) as reply:
                    return reply.status

            started = time.monotonic()
            results = await asyncio.gather(*(call(n) for n in range(1000)), *(event(n) for n in range(300)))
            return results, time.monotonic() - started

    results, seconds = asyncio.run(burst())
    answers, accepted = results[:1000], results[1000:]
    assert sorted(n for _, _, n in answers) == list(range(1000))
    assert {(status, error) for status, error, _ in answers} == {(200, None)}
    assert accepted == [202] * 300
    assert wait_for(lambda: len(list(marks.iterdir())) == 300, seconds=120)
    after = rss_mb(served.process.pid)
    print(f"\n1,000 invokes + 300 events: {seconds:.1f} s, {1300 / seconds:.0f} requests/s; "
          f"serve RSS {before:.0f} MB -> {after:.0f} MB")
    assert after < before + 150, (before, after)
    assert still_answers(served)


def test_a_flood_of_events_is_throttled_once_the_queue_is_full(tmp_path):
    """With 1 MB of queue, slow 300 KB events: the first three are accepted, the next gets 429
    TooManyRequestsException (boto3's class), and once the queue drains events are accepted again."""
    workspace = write_workspace(tmp_path, FUNCTIONS)
    server = start_serve(workspace, "--max-queued-event-mb", "1", "--quiet", "--max-environments", "1")
    try:
        client = server.client()
        folder = tmp_path / "marks"
        folder.mkdir()
        slow = json.dumps({"folder": str(folder), "count": 99, "wait_s": 2, "pad": "x" * 300_000})
        accepted = [client.invoke(FunctionName="Barrier", InvocationType="Event", Payload=slow)["StatusCode"]
                    for _ in range(3)]
        assert accepted == [202, 202, 202]
        with pytest.raises(client.exceptions.TooManyRequestsException, match="Rate Exceeded"):
            client.invoke(FunctionName="Barrier", InvocationType="Event", Payload=slow)
        assert wait_for(lambda: len(list(folder.iterdir())) == 3, seconds=60)
        assert wait_for(lambda: _accepted(client, slow), seconds=30)
    finally:
        assert server.stop() == 0


def _accepted(client, payload) -> bool:
    try:
        return client.invoke(FunctionName="Barrier", InvocationType="Event", Payload=payload)["StatusCode"] == 202
    except client.exceptions.TooManyRequestsException:
        return False
