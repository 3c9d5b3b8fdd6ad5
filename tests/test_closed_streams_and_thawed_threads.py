"""A handler that closes its stdout and stderr still gets its own error reported (Lambda logs to a pipe of
its own); a thread's line written as a frozen environment thaws lands after the next START."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CLOSES = """
import os, sys

def raises(event, context):
    sys.stdout.close()
    sys.stderr.close()
    raise ValueError("the real error")

def prints(event, context):
    sys.stdout.close()
    sys.stderr.close()
    print("after close")
    return {"never": True}

def closes_descriptors(event, context):
    os.close(1)
    os.close(2)
    print("after close")
    return {"never": True}
"""

TALKER = """
import threading, time

def _talk():
    n = 0
    while True:
        time.sleep(0.01)
        n += 1
        print(f"background line {n}", flush=True)

def handler(event, context):
    if not any(t.name == "talker" for t in threading.enumerate()):
        threading.Thread(target=_talk, name="talker", daemon=True).start()
    time.sleep(0.03)
    return "ok"
"""


def invoke(code: Path, handler: str, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", "invoke", "--code-dir", str(code), "--handler", handler,
                           "--no-history", *extra], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_closed_streams_do_not_hide_the_handlers_error(tmp_path):
    (tmp_path / "app.py").write_text(CLOSES)
    expected = {"raises": ("ValueError", "the real error"),
                "prints": ("ValueError", "I/O operation on closed file."),
                "closes_descriptors": ("OSError", "[Errno 9] Bad file descriptor")}
    for handler, (error_type, message) in expected.items():
        done = invoke(tmp_path, f"app.{handler}")
        assert done.returncode == 1, done.stderr
        payload = json.loads(done.stdout)
        assert (payload["errorType"], payload["errorMessage"]) == (error_type, message), (handler, done.stdout)
        assert "Runtime.ExitError" not in done.stderr


def test_a_thawed_threads_lines_land_after_start(tmp_path):
    (tmp_path / "app.py").write_text(TALKER)
    done = invoke(tmp_path, "app.handler", "--repeat", "6")
    assert done.returncode == 0, done.stderr
    between, after_report = [], False
    for line in done.stderr.splitlines():
        if line.startswith("REPORT RequestId:"):
            after_report = True
        elif line.startswith("START RequestId:"):
            after_report = False
        elif after_report and line.startswith("background line"):
            between.append(line)
    assert done.stderr.count("START RequestId:") == 6
    assert between == [], between
