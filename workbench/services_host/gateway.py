"""The workbench's layer in front of moto: attributes every SDK call to the access key (so the environment, so
the run) that signed it, keeps the Outbox, verifies senders as local mode promises, turns moto's "not
implemented" into AWS's error shape, and answers the host's control API under /_workbench/."""

from __future__ import annotations

import functools
import io
import json
import logging
import re
import threading
import time
from collections import deque
from urllib.parse import parse_qs

from ..core.services.api_calls import AwsCall, classify, rest_operations
from ..core.services.local_access import LOCAL_ACCOUNT_ID, SEEDING_ACCESS_KEY
from .outbox import sent_email, sender_of
from dataclasses import replace

CONTROL_PREFIX = "/_workbench/"
MAX_CALLS = 100_000
PROVISION_WAIT_S = 60.0
_NOT_IMPLEMENTED = re.compile(rb"NotImplementedError|not (?:yet )?implemented", re.IGNORECASE)


@functools.lru_cache(maxsize=None)
def rest_routes(api: str):
    # Here: botocore's models load on the first REST route lookup, not when the host imports the gateway
    import botocore.session

    try:
        model = botocore.session.get_session().get_service_model(api)
    except Exception:  # noqa: BLE001 - not a service botocore knows
        return ()
    if model.metadata.get("protocol") not in ("rest-xml", "rest-json"):
        return ()
    return rest_operations(model._service_description["operations"], model._service_description["shapes"])


class Gateway:
    """A WSGI application wrapping moto's. `host` answers the control API (reset, resources, save, stop)."""

    def __init__(self, moto_app, host) -> None:
        self._moto = moto_app
        self._host = host
        self.calls: deque[AwsCall] = deque(maxlen=MAX_CALLS)
        self.outbox: list[dict] = []
        self.changes = 0
        """Counts requests that may have changed state (the saver thread compares it)."""
        self._lock = threading.Lock()

    # --- WSGI

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(CONTROL_PREFIX):
            return self._control(environ, start_response, path[len(CONTROL_PREFIX):])
        headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items()
                   if key.startswith("HTTP_")}
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        authorization = headers.get("authorization", "")
        is_s3 = "/s3/aws4_request" in authorization or "X-Amz-Credential" in environ.get("QUERY_STRING", "")
        body = b"" if is_s3 else self._read_body(environ)
        url = path + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
        started = time.time()
        call = classify(environ.get("REQUEST_METHOD", "GET"), url, headers, body, LOCAL_ACCOUNT_ID, rest_routes)
        api = (call.api or call.service) if call else ""
        if call is None or call.access_key != SEEDING_ACCESS_KEY:
            # Every call waits for the workspace's resources (created right after the host listens).
            self._host.provisioned.wait(PROVISION_WAIT_S)
        if call is not None:  # the service's saved state, restored on its first request
            self._host.saved.restore(call.service)
            if call.api:
                self._host.saved.restore(call.api)
        else:  # a request not told apart (anonymous, presigned): every service's
            self._host.saved.restore_all()
        if call is not None and not self._host.ses_sandbox:
            sender = sender_of(api, call.operation, body)
            if sender:
                self._host.verify_sender(sender, call.region)
        captured: dict = {}

        def capture(status, response_headers, exc_info=None):
            captured["status"], captured["headers"] = status, response_headers
            return start_response(status, response_headers, exc_info) if is_s3 else (lambda data: None)

        try:
            result = self._moto(environ, capture)
        except NotImplementedError:
            result = None
        except Exception:  # noqa: BLE001 - moto's own failure: AWS's InternalFailure, the traceback in the host's log
            logging.getLogger(__name__).exception("%s.%s failed inside moto", api, call.operation if call else "?")
            status_line, response_headers, response = _internal_failure(headers)
            self._record(call, started, 500, "InternalFailure")
            start_response(status_line, response_headers)
            return [response]
        if result is None and call is not None:
            status_line, response_headers, response, error = _not_implemented(call, headers)
            logging.getLogger(__name__).warning("%s.%s is not emulated locally", api, call.operation)
            self._record(call, started, 501, error)
            start_response(status_line, response_headers)
            return [response]
        if is_s3:
            status = int(captured.get("status", "500").split()[0])
            self._record(call, started, status, None)
            self._host.after_call(call, status, headers, b"", captured.get("headers", []), b"")
            return result
        try:
            response = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
        status_line, response_headers = captured.get("status", "500 Internal Server Error"), captured.get("headers", [])
        status = int(status_line.split()[0])
        error = _error_code(response) if status >= 400 else None
        # moto answers an operation it lacks with a 500 (NotImplementedError) or, for a REST route it does
        # not map, werkzeug's HTML 404 page.
        if call is not None and " " not in call.operation and (
                (status == 500 and _NOT_IMPLEMENTED.search(response))
                or (status == 404 and response.lstrip().lower().startswith(b"<!doctype html"))):
            status_line, response_headers, response, error = _not_implemented(call, headers)
            status = 501
            logging.getLogger(__name__).warning("%s.%s is not emulated locally", api, call.operation)
        if call is not None and status < 300:
            mail = sent_email(api, call.operation, body, response, call.access_key)
            if mail is not None:
                with self._lock:
                    self.outbox.append(mail)
        self._record(call, started, status, error)
        self._host.after_call(call, status, headers, body, response_headers, response)
        start_response(status_line, response_headers)
        return [response]

    # --- Internals

    @staticmethod
    def _read_body(environ) -> bytes:
        stream = environ.get("wsgi.input")
        if stream is None:
            return b""
        length = environ.get("CONTENT_LENGTH")
        if length:
            body = stream.read(int(length))
        elif environ.get("wsgi.input_terminated"):
            body = stream.read()
        else:
            body = b""
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return body

    def _record(self, call: AwsCall | None, started: float, status: int, error: str | None) -> None:
        self.changes += 1
        if call is None:
            return

        self.calls.append(replace(call, time=started, status=status, error=error))

    def _control(self, environ, start_response, action: str):
        method = environ.get("REQUEST_METHOD", "GET")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        try:
            request = json.loads(self._read_body(environ) or b"{}") if method == "POST" else {}
            answer = self._host.control(method, action, query, request)
        except KeyError as error:
            return _json(start_response, "404 Not Found", {"error": str(error.args[0] if error.args else error)})
        except ValueError as error:
            return _json(start_response, "400 Bad Request", {"error": str(error)})
        return _json(start_response, "200 OK", answer)

    def calls_of(self, key: str | None, since: float, until: float) -> list[AwsCall]:
        return [call for call in list(self.calls)
                if (key is None or call.access_key == key) and since <= call.time <= until]


def _json(start_response, status: str, document) -> list[bytes]:
    data = json.dumps(document).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def _error_code(response: bytes) -> str | None:
    match = re.search(rb"<Code>([^<]+)</Code>", response)
    if match:
        return match.group(1).decode()
    try:
        document = json.loads(response)
    except ValueError:
        return None
    code = document.get("__type") or document.get("code") or document.get("Code") if isinstance(document, dict) else None
    return str(code).rsplit("#", 1)[-1] if code else None


def _internal_failure(headers: dict) -> tuple[str, list, bytes]:
    message = "The local services failed on this request (their log, .workbench/services/host.log, says why)"
    if headers.get("x-amz-target") or headers.get("content-type", "").startswith("application/json"):
        body, kind = json.dumps({"__type": "InternalFailure", "message": message}).encode(), "application/json"
    else:
        body = (f"<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>{message}</Message>"
                "</Error><RequestId>0</RequestId></ErrorResponse>").encode()
        kind = "text/xml"
    return "500 Internal Server Error", [("Content-Type", kind), ("Content-Length", str(len(body)))], body


def _not_implemented(call: AwsCall, headers: dict) -> tuple[str, list, bytes, str]:
    """AWS's error shape for the protocol the SDK speaks, so the handler gets a ClientError it can catch."""
    api = call.api or call.service
    message = f"{api}.{call.operation} is not emulated locally (moto does not implement it)"
    if headers.get("x-amz-target") or headers.get("content-type", "").startswith("application/json") \
            or api in ("sesv2",):
        body = json.dumps({"__type": "NotImplemented", "message": message, "Message": message}).encode()
        kind = "application/json"
        extra = [("x-amzn-ErrorType", "NotImplemented")]
    else:
        body = (f'<ErrorResponse><Error><Type>Sender</Type><Code>NotImplemented</Code><Message>{message}</Message>'
                f'</Error><RequestId>0</RequestId></ErrorResponse>').encode()
        kind, extra = "text/xml", []
    return "501 Not Implemented", [("Content-Type", kind), ("Content-Length", str(len(body))), *extra], body, \
        "NotImplemented"
