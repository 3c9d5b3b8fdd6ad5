"""Which AWS API call an HTTP request to the services host is, and on which resource: read from what every
SDK sends (the SigV4 credential scope names the service and the access key; X-Amz-Target, an Action
parameter or the REST path names the operation), so the host can list each run's calls."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from .local_access import credential_scope


@dataclass(frozen=True)
class AwsCall:
    service: str
    """The IAM / signing name: s3, dynamodb, sqs, sns, ses, events, secretsmanager, ssm, ..."""
    operation: str
    """The API's own name: PutObject, PutItem, SendEmail, ..."""
    resource: str | None
    """The ARN of what the call acted on, where the call names one."""
    access_key: str = ""
    region: str = ""
    time: float = 0.0
    status: int = 0
    error: str | None = None
    """AWS's error code when the call failed (NotImplemented: moto does not emulate it)."""
    api: str = ""
    """The API the SDK spoke when it differs from the service (sesv2 for SES's v2 API)."""

    def to_json(self) -> dict:
        """The shape of `awsCalls` items in `history show --json` and the host's /_workbench/calls."""
        document = {"service": self.service, "operation": self.operation}
        if self.resource:
            document["resource"] = self.resource
        if self.error:
            document["error"] = self.error
        return document

    def to_wire(self) -> dict:
        return {**self.to_json(), "accessKey": self.access_key, "region": self.region, "time": self.time,
                "status": self.status, "api": self.api}

    @classmethod
    def from_wire(cls, document: dict) -> AwsCall:
        return cls(str(document["service"]), str(document["operation"]), document.get("resource"),
                   str(document.get("accessKey", "")), str(document.get("region", "")),
                   float(document.get("time", 0.0)), int(document.get("status", 0)), document.get("error"),
                   str(document.get("api", "")))


@dataclass(frozen=True)
class RestOperation:
    """One operation of a REST API as its botocore model declares it: method and requestUri."""

    name: str
    method: str
    path: re.Pattern
    query_keys: tuple[str, ...]
    literal_length: int
    required_headers: tuple[str, ...] = ()
    """Lower-cased headers the operation requires (CopyObject is PutObject's route plus x-amz-copy-source)."""


def rest_operations(model_operations: dict, shapes: dict | None = None) -> tuple[RestOperation, ...]:
    """The REST routes of a botocore service model's "operations" (and "shapes"), most specific first."""
    shapes = shapes or {}
    routes = []
    for name, operation in model_operations.items():
        http = operation.get("http") or {}
        uri = http.get("requestUri")
        if not uri:
            continue
        path, _, query = uri.partition("?")
        pattern = "".join(
            "(?P<{}>.+)".format(part[1:-2].replace("-", "_")) if part.endswith("+}") else
            "(?P<{}>[^/]+)".format(part[1:-1].replace("-", "_")) if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{[^}]+\})", path))
        keys = tuple(item.split("=")[0] for item in query.split("&") if item)
        literal = len(re.sub(r"\{[^}]+\}", "", path))
        shape = shapes.get((operation.get("input") or {}).get("shape", ""), {})
        members = shape.get("members", {})
        headers = tuple(members[m]["locationName"].lower() for m in shape.get("required", [])
                        if members.get(m, {}).get("location") == "header" and "locationName" in members[m])
        routes.append(RestOperation(name, http.get("method", "GET"), re.compile(pattern.rstrip("/") + "/?$"),
                                    keys, literal, headers))
    routes.sort(key=lambda route: (-len(route.query_keys), -len(route.required_headers), -route.literal_length))
    return tuple(routes)


def match_rest(routes: tuple[RestOperation, ...], method: str, path: str, query: dict,
               headers: dict | None = None) -> tuple[str, dict] | None:
    """(operation, path parameters) of the most specific route the request fits."""
    for route in routes:
        if route.method != method or any(header not in (headers or {}) for header in route.required_headers):
            continue
        found = route.path.match(path)
        if found and all(key in query for key in route.query_keys):
            return route.name, {k: unquote(v) for k, v in found.groupdict().items()}
    return None


def _json(body: bytes) -> dict:
    try:
        document = json.loads(body or b"{}")
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}


def _address(source: str) -> str:
    """The address of "Name <a@example.com>"."""
    match = re.search(r"<([^>]+)>", source or "")
    return (match.group(1) if match else source or "").strip()


def classify(method: str, url: str, headers: dict[str, str], body: bytes, account: str,
             rest_routes=None) -> AwsCall | None:
    """The call a request to the host makes; None for a request no SDK signed (the dashboard, our own
    control API). headers are lower-cased. rest_routes(service) gives a REST API's routes."""
    scope = credential_scope(headers.get("authorization", ""))
    parts = urlsplit(url)
    query = parse_qs(parts.query, keep_blank_values=True)
    if scope is None and "X-Amz-Credential" in query:
        scope = credential_scope("Credential=" + query["X-Amz-Credential"][0])  # a presigned URL
    if scope is None:
        return None
    key, region, service = scope
    api = service
    form: dict = {}
    if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
    target = headers.get("x-amz-target", "")
    document: dict = {}
    operation = ""
    path_parameters: dict = {}
    if target:
        operation = target.rsplit(".", 1)[-1]
        document = _json(body)
    elif "Action" in form or "Action" in query:
        operation = form.get("Action") or query["Action"][0]
        form = {**{k: v[0] for k, v in query.items()}, **form}
    else:
        if service == "ses" and parts.path.startswith("/v2/"):
            api = "sesv2"
        routes = rest_routes(api) if rest_routes else ()
        found = match_rest(routes, method, parts.path, query, headers) if routes else None
        if found:
            operation, path_parameters = found
        else:
            operation = f"{method} {parts.path}"
        document = _json(body) if headers.get("content-type", "").startswith("application/json") else {}
    resource = _resource(api, operation, region, account, form, document, path_parameters, parts.path)
    return AwsCall(service, operation, resource, key, region, api=api if api != service else "")


def _resource(api: str, operation: str, region: str, account: str, form: dict, document: dict,
              path_parameters: dict, path: str) -> str | None:
    values = {**form, **document}
    if api == "s3":
        bucket, key = path_parameters.get("Bucket"), path_parameters.get("Key")
        if bucket is None:
            pieces = path.lstrip("/").split("/", 1)
            bucket = unquote(pieces[0]) or None
            key = unquote(pieces[1]) if len(pieces) > 1 and pieces[1] else None
        if not bucket:
            return None
        return f"arn:aws:s3:::{bucket}/{key}" if key else f"arn:aws:s3:::{bucket}"
    if api == "dynamodb":
        table = values.get("TableName")
        if not table and isinstance(values.get("RequestItems"), dict) and values["RequestItems"]:
            table = next(iter(values["RequestItems"]))
        if not table:
            return None
        index = values.get("IndexName")
        return f"arn:aws:dynamodb:{region}:{account}:table/{table}" + (f"/index/{index}" if index else "")
    if api == "sqs":
        url = values.get("QueueUrl")
        name = url.rstrip("/").rsplit("/", 1)[-1] if url else values.get("QueueName")
        return f"arn:aws:sqs:{region}:{account}:{name}" if name else None
    if api == "sns":
        arn = values.get("TopicArn") or values.get("TargetArn")
        if arn:
            return arn
        return f"arn:aws:sns:{region}:{account}:{values['Name']}" if values.get("Name") else None
    if api in ("ses", "sesv2"):
        source = values.get("Source") or values.get("FromEmailAddress") or values.get("EmailAddress") \
            or values.get("EmailIdentity") or path_parameters.get("EmailIdentity")
        return f"arn:aws:ses:{region}:{account}:identity/{_address(source)}" if source else None
    if api == "secretsmanager":
        name = values.get("SecretId") or values.get("Name")
        if not name:
            return None
        # AWS appends six random characters to a secret's name in its ARN; IAM's docs match them with ??????.
        return name if name.startswith("arn:") else f"arn:aws:secretsmanager:{region}:{account}:secret:{name}-??????"
    if api == "ssm":
        name = values.get("Name") or values.get("Path")
        if not name and isinstance(values.get("Names"), list) and values["Names"]:
            name = values["Names"][0]
        return f"arn:aws:ssm:{region}:{account}:parameter/{name.lstrip('/')}" if name else None
    if api == "events":
        bus = values.get("EventBusName") or values.get("Name")
        entries = values.get("Entries")
        if not bus and isinstance(entries, list) and entries and isinstance(entries[0], dict):
            bus = entries[0].get("EventBusName")
        bus = bus or "default"
        return bus if bus.startswith("arn:") else f"arn:aws:events:{region}:{account}:event-bus/{bus}"
    return None
