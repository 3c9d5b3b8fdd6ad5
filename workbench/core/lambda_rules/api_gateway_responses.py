"""How API Gateway and Function URLs turn a function's result into the HTTP answer, and when they refuse it.

Rules from the API Gateway developer guide ("Output format of a Lambda function for proxy integration";
"Working with AWS Lambda proxy integrations for HTTP APIs", section "Lambda function response for format
2.0"), Lambda's urls-invocation.html, and aws-sam-cli `samcli/local/apigw/local_apigw_service.py`
(`_parse_v1_payload_format_lambda_output`, `_parse_v2_payload_format_lambda_output`,
`_merge_response_headers`, `get_base_64_encoded`, `_invalid_apig_response_keys`):

* REST (1.0): the result must be a JSON object with only statusCode, headers, multiValueHeaders, body,
  isBase64Encoded (and the undocumented base64Encoded, which it reads first); anything else, a body that
  is not a string, or a status that is not a positive whole number is refused: 502
  `{"message": "Internal server error"}`. headers and multiValueHeaders merge, a pair given in both once.
  A base64 body is decoded only when the answer's Content-Type is a binary media type of the API.
* HTTP API 1.0: the same keys read, unknown ones ignored; statusCode is required.
* 2.0 (HTTP API and Function URL): an object with statusCode is read as a response (cookies become
  Set-Cookie headers); any other JSON (an object without statusCode, a string, a number) is the body of
  a 200 application/json answer. A refused result or a function error: 500
  `{"message":"Internal Server Error"}` from an HTTP API, 502 from a Function URL.
* No Content-Type given: application/json.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from .api_gateway_events import matches_media_type

REST_FAILURE = (502, b'{"message": "Internal server error"}')
HTTP_API_FAILURE = (500, b'{"message":"Internal Server Error"}')
FUNCTION_URL_FAILURE = (502, b'{"message":"Internal Server Error"}')
REST_NOT_FOUND = (403, b'{"message":"Missing Authentication Token"}')
HTTP_API_NOT_FOUND = (404, b'{"message":"Not Found"}')

_REST_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded", "base64Encoded"}

KINDS = ("rest", "http1", "http2", "url")
"""REST API (1.0), HTTP API with 1.0 payloads, HTTP API 2.0, Function URL."""


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    refusal: str | None = None
    """Why the front door answered with its own error instead of the function's response: the rule, and
    the key it concerns. None for an answer mapped from the function's response."""


def failure(kind: str, reason: str) -> HttpAnswer:
    status, body = {"rest": REST_FAILURE, "http1": HTTP_API_FAILURE, "http2": HTTP_API_FAILURE,
                    "url": FUNCTION_URL_FAILURE}[kind]
    return HttpAnswer(status, (("Content-Type", "application/json"),), body, reason)


def not_found(kind: str, method: str, path: str) -> HttpAnswer:
    status, body = REST_NOT_FOUND if kind == "rest" else HTTP_API_NOT_FOUND
    return HttpAnswer(status, (("Content-Type", "application/json"),), body,
                      f"no route matches {method} {path}")


class _Refused(Exception):
    pass


def map_response(kind: str, payload: bytes, function_error: str | None = None,
                 binary_media_types: tuple[str, ...] = ()) -> HttpAnswer:
    """The HTTP answer for a function's result (payload = what the Invoke API returned)."""
    if function_error:
        return failure(kind, f"the function failed ({function_error}): API Gateway does not pass a function "
                             "error on")
    try:
        if kind in ("http2", "url"):
            return _map_v2(payload)
        return _map_v1(kind, payload, binary_media_types)
    except _Refused as refused:
        return failure(kind, str(refused))


def _json(payload: bytes):
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):
        raise _Refused("the function's response is not JSON") from None


def _status(document: dict, required: bool) -> int:
    if "statusCode" not in document or document["statusCode"] is None:
        if required:
            raise _Refused("statusCode is missing from the response (required by an HTTP API with 1.0 payloads)")
        return 200
    value = document["statusCode"]
    try:
        status = int(value) if not isinstance(value, bool) else 0
    except (TypeError, ValueError):
        status = 0
    if status <= 0 or (isinstance(value, float) and not value.is_integer()):
        raise _Refused(f"statusCode {json.dumps(value)} is not a positive whole number")
    return status


def _text(value, key: str) -> str:
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise _Refused(f"{key} must be a string, not {json.dumps(value)[:60]}")
    return value if isinstance(value, str) else json.dumps(value)


def _header_pairs(document: dict, multi: bool) -> list[tuple[str, str]]:
    single = document.get("headers") or {}
    if not isinstance(single, dict):
        raise _Refused("headers must be an object of names to strings")
    pairs: list[tuple[str, str]] = []
    multi_values = document.get("multiValueHeaders") or {} if multi else {}
    if not isinstance(multi_values, dict):
        raise _Refused("multiValueHeaders must be an object of names to lists of strings")
    for name, values in multi_values.items():
        if not isinstance(values, list):
            raise _Refused(f"multiValueHeaders.{name} must be a list of strings")
        pairs += [(name, _text(value, f"multiValueHeaders.{name}")) for value in values]
    for name, value in single.items():
        text = _text(value, f"headers.{name}")
        if (name, text) not in pairs:
            pairs.append((name, text))
    return pairs


def _with_content_type(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if not any(name.lower() == "content-type" for name, _ in pairs):
        pairs.append(("Content-Type", "application/json"))
    return pairs


def _content_type(pairs: list[tuple[str, str]]) -> str:
    return next((value for name, value in pairs if name.lower() == "content-type"), "").split(";")[0].strip().lower()


def _base64_flag(document: dict, rest: bool) -> bool:
    key = "base64Encoded" if rest and document.get("base64Encoded") is not None else "isBase64Encoded"
    value = document.get(key, False)
    if value is None:
        return False
    if isinstance(value, str) and value in ("true", "True", "false", "False"):
        return value in ("true", "True")
    if not isinstance(value, bool):
        raise _Refused(f"{key} {json.dumps(value)} is not true or false")
    return value


def _decoded(body: str, key: str = "body") -> bytes:
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise _Refused(f"{key} is marked isBase64Encoded but is not valid base64") from None


def _map_v1(kind: str, payload: bytes, binary_media_types: tuple[str, ...]) -> HttpAnswer:
    document = _json(payload)
    if not isinstance(document, dict):
        raise _Refused(f"the response must be a JSON object with statusCode, not {type(document).__name__}")
    rest = kind == "rest"
    if rest:
        unknown = sorted(set(document) - _REST_KEYS)
        if unknown:
            raise _Refused(f"unknown key {', '.join(repr(key) for key in unknown)} in the response (a REST API "
                           "allows statusCode, headers, multiValueHeaders, body, isBase64Encoded)")
    status = _status(document, required=not rest)
    pairs = _with_content_type(_header_pairs(document, multi=True))
    body = document.get("body")
    text = "" if body is None else _text(body, "body") if rest else (body if isinstance(body, str) else json.dumps(body))
    encoded = _base64_flag(document, rest)
    if encoded and text and (not rest or matches_media_type(_content_type(pairs), binary_media_types)):
        return HttpAnswer(status, tuple(pairs), _decoded(text))
    return HttpAnswer(status, tuple(pairs), text.encode("utf-8"))


def _map_v2(payload: bytes) -> HttpAnswer:
    document = _json(payload)
    if not isinstance(document, dict) or "statusCode" not in document:
        # "If your Lambda function returns valid JSON and doesn't return a statusCode, API Gateway
        # assumes ... statusCode 200, content-type application/json, body = the function's response."
        return HttpAnswer(200, (("Content-Type", "application/json"),), payload)
    status = _status(document, required=True)
    pairs = _with_content_type(_header_pairs(document, multi=False))
    cookies = document.get("cookies")
    if isinstance(cookies, list):
        pairs += [("Set-Cookie", _text(cookie, "cookies[]")) for cookie in cookies]
    body = document.get("body")
    text = "" if body is None else body if isinstance(body, str) else json.dumps(body)
    if _base64_flag(document, rest=False) and text:
        return HttpAnswer(status, tuple(pairs), _decoded(text))
    return HttpAnswer(status, tuple(pairs), text.encode("utf-8"))
