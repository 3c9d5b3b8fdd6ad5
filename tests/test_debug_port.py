"""`lambda-workbench invoke --debug-port PORT`: an IDE's debugger attaches as to debugpy's --listen
--wait-for-client; the launch.json snippet is printed; time stopped in the IDE does not count."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from dap_client import IdeClient

FIXTURE = Path(__file__).parent / "fixtures" / "debug"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_invoke(tmp_path, port, handler="orders.handler", timeout="1"):
    code = tmp_path / "code"
    shutil.copytree(FIXTURE, code)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"customer": "Ada", "items": [{"price": 2.0, "quantity": 3}]}))
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", "invoke", "--handler", handler, "--code-dir", str(code),
         "--runtime", "python3.12", "-e", str(event), "--timeout", timeout, "--debug-port", str(port),
         "--no-history"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
    return code, process


def test_an_ide_attaches_stops_and_the_time_stopped_does_not_count(tmp_path):
    port = free_port()
    code, process = start_invoke(tmp_path, port)
    try:
        ide = IdeClient(port)
        ide.request("initialize", adapterID="debugpy", clientID="test", linesStartAt1=True, columnsStartAt1=True,
                    pathFormat="path")
        ide.send("attach", justMyCode=False)
        ide.event("initialized")
        # No path mappings: the workspace's own path is the runtime's.
        body = ide.request("setBreakpoints", source={"path": str(code / "orders.py")}, breakpoints=[{"line": 14}])
        assert body["breakpoints"][0]["verified"]
        ide.request("configurationDone")
        stopped = ide.event("stopped")
        assert stopped["body"]["reason"] == "breakpoint"
        frames = ide.request("stackTrace", threadId=stopped["body"]["threadId"])["stackFrames"]
        assert (frames[0]["name"], frames[0]["line"]) == ("handler", 14)
        assert ide.request("evaluate", expression="customer", frameId=frames[0]["id"], context="repl")["result"] \
            == "'Ada'"
        stopped_at = time.monotonic()
        while time.monotonic() - stopped_at < 2.0:  # twice the 1 s timeout
            time.sleep(0.1)
        ide.request("continue", threadId=stopped["body"]["threadId"])
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, 9)
            process.wait()
    assert process.returncode == 0, err
    assert json.loads(out.splitlines()[0])["amount"] == 7.2
    assert '"type": "debugpy"' in err and f'"port": {port}' in err
    duration = float(re.search(r"REPORT RequestId: \S+\tDuration: ([\d.]+) ms", err).group(1))
    assert duration < 1000


def test_a_port_in_use_is_refused_before_anything_runs(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        _code, process = start_invoke(tmp_path, port)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert f"--debug-port {port}: 127.0.0.1:{port} cannot be used" in err
