"""A FastAPI app wrapped with Mangum answers through every front door (REST, HTTP API 2.0 and 1.0, Function
URL) as the same app answers under uvicorn, except where API Gateway documents a difference; each such
difference is named below with its source. The app, uvicorn and `lambda-workbench serve` are started here,
offline."""

import http.client
import json
import shutil
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from serve_helpers import start_serve

uvicorn = pytest.importorskip("uvicorn")
pytest.importorskip("mangum")
pytest.importorskip("fastapi")

APP = Path(__file__).parent / "fixtures" / "asgi"
RUNTIME = f"python{sys.version_info.major}.{sys.version_info.minor}"

REST_AND_URL = f"""
Globals:
  Function:
    Runtime: {RUNTIME}
    CodeUri: app
    Handler: mangum_handler.handler
    Timeout: 20
  Api:
    BinaryMediaTypes: ["*~1*"]
Resources:
  Rest:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        All:
          Type: Api
          Properties: {{Path: "/{{proxy+}}", Method: ANY}}
  Url:
    Type: AWS::Serverless::Function
    Properties:
      FunctionUrlConfig: {{AuthType: NONE}}
"""
HTTP_API = """
Globals:
  Function:
    Runtime: {runtime}
    CodeUri: app
    Handler: mangum_handler.handler
    Timeout: 20
Resources:
  Http:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        All:
          Type: HttpApi
          Properties: {{Path: "/{{proxy+}}", Method: ANY, PayloadFormatVersion: "{version}"}}
"""

# Each front door: (workspace template, the prefix a client puts before the app's own path).
DOORS = {
    "rest": (REST_AND_URL, "/Prod"),
    "url": (REST_AND_URL, "/lambda-url/Url"),
    "http2": (HTTP_API.format(runtime=RUNTIME, version="2.0"), ""),
    "http1": (HTTP_API.format(runtime=RUNTIME, version="1.0"), ""),
}

# (method, path, body, headers)
REQUESTS = {
    "percent_escapes": ("GET", "/echo/a%20b%2525/c?q=%25x&q=%26y&plus=a+b&empty=&esc=%2B", None, {}),
    "unicode": ("GET", "/echo/%C3%A9t%C3%A9?name=caf%C3%A9&check=%E2%9C%93", None, {}),
    "repeated_headers_and_cookies": ("GET", "/echo/h", None,
                                     [("X-Tag", "one"), ("X-Tag", "two"), ("Cookie", "a=1; b=2")]),
    "binary_request_body": ("POST", "/body", bytes(range(256)) * 3, {"Content-Type": "application/octet-stream"}),
    "text_request_body": ("POST", "/body", "naïve ✓".encode(), {"Content-Type": "text/plain; charset=utf-8"}),
    "large_body": ("POST", "/body", b"x" * 1_500_000, {"Content-Type": "text/plain"}),
    "binary_response": ("GET", "/image", None, {"Accept": "image/png"}),
    "large_response": ("GET", "/text?size=500000", None, {}),
    "set_cookies": ("GET", "/cookies", None, {}),
    "redirect": ("GET", "/moved", None, {}),
    "head": ("HEAD", "/echo/h", None, {}),
    "not_found": ("GET", "/nowhere", None, {}),
    "unprocessable": ("GET", "/count?n=many", None, {}),
}

COMPARED_HEADERS = ("content-type", "location", "set-cookie", "x-length")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def uvicorn_url():
    sys.path.insert(0, str(APP))
    try:
        from shop_app import app
    finally:
        sys.path.remove(str(APP))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


_served = {}


def _vendor(code_dir):
    """FastAPI, Mangum and what they import, beside the handler, as `pip install -t` packages them for Lambda
    (linked from this environment, which has them)."""
    sys.path.insert(0, str(APP))
    try:
        import mangum_handler  # noqa: F401  (imports the app and everything it needs)
    finally:
        sys.path.remove(str(APP))
    site = Path(uvicorn.__file__).parent.parent
    names = {name.split(".")[0] for name, module in list(sys.modules.items())
             if str(getattr(module, "__file__", "") or "").startswith(str(site))}
    for name in names:
        for candidate in (site / name, site / f"{name}.py"):
            if candidate.exists() and not (code_dir / candidate.name).exists():
                (code_dir / candidate.name).symlink_to(candidate)


@pytest.fixture(scope="module")
def door_url(tmp_path_factory):
    started = []

    def url_of(door):
        template = DOORS[door][0]
        if template not in _served:
            workspace = tmp_path_factory.mktemp("door")
            shutil.copytree(APP, workspace / "app", ignore=shutil.ignore_patterns("__pycache__"))
            (workspace / "template.yaml").write_text(template)
            _vendor(workspace / "app")
            # The workspace's .venv is the interpreter its functions run on: this one's Python.
            (workspace / ".venv").symlink_to(sys.prefix)
            served = start_serve(workspace)
            started.append(served)
            _served[template] = served
        return _served[template].api_url + DOORS[door][1]

    yield url_of
    for served in started:
        served.stop()
    _served.clear()


def call(base, method, path, body, headers):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.putrequest(method, parts.path + path, skip_accept_encoding=True)
    pairs = headers.items() if isinstance(headers, dict) else headers
    for name, value in pairs:
        connection.putheader(name, value)
    if body is not None:
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    kept = {name: response.headers.get_all(name) for name in COMPARED_HEADERS if response.headers.get_all(name)}
    return response.status, kept, data


def documented_difference(door, case, answer):
    """The answer as the local app gives it, where API Gateway documents that it differs."""
    status, headers, body = answer
    if case == "repeated_headers_and_cookies":
        document = json.loads(body)
        # Payload 2.0: "Duplicate headers are combined with commas" (API Gateway developer guide, "Working
        # with AWS Lambda proxy integrations for HTTP APIs", format 2.0; Lambda's urls-invocation.html).
        # Payload 1.0 keeps them apart in multiValueHeaders, and Mangum joins those with ", " into one
        # header for the app (mangum/handlers/utils.py, handle_multi_value_headers for requests).
        document["tags"] = [("," if door in ("http2", "url") else ", ").join(document["tags"])]
        body = json.dumps(document, separators=(",", ":")).encode()
    if "content-type" not in headers:
        # An answer without a Content-Type goes out as application/json (API Gateway's proxy integrations;
        # format 2.0: "API Gateway assumes ... content-type application/json").
        headers = {**headers, "content-type": ["application/json"]}
    return status, headers, body


@pytest.mark.parametrize("case", list(REQUESTS))
@pytest.mark.parametrize("door", list(DOORS))
def test_the_app_answers_as_under_uvicorn(uvicorn_url, door_url, door, case):
    method, path, body, headers = REQUESTS[case]
    local = call(uvicorn_url, method, path, body, headers)
    through = call(door_url(door), method, path, body, headers)
    expected = documented_difference(door, case, local)
    assert through[0] == expected[0], (through, "".join(s.stderr for s in _served.values())[-3000:])
    assert through[1] == expected[1]
    assert through[2] == expected[2]
