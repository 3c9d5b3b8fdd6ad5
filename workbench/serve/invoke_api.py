"""The Lambda Invoke API on aiohttp: `POST /2015-03-31/functions/{FunctionName}/invocations`, answered as
the service answers boto3, the AWS CLI and the SDKs (the rules are workbench.core.lambda_rules.invoke_api_rules's)."""

from __future__ import annotations

import base64
import binascii
import json
import time
from typing import Callable

from aiohttp import web

from ..core.provenance.run_origin import invoke_api_origin
from ..core.lambda_rules import invoke_api_rules as invoke_api
from ..core.lambda_rules.function_documents import function_configuration
from ..core.lambda_rules.invoke_api_rules import InvokeApiError
from ..core.lambda_rules.lambda_errors import MAX_REQUEST_BYTES
from ..core.function.served_call import ServedCall
from ..core.triggers.triggered_batch import TriggeredBatch
from ..core.triggers.trigger_model import SOURCES as TRIGGER_SOURCES, TRIGGER_SOURCE_HEADER
from ..core.vocabulary import RunSource
from .event_queue import EventQueue
from .function_caller import FunctionCaller
from .stream_answers import stream_invoke_response

INVOKE_PATH = "/2015-03-31/functions/{name}/invocations"
STREAM_INVOKE_PATH = "/2021-11-15/functions/{name}/response-streaming-invocations"
STREAM_INVOCATION_TYPES = ("RequestResponse", "DryRun")
# Not an AWS operation: fires a function's Schedule event once, now (`curl -X POST .../workbench/schedules/Fn`).
FIRE_SCHEDULE_PATH = "/workbench/schedules/{function}"
# Not an AWS operation: the services host's word on a triggered run it made through this API (the batch and each
# record's fate, decided once it had the answer), kept on the run in history.
TRIGGERED_RUN_PATH = "/workbench/triggered-runs/{request_id}"
READ_CHUNK = 64 * 1024


async def read_limited(request: web.Request, limit: int) -> tuple[bytes | None, int]:
    """The body, or (None, its size) when it is over `limit`: never more than limit + a chunk in memory."""
    declared = request.content_length
    if declared is not None and declared > limit:
        return None, declared
    kept = bytearray()
    size = 0
    while chunk := await request.content.read(READ_CHUNK):
        size += len(chunk)
        if size <= limit:
            kept += chunk
    return (bytes(kept), size) if size <= limit else (None, size)


def error_response(error: InvokeApiError) -> web.Response:
    return web.Response(status=error.status, body=error.body(), headers=error.headers())


class InvokeApi:
    """The aiohttp application of the Lambda endpoint; `on_call` hears of every answered call."""

    def __init__(self, caller: FunctionCaller, events: EventQueue, on_call: Callable[[ServedCall], None],
                 fire_schedule: Callable[[str, str | None], str | None] | None = None,
                 reveal_secrets: bool = False) -> None:
        self.caller = caller
        self.reveal_secrets = reveal_secrets
        self.events = events
        self.on_call = on_call
        self.fire_schedule = fire_schedule
        self.app = web.Application(client_max_size=MAX_REQUEST_BYTES * 2)
        self.app.router.add_post(INVOKE_PATH, self.invoke)
        self.app.router.add_post(STREAM_INVOKE_PATH, self.invoke_with_response_stream)
        self.app.router.add_post(FIRE_SCHEDULE_PATH, self.fire)
        self.app.router.add_post(TRIGGERED_RUN_PATH, self.triggered_run)
        for path in ("/2015-03-31/functions", "/2015-03-31/functions/"):
            self.app.router.add_get(path, self.list_functions)
        self.app.router.add_get("/2015-03-31/functions/{name}/configuration", self.get_configuration)
        self.app.router.add_get("/2015-03-31/functions/{name}", self.get_function)
        self.app.router.add_route("*", "/{tail:.*}", self.unknown_operation)

    async def unknown_operation(self, request: web.Request) -> web.Response:
        # What the service answers for an operation it does not have (the Invoke API is the one served here).
        error = InvokeApiError(404, "UnknownOperationException",
                               f"{request.method} {request.path} is not an operation this endpoint serves "
                               "(it serves Invoke, GetFunction, GetFunctionConfiguration and ListFunctions)")
        self._tell(request, time.time(), request.path, None, error.status, error.message)
        return error_response(error)

    async def list_functions(self, request: web.Request) -> web.Response:
        """ListFunctions: every runnable function of the workspace, in one page."""
        configs = [f.config for f in self.caller.workspace().functions if f.runnable]
        return web.json_response({"Functions": [function_configuration(config, self.reveal_secrets)
                                                for config in configs]})

    async def get_configuration(self, request: web.Request) -> web.Response:
        found = self._lookup(request)
        return found if isinstance(found, web.Response) else web.json_response(
            function_configuration(found, self.reveal_secrets))

    async def get_function(self, request: web.Request) -> web.Response:
        found = self._lookup(request)
        if isinstance(found, web.Response):
            return found
        # No package to download locally: the code is the folder itself.
        return web.json_response({"Configuration": function_configuration(found, self.reveal_secrets),
                                  "Code": {"RepositoryType": "S3", "Location": f"file://{found.code_dir}"}})

    def _lookup(self, request: web.Request):
        """The named function's config, or the service's error answer."""
        reference = invoke_api.parse_function_reference(request.match_info["name"], request.query.get("Qualifier"))
        if isinstance(reference, InvokeApiError):
            return error_response(reference)
        region, account = self._home()
        config = self.caller.function(reference.name)
        problem = invoke_api.not_served_qualifier(reference, region, account)
        if problem is None and config is None:
            problem = invoke_api.function_not_found(reference, region, account)
        return error_response(problem) if problem else config

    async def fire(self, request: web.Request) -> web.Response:
        """Fire a function's schedule (?event=NAME picks one of several) once, now: 202, or 404."""
        function = request.match_info["function"]
        request_id = self.fire_schedule(function, request.query.get("event")) if self.fire_schedule else None
        if request_id is None:
            error = InvokeApiError(404, "ResourceNotFoundException",
                                   f"{function} has no schedule {request.query.get('event') or ''}".rstrip())
            self._tell(request, time.time(), request.path, None, error.status, error.message)
            return error_response(error)
        self._tell(request, time.time(), request.path, function, 202, None, request_id)
        return web.Response(status=202, headers={"x-amzn-RequestId": request_id})

    async def triggered_run(self, request: web.Request) -> web.Response:
        """204 when the run is this process's and history keeps it, 404 otherwise (nothing else is answered)."""
        try:
            document = await request.json()
        except ValueError:
            return web.Response(status=400, text="the body must be a JSON object")
        if not isinstance(document, dict):
            return web.Response(status=400, text="the body must be a JSON object")
        kept = self.caller.session.note_trigger(request.match_info["request_id"],
                                                TriggeredBatch.from_log_entry(document))
        return web.Response(status=204 if kept else 404)

    async def invoke(self, request: web.Request) -> web.StreamResponse:
        return await self._serve_invoke(request, streaming=False)

    async def invoke_with_response_stream(self, request: web.Request) -> web.StreamResponse:
        """InvokeWithResponseStream: the response as event-stream messages, each piece sent as it arrives."""
        return await self._serve_invoke(request, streaming=True)

    async def _serve_invoke(self, request: web.Request, streaming: bool) -> web.StreamResponse:
        arrived = time.time()
        raw_name = request.match_info["name"]
        answer, function, explanation = await self._invoke(request, raw_name, streaming)
        self._tell(request, arrived, raw_name, function, answer.status, explanation,
                   answer.headers.get("x-amzn-RequestId"), _function_error(answer))
        return answer

    async def _invoke(self, request: web.Request, raw_name: str,
                      streaming: bool = False) -> tuple[web.StreamResponse, str | None, str | None]:
        invocation_type = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        log_type = request.headers.get("X-Amz-Log-Type", "None")
        problem: InvokeApiError | None = None
        allowed_types = STREAM_INVOCATION_TYPES if streaming else invoke_api.INVOCATION_TYPES
        if invocation_type not in allowed_types:
            problem = invoke_api.validation_error("invocationType", invocation_type, allowed_types)
        elif log_type not in invoke_api.LOG_TYPES:
            problem = invoke_api.validation_error("logType", log_type, invoke_api.LOG_TYPES)
        reference = invoke_api.parse_function_reference(raw_name, request.query.get("Qualifier"))
        if problem is None and isinstance(reference, InvokeApiError):
            problem = reference
        config = None
        if problem is None:
            region, account = self._home()
            problem = invoke_api.not_served_qualifier(reference, region, account)
            config = self.caller.function(reference.name)
            wrong_home = (reference.region not in (None, region)) or (reference.account_id not in (None, account))
            if problem is None and (config is None or wrong_home):
                problem = invoke_api.function_not_found(reference, region, account)
        if problem is not None:
            return error_response(problem), None, problem.message
        limit = invoke_api.MAX_ASYNC_REQUEST_BYTES if invocation_type == "Event" else MAX_REQUEST_BYTES
        body, size = await read_limited(request, limit)
        problem = invoke_api.request_too_large(size, invocation_type) or (body is not None and invoke_api.invalid_json(body))
        if problem:
            return error_response(problem), config.name, problem.message
        context, problem = _client_context(request.headers.get("X-Amz-Client-Context"))
        if problem:
            return error_response(problem), config.name, problem.message
        # An empty payload reaches the function as an empty JSON object, as on Lambda.
        body = body if body.strip() else b"{}"
        if invocation_type == "DryRun":
            return web.Response(status=204), config.name, None
        if invocation_type == "Event":
            if not self.events.has_room(len(body)):
                problem = invoke_api.too_many_requests()
                return error_response(problem), config.name, (
                    f"{problem.message} (the Event queue holds {self.events.queued_bytes} bytes, its limit is "
                    f"{self.events.max_queued_bytes}: later calls are accepted as it drains)")
            request_id = self.events.submit(config, body, client_context=context,
                                            origin=invoke_api_origin(request.headers.get("User-Agent"), "Event"))
            return web.Response(status=202, headers={"x-amzn-RequestId": request_id}), config.name, None
        # The services host's triggers say which event source made the call, so history records it as one.
        source = request.headers.get(TRIGGER_SOURCE_HEADER)
        if streaming:
            return await stream_invoke_response(request, self.caller, config, body, context, log_type == "Tail")
        outcome = await self.caller.call(config, body, context,
                                         source=source if source in TRIGGER_SOURCES else RunSource.SERVE,
                                         trace_id=request.headers.get("X-Amzn-Trace-Id") if source else None,
                                         origin=invoke_api_origin(request.headers.get("User-Agent")))
        if isinstance(outcome, list):
            # A function Lambda would not have accepted at deploy time (a reserved variable, ...).
            problem = InvokeApiError(400, "InvalidParameterValueException", "; ".join(map(str, outcome)))
            return error_response(problem), config.name, problem.message
        result = outcome.result
        headers = {"X-Amz-Executed-Version": invoke_api.LATEST, "x-amzn-RequestId": result.request_id,
                   "Content-Type": "application/json"}
        if result.error_type is not None:
            headers["X-Amz-Function-Error"] = invoke_api.FUNCTION_ERROR_HEADER_VALUE
        if log_type == "Tail":
            headers["X-Amz-Log-Result"] = invoke_api.log_tail(outcome.log)
        return web.Response(status=200, body=result.payload, headers=headers), config.name, None

    def _home(self) -> tuple[str, str]:
        """The region and account the served functions live in (the first function's, as configured)."""
        functions = self.caller.workspace().functions
        if functions:
            return functions[0].config.region, functions[0].config.account_id
        return "us-east-1", "123456789012"

    def _tell(self, request: web.Request, arrived: float, target: str, function: str | None, status: int,
              explanation: str | None, request_id: str | None = None, function_error: str | None = None) -> None:
        self.on_call(ServedCall(arrived, "invoke", request.method, target, function,
                                status, (time.time() - arrived) * 1000, request_id,
                                explanation if status >= 400 else None, function_error=function_error))


def _function_error(answer: web.StreamResponse) -> str | None:
    """The errorType of a function that failed (200 with X-Amz-Function-Error), else None."""
    if "X-Amz-Function-Error" not in answer.headers or not isinstance(answer, web.Response):
        return None
    try:
        document = json.loads(answer.body)
    except (TypeError, ValueError):
        return answer.headers["X-Amz-Function-Error"]
    error_type = document.get("errorType") if isinstance(document, dict) else None
    return error_type or answer.headers["X-Amz-Function-Error"]


def _client_context(header: str | None) -> tuple[dict | None, InvokeApiError | None]:
    """X-Amz-Client-Context: base64 of a JSON object (up to 3,583 bytes decoded, as the service allows)."""
    if not header:
        return None, None
    try:
        document = json.loads(base64.b64decode(header, validate=True))
    except (binascii.Error, ValueError):
        document = None
    if not isinstance(document, dict):
        return None, InvokeApiError(400, "InvalidRequestContentException",
                                    "Client context must be a valid Base64-encoded JSON object.")
    return document, None
