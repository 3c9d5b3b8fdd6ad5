"""The event API Gateway (REST, payload 1.0; HTTP API, 1.0 or 2.0) and Lambda Function URLs send a
function for one HTTP request.

Shapes from the API Gateway developer guide ("Input format of a Lambda function for proxy integration",
set-up-lambda-proxy-integrations.html; "Working with AWS Lambda proxy integrations for HTTP APIs",
http-api-develop-integrations-lambda.html) and Lambda's "Invoking Lambda function URLs" (urls-invocation.html),
cross-checked with aws-sam-cli `samcli/local/apigw/event_constructor.py` and `samcli/local/events/api_event.py`.
Where SAM and the service differ, the service wins: `requestTimeEpoch` / `timeEpoch` are milliseconds; a
2.0 event omits the keys it has no value for (SAM writes null) and carries lower-case header names.
"""

from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

# Names API Gateway uses for the placeholder parts of a local API (SAM uses the same placeholders).
API_ID = "1234567890"
RESOURCE_ID = "123456"
URL_ID = "abcdefghijklmnopqrstuvwxyz123456"
# A Function URL and an HTTP API 2.0 treat these as text; any other body arrives base64-encoded.
_TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml",
               "application/x-www-form-urlencoded", "application/yaml", "application/graphql")


@dataclass(frozen=True)
class HttpRequest:
    """One HTTP request as it reached the front door: raw, before any API Gateway rule."""

    method: str
    path: str
    raw_query: str
    headers: tuple[tuple[str, str], ...]
    """Every header in arrival order, names as the client spelled them, repeats kept."""
    body: bytes
    source_ip: str = "127.0.0.1"
    protocol: str = "HTTP/1.1"
    host: str = "localhost"
    port: int = 3000
    scheme: str = "http"
    received_at: float = field(default_factory=time.time)

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return values[-1] if values else None

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class RouteMatch:
    """The route a request matched: its template path (`/orders/{id}`), its key, the path parameters."""

    resource: str
    route_key: str
    path_parameters: tuple[tuple[str, str], ...]
    stage: str
    stage_variables: tuple[tuple[str, str], ...] = ()


def _request_time(at: float) -> str:
    # API Gateway's $context.requestTime, e.g. "09/Apr/2015:12:34:56 +0000" (English month names always).
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    t = time.gmtime(at)
    return f"{t.tm_mday:02d}/{months[t.tm_mon - 1]}/{t.tm_year}:{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0000"


def matches_media_type(content_type: str, media_types: tuple[str, ...]) -> bool:
    """A binaryMediaTypes entry matches exactly, by `type/*`, or by `*/*` (which makes every body binary)."""
    if not content_type:
        return "*/*" in media_types
    main = content_type.split("/")[0]
    # SAM templates write a slash in BinaryMediaTypes as "~1" (a JSON-pointer escape).
    wanted = {item.replace("~1", "/").lower() for item in media_types}
    return content_type in wanted or f"{main}/*" in wanted or "*/*" in wanted


def is_text_type(content_type: str) -> bool:
    return content_type.startswith(_TEXT_TYPES) or content_type.endswith(("+json", "+xml"))


def _body(request: HttpRequest, base64_encoded: bool) -> str | None:
    if not request.body:
        return None
    if base64_encoded:
        return base64.b64encode(request.body).decode("ascii")
    return request.body.decode("utf-8", errors="replace")


def _query_pairs(raw_query: str) -> list[tuple[str, str]]:
    return parse_qsl(raw_query, keep_blank_values=True)


def _identity(request: HttpRequest, account_id: str) -> dict:
    return {"cognitoIdentityPoolId": None, "accountId": None, "cognitoIdentityId": None, "caller": None,
            "sourceIp": request.source_ip, "principalOrgId": None, "accessKey": None,
            "cognitoAuthenticationType": None, "cognitoAuthenticationProvider": None, "userArn": None,
            "userAgent": request.header("User-Agent"), "user": None}


def rest_event(request: HttpRequest, route: RouteMatch, binary_media_types: tuple[str, ...],
               account_id: str, http_api: bool = False) -> dict:
    """Payload format 1.0: a REST API's proxy event, or an HTTP API's with PayloadFormatVersion "1.0".

    `headers` and `queryStringParameters` keep the last value of a repeated name, the `multiValue...`
    maps keep them all; absent maps are null. A body is base64 when its Content-Type is one of the API's
    binary media types (REST) — for an HTTP API, when it is not text.
    """
    headers: dict[str, str] = {}
    multi_headers: dict[str, list[str]] = {}
    for name, value in request.headers:
        headers[name] = value
        multi_headers.setdefault(name, []).append(value)
    for name, value in (("X-Forwarded-Port", str(request.port)), ("X-Forwarded-Proto", request.scheme)):
        headers.setdefault(name, value)
        multi_headers.setdefault(name, [value])
    query: dict[str, str] = {}
    multi_query: dict[str, list[str]] = {}
    for name, value in _query_pairs(request.raw_query):
        query[name] = value
        multi_query.setdefault(name, []).append(value)
    binary = (not is_text_type(request.content_type) if http_api
              else matches_media_type(request.content_type, binary_media_types)) and bool(request.body)
    request_id = str(uuid.uuid4())
    context = {
        "accountId": account_id, "apiId": API_ID, "domainName": request.host,
        "domainPrefix": request.host.split(".")[0].split(":")[0],
        "extendedRequestId": request_id.replace("-", "")[:16], "httpMethod": request.method,
        "identity": _identity(request, account_id),
        # REST: the path including the stage, as the client called the stage's invoke URL.
        "path": request.path if http_api else f"/{route.stage}{request.path}",
        "protocol": request.protocol, "requestId": request_id,
        "requestTime": _request_time(request.received_at),
        "requestTimeEpoch": int(request.received_at * 1000),
        "resourceId": RESOURCE_ID, "resourcePath": route.resource, "stage": route.stage,
    }
    event = {
        "resource": route.resource, "path": request.path, "httpMethod": request.method,
        "headers": headers or None, "multiValueHeaders": multi_headers or None,
        "queryStringParameters": query or None, "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(route.path_parameters) or None,
        "stageVariables": dict(route.stage_variables) or None,
        "requestContext": context, "body": _body(request, binary), "isBase64Encoded": binary,
    }
    if http_api:
        event = {"version": "1.0", **event}
        context["routeKey"] = route.route_key
    return event


def http_v2_event(request: HttpRequest, route: RouteMatch, account_id: str, function_url: bool = False) -> dict:
    """Payload format 2.0, for an HTTP API and (with `function_url`) a Function URL.

    Header names lower-case, repeats joined with commas; Cookie headers become the `cookies` list (split
    on "; ") and leave `headers`; repeated query names joined with commas; keys without a value omitted.
    """
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers:
        key = name.lower()
        if key == "cookie":
            cookies += [part.strip() for part in value.split(";") if part.strip()]
            continue
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    for name, value in (("x-forwarded-port", str(request.port)), ("x-forwarded-proto", request.scheme)):
        headers.setdefault(name, value)
    query: dict[str, str] = {}
    for name, value in _query_pairs(request.raw_query):
        query[name] = f"{query[name]},{value}" if name in query else value
    binary = bool(request.body) and not is_text_type(request.content_type)
    request_id = str(uuid.uuid4())
    domain = f"{URL_ID}.lambda-url.us-east-1.on.aws" if function_url else request.host
    context = {
        "accountId": "anonymous" if function_url else account_id,
        "apiId": URL_ID if function_url else API_ID,
        "domainName": domain, "domainPrefix": domain.split(".")[0].split(":")[0],
        "http": {"method": request.method, "path": request.path, "protocol": request.protocol,
                 "sourceIp": request.source_ip, "userAgent": request.header("User-Agent") or ""},
        "requestId": request_id, "routeKey": route.route_key, "stage": route.stage,
        "time": _request_time(request.received_at), "timeEpoch": int(request.received_at * 1000),
    }
    event: dict = {"version": "2.0", "routeKey": route.route_key, "rawPath": request.path,
                   "rawQueryString": request.raw_query}
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    if query:
        event["queryStringParameters"] = query
    event["requestContext"] = context
    if request.body:
        event["body"] = _body(request, binary)
    if route.path_parameters:
        event["pathParameters"] = dict(route.path_parameters)
    event["isBase64Encoded"] = binary
    if route.stage_variables:
        event["stageVariables"] = dict(route.stage_variables)
    return event
