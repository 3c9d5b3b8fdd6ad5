"""API Gateway and Function URL rules as pure functions: the event built from a request, the answer mapped
from a response, routes from Events, and when a response is refused (and why)."""

import base64
import json

from workbench.core.lambda_rules import api_gateway_responses as responses
from workbench.core.lambda_rules.api_gateway_events import HttpRequest, RouteMatch, http_v2_event, rest_event
from workbench.core.workspace.function_events import HttpRoute, load_function_events, match_route

REQUEST = HttpRequest(
    method="POST", path="/orders/42", raw_query="tag=a&tag=b&empty=",
    headers=(("Content-Type", "application/json"), ("X-Custom", "one"), ("X-Custom", "two"),
             ("Cookie", "session=abc; theme=dark"), ("User-Agent", "curl/8")),
    body=b'{"order": 1}', source_ip="10.1.2.3", host="127.0.0.1:3000", port=3000, received_at=1700000000.5)
MATCH = RouteMatch("/orders/{id}", "POST /orders/{id}", (("id", "42"),), "Prod")


def test_rest_event_keeps_last_values_and_all_values():
    """1.0: headers/queryStringParameters hold the last value, multiValue... every value."""
    event = rest_event(REQUEST, MATCH, (), "123456789012")
    assert event["resource"] == "/orders/{id}" and event["path"] == "/orders/42"
    assert event["httpMethod"] == "POST"
    assert event["headers"]["X-Custom"] == "two"
    assert event["multiValueHeaders"]["X-Custom"] == ["one", "two"]
    assert event["queryStringParameters"] == {"tag": "b", "empty": ""}
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"], "empty": [""]}
    assert event["pathParameters"] == {"id": "42"}
    assert event["stageVariables"] is None
    assert event["body"] == '{"order": 1}' and event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["stage"] == "Prod" and context["path"] == "/Prod/orders/42"
    assert context["resourcePath"] == "/orders/{id}" and context["identity"]["sourceIp"] == "10.1.2.3"
    assert context["requestTimeEpoch"] == 1700000000500
    assert context["requestTime"] == "14/Nov/2023:22:13:20 +0000"
    assert "version" not in event


def test_rest_event_base64_only_for_the_apis_binary_media_types():
    png = HttpRequest("PUT", "/img", "", (("Content-Type", "image/png"),), b"\x89PNG\x00")
    assert rest_event(png, MATCH, (), "1")["isBase64Encoded"] is False
    event = rest_event(png, MATCH, ("image~1png",), "1")
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == b"\x89PNG\x00"
    assert rest_event(png, MATCH, ("*/*",), "1")["isBase64Encoded"] is True


def test_http_api_10_event_says_its_version():
    event = rest_event(REQUEST, MATCH, (), "1", http_api=True)
    assert event["version"] == "1.0" and event["requestContext"]["routeKey"] == "POST /orders/{id}"


def test_v2_event_joins_repeats_moves_cookies_and_omits_empty_keys():
    """2.0: lower-case names, repeats comma-joined, cookies split out of the headers, no null keys."""
    event = http_v2_event(REQUEST, RouteMatch("/orders/{id}", "POST /orders/{id}", (("id", "42"),), "$default"), "1")
    assert event["version"] == "2.0" and event["routeKey"] == "POST /orders/{id}"
    assert event["rawPath"] == "/orders/42" and event["rawQueryString"] == "tag=a&tag=b&empty="
    assert event["headers"]["x-custom"] == "one,two" and "cookie" not in event["headers"]
    assert event["cookies"] == ["session=abc", "theme=dark"]
    assert event["queryStringParameters"] == {"tag": "a,b", "empty": ""}
    assert event["requestContext"]["http"] == {"method": "POST", "path": "/orders/42", "protocol": "HTTP/1.1",
                                               "sourceIp": "10.1.2.3", "userAgent": "curl/8"}
    assert event["requestContext"]["timeEpoch"] == 1700000000500
    bare = http_v2_event(HttpRequest("GET", "/", "", (), b""), RouteMatch("$default", "$default", (), "$default"), "1")
    assert not {"cookies", "queryStringParameters", "body", "pathParameters", "stageVariables"} & set(bare)


def test_v2_binary_bodies_are_base64():
    event = http_v2_event(HttpRequest("POST", "/", "", (("content-type", "application/octet-stream"),), b"\x00\xff"),
                          RouteMatch("$default", "$default", (), "$default"), "1", function_url=True)
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == b"\x00\xff"
    assert event["requestContext"]["domainName"].endswith(".lambda-url.us-east-1.on.aws")


# --- Responses --------------------------------------------------------------------------------------

def test_rest_response_maps_status_headers_and_merged_multi_value_headers():
    payload = json.dumps({"statusCode": 201, "headers": {"X-A": "1", "X-B": "b"},
                          "multiValueHeaders": {"X-A": ["1", "2"]}, "body": "made"}).encode()
    answer = responses.map_response("rest", payload)
    assert answer.status == 201 and answer.body == b"made" and answer.refusal is None
    assert [pair for pair in answer.headers if pair[0] == "X-A"] == [("X-A", "1"), ("X-A", "2")]
    assert ("Content-Type", "application/json") in answer.headers


def test_rest_refuses_unknown_keys_with_502_and_says_which():
    answer = responses.map_response("rest", b'{"statusCode": 200, "body": "x", "cookies": ["a=b"]}')
    assert (answer.status, answer.body) == (502, b'{"message": "Internal server error"}')
    assert "unknown key 'cookies'" in answer.refusal


def test_rest_refuses_a_body_that_is_not_a_string_and_a_bad_status():
    assert "body must be a string" in responses.map_response("rest", b'{"statusCode": 200, "body": {"a": 1}}').refusal
    assert "statusCode" in responses.map_response("rest", b'{"statusCode": "abc"}').refusal
    assert responses.map_response("rest", b'"text"').status == 502


def test_rest_decodes_base64_only_for_binary_media_types():
    payload = json.dumps({"statusCode": 200, "headers": {"Content-Type": "image/png"},
                          "body": base64.b64encode(b"\x89PNG").decode(), "isBase64Encoded": True}).encode()
    assert responses.map_response("rest", payload, binary_media_types=("image/png",)).body == b"\x89PNG"
    assert responses.map_response("rest", payload).body == base64.b64encode(b"\x89PNG")


def test_http_api_v2_takes_a_bare_object_or_string_as_the_body():
    """No statusCode: 200, application/json, the function's response as the body."""
    answer = responses.map_response("http2", b'{"hello": "world"}')
    assert (answer.status, answer.body) == (200, b'{"hello": "world"}')
    assert responses.map_response("http2", b'"plain"').body == b'"plain"'


def test_http_api_v2_cookies_become_set_cookie_and_base64_is_decoded():
    payload = json.dumps({"statusCode": 200, "cookies": ["a=1", "b=2; Secure"],
                          "body": base64.b64encode(b"\x00\x01").decode(), "isBase64Encoded": True}).encode()
    answer = responses.map_response("http2", payload)
    assert [value for name, value in answer.headers if name == "Set-Cookie"] == ["a=1", "b=2; Secure"]
    assert answer.body == b"\x00\x01"


def test_function_errors_and_malformed_answers_per_kind():
    """REST 502 "Internal server error"; HTTP API 500 "Internal Server Error"; Function URL 502."""
    assert responses.map_response("rest", b"{}", "Unhandled").status == 502
    failed = responses.map_response("http2", b'{"errorType": "ValueError"}', "ValueError")
    assert (failed.status, failed.body) == (500, b'{"message":"Internal Server Error"}')
    assert "function failed (ValueError)" in failed.refusal
    assert responses.map_response("url", b"not json").status == 502
    assert "statusCode is missing" in responses.map_response("http1", b'{"body": "x"}').refusal


# --- Routes -----------------------------------------------------------------------------------------

def _routes(*routes):
    return tuple(HttpRoute(f"F{n}", f"E{n}", kind, method, path) for n, (kind, method, path) in enumerate(routes))


def test_literal_paths_win_over_parameters_and_greedy_paths_come_last():
    routes = _routes(("http2", "ANY", "/{proxy+}"), ("http2", "GET", "/orders/{id}"), ("http2", "GET", "/orders/new"),
                     ("http2", "POST", "/orders"))
    assert match_route(routes, "GET", "/orders/new")[0].path == "/orders/new"
    route, match = match_route(routes, "GET", "/orders/7")
    assert route.path == "/orders/{id}" and match.path_parameters == (("id", "7"),)
    route, match = match_route(routes, "DELETE", "/a/b/c")
    assert route.path == "/{proxy+}" and match.path_parameters == (("proxy", "a/b/c"),)
    assert match_route(routes, "post", "/orders")[1].route_key == "POST /orders"


def test_no_route_is_403_for_rest_and_404_for_http_api():
    assert match_route(_routes(("rest", "GET", "/a")), "GET", "/b") is None
    assert responses.not_found("rest", "GET", "/b").status == 403
    assert responses.not_found("http2", "GET", "/b").body == b'{"message":"Not Found"}'


def test_template_events_become_routes_and_schedules(tmp_path):
    (tmp_path / "template.yaml").write_text("""
Globals:
  Api:
    BinaryMediaTypes: ["image~1png"]
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      FunctionUrlConfig:
        AuthType: NONE
      Events:
        Rest:
          Type: Api
          Properties:
            Path: /orders/{id}
            Method: get
        Http:
          Type: HttpApi
          Properties: {Path: /orders, Method: post, PayloadFormatVersion: "1.0"}
        Default:
          Type: HttpApi
        Nightly:
          Type: Schedule
          Properties: {Schedule: "cron(0 3 * * ? *)", Input: '{"job": "nightly"}'}
        Often:
          Type: ScheduleV2
          Properties: {ScheduleExpression: rate(5 minutes)}
        Broken:
          Type: Api
          Properties: {Path: orders, Method: get}
""")
    events = load_function_events(tmp_path)
    kinds = {(route.event_name, route.kind, route.method, route.path) for route in events.routes}
    assert kinds == {("Rest", "rest", "GET", "/orders/{id}"), ("Http", "http1", "POST", "/orders"),
                     ("Default", "http2", "ANY", "$default"), ("FunctionUrl", "url", "ANY", "/{proxy+}")}
    rest = next(route for route in events.routes if route.kind == "rest")
    assert rest.binary_media_types == ("image~1png",)
    assert [(s.event_name, s.expression, s.input) for s in events.schedules] == [
        ("Nightly", "cron(0 3 * * ? *)", '{"job": "nightly"}'), ("Often", "rate(5 minutes)", None)]
    assert events.problems == ("template.yaml.Resources.Orders.Events.Broken.Properties.Path: 'orders' must "
                               "start with /",)


def test_workbench_json_events_use_the_templates_shape(tmp_path):
    (tmp_path / "workbench.json").write_text(json.dumps({"functions": [], "events": {"Fn": {
        "Place": {"Type": "HttpApi", "Properties": {"Path": "/orders", "Method": "POST"}}}}}))
    (route,) = load_function_events(tmp_path).routes
    assert (route.function, route.kind, route.route_key) == ("Fn", "http2", "POST /orders")
