"""The body inside an API Gateway / Function URL / ALB-shaped response, decoded for reading."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from ..text.json_check import format_json


@dataclass(frozen=True)
class DecodedBody:
    """What a proxy integration would send to the HTTP client."""

    status_code: int | str
    content_type: str  # from the headers, "" when none is given
    text: str          # the body: pretty JSON when it parses, else as sent
    is_json: bool
    was_base64: bool


def decoded_http_body(payload: str) -> DecodedBody | None:
    """The decoded body when `payload` is a proxy response ({"statusCode": ..., "body": "..."}); else None.

    A base64 body (isBase64Encoded) is decoded first; one that is not UTF-8 is left as base64,
    since it is binary (an image, say) and has no text to show.
    """
    try:
        document = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or "statusCode" not in document or not isinstance(document.get("body"), str):
        return None
    body = document["body"]
    was_base64 = document.get("isBase64Encoded") is True
    if was_base64:
        try:
            body = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            was_base64 = False
    headers = document.get("headers") if isinstance(document.get("headers"), dict) else {}
    content_type = next((str(v) for k, v in headers.items() if str(k).lower() == "content-type"), "")
    try:
        text, is_json = format_json(body).rstrip("\n"), True
    except ValueError:
        text, is_json = body, False
    return DecodedBody(document["statusCode"], content_type, text, is_json, was_base64)
