"""`invoke --remote` against a Lambda endpoint: tested against our own serve (`--endpoint-url`), which speaks
the same API, so no AWS account is needed; the REPORT line read back into the same figures."""

import json
import os
import subprocess
import sys

import pytest

from serve_helpers import REPO, start_serve
from test_serve_invoke_api import FUNCTIONS, write_workspace
from workbench.core.lambda_rules.report_parse import parse_report_line, remote_result

AWS_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}


def test_report_lines_are_read_back_into_figures():
    cold = parse_report_line("REPORT RequestId: 8f5-1\tDuration: 13.37 ms\tBilled Duration: 565 ms\tMemory Size: "
                             "128 MB\tMax Memory Used: 31 MB\tInit Duration: 551.05 ms\t")
    assert (cold.request_id, cold.duration_ms, cold.billed_duration_ms, cold.memory_size_mb,
            cold.max_memory_used_mb, cold.init_duration_ms) == ("8f5-1", 13.37, 565, 128, 31, 551.05)
    timeout = parse_report_line("REPORT RequestId: x\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\t"
                                "Memory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: timeout")
    assert timeout.status == "timeout" and timeout.init_duration_ms is None
    assert parse_report_line("END RequestId: x") is None
    assert parse_report_line("REPORT RequestId: x\tDuration: 3000.00 ms") is None  # cut by the 4 KB tail
    result = remote_result("id", b'{"errorType": "ValueError"}', "Unhandled", "START x\nREPORT RequestId: x\t"
                           "Duration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 256 MB\tMax Memory Used: 50 MB\t")
    assert result.error_type == "ValueError" and result.memory_size_mb == 256 and result.cost_usd > 0


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    workspace = write_workspace(tmp_path_factory.mktemp("remote"), FUNCTIONS)
    server = start_serve(workspace)
    server.workspace = workspace
    yield server
    assert server.stop() == 0


def invoke(served, *args, event=None, tmp_path=None):
    command = [sys.executable, "-m", "workbench", "invoke", *args, "--workspace", str(served.workspace),
               "--remote", "--endpoint-url", served.lambda_url, "--no-history"]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={**os.environ, **AWS_ENV}, input=event)


def test_remote_invoke_prints_the_response_and_the_remote_report(served, tmp_path):
    """stdout: the response; stderr: the endpoint's own log tail with its REPORT; --report-json its figures."""
    report = tmp_path / "report.jsonl"
    done = invoke(served, "Success", "-e", "-", "--report-json", str(report), event='{"order": "R-1"}')
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["event"] == {"order": "R-1"}
    report_lines = [line for line in done.stderr.splitlines() if line.startswith("REPORT RequestId: ")]
    assert len(report_lines) == 1
    figures = parse_report_line(report_lines[0])
    (document,) = [json.loads(line) for line in report.read_text().splitlines()]
    assert document["remote"] is True and document["requestId"] == figures.request_id
    assert document["durationMs"] == figures.duration_ms and document["memorySizeMB"] == figures.memory_size_mb


def test_remote_function_error_exits_1_and_names_the_error(served):
    done = invoke(served, "Fails")
    assert done.returncode == 1
    assert json.loads(done.stdout)["errorType"] == "ValueError"


def test_function_name_or_arn_picks_the_deployed_function(served):
    """--function-name points the workspace's preset at another deployed name; an unknown one is AWS's 404."""
    done = invoke(served, "Success", "--function-name", "arn:aws:lambda:us-east-1:123456789012:function:Logs")
    assert done.returncode == 0 and json.loads(done.stdout) == "logged"
    missing = invoke(served, "Success", "--function-name", "NotDeployed")
    assert missing.returncode == 1
    assert "ResourceNotFoundException: Function not found: " in missing.stderr


def test_the_remote_run_is_recorded_with_source_remote(served, monkeypatch, qapp):
    """`invoke --remote` records the run through its run session: a RunRecord marked remote, with the REPORT
    figures, in the workspace's history."""
    import io

    from workbench.cli.invoke import main
    from workbench.core.history.history_store import HistoryStore

    for name, value in AWS_ENV.items():
        monkeypatch.setenv(name, value)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["Success", "--workspace", str(served.workspace), "--remote", "--endpoint-url", served.lambda_url,
                 "-e", "-"], stdin=io.BytesIO(b'{"n": 1}'), stdout=stdout, stderr=stderr)
    assert code == 0, stderr.getvalue()
    store = HistoryStore.for_workspace(served.workspace)
    try:
        (summary,) = [s for s in store.list(limit=100) if s.source == "remote"]
        record = store.get(summary.id)
    finally:
        store.close()
    assert record.source == "remote" and record.event == b'{"n": 1}'
    assert record.result.succeeded and record.result.memory_size_mb == 128 and record.result.billed_duration_ms >= 1
