"""`lambda-workbench serve` as a command: its bad input (exit 2, nothing served), its loud warning when bound
beyond loopback, a port already taken (exit 2, the port named)."""

import socket
import subprocess
import sys

from serve_helpers import REPO, start_serve
from test_serve_invoke_api import FUNCTIONS, write_workspace
from workbench.serve.server import exposure_warning


def serve(*args, timeout=30):
    return subprocess.run([sys.executable, "-m", "workbench", "serve", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)


def test_loopback_is_quiet_and_anything_else_warns():
    assert exposure_warning("127.0.0.1") is None and exposure_warning("::1") is None
    assert exposure_warning("localhost") is None
    warning = exposure_warning("0.0.0.0", allow_other_users=True)
    assert warning.startswith("WARNING: serving on 0.0.0.0") and "No authentication" in warning
    assert "other machines are refused" in exposure_warning("0.0.0.0")


def test_bad_input_exits_2_and_serves_nothing(tmp_path):
    done = serve("--workspace", str(tmp_path / "missing"))
    assert done.returncode == 2 and "not a folder" in done.stderr
    assert serve("--workspace", str(tmp_path), "--lambda-port", "70000").returncode == 2
    (tmp_path / "ws").mkdir()
    workspace = write_workspace(tmp_path / "ws", FUNCTIONS[:1])
    done = serve("--workspace", str(workspace), "--schedule", "Nope")
    assert done.returncode == 2 and "--schedule Nope: no such function" in done.stderr


def test_a_taken_port_exits_2_naming_the_port(tmp_path):
    (tmp_path / "ws").mkdir()
    workspace = write_workspace(tmp_path / "ws", FUNCTIONS[:1])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = serve("--workspace", str(workspace), "--lambda-port", str(port), "--api-port", "0")
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1 port {port} (Invoke API): Address" in done.stderr


def test_bound_beyond_loopback_it_warns_loudly(tmp_path):
    (tmp_path / "ws").mkdir()
    server = start_serve(write_workspace(tmp_path / "ws", FUNCTIONS[:1]), "--host", "0.0.0.0")
    try:
        assert server.lambda_url.startswith("http://0.0.0.0:")
        assert server.client().invoke(FunctionName="Success")["StatusCode"] == 200
    finally:
        assert server.stop() == 0
    assert "WARNING: serving on 0.0.0.0" in server.stderr
