"""Streamed responses through `serve`, read by real HTTP clients: a Function URL in RESPONSE_STREAM mode
(aiohttp's client) and InvokeWithResponseStream (boto3). The first piece reaches the client while the handler
still runs: the handler waits for a file the test creates only after reading that piece."""

import asyncio
import json
import shutil
from pathlib import Path

import aiohttp
import pytest

from node_functions import needs_node
from processes import processes_in
from serve_helpers import start_serve

pytestmark = needs_node

NODE_FIXTURES = Path(__file__).parent / "fixtures" / "node"

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    CodeUri: code
    Timeout: 20
Resources:
  Plain:
    Type: AWS::Serverless::Function
    Properties:
      Handler: streaming.untilReleased
      FunctionUrlConfig: {AuthType: NONE, InvokeMode: RESPONSE_STREAM}
  Page:
    Type: AWS::Serverless::Function
    Properties:
      Handler: streaming.httpUntilReleased
      FunctionUrlConfig: {AuthType: NONE, InvokeMode: RESPONSE_STREAM}
  Buffered:
    Type: AWS::Serverless::Function
    Properties:
      Handler: intro.handler
      FunctionUrlConfig: {AuthType: NONE, InvokeMode: RESPONSE_STREAM}
  Fails:
    Type: AWS::Serverless::Function
    Properties:
      Handler: streaming.failsMidway
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("streaming")
    shutil.copytree(NODE_FIXTURES, workspace / "code")
    (workspace / "template.yaml").write_text(TEMPLATE)
    server = start_serve(workspace)
    yield server
    assert server.stop() == 0, server.stderr
    assert processes_in(workspace / "code") == []


async def _read_url(url: str, release: Path):
    """GET a streamed URL: (status, headers, first piece read, whether the handler had been released by
    then, the rest)."""
    async with aiohttp.ClientSession() as session:
        async with session.get(url, params={"release": str(release)}) as response:
            first = await response.content.readany()
            released_before = release.exists()
            release.touch()
            rest = await response.content.read()
            return response.status, response.headers, first, released_before, rest


def test_function_url_streams_the_first_piece_before_the_handler_ends(served, tmp_path):
    release = tmp_path / "release-plain"
    status, headers, first, released, rest = asyncio.run(_read_url(f"{served.api_url}/lambda-url/Plain/",
                                                                   release))
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert first == b"first piece\n" and not released
    assert rest == b"last piece\n"
    assert headers.get("Transfer-Encoding") == "chunked"


def test_function_url_reads_the_prelude_as_aws_does(served, tmp_path):
    """HttpResponseStream.from: status, headers and cookies from the prelude; the NUL delimiter never reaches
    the client; the body streams."""
    release = tmp_path / "release-page"
    status, headers, first, released, rest = asyncio.run(_read_url(f"{served.api_url}/lambda-url/Page/", release))
    assert status == 201 and headers["Content-Type"] == "text/html" and headers["X-Custom"] == "yes"
    assert headers.getall("Set-Cookie") == ["a=1; Path=/", "b=2"]
    assert first == b"<p>first</p>" and not released
    assert rest == b"<p>last</p>"


def test_a_buffered_function_behind_a_streaming_url_answers_whole(served):
    async def get():
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{served.api_url}/lambda-url/Buffered/") as response:
                return response.status, await response.read()
    assert asyncio.run(get()) == (200, b'"Email sent successfully!"')


def test_boto3_reads_invoke_with_response_stream_as_it_arrives(served, tmp_path):
    """boto3's invoke_with_response_stream reads our event stream unchanged; its first PayloadChunk comes while
    the handler still waits."""
    release = tmp_path / "release-boto3"
    answer = served.client().invoke_with_response_stream(FunctionName="Plain",
                                                         Payload=json.dumps({"release": str(release)}))
    assert answer["StatusCode"] == 200 and answer["ExecutedVersion"] == "$LATEST"
    assert answer["ResponseStreamContentType"] == "application/vnd.amazon.eventstream"
    events = iter(answer["EventStream"])
    first = next(events)
    assert first == {"PayloadChunk": {"Payload": b"first piece\n"}} and not release.exists()
    release.touch()
    rest = list(events)
    assert rest[:-1] == [{"PayloadChunk": {"Payload": b"last piece\n"}}]
    assert rest[-1] == {"InvokeComplete": {}}


def test_boto3_hears_an_error_mid_stream_in_invoke_complete(served):
    answer = served.client().invoke_with_response_stream(FunctionName="Fails", LogType="Tail")
    events = list(answer["EventStream"])
    assert events[0] == {"PayloadChunk": {"Payload": b"partial "}}
    complete = events[-1]["InvokeComplete"]
    assert complete["ErrorCode"] == "TypeError"
    assert json.loads(complete["ErrorDetails"])["errorMessage"] == "broke mid-stream"
    import base64
    assert "REPORT RequestId: " in base64.b64decode(complete["LogResult"]).decode()


def test_a_buffered_function_is_one_payload_chunk(served):
    events = list(served.client().invoke_with_response_stream(FunctionName="Buffered")["EventStream"])
    assert events == [{"PayloadChunk": {"Payload": b'{"statusCode":200,"body":"\\"Email sent successfully!\\""}'}},
                      {"InvokeComplete": {}}]


def test_event_invocation_type_is_not_for_streams(served):
    import botocore.exceptions
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        served.client().invoke_with_response_stream(FunctionName="Plain", InvocationType="Event")
    assert raised.value.response["Error"]["Code"] == "ValidationException"
