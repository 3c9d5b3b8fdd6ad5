"""The HTTP front door: template Events (Api, HttpApi, FunctionUrlConfig) served by `lambda-workbench serve`,
called with a real HTTP client; the bundled sample places an order over HTTP."""

import base64
import http.client
import json
import time
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from serve_helpers import start_serve
from test_serve_invoke_api import wait_for

FIXTURES = Path(__file__).parent / "fixtures" / "python"
SAMPLE = Path(__file__).parent.parent / "resources" / "sample_workspace"

TEMPLATE = """
Globals:
  Function:
    Runtime: python3.12
    CodeUri: code
  Api:
    BinaryMediaTypes: ["image~1png"]
Resources:
  Rest:
    Type: AWS::Serverless::Function
    Properties:
      Handler: http_echo.handler
      Events:
        Items:
          Type: Api
          Properties:
            Path: /rest/{id}
            Method: any
  Http:
    Type: AWS::Serverless::Function
    Properties:
      Handler: http_echo.handler
      FunctionUrlConfig:
        AuthType: NONE
      Events:
        Items:
          Type: HttpApi
          Properties:
            Path: /http/{proxy+}
            Method: ANY
        Old:
          Type: HttpApi
          Properties:
            Path: /v1/{name}
            Method: GET
            PayloadFormatVersion: "1.0"
"""


def request(base, method, path, body=None, headers=None):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    answer = (response.status, response.getheaders(), response.read())
    connection.close()
    return answer


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("frontdoor")
    shutil.copytree(FIXTURES, folder / "code", ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "template.yaml").write_text(TEMPLATE)
    server = start_serve(folder)
    yield server
    assert server.stop() == 0, server.stderr


def test_rest_event_carries_path_parameters_queries_and_multi_value_headers(served):
    """A REST route: payload 1.0 with the template path, parameters, every header and query value."""
    status, _, body = request(served.api_url, "POST", "/rest/42?tag=a&tag=b",
                              body=b'{"n": 1}', headers={"Content-Type": "application/json", "X-Twice": "x"})
    assert status == 200
    event = json.loads(body)
    assert event["resource"] == "/rest/{id}" and event["pathParameters"] == {"id": "42"}
    assert event["httpMethod"] == "POST" and event["body"] == '{"n": 1}'
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"]}
    assert event["queryStringParameters"] == {"tag": "b"}
    assert event["requestContext"]["stage"] == "Prod" and event["requestContext"]["resourcePath"] == "/rest/{id}"
    assert "version" not in event


def test_a_rest_route_answers_under_its_stage_too(served):
    """/Prod/rest/7 (the invoke URL's form) reaches the same route; the event's path has no stage in it."""
    status, _, body = request(served.api_url, "GET", "/Prod/rest/7")
    event = json.loads(body)
    assert status == 200 and event["path"] == "/rest/7" and event["pathParameters"] == {"id": "7"}
    assert event["requestContext"]["path"] == "/Prod/rest/7"


def test_rest_refuses_unknown_response_keys_with_502_and_the_log_says_why(served):
    """502 {"message": "Internal server error"}, and serve's log names the rule and the key."""
    status, _, body = request(served.api_url, "GET", "/rest/bad-key")
    assert (status, body) == (502, b'{"message": "Internal server error"}')
    assert wait_for(lambda: "GET /rest/bad-key -> 502" in served.stderr and "unknown key 'extra'" in served.stderr)


def test_rest_merges_multi_value_headers_and_decodes_binary_media(served):
    status, headers, body = request(served.api_url, "GET", "/rest/multi")
    assert status == 200 and [v for k, v in headers if k == "X-Many"] == ["1", "2"]
    assert ("X-One", "a") in headers
    status, headers, body = request(served.api_url, "GET", "/rest/binary", headers={"Accept": "image/png"})
    assert status == 200 and body == b"\x89PNG\r\n\x00\xff"


def test_http_api_v2_event_and_its_cookies_and_bare_bodies(served):
    """Payload 2.0: lower-case headers, cookies split out, greedy path parameter; Set-Cookie per cookie."""
    status, _, body = request(served.api_url, "GET", "/http/a/b?x=1&x=2", headers={"Cookie": "s=1; t=2"})
    event = json.loads(body)
    assert event["version"] == "2.0" and event["routeKey"] == "ANY /http/{proxy+}"
    assert event["pathParameters"] == {"proxy": "a/b"} and event["cookies"] == ["s=1", "t=2"]
    assert event["queryStringParameters"] == {"x": "1,2"} and "cookie" not in event["headers"]
    status, headers, body = request(served.api_url, "GET", "/http/cookies")
    assert status == 201 and [v for k, v in headers if k == "Set-Cookie"] == ["a=1", "b=2; Secure"]
    status, headers, body = request(served.api_url, "GET", "/http/bare")
    assert (status, body) == (200, b'{"hello": "world"}')
    assert ("Content-Type", "application/json") in headers


def test_http_api_binary_request_bodies_arrive_base64(served):
    status, _, body = request(served.api_url, "POST", "/http/echo", body=b"\x00\x01\xfe",
                              headers={"Content-Type": "application/octet-stream"})
    event = json.loads(body)
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == b"\x00\x01\xfe"


def test_a_function_error_is_500_from_an_http_api_and_explained(served):
    status, _, body = request(served.api_url, "GET", "/http/raise")
    assert (status, body) == (500, b'{"message":"Internal Server Error"}')
    assert wait_for(lambda: "the function failed (RuntimeError)" in served.stderr)


def test_payload_version_1_on_an_http_api(served):
    status, _, body = request(served.api_url, "GET", "/v1/ada")
    event = json.loads(body)
    assert event["version"] == "1.0" and event["pathParameters"] == {"name": "ada"}
    assert event["requestContext"]["routeKey"] == "GET /v1/{name}"


def test_function_url_gets_the_v2_shape_under_its_local_prefix(served):
    status, _, body = request(served.api_url, "PUT", "/lambda-url/Http/any/path?q=1")
    event = json.loads(body)
    assert event["routeKey"] == "$default" and event["rawPath"] == "/any/path"
    assert event["requestContext"]["domainName"].endswith(".lambda-url.us-east-1.on.aws")


def test_no_route_answers_as_the_gateway_does(served):
    status, _, body = request(served.api_url, "GET", "/nowhere")
    assert status in (403, 404)
    assert wait_for(lambda: "no route matches GET /nowhere" in served.stderr)


def test_a_body_over_api_gateways_limit_is_refused_and_the_server_goes_on(served):
    status, _, body = request(served.api_url, "POST", "/http/echo", body=b"x" * (10 * 1024 * 1024 + 1),
                              headers={"Content-Type": "text/plain"})
    assert status == 413
    status, _, body = request(served.api_url, "POST", "/http/echo", body=b"y" * (7 * 1024 * 1024),
                              headers={"Content-Type": "text/plain"})
    assert status == 500  # API Gateway passes it, Lambda refuses the 7 MB event
    assert wait_for(lambda: "over Lambda's 6291456-byte limit" in served.stderr)
    assert request(served.api_url, "GET", "/http/bare")[0] == 200


def test_the_sample_places_an_order_over_http(tmp_path):
    """`curl -X POST localhost:3000/orders -d @events/OrderConfirmation/new-order.json` places the order (201);
    the Orders table's stream then runs OrderConfirmation, whose email is in the Outbox a moment later."""
    from workbench.engine.services_client import ServicesClient
    from workbench.engine.services_host import find_host, stop_host

    workspace = tmp_path / "sample"
    shutil.copytree(SAMPLE, workspace, ignore=shutil.ignore_patterns("__pycache__", ".workbench"))
    server = start_serve(workspace)
    try:
        port = urlsplit(server.api_url).port
        if shutil.which("curl"):
            body = subprocess.run(["curl", "-s", "-X", "POST", f"localhost:{port}/orders", "-d",
                                   "@events/OrderConfirmation/new-order.json"], cwd=workspace, check=True,
                                  capture_output=True, timeout=30).stdout
        else:
            body = request(server.api_url, "POST", "/orders",
                           (workspace / "events/OrderConfirmation/new-order.json").read_bytes())[2]
        assert json.loads(body) == {"order_id": "ORD-1001", "status": "placed"}
        client = ServicesClient(find_host(workspace))
        deadline = time.time() + 30
        while time.time() < deadline and not client.outbox():
            time.sleep(0.1)
        (mail,) = client.outbox()
        assert mail["to"] == ["maria.garcia@example.com"] and mail["subject"] == "Your order ORD-1001 is confirmed"
        status, _, body = request(server.api_url, "POST", "/orders",
                                  (workspace / "events/OrderConfirmation/missing-email.json").read_bytes())
        assert status == 400 and "customer.email" in json.loads(body)["message"]
        status, _, body = request(server.api_url, "POST", "/orders",
                                  (workspace / "events/OrderConfirmation/new-order.json").read_bytes())
        assert status == 409 and json.loads(body)["message"] == "Order ORD-1001 was placed already"
    finally:
        assert server.stop() == 0
        stop_host(workspace)
