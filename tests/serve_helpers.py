"""Running `lambda-workbench serve` as users do, in a child process, for the serve tests."""

import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import boto3
from botocore.config import Config

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Served:
    process: subprocess.Popen
    lambda_url: str
    api_url: str
    stderr_lines: list = field(default_factory=list)
    startup: str = ""
    """What serve printed on stdout up to "Ready.": the endpoints, routes, schedules and problems."""

    def client(self, **config):
        """A boto3 Lambda client pointed at the served endpoint (dummy credentials: nothing is signed-checked)."""
        return boto3.client("lambda", endpoint_url=self.lambda_url, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing",
                            config=Config(retries={"max_attempts": 1}, read_timeout=60, **config))

    @property
    def stderr(self) -> str:
        return "".join(self.stderr_lines)

    def stop(self, sig=signal.SIGTERM, timeout=20) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)


def start_serve(workspace, *extra) -> Served:
    """Start serve on free ports and wait for its two base URLs."""
    command = [sys.executable, "-m", "workbench", "serve", "--workspace", str(workspace),
               "--lambda-port", "0", "--api-port", "0", *extra]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env)
    served = Served(process, "", "")
    threading.Thread(target=lambda: served.stderr_lines.extend(iter(process.stderr.readline, "")),
                     daemon=True).start()
    urls = {}
    for line in iter(process.stdout.readline, ""):
        served.startup += line
        if line.startswith("Lambda Invoke API: "):
            urls["lambda"] = line.split(": ", 1)[1].strip()
        elif line.startswith("HTTP front door: "):
            urls["api"] = line.split(": ", 1)[1].strip()
        elif line.startswith("Ready."):
            break
    if len(urls) != 2:
        process.kill()
        raise AssertionError(f"serve did not start: {process.wait()} {served.stderr}")
    served.lambda_url, served.api_url = urls["lambda"], urls["api"]
    threading.Thread(target=lambda: process.stdout.read(), daemon=True).start()
    return served
