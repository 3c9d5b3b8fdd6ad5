"""Starting, joining and stopping a workspace's services host (workbench/services_host), Qt-free for the
command line and the head start (engine.services_watch.ServicesHostWatch is the window's QObject).

find_host() joins a running host; start_host() starts one unless one runs (a second starter loses the host's
lock and joins the winner); stop_host() asks it to save and stop."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from ..core.services.host_record import HostRecord, process_alive, read_host_record, services_folder
from urllib.parse import urlencode, urlsplit
from ..core.services.api_calls import AwsCall

START_LIMIT_S = 30.0
LOG_FILE = "host.log"


class HostStartError(RuntimeError):
    """The host could not start; the message says why (port taken, bad setting, what it printed)."""


def control(record: HostRecord, method: str, action: str, body: dict | None = None, query: str = "",
            timeout: float = 10.0):
    """One request to the host's control API; the decoded JSON answer. OSError when it is unreachable."""
    connection = http.client.HTTPConnection("127.0.0.1", record.port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        connection.request(method, f"/_workbench/{action}" + (f"?{query}" if query else ""), body=data,
                           headers={"Content-Type": "application/json"} if data else {})
        response = connection.getresponse()
        document = json.loads(response.read() or b"null")
    finally:
        connection.close()
    if response.status >= 400:
        error = document.get("error") if isinstance(document, dict) else document
        raise (KeyError if response.status == 404 else ValueError)(error)
    return document


def find_host(workspace: Path | str) -> HostRecord | None:
    """The workspace's running host, or None (no record, its process gone, another user's, or deaf)."""
    record = read_host_record(workspace)
    if record is None or record.uid != os.getuid() or not process_alive(record.pid):
        return None
    try:
        if control(record, "GET", "ping", timeout=2.0).get("pid") != record.pid:
            return None
    except (OSError, ValueError, KeyError):
        return None
    return record


def start_host(workspace: Path | str, port: int = 0, region: str | None = None,
               limit_s: float = START_LIMIT_S) -> HostRecord:
    """The running host, else a new one (a process of its own session, kept warm after this process exits);
    HostStartError when it cannot start."""
    workspace = Path(workspace).absolute()
    found = find_host(workspace)
    if found is not None:
        return found
    folder = services_folder(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "workbench.services_host", "--workspace", str(workspace), "--port", str(port)]
    if region:
        command += ["--region", region]
    log_path = folder / LOG_FILE
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        record = read_host_record(workspace)
        if record is not None and record.pid == process.pid:
            return record
        code = process.poll()
        if code == 3:  # another starter won the lock: join its host once it is ready
            while time.monotonic() < deadline:
                found = find_host(workspace)
                if found is not None:
                    return found
                time.sleep(0.05)
            break
        if code is not None:
            text = log_path.read_text(errors="replace").strip().splitlines()
            raise HostStartError(text[-1] if text else f"the services host exited with code {code}")
        time.sleep(0.02)
    process.kill()
    raise HostStartError(f"the services host did not start within {limit_s:.0f} s (its log: {log_path})")


def stop_host(workspace: Path | str, limit_s: float = 10.0) -> bool:
    """Ask the workspace's host to save and stop; True when one was running."""
    record = find_host(workspace)
    if record is None:
        return False
    try:
        control(record, "POST", "stop", {})
    except (OSError, ValueError, KeyError):
        pass
    deadline = time.monotonic() + limit_s
    while process_alive(record.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return True


def calls_of(endpoint: str, access_key: str, since: float, until: float) -> list:
    """The calls an access key made to the host at `endpoint` between two times (core AwsCall objects)."""
    port = urlsplit(endpoint).port or 80
    record = HostRecord(0, port, os.getuid(), 0.0, "", "")
    answer = control(record, "GET", "calls", query=urlencode({"key": access_key, "since": since, "until": until}),
                     timeout=5.0)
    return [AwsCall.from_wire(item) for item in answer]
