"""How the services host's triggers call a function: the workbench's own Lambda Invoke API (the window's,
`serve`'s or `services`'), so every triggered call is a run in history with its event source."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from ..core.triggers.trigger_model import TRIGGER_SOURCE_HEADER


class NoInvoker(RuntimeError):
    """Nothing that runs functions has registered with the host: triggers wait, nothing is consumed."""


@dataclass(frozen=True)
class InvokeAnswer:
    status: int
    payload: bytes
    function_error: str | None
    request_id: str

    @property
    def failed(self) -> bool:
        return self.function_error is not None or self.status >= 300


class FunctionInvoker:
    """Posts RequestResponse calls to the registered Invoke API. Safe to use from several threads."""

    def __init__(self, endpoint: str | None = None, timeout_s: float = 960.0) -> None:
        self._endpoint = endpoint.rstrip("/") if endpoint else None
        self._timeout_s = timeout_s
        self._configurations: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._local = threading.local()

    @property
    def endpoint(self) -> str | None:
        return self._endpoint

    def register(self, endpoint: str | None) -> None:
        with self._lock:
            self._endpoint = endpoint.rstrip("/") if endpoint else None
            self._configurations.clear()

    def invoke(self, function: str, event: dict | str, source: str, trace_header: str | None = None) -> InvokeAnswer:
        """Call `function` with `event` and wait for its answer; NoInvoker when nothing is registered, OSError
        when the Invoke API cannot be reached."""
        endpoint = self._endpoint
        if endpoint is None:
            raise NoInvoker("no Invoke API is registered with the services host")
        body = event.encode() if isinstance(event, str) else json.dumps(event, separators=(",", ":")).encode()
        headers = {"X-Amz-Invocation-Type": "RequestResponse", "Content-Type": "application/json",
                   TRIGGER_SOURCE_HEADER: source, **({"X-Amzn-Trace-Id": trace_header} if trace_header else {})}
        path = f"/2015-03-31/functions/{quote(function, safe='')}/invocations"
        for attempt in (1, 2):
            connection = self._connection(endpoint)
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # A kept-alive connection the server closed meanwhile: one fresh try.
                connection.close()
                self._local.connection = None
                if attempt == 2:
                    raise
        error = response.getheader("X-Amz-Function-Error")
        if response.status >= 300 and not error:
            # Lambda refused the call (throttled, too large, unknown function): a failure of the whole call.
            error = response.getheader("x-amzn-ErrorType") or "ServiceException"
        return InvokeAnswer(response.status, payload, error, response.getheader("x-amzn-RequestId", ""))

    def _connection(self, endpoint: str) -> http.client.HTTPConnection:
        """One kept-alive connection per thread (a batch poller calls again and again), no Nagle delay."""
        connection = getattr(self._local, "connection", None)
        if connection is not None and self._local.endpoint == endpoint:
            return connection
        parts = urlsplit(endpoint)
        connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=self._timeout_s)
        connection.connect()
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._local.connection, self._local.endpoint = connection, endpoint
        return connection

    def configuration(self, function: str) -> dict:
        """GetFunctionConfiguration of the function (its Timeout sets SQS's effective visibility)."""
        with self._lock:
            if function in self._configurations:
                return self._configurations[function]
        endpoint = self._endpoint
        if endpoint is None:
            raise NoInvoker("no Invoke API is registered with the services host")
        url = f"{endpoint}/2015-03-31/functions/{quote(function, safe='')}/configuration"
        with urllib.request.urlopen(url, timeout=10) as response:
            document = json.loads(response.read())
        with self._lock:
            self._configurations[function] = document
        return document
