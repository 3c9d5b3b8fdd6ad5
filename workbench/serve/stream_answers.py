"""Streamed answers of `serve`: InvokeWithResponseStream's event stream, and a Function URL in
RESPONSE_STREAM mode, each sending a piece of the function's response the moment the runtime posts it."""

from __future__ import annotations

from aiohttp import web

from ..core.provenance.run_origin import invoke_api_origin, route_origin
from ..core.function.function_config import FunctionConfig
from ..core.lambda_rules import api_gateway_responses as responses
from ..core.lambda_rules import invoke_api_rules as invoke_api
from ..core.lambda_rules.invoke_api_rules import InvokeApiError
from ..core.streaming.event_stream import invoke_complete, payload_chunk
from ..core.streaming.http_prelude import HTTP_INTEGRATION_CONTENT_TYPE, PreludeError, split_prelude
from ..core.streaming.streamed_response import StreamPiece
from .function_caller import FunctionCaller
from .streamed_call import streamed_call

EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream"
# The client hung up: what it no longer reads is dropped, and the function runs on (and is recorded).
_CLIENT_GONE = (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)


class _Sender:
    """Writes to a response prepared on the first write; stops writing once the client has gone."""

    def __init__(self, request: web.Request) -> None:
        self.request = request
        self.response: web.StreamResponse | None = None
        self.gone = False

    async def start(self, response: web.StreamResponse) -> None:
        self.response = response
        try:
            await response.prepare(self.request)
        except _CLIENT_GONE:
            self.gone = True

    async def write(self, data: bytes) -> None:
        if data and not self.gone:
            try:
                await self.response.write(data)
            except _CLIENT_GONE:
                self.gone = True

    async def finish(self) -> None:
        if not self.gone:
            try:
                await self.response.write_eof()
            except _CLIENT_GONE:
                self.gone = True


async def stream_invoke_response(request: web.Request, caller: FunctionCaller, config: FunctionConfig,
                                 event: bytes, client_context: dict | None,
                                 tail: bool) -> tuple[web.StreamResponse, str, str | None]:
    """InvokeWithResponseStream's answer: HTTP 200, then a PayloadChunk message per piece as it arrives and
    one InvokeComplete (Lambda API reference, "InvokeWithResponseStream"). A function that does not stream
    is answered in one PayloadChunk. ErrorCode carries the error type and ErrorDetails the error document
    (their exact contents are not documented beyond their names)."""
    sender, request_id = _Sender(request), ""

    async def begin() -> None:
        if sender.response is None:
            await sender.start(web.StreamResponse(status=200, headers={
                "Content-Type": EVENT_STREAM_CONTENT_TYPE, "X-Amz-Executed-Version": invoke_api.LATEST,
                "x-amzn-RequestId": request_id}))

    outcome = None
    origin = invoke_api_origin(request.headers.get("User-Agent"), "ResponseStream")
    async for item in streamed_call(caller, config, event, client_context, origin):
        if isinstance(item, str):
            request_id = item
        elif isinstance(item, StreamPiece):
            await begin()
            await sender.write(payload_chunk(item.data))
        else:
            outcome = item
    if isinstance(outcome, list):
        problem = InvokeApiError(400, "InvalidParameterValueException", "; ".join(map(str, outcome)))
        return web.Response(status=problem.status, body=problem.body(), headers=problem.headers()), config.name, \
            problem.message
    result = outcome.result
    await begin()
    if result.stream is None and result.succeeded:
        await sender.write(payload_chunk(result.payload))
    error = result.error_document() or {}
    await sender.write(invoke_complete(
        error_code=result.error_type, error_details=result.payload_text() if error else None,
        log_result=invoke_api.log_tail(outcome.log) if tail else None))
    await sender.finish()
    return sender.response, config.name, None


async def stream_url_response(request: web.Request, caller: FunctionCaller, config: FunctionConfig,
                              event: bytes) -> tuple[web.StreamResponse | responses.HttpAnswer, str | None]:
    """A Function URL in RESPONSE_STREAM mode: the status, headers and cookies from the stream's prelude
    (HttpResponseStream.from: JSON, then 8 NUL bytes), then the body piece by piece as it arrives. A stream
    of another Content-Type is the body itself, sent with that type."""
    sender, request_id, held, outcome = _Sender(request), None, b"", None
    async for item in streamed_call(caller, config, event, origin=route_origin(request.method, request.path)):
        if isinstance(item, str):
            request_id = item
        elif isinstance(item, StreamPiece):
            if sender.response is not None:
                await sender.write(item.data)
                continue
            if item.content_type != HTTP_INTEGRATION_CONTENT_TYPE:
                await sender.start(web.StreamResponse(status=200, headers={"Content-Type": item.content_type}))
                await sender.write(item.data)
                continue
            held += item.data
            try:
                split = split_prelude(held)
            except PreludeError as error:
                outcome = responses.failure("url", str(error))
                continue
            if split is not None and outcome is None:
                prelude, body = split
                response = web.StreamResponse(status=prelude.status)
                for name, value in prelude.headers:
                    response.headers.add(name, value)
                for cookie in prelude.cookies:
                    response.headers.add("Set-Cookie", cookie)
                await sender.start(response)
                await sender.write(body)
        elif outcome is None:
            outcome = item
        # else: the prelude was bad; the call's end is awaited (and recorded), the answer is the failure
    if isinstance(outcome, responses.HttpAnswer):
        return outcome, request_id
    if isinstance(outcome, list):
        return responses.failure("url", "Lambda refuses the call: " + "; ".join(map(str, outcome))), None
    result = outcome.result
    if sender.response is None:
        if result.stream is None or not result.succeeded:
            # Nothing streamed: a function that returned its response whole, or failed first.
            return responses.map_response("url", result.payload, result.error_type), request_id
        await sender.start(web.StreamResponse(status=200, headers={"Content-Type": result.stream.content_type}))
    await sender.finish()
    return sender.response, request_id
