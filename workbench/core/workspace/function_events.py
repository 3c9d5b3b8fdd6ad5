"""What reaches a workspace's functions besides a direct call: HTTP routes and schedules.

Read from template.yaml (each function's `Events` — `Api`, `HttpApi`, `Schedule`, `ScheduleV2` — and its
`FunctionUrlConfig`, Globals included) or, for a workspace without a template, from the top-level
`"events"` object of workbench.json, keyed by function name and written exactly as a template's Events:
`{"events": {"OrderConfirmation": {"PlaceOrder": {"Type": "HttpApi", "Properties": {"Path": "/orders",
"Method": "post"}}}}}`. Routes are matched as API Gateway matches them: a literal path before one with
`{parameters}`, a greedy `{proxy+}` last, a named method before ANY.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..lambda_rules.api_gateway_events import RouteMatch
from .cfn_yaml import MarkedDict, TemplateError, parse_cfn_yaml
from .sam_template import find_template
from .workspace_file import workspace_file_path

# Function URLs have a host of their own on AWS; locally each is served under this prefix on the API port.
FUNCTION_URL_PREFIX = "/lambda-url"
REST_STAGE = "Prod"  # SAM's implicit API stage (AWS::Serverless::Api default StageName)
HTTP_STAGE = "$default"
# AWS::Serverless::Function EventSource Type's valid values (SAM specification); only the HTTP and schedule
# ones are served here, the others are accepted as SAM accepts them.
SAM_EVENT_TYPES = frozenset({"AlexaSkill", "Api", "CloudWatchEvent", "CloudWatchLogs", "Cognito", "DocumentDB",
                             "DynamoDB", "EventBridgeRule", "HttpApi", "IoTRule", "Kinesis", "MQ", "MSK", "S3",
                             "Schedule", "ScheduleV2", "SelfManagedKafka", "SNS", "SQS"})
# The methods an API Gateway route or SAM Api/HttpApi event takes ("any" stands for all of them).
HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"})


@dataclass(frozen=True)
class HttpRoute:
    function: str
    event_name: str
    kind: str
    """"rest", "http1", "http2" or "url" (api_gateway_responses.KINDS)."""
    method: str
    """Upper case; "ANY" for every method."""
    path: str
    """API Gateway path template, e.g. "/orders/{id}"; "$default" for an HTTP API's catch-all route."""
    binary_media_types: tuple[str, ...] = ()
    streams: bool = False
    """A Function URL with `InvokeMode: RESPONSE_STREAM`: its answer is sent as the function streams it."""

    @property
    def route_key(self) -> str:
        if self.kind == "url" or self.path == "$default":
            return "$default"
        return f"{self.method} {self.path}"

    @property
    def stage(self) -> str:
        return REST_STAGE if self.kind == "rest" else HTTP_STAGE

    @property
    def display_path(self) -> str:
        if self.kind == "url":
            return f"{FUNCTION_URL_PREFIX}/{self.function}/"
        return "/" if self.path == "$default" else self.path


@dataclass(frozen=True)
class ScheduleEvent:
    function: str
    event_name: str
    expression: str
    """rate(...) or cron(...), as written."""
    input: str | None
    """The Input property: JSON text sent instead of the scheduled-event document."""
    kind: str
    """"Schedule" (EventBridge rule) or "ScheduleV2" (EventBridge Scheduler)."""


@dataclass(frozen=True)
class FunctionEvents:
    routes: tuple[HttpRoute, ...] = ()
    schedules: tuple[ScheduleEvent, ...] = ()
    problems: tuple[str, ...] = ()


def load_function_events(folder: Path | str) -> FunctionEvents:
    """Every route and schedule of the workspace; a malformed entry becomes a problem, never an exception."""
    folder = Path(folder)
    template = find_template(folder)
    if template is not None:
        try:
            document = parse_cfn_yaml(template.read_text(encoding="utf-8-sig"), template)
        except (TemplateError, OSError, UnicodeDecodeError) as error:
            return FunctionEvents(problems=(str(error),))
        return _from_template(document if isinstance(document, dict) else {}, template.name)
    path = workspace_file_path(folder)
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return FunctionEvents()
    except (OSError, ValueError) as error:
        return FunctionEvents(problems=(f"{path.name}: {error}",))
    events = document.get("events", {}) if isinstance(document, dict) else {}
    if not isinstance(events, dict):
        return FunctionEvents(problems=(f"{path.name}: events: expected an object of function names",))
    collected = _Collected(f"{path.name}: events")
    for function, function_events in events.items():
        collected.add_events(str(function), function_events, f"{function}")
    return collected.result()


class _Collected:
    def __init__(self, where: str, binary_media_types: tuple[str, ...] = ()):
        self.where = where
        self.binary = binary_media_types
        self.routes: list[HttpRoute] = []
        self.schedules: list[ScheduleEvent] = []
        self.problems: list[str] = []
        self._route_places: dict[tuple, str] = {}

    def _where(self, mapping: Any, key: str, place: str) -> str:
        """`file:line:column: place` when the mapping came from the template, else just the place."""
        if isinstance(mapping, MarkedDict):
            line, column = mapping.mark_of(key)
            return f"{self.file_name}:{line}:{column}: {place.removeprefix(self.where + '.')}"
        return place

    @property
    def file_name(self) -> str:
        return self.where.split(":", 1)[0]

    def add_events(self, function: str, events: Any, where: str) -> None:
        if not isinstance(events, dict):
            self.problems.append(f"{self.where}.{where}: Events must be a mapping")
            return
        for name, event in events.items():
            place = f"{self.where}.{where}.{name}"
            if not isinstance(event, dict) or not isinstance(event.get("Type"), str):
                self.problems.append(f"{self._where(events, name, place)}: an event needs a Type")
                continue
            if event["Type"] not in SAM_EVENT_TYPES:
                self.problems.append(f"{self._where(event, 'Type', place)}: Type {event['Type']!r} is not an event "
                                     f"type SAM knows ({', '.join(sorted(SAM_EVENT_TYPES))})")
                continue
            properties = event.get("Properties") or {}
            if not isinstance(properties, dict):
                self.problems.append(f"{place}.Properties: must be a mapping")
                continue
            self._add(function, str(name), event["Type"], properties, place)

    def _add(self, function: str, name: str, kind: str, properties: dict, place: str) -> None:
        if kind in ("Api", "HttpApi"):
            path, method = properties.get("Path"), properties.get("Method")
            if kind == "HttpApi" and path is None and method is None:
                path, method = "$default", "ANY"
            if not isinstance(path, str) or not isinstance(method, str):
                self.problems.append(f"{place}: Path and Method must be plain strings")
                return
            if path != "$default" and not path.startswith("/"):
                self.problems.append(f"{place}.Properties.Path: {path!r} must start with /")
                return
            version = str(properties.get("PayloadFormatVersion", "2.0"))
            route_kind = "rest" if kind == "Api" else ("http1" if version == "1.0" else "http2")
            method = "ANY" if method.lower() in ("any", "x-amazon-apigateway-any-method") else method.upper()
            if method not in HTTP_METHODS:
                self.problems.append(f"{self._where(properties, 'Method', place + '.Properties.Method')}: "
                                     f"{properties.get('Method')!r} is not an HTTP method API Gateway routes "
                                     f"({', '.join(sorted(HTTP_METHODS))}); the event is not served")
                return
            # One route per method and path in an API (CloudFormation refuses the second at deploy time).
            api = properties.get("RestApiId" if kind == "Api" else "ApiId")
            key = (kind, json.dumps(api, sort_keys=True, default=str), method, path)
            here = self._where(properties, "Path", place)
            if key in self._route_places:
                self.problems.append(f"{here}: {method} {path} is already a route of this API "
                                     f"({self._route_places[key]}); this one is not served")
                return
            self._route_places[key] = here
            self.routes.append(HttpRoute(function, name, route_kind, method, path,
                                         self.binary if kind == "Api" else ()))
        elif kind in ("Schedule", "ScheduleV2"):
            expression = properties.get("Schedule") if kind == "Schedule" else properties.get("ScheduleExpression")
            if not isinstance(expression, str):
                self.problems.append(f"{place}: {'Schedule' if kind == 'Schedule' else 'ScheduleExpression'} "
                                     "must be a rate(...) or cron(...) string")
                return
            raw_input = properties.get("Input")
            self.schedules.append(ScheduleEvent(function, name, expression.strip(),
                                                raw_input if isinstance(raw_input, str) else None, kind))

    def add_function_url(self, function: str, url_config: dict) -> None:
        # InvokeMode: BUFFERED (the default) or RESPONSE_STREAM (AWS::Lambda::Url).
        streams = url_config.get("InvokeMode") == "RESPONSE_STREAM"
        self.routes.append(HttpRoute(function, "FunctionUrl", "url", "ANY", "/{proxy+}", streams=streams))

    def result(self) -> FunctionEvents:
        return FunctionEvents(tuple(self.routes), tuple(self.schedules), tuple(self.problems))


def _from_template(document: dict, file_name: str) -> FunctionEvents:
    globals_section = document.get("Globals") if isinstance(document.get("Globals"), dict) else {}
    global_function = globals_section.get("Function") if isinstance(globals_section.get("Function"), dict) else {}
    global_api = globals_section.get("Api") if isinstance(globals_section.get("Api"), dict) else {}
    binary = global_api.get("BinaryMediaTypes")
    resources = document.get("Resources") if isinstance(document.get("Resources"), dict) else {}
    # An explicit AWS::Serverless::Api's BinaryMediaTypes count as well (all its routes share them).
    for resource in resources.values():
        if isinstance(resource, dict) and resource.get("Type") == "AWS::Serverless::Api":
            own = (resource.get("Properties") or {}).get("BinaryMediaTypes")
            binary = (binary or []) + own if isinstance(own, list) else binary
    collected = _Collected(file_name, tuple(str(item) for item in binary) if isinstance(binary, list) else ())
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::Serverless::Function":
            continue
        properties = resource.get("Properties") if isinstance(resource.get("Properties"), dict) else {}
        if "Events" in properties:
            collected.add_events(str(logical_id), properties["Events"], f"Resources.{logical_id}.Events")
        url_config = properties.get("FunctionUrlConfig", global_function.get("FunctionUrlConfig"))
        if isinstance(url_config, dict):
            collected.add_function_url(str(logical_id), url_config)
    return collected.result()


# --- Matching a request to a route ------------------------------------------------------------------

def _pattern(path: str) -> re.Pattern[str]:
    parts = []
    for segment in path.strip("/").split("/") if path.strip("/") else []:
        if match := re.fullmatch(r"\{([^{}+]+)\+\}", segment):
            parts.append(f"(?P<{_group(match[1])}>.+)")
        elif match := re.fullmatch(r"\{([^{}+]+)\}", segment):
            parts.append(f"(?P<{_group(match[1])}>[^/]+)")
        else:
            parts.append(re.escape(segment))
    return re.compile("^/" + "/".join(parts) + "/?$")


def _group(name: str) -> str:
    # Regex group names must be identifiers; API Gateway parameter names may hold "-" or ".".
    return "p_" + "".join(c if c.isalnum() else f"_{ord(c)}_" for c in name)


def _parameter_names(path: str) -> list[str]:
    return re.findall(r"\{([^{}+]+)\+?\}", path)


def _specificity(route: HttpRoute) -> tuple:
    greedy = "+}" in route.path
    parameters = len(_parameter_names(route.path))
    return (route.path == "$default", greedy, parameters, route.method == "ANY", -len(route.path))


def match_route(routes: tuple[HttpRoute, ...], method: str, path: str) -> tuple[HttpRoute, RouteMatch] | None:
    """The route API Gateway would pick for method and path, with its path parameters; None for no route."""
    method = method.upper()
    for route in sorted(routes, key=_specificity):
        if route.method not in ("ANY", method):
            continue
        if route.kind == "url":
            prefix = f"{FUNCTION_URL_PREFIX}/{route.function}"
            if path != prefix and not path.startswith(prefix + "/"):
                continue
            return route, RouteMatch("$default", "$default", (), HTTP_STAGE)
        if route.path == "$default":
            return route, RouteMatch("$default", "$default", (), HTTP_STAGE)
        found = _pattern(route.path).match(path)
        if found:
            values = tuple((name, found.group(_group(name))) for name in _parameter_names(route.path))
            return route, RouteMatch(route.path, route.route_key, values, route.stage)
    return None


def function_url_path(route: HttpRoute, path: str) -> str:
    """The path a Function URL's function sees: the part after the local prefix ("/" at least)."""
    rest = path[len(f"{FUNCTION_URL_PREFIX}/{route.function}"):]
    return rest or "/"
