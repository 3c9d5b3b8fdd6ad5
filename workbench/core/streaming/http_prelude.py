"""The prelude a streamed HTTP answer starts with (Node.js runtime client, HttpResponseStream.js).

`awslambda.HttpResponseStream.from(stream, {statusCode, headers, cookies})` sets the response's
Content-Type to application/vnd.awslambda.http-integration-response and writes the metadata as JSON,
then 8 NUL bytes, before the first byte of the body. A Function URL in RESPONSE_STREAM mode reads the
metadata up to the NULs and streams the rest as the body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

HTTP_INTEGRATION_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response"
DELIMITER = b"\x00" * 8


@dataclass(frozen=True)
class StreamPrelude:
    status: int
    headers: tuple[tuple[str, str], ...]
    cookies: tuple[str, ...]


class PreludeError(ValueError):
    pass


def split_prelude(buffer: bytes) -> tuple[StreamPrelude, bytes] | None:
    """(prelude, the body bytes after it) once `buffer` holds the whole prelude; None while it does not."""
    end = buffer.find(DELIMITER)
    if end < 0:
        return None
    try:
        metadata = json.loads(buffer[:end].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise PreludeError(f"the streamed response's prelude is not JSON ({error})") from None
    if not isinstance(metadata, dict):
        raise PreludeError("the streamed response's prelude must be a JSON object")
    status = metadata.get("statusCode", 200)
    if isinstance(status, bool) or not isinstance(status, int) or status <= 0:
        raise PreludeError(f"statusCode {json.dumps(status)} in the prelude is not a positive whole number")
    headers = {} if metadata.get("headers") is None else metadata["headers"]
    cookies = [] if metadata.get("cookies") is None else metadata["cookies"]
    if not isinstance(headers, dict) or not isinstance(cookies, list):
        raise PreludeError("the prelude's headers must be an object and its cookies a list")
    pairs = tuple((str(name), str(value)) for name, value in headers.items())
    return StreamPrelude(status, pairs, tuple(str(cookie) for cookie in cookies)), buffer[end + len(DELIMITER):]
