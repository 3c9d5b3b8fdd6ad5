"""An invocation ends when the runtime asks for the next event, as on Lambda: what a runtime writes after
posting its result (Amazon's Java client logs a fault after posting /error) is part of that call's log,
before END and REPORT; a runtime that never asks again is waited for only a bounded time."""

import sys
import textwrap

import pytest

from workbench.core.function.function_config import FunctionConfig
from workbench.core.function.invocation_result import Status

PYTHON_BOOTSTRAP = """\
#!{python}
import os, sys, time, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
while True:
    with urllib.request.urlopen(api + "next") as reply:
        request_id = reply.headers["Lambda-Runtime-Aws-Request-Id"]
        reply.read()
    urllib.request.urlopen(urllib.request.Request(api + request_id + "/response", data=b'"sent"', method="POST")).read()
    print("python: after the response", flush=True)
    time.sleep(0.2)
    print("python: still after the response", flush=True)
    {then}
"""

NODE_BOOTSTRAP = """\
#!{node}
const http = require("http");
const api = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
function call(method, path, body) {{
  return new Promise((resolve) => {{
    const request = http.request({{host: api[0], port: api[1], method, path: "/2018-06-01/runtime/invocation/" + path}},
      (reply) => {{ let data = ""; reply.on("data", (d) => data += d); reply.on("end", () => resolve([reply, data])); }});
    request.end(body);
  }});
}}
(async () => {{
  for (;;) {{
    const [reply] = await call("GET", "next");
    await call("POST", reply.headers["lambda-runtime-aws-request-id"] + "/response", '"sent"');
    console.log("node: after the response");
    await new Promise((r) => setTimeout(r, 200));
    console.log("node: still after the response");
    {then}
  }}
}})();
"""


def _function(tmp_path, text):
    code = tmp_path / "fn"
    code.mkdir()
    bootstrap = code / "bootstrap"
    bootstrap.write_text(text)
    bootstrap.chmod(0o755)
    return FunctionConfig(name="after", handler="x", runtime="provided.al2023", code_dir=str(code), timeout_s=10)


def _between_start_and_end(lines):
    start = next(i for i, line in enumerate(lines) if line.startswith("START "))
    end = next(i for i, line in enumerate(lines) if line.startswith("END "))
    return lines[start + 1:end]


def _node():
    import shutil

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    return node


@pytest.mark.parametrize("language", ["python", "node"])
def test_output_after_the_response_belongs_to_the_invocation(tmp_path, run, language):
    """Lines a runtime prints after posting its response, before its next /next, come before END."""
    text = (PYTHON_BOOTSTRAP.format(python=sys.executable, then="") if language == "python"
            else NODE_BOOTSTRAP.format(node=_node(), then=""))
    config = _function(tmp_path, text)
    for _ in range(2):
        ran = run(config)
        assert ran.result.status is Status.SUCCESS
        assert ran.result.payload == b'"sent"'
        assert _between_start_and_end(ran.lines) == [f"{language}: after the response",
                                                     f"{language}: still after the response"]


@pytest.mark.parametrize("language", ["python", "node"])
def test_a_runtime_that_never_asks_again_ends_the_call_within_the_bound(tmp_path, run, language):
    """The wait for /next is bounded: a runtime that stops after responding still finishes the call, with
    its result and what it wrote meanwhile."""
    text = (PYTHON_BOOTSTRAP.format(python=sys.executable, then="time.sleep(60)") if language == "python"
            else NODE_BOOTSTRAP.format(node=_node(), then="await new Promise((r) => setTimeout(r, 60000));"))
    ran = run(_function(tmp_path, text), wait_ms=20_000)
    assert ran.result.status is Status.SUCCESS
    assert ran.result.payload == b'"sent"'
    assert f"{language}: still after the response" in _between_start_and_end(ran.lines)


def test_a_managed_node_handler_logging_as_its_response_goes_out(tmp_path, run):
    """A nodejs handler's line logged on the next turn of the event loop (while the runtime posts the
    response) is in the call's log."""
    _node()
    code = tmp_path / "node"
    code.mkdir()
    (code / "index.mjs").write_text(textwrap.dedent("""\
        export const handler = async () => {
          setImmediate(() => console.log("logged while the response goes out"));
          return "done";
        };
        """))
    config = FunctionConfig(name="immediate", handler="index.handler", runtime="nodejs20.x", code_dir=str(code))
    ran = run(config)
    assert ran.result.payload == b'"done"'
    assert any("logged while the response goes out" in line for line in _between_start_and_end(ran.lines))
