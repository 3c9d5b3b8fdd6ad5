"""A workspace with triggers, served (`serve`) and with its services host running, for the trigger tests."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field

import boto3
from botocore.config import Config

from serve_helpers import REPO, Served, start_serve


@dataclass
class Host:
    process: subprocess.Popen
    endpoint: str
    stderr_lines: list = field(default_factory=list)
    pid: int = 0

    def client(self, service):
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="AKIDTESTTRIGGERS", aws_secret_access_key="x",
                            config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))

    def control(self, action, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.endpoint}/_workbench/{action}", data=data,
                                         method="POST" if data is not None else "GET")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def entries(self, trigger=None, kind=None):
        found = self.control("triggers")["entries"]
        return [e for e in found if (trigger is None or e["trigger"] == trigger) and (kind is None or e["kind"] == kind)]

    def wait_for(self, predicate, timeout=20.0, what="the triggers"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = predicate()
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}: {json.dumps(self.control('triggers'))[-3000:]}"
                             f"\nhost stderr: {''.join(self.stderr_lines)[-2000:]}")

    def stop(self):
        if self.process is None:
            # Started by serve in a session of its own: asked to stop through its control API, as stop_host does.
            try:
                self.control("stop", {})
            except OSError:
                pass
            from workbench.core.services.host_record import process_alive  # a zombie counts as gone

            deadline = time.time() + 20
            while time.time() < deadline and process_alive(self.pid):
                time.sleep(0.05)
            return 0
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout=20)


def start_host(workspace, *extra) -> Host:
    command = [sys.executable, "-m", "workbench.services_host", "--workspace", str(workspace), "--port", "0", *extra]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, PYTHONUNBUFFERED="1"))
    host = Host(process, "")
    threading.Thread(target=lambda: host.stderr_lines.extend(iter(process.stderr.readline, "")), daemon=True).start()
    for line in iter(process.stdout.readline, ""):
        if line.startswith("ready "):
            host.endpoint = line.split(" ", 1)[1].strip()
            break
    if not host.endpoint:
        process.kill()
        raise AssertionError(f"the services host did not start: {process.wait()} {''.join(host.stderr_lines)}")
    return host


def serve_and_host(workspace, *serve_extra) -> tuple[Served, Host]:
    """`serve` as users run it: in local mode it starts the workspace's services host and makes the triggers
    live; the host is found through its record, as every client finds it."""
    served = start_serve(workspace, *serve_extra)
    record = json.loads((workspace / ".workbench" / "services" / "host.json").read_text())
    host = Host(None, f"http://127.0.0.1:{record['port']}")
    host.pid = record["pid"]
    return served, host


def history(workspace):
    out = subprocess.run([sys.executable, "-m", "workbench", "history", "--workspace", str(workspace), "--json",
                          "--limit", "200"], cwd=REPO, capture_output=True, text=True, timeout=60)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def show(workspace, run_id):
    out = subprocess.run([sys.executable, "-m", "workbench", "history", "show", run_id, "--workspace", str(workspace),
                          "--json"], cwd=REPO, capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout)
