"""`lambda-workbench invoke` from a shell: stdout, stderr and exit status as scripts and CI see them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "cli"


def invoke(*args, stdin=None, cwd=FIXTURE):
    return subprocess.run([sys.executable, "-m", "workbench", "invoke", *args], input=stdin, cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_success_prints_response_and_logs():
    """The response goes to stdout as one JSON line; Lambda's log goes to stderr; exit 0."""
    proc = invoke("--handler", "app.handler", "--env", "GREETING=a=b", "--memory", "256", "-e", "-",
                  stdin='{"name": "Ada"}')
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"hello": "Ada", "greeting": "a=b", "memory": "256"}
    # Without a cgroup, the workbench's own notice of what is missing comes first (one line; not Lambda's).
    lines = [line for line in proc.stderr.splitlines() if not line.startswith("[workbench] No cgroup")]
    assert lines[0] == "init phase"
    assert lines[1].startswith("START RequestId: ") and lines[1].endswith(" Version: $LATEST")
    assert lines[2] == "handling Ada"
    assert lines[3].startswith("END RequestId: ")
    assert lines[4].startswith("REPORT RequestId: ") and "\tMemory Size: 256 MB\t" in lines[4]
    assert "\tInit Duration: " in lines[4]


def test_function_error_exits_1_with_error_payload():
    """A handler exception prints the error payload and exits 1."""
    proc = invoke("--handler", "app.handler", "-e", "-", stdin='{"fail": true}')
    assert proc.returncode == 1
    error = json.loads(proc.stdout)
    assert error["errorType"] == "RuntimeError" and error["errorMessage"] == "asked to fail"


def test_repeat_reuses_one_environment_and_reports(tmp_path):
    """--repeat 3 runs warm after the first call; --report-json has one object per call."""
    report = tmp_path / "report.jsonl"
    proc = invoke("--handler", "app.handler", "--repeat", "3", "--report-json", str(report))
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 3
    assert proc.stderr.count("init phase") == 1
    docs = [json.loads(line) for line in report.read_text().splitlines()]
    assert [d["coldStart"] for d in docs] == [True, False, False]
    assert docs[0]["initDurationMs"] > 0 and docs[1]["initDurationMs"] is None
    for doc in docs:
        assert doc["status"] == "success" and doc["response"]["hello"] == "world"
        assert doc["billedDurationMs"] >= doc["durationMs"]
        assert doc["memorySizeMB"] == 128 and 0 < doc["maxMemoryUsedMB"] < 128
        assert doc["costUSD"] > 0


def test_cold_starts_every_invocation():
    """--cold gives every call a new environment: init runs each time."""
    proc = invoke("--handler", "app.handler", "--repeat", "2", "--cold")
    assert proc.returncode == 0
    assert proc.stderr.count("init phase") == 2
    assert proc.stderr.count("\tInit Duration: ") == 2


def test_broken_event_file_names_file_line_and_column(tmp_path):
    """An event that does not parse exits 2 naming where it breaks, and nothing runs."""
    event = tmp_path / "event.json"
    event.write_text('{\n  "a": 1,\n}\n')
    proc = invoke("--handler", "app.handler", "-e", str(event))
    assert proc.returncode == 2
    assert f"{event}:3:1:" in proc.stderr
    assert "START" not in proc.stderr and proc.stdout == ""


@pytest.mark.parametrize("args, message", [
    (["--timeout", "0"], "Value '0' at 'timeout' failed to satisfy constraint: "
                         "Member must have value greater than or equal to 1"),
    (["--timeout", "901"], "Member must have value less than or equal to 900"),
    (["--memory", "64"], "Value '64' at 'memorySize' failed to satisfy constraint: "
                         "Member must have value greater than or equal to 128"),
    (["--memory", "10241"], "Member must have value less than or equal to 10240"),
    (["--env", "NOEQUALS"], "expected KEY=VALUE"),
    (["--repeat", "0"], "must be 1 or more"),
])
def test_bad_settings_exit_2(args, message):
    """Out-of-range settings are refused with Lambda's wording, before anything runs."""
    proc = invoke("--handler", "app.handler", *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "START" not in proc.stderr


def test_oversized_event_exits_2(tmp_path):
    """An event over Lambda's 6291456-byte request limit is refused with Lambda's message."""
    event = tmp_path / "big.json"
    event.write_text(json.dumps({"blob": "x" * 6291456}))
    proc = invoke("--handler", "app.handler", "-e", str(event))
    assert proc.returncode == 2
    assert "byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)" in proc.stderr


def test_a_bare_folder_runs_its_default_function_as_the_window_does(tmp_path):
    """A folder with no template and no workbench.json has the Lambda console's default function
    (lambda_function.lambda_handler), in the window and here; without that file it fails as Lambda does."""
    proc = invoke(cwd=tmp_path)
    assert proc.returncode == 1
    error = json.loads(proc.stdout)
    assert error["errorType"] == "Runtime.ImportModuleError"
    assert error["errorMessage"].startswith("Unable to import module 'lambda_function'")
    (tmp_path / "lambda_function.py").write_text("def lambda_handler(event, context):\n    return 'hi'\n")
    proc = invoke(cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == "hi"


def test_ctrl_c_stops_the_call_and_its_children(tmp_path):
    """Ctrl+C ends a looping call at once: exit 130, and the process it started is gone."""
    import signal
    import time

    from processes import process_gone

    (tmp_path / "app.py").write_text(
        "import subprocess\n"
        "def handler(event, context):\n"
        "    child = subprocess.Popen(['sleep', '300'])\n"
        "    print('child', child.pid, flush=True)\n"
        "    while True:\n"
        "        pass\n")
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "invoke", "--code-dir", str(tmp_path),
                             "--handler", "app.handler", "--timeout", "60"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    child = None
    deadline = time.monotonic() + 30
    while child is None and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if line.startswith("child "):
            child = int(line.split()[1])
    assert child is not None
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "interrupted" in err and "Error Type: Sandbox.Stopped" in err
    deadline = time.monotonic() + 5
    while not process_gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_gone(child)
