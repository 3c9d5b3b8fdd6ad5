"""The HTTP front door on aiohttp: API Gateway routes (REST and HTTP APIs) and Function URLs from the
workspace's Events, each request turned into the event API Gateway would send and the function's answer
mapped back as API Gateway maps it (workbench.core.lambda_rules.api_gateway_events / api_gateway_responses)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Callable

from aiohttp import web

from ..core.provenance.run_origin import route_origin
from ..core.lambda_rules import api_gateway_responses as responses
from ..core.lambda_rules.api_gateway_events import HttpRequest, RouteMatch, http_v2_event, rest_event
from ..core.workspace.function_events import (FUNCTION_URL_PREFIX, REST_STAGE, HttpRoute, function_url_path,
                                              match_route)
from ..core.lambda_rules.lambda_errors import MAX_REQUEST_BYTES
from ..core.function.served_call import ServedCall
from .function_caller import FunctionCaller
from .invoke_api import read_limited
from .stream_answers import stream_url_response

# API Gateway's own payload limit (10 MB, "API Gateway quotas"); Lambda's 6 MB applies to the event after.
API_GATEWAY_MAX_BODY = 10 * 1024 * 1024
# Integration timeouts: REST 29 s -> 504 "Endpoint request timed out"; HTTP API 30 s -> 503.
INTEGRATION_TIMEOUT_S = {"rest": 29.0, "http1": 30.0, "http2": 30.0}
TIMED_OUT = {"rest": (504, b'{"message": "Endpoint request timed out"}'),
             "http1": (503, b'{"message":"Service Unavailable"}'),
             "http2": (503, b'{"message":"Service Unavailable"}')}


class FrontDoor:
    """The aiohttp application of the API port; `on_call` hears of every answer, with its explanation."""

    def __init__(self, caller: FunctionCaller, on_call: Callable[[ServedCall], None], port_of: Callable[[], int]):
        self.caller = caller
        self.on_call = on_call
        self.port_of = port_of
        self.app = web.Application(client_max_size=API_GATEWAY_MAX_BODY + 1)
        self.app.router.add_route("*", "/{tail:.*}", self.handle)

    def routes(self) -> tuple[HttpRoute, ...]:
        return self.caller.events().routes

    async def handle(self, request: web.Request) -> web.StreamResponse:
        arrived = time.time()
        answer, function, request_id = await self._answer(request, arrived)
        if isinstance(answer, web.StreamResponse):  # streamed, and sent already
            response, refusal = answer, None
        else:
            response, refusal = web.Response(status=answer.status, body=answer.body), answer.refusal
            for name, value in answer.headers:
                response.headers.add(name, value)
        self.on_call(ServedCall(arrived, "http", request.method, request.path, function, response.status,
                                (time.time() - arrived) * 1000, request_id, refusal))
        return response

    async def _answer(self, request: web.Request,
                      arrived: float) -> tuple[responses.HttpAnswer | web.StreamResponse, str | None, str | None]:
        routes = self.routes()
        path, found = request.path, None
        stage_prefix = f"/{REST_STAGE}/"
        if path.startswith(stage_prefix):
            # A REST API's invoke URL carries its stage (.../Prod/orders): API Gateway takes it off before
            # routing, so a {proxy+} route gets "orders", never "Prod/orders".
            rest_routes = tuple(route for route in routes if route.kind == "rest")
            found = match_route(rest_routes, request.method, path[len(stage_prefix) - 1:])
            if found is not None:
                path = path[len(stage_prefix) - 1:]
        if found is None and path.startswith(FUNCTION_URL_PREFIX + "/"):
            # A Function URL is a host of its own on AWS: an API's catch-all route never takes its calls.
            found = match_route(tuple(route for route in routes if route.kind == "url"), request.method, path)
        if found is None:
            found = match_route(routes, request.method, path)
        if found is None:
            kind = routes[0].kind if routes and routes[0].kind == "rest" else "http2"
            return responses.not_found(kind, request.method, request.path), None, None
        route, match = found
        config = self.caller.function(route.function)
        if config is None:
            return responses.failure(route.kind, f"the route's function {route.function} is not in the workspace "
                                                 "(or cannot run)"), None, None
        body, size = await read_limited(request, API_GATEWAY_MAX_BODY)
        if body is None:
            return responses.HttpAnswer(413, (("Content-Type", "application/json"),),
                                        b'{"message":"Request Entity Too Large"}',
                                        f"the body is {size} bytes, over API Gateway's {API_GATEWAY_MAX_BODY}"), \
                config.name, None
        event = self._event(request, path, route, match, body, arrived, config.account_id)
        payload = json.dumps(event).encode("utf-8")
        if len(payload) > MAX_REQUEST_BYTES:
            return responses.failure(route.kind, f"the event is {len(payload)} bytes, over Lambda's "
                                                 f"{MAX_REQUEST_BYTES}-byte limit for a synchronous call"), \
                config.name, None
        if route.streams:
            # A RESPONSE_STREAM Function URL: no integration timeout but the function's own.
            answer, request_id = await stream_url_response(request, self.caller, config, payload)
            return answer, config.name, request_id
        origin = route_origin(request.method, request.path)
        call = asyncio.ensure_future(self.caller.call(config, payload, origin=origin))
        limit = INTEGRATION_TIMEOUT_S.get(route.kind)
        done, _ = await asyncio.wait({call}, timeout=limit)
        if not done:
            # The function goes on (and is recorded) as on AWS; the client gets the gateway's timeout.
            status, text = TIMED_OUT[route.kind]
            return responses.HttpAnswer(status, (("Content-Type", "application/json"),), text,
                                        f"the function did not answer within API Gateway's {limit:.0f} s "
                                        "integration timeout"), config.name, None
        outcome = call.result()
        if isinstance(outcome, list):
            return responses.failure(route.kind, "Lambda refuses the call: " + "; ".join(map(str, outcome))), \
                config.name, None
        answer = responses.map_response(route.kind, outcome.result.payload, outcome.result.error_type,
                                        route.binary_media_types, request.headers.get("Accept", ""))
        return answer, config.name, outcome.result.request_id

    def _event(self, request: web.Request, path: str, route: HttpRoute, match: RouteMatch, body: bytes, arrived: float,
               account_id: str) -> dict:
        # The path and the query string as the client sent them, percent-escapes kept: API Gateway passes the
        # path undecoded (Mangum and other adapters decode it once) and the raw query string, which the event
        # rules parse once. aiohttp's request.path and query_string are already decoded.
        raw_path, _, raw_query = request.raw_path.partition("?")
        if route.kind == "url":
            raw_path = function_url_path(route, raw_path)
        elif route.kind == "rest" and not path.startswith(f"/{REST_STAGE}/") \
                and raw_path.startswith(f"/{REST_STAGE}/"):
            raw_path = raw_path[len(REST_STAGE) + 1:]
        peer = request.transport.get_extra_info("peername") if request.transport else None
        http_request = HttpRequest(
            method=request.method, path=raw_path, raw_query=raw_query,
            headers=tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in request.raw_headers),
            body=body, source_ip=peer[0] if peer else "127.0.0.1",
            protocol=f"HTTP/{request.version.major}.{request.version.minor}",
            host=request.host, port=self.port_of(), scheme=request.scheme, received_at=arrived)
        if route.kind in ("rest", "http1"):
            return rest_event(http_request, match, route.binary_media_types, account_id, http_api=route.kind == "http1")
        return http_v2_event(http_request, match, account_id, function_url=route.kind == "url")
