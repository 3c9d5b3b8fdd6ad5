"""Custom runtimes (provided.al2023, provided.al2): the function's own bootstrap runs as it is, through the engine."""

import json
import re
import shutil
import stat
import sys
from pathlib import Path

import pytest

from workbench.core.function.function_config import FunctionConfig
from workbench.core.function.invocation_result import Status
from processes import process_gone, processes_in

TUTORIAL = Path(__file__).parent / "fixtures" / "custom"
needs_tutorial_tools = pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("bash") is None,
    reason="the custom-runtime tutorial's bootstrap needs bash and curl on PATH")

# A bootstrap in Python: the environment it sees, as its response.
ENV_BOOTSTRAP = f"""#!{sys.executable}
import json, os, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
while True:
    with urllib.request.urlopen(api + "next") as reply:
        request_id = reply.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(reply.read())
    keys = ["_HANDLER", "LAMBDA_TASK_ROOT", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
    body = {{key: os.environ.get(key) for key in keys}}
    body.update(cwd=os.getcwd(), has_execution_env="AWS_EXECUTION_ENV" in os.environ, event=event)
    urllib.request.urlopen(urllib.request.Request(api + request_id + "/response", json.dumps(body).encode()))
"""

# A POSIX-shell bootstrap that reports every event as a function error, with its own error type.
ERROR_BOOTSTRAP = """#!/bin/sh
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  headers="$(mktemp)"
  curl -sS -D "$headers" "$api/invocation/next" > /dev/null
  id=$(grep -i Lambda-Runtime-Aws-Request-Id "$headers" | tr -d '[:space:]' | cut -d: -f2)
  curl -sS -H "Lambda-Runtime-Function-Error-Type: Function.Custom" \\
    -d '{"errorType":"Function.Custom","errorMessage":"custom failure"}' "$api/invocation/$id/error"
done
"""

# A bootstrap whose initialisation fails and says so on /init/error.
INIT_ERROR_BOOTSTRAP = """#!/bin/sh
curl -sS -H "Lambda-Runtime-Function-Error-Type: Runtime.ConfigMissing" \\
  -d '{"errorType":"Runtime.ConfigMissing","errorMessage":"no configuration found"}' \\
  "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/init/error"
exit 1
"""

# function.sh for the tutorial's bootstrap: a handler that starts a sleeper and waits for it.
SLOW_FUNCTION = """function handler () {
  sleep 300 &
  echo "sleeper pid $!" 1>&2
  wait
}
"""


@pytest.fixture
def invoke(run):
    """invoke(config, event) through the shared engine, waiting for the one finished signal."""
    return run


@pytest.fixture
def tutorial(tmp_path):
    """The tutorial's runtime-tutorial folder (bootstrap + function.sh), copied with its modes."""
    target = tmp_path / "runtime-tutorial"
    shutil.copytree(TUTORIAL, target)
    return target


def custom_function(code_dir, runtime="provided.al2023", handler="function.handler", **settings):
    return FunctionConfig(name=f"custom-{Path(code_dir).name}", handler=handler, runtime=runtime,
                          code_dir=str(code_dir), **settings)


def write_bootstrap(folder: Path, text: str, mode: int = 0o755) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    bootstrap = folder / "bootstrap"
    bootstrap.write_text(text)
    bootstrap.chmod(mode)
    return bootstrap


@needs_tutorial_tools
@pytest.mark.parametrize("runtime", ["provided.al2023", "provided.al2"])
def test_tutorial_bootstrap_runs_unchanged(tutorial, invoke, runtime):
    """The custom-runtime tutorial's shell-and-curl bootstrap answers exactly as in the tutorial, warm the second time."""
    assert (tutorial / "bootstrap").stat().st_mode & stat.S_IXUSR
    config = custom_function(tutorial, runtime)
    first = invoke(config, '{"text":"Hello"}')
    assert first.result.succeeded, first.text
    assert first.text == "Echoing request: '{\"text\":\"Hello\"}'"
    # function.sh echoes the event to stderr: it shows in the log, inside the call.
    end = first.lines.index(f"END RequestId: {first.result.request_id}")
    assert '{"text":"Hello"}' in first.lines[:end]
    assert first.result.init_duration_ms is not None
    second = invoke(config, '{"text":"again"}')
    assert second.text == "Echoing request: '{\"text\":\"again\"}'"
    assert second.result.init_duration_ms is None


def test_bootstrap_sees_lambdas_environment(tmp_path, invoke):
    """Any executable named bootstrap runs as it is, in the code folder, with Lambda's variables and no AWS_EXECUTION_ENV."""
    folder = tmp_path / "python-bootstrap"
    write_bootstrap(folder, ENV_BOOTSTRAP)
    ran = invoke(custom_function(folder, handler="anything.goes", memory_mb=256), {"n": 1})
    assert ran.result.succeeded, ran.text
    assert json.loads(ran.text) == {
        "_HANDLER": "anything.goes", "LAMBDA_TASK_ROOT": str(folder),
        "AWS_LAMBDA_FUNCTION_NAME": "custom-python-bootstrap", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "cwd": str(folder), "has_execution_env": False, "event": {"n": 1}}


@needs_tutorial_tools
def test_bootstrap_error_post_is_the_function_error(tmp_path, invoke):
    """What a bootstrap posts to /invocation/{id}/error is what the caller gets; the environment stays warm."""
    folder = tmp_path / "error-bootstrap"
    write_bootstrap(folder, ERROR_BOOTSTRAP)
    config = custom_function(folder)
    ran = invoke(config)
    assert ran.result.status is Status.ERROR and ran.result.error_type == "Function.Custom"
    assert json.loads(ran.text) == {"errorType": "Function.Custom", "errorMessage": "custom failure"}
    assert invoke(config).result.init_duration_ms is None


@needs_tutorial_tools
def test_bootstrap_init_error(tmp_path, invoke):
    """A bootstrap that posts /init/error fails the call with its own error type and message."""
    folder = tmp_path / "init-error-bootstrap"
    write_bootstrap(folder, INIT_ERROR_BOOTSTRAP)
    ran = invoke(custom_function(folder))
    assert ran.result.error_type == "Runtime.ConfigMissing"
    assert json.loads(ran.text)["errorMessage"] == "no configuration found"
    assert any(line.startswith("INIT_REPORT ") and line.endswith("Error Type: Runtime.ConfigMissing")
               for line in ran.lines)


def test_bootstrap_without_run_bit_is_a_clear_error(tmp_path, invoke):
    """A bootstrap that is not executable fails the call, saying to chmod +x it."""
    folder = tmp_path / "not-executable"
    bootstrap = write_bootstrap(folder, "#!/bin/sh\nexit 0\n", mode=0o644)
    ran = invoke(custom_function(folder))
    assert ran.result.error_type == "Runtime.InvalidEntrypoint"
    message = json.loads(ran.text)["errorMessage"]
    assert message == (f"RequestId: {ran.result.request_id} Error: fork/exec {bootstrap}: permission denied. "
                       f"Make it executable: chmod +x {bootstrap}")
    assert ran.lines[-1].endswith("\tStatus: error\tError Type: Runtime.InvalidEntrypoint")


def test_missing_bootstrap_is_a_clear_error(tmp_path, invoke):
    """A code folder without a bootstrap fails the call with Lambda's fork/exec message."""
    folder = tmp_path / "no-bootstrap"
    folder.mkdir()
    ran = invoke(custom_function(folder))
    assert ran.result.error_type == "Runtime.InvalidEntrypoint"
    assert f"fork/exec {folder / 'bootstrap'}: no such file or directory" in json.loads(ran.text)["errorMessage"]


def test_bootstrap_that_exits_is_a_runtime_exit_error(tmp_path, invoke):
    """A bootstrap that exits during the call ends it with Runtime.ExitError and its exit status."""
    folder = tmp_path / "exiting-bootstrap"
    write_bootstrap(folder, "#!/bin/sh\necho 'giving up'\nexit 7\n")
    ran = invoke(custom_function(folder))
    assert ran.result.error_type == "Runtime.ExitError"
    assert json.loads(ran.text)["errorMessage"].endswith("Error: Runtime exited with error: exit status 7")
    assert "giving up" in ran.lines


@needs_tutorial_tools
def test_timeout_kills_the_bootstrap_and_its_children(tutorial, invoke, qtbot):
    """After a 1 s timeout the tutorial's shell, curl and the handler's sleeper are all gone."""
    (tutorial / "function.sh").write_text(SLOW_FUNCTION)
    ran = invoke(custom_function(tutorial, timeout_s=1))
    assert ran.result.status is Status.TIMEOUT
    assert json.loads(ran.text)["errorMessage"].endswith("Error: Task timed out after 1.00 seconds")
    pids = [int(pid) for pid in re.findall(r"sleeper pid (\d+)", "\n".join(ran.lines))]
    # SIGKILL has been sent to all of them; wait for the kernel to finish them off.
    qtbot.waitUntil(lambda: all(map(process_gone, pids)) and not processes_in(tutorial), timeout=5_000)


STREAMING_BOOTSTRAP = r"""#!/bin/bash
# A custom runtime that streams with curl: the response mode header, a chunked body fed from a pipe.
set -euo pipefail
API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  HEADERS="$(mktemp)"
  curl -sS -D "$HEADERS" -o /dev/null "$API/invocation/next"
  ID="$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')"
  { printf 'one '; printf 'two'; } | curl -sS -o /dev/null -X POST -T - \
    -H 'Lambda-Runtime-Function-Response-Mode: streaming' -H 'Transfer-Encoding: chunked' \
    -H 'Content-Type: text/plain' "$API/invocation/$ID/response"
done
"""


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not on PATH")
def test_a_custom_runtime_streams_with_curl(tmp_path, engine, qtbot):
    """Response-Mode streaming with a chunked body from curl (which sends stdin as it fills its buffer): the
    stream is read to its end, relayed, and kept with its timings."""
    write_bootstrap(tmp_path / "streams", STREAMING_BOOTSTRAP)
    invocation = engine.invoke(custom_function(tmp_path / "streams"), {})
    pieces = []
    invocation.response_chunk.connect(pieces.append)
    with qtbot.waitSignal(invocation.finished, timeout=30_000) as blocker:
        pass
    result = blocker.args[0]
    assert result.succeeded and result.payload == b"one two"
    assert result.stream.content_type == "text/plain"
    assert b"".join(piece.data for piece in pieces) == b"one two"
    assert [chunk.size for chunk in result.stream.chunks] == [len(piece.data) for piece in pieces]
