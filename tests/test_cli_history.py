"""`lambda-workbench history`: list, show and diff the runs a workspace recorded, with the documented exit codes."""

import json
import subprocess
import sys
import time

import pytest

from run_records import make_record
from workbench.core.function.code_fingerprint import code_fingerprint
from workbench.core.function.function_config import FunctionConfig
from workbench.core.history.history_store import HistoryStore, history_path
from workbench.core.history.run_record import RunRecord


def history(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "workbench", "history", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=30)


def _recorded(ran, config, event: bytes) -> RunRecord:
    return RunRecord(started_at=time.time(), source="cli", config=config, event=event, result=ran.result,
                     log=tuple(ran.lines), cold=bool(ran.cold), cold_reason="first call" if ran.cold else None,
                     code_fingerprint=code_fingerprint(config.code_dir))


@pytest.fixture
def counted_runs(tmp_path, python_code, run):
    """Three real runs of the counter fixture (cold, then warm twice), recorded in tmp_path's history."""
    config = FunctionConfig(name="Counter", handler="counter.handler", runtime="python3.12",
                            code_dir=str(python_code))
    store = HistoryStore.for_workspace(tmp_path)
    ids = []
    for _ in range(3):
        ran = run(config, {"n": 1})
        ids.append(store.record(_recorded(ran, config, b'{"n": 1}')))
    store.close()
    return ids


def test_list_shows_real_runs_newest_first_as_json(tmp_path, counted_runs):
    """--json prints one object per run with the documented fields and figures from the real runs."""
    proc = history("Counter", "--workspace", str(tmp_path), "--json")
    assert proc.returncode == 0, proc.stderr
    runs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in runs] == counted_runs[::-1]
    for key in ("id", "function", "status", "durationMs", "billedDurationMs", "maxMemoryUsedMB", "costUSD",
                "coldStart"):
        assert key in runs[0]
    assert [r["coldStart"] for r in runs] == [False, False, True]
    assert all(r["status"] == "success" and r["function"] == "Counter" and r["maxMemoryUsedMB"] > 0 for r in runs)
    assert runs[-1]["billedDurationMs"] >= runs[-1]["durationMs"]
    table = history("--workspace", str(tmp_path), "--limit", "2")
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["RUN", "TIME", "FUNCTION"] and len(lines) == 3
    assert lines[1].startswith(counted_runs[2]) and "warm" in lines[1]


def test_show_prints_the_whole_run(tmp_path, counted_runs):
    """show names the figures, the event, the response and the log; --json has them all."""
    proc = history("show", counted_runs[0][:5], "--workspace", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert f"Run {counted_runs[0]}" in proc.stdout and "cold (first call)" in proc.stdout
    assert '"calls": 1' in proc.stdout and "counter module loaded" in proc.stdout
    assert "\nREPORT RequestId:" in proc.stdout
    doc = json.loads(history("show", counted_runs[2], "--json", "--workspace", str(tmp_path)).stdout)
    assert json.loads(doc["response"])["calls"] == 3 and doc["event"] == '{"n": 1}'
    assert doc["log"][0].startswith("START RequestId: " + doc["requestId"])


def test_diff_exit_codes_follow_the_responses(tmp_path, counted_runs):
    """diff exits 1 and names `calls` when the responses differ, 0 when they are equal."""
    proc = history("diff", counted_runs[1], counted_runs[2], "--workspace", str(tmp_path))
    assert proc.returncode == 1, proc.stderr
    assert "~ calls: 2 → 3" in proc.stdout
    store = HistoryStore.for_workspace(tmp_path)
    same = [store.record(make_record(response={"ok": True}, duration_ms=d)) for d in (5.0, 7.0)]
    store.close()
    equal = history("diff", *same, "--workspace", str(tmp_path))
    assert equal.returncode == 0 and "  equal" in equal.stdout
    assert "Duration: 5 ms → 7 ms (+2 ms, +40%)" in equal.stdout


def test_bad_input_exits_2_and_names_the_problem(tmp_path):
    """An unknown run, a missing workspace or a bad --limit is exit 2 with the reason; nothing is created."""
    proc = history("show", "abcd", "--workspace", str(tmp_path))
    assert proc.returncode == 2 and "no runs recorded" in proc.stderr
    assert not history_path(tmp_path).exists()
    empty = history("--workspace", str(tmp_path), "--json")
    assert empty.returncode == 0 and empty.stdout == ""
    assert history("--workspace", str(tmp_path / "nope")).returncode == 2
    limit = history("--limit", "0", "--workspace", str(tmp_path))
    assert limit.returncode == 2 and "--limit 0" in limit.stderr
    HistoryStore.for_workspace(tmp_path).record(make_record())
    missing = history("diff", "abcd", "ef01", "--workspace", str(tmp_path))
    assert missing.returncode == 2 and "no run abcd" in missing.stderr
    assert history("--status", "broken", "--workspace", str(tmp_path)).returncode == 2


def test_invoke_records_every_run_and_history_lists_it(tmp_path, python_code):
    """`invoke` in another process records each call (cold first, then warm); --no-history records none."""
    args = [sys.executable, "-m", "workbench", "invoke", "--code-dir", str(python_code), "--handler",
            "counter.handler", "--workspace", str(tmp_path), "--repeat", "2"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    runs = [json.loads(line) for line in history("--workspace", str(tmp_path), "--json").stdout.splitlines()]
    assert [r["coldStart"] for r in runs] == [False, True]
    assert runs[1]["coldReason"] and all(r["status"] == "success" for r in runs)
    shown = json.loads(history("show", runs[0]["id"], "--json", "--workspace", str(tmp_path)).stdout)
    assert json.loads(shown["response"])["calls"] == 2
    subprocess.run(args + ["--no-history"], capture_output=True, timeout=60, check=True)
    assert len(history("--workspace", str(tmp_path), "--json").stdout.splitlines()) == 2


def test_a_function_named_like_a_subcommand_is_listed_after_a_double_dash(tmp_path):
    """`history show` shows a run; a function called "show" is still listed, as `history -- show`."""
    store = HistoryStore.for_workspace(tmp_path)
    shown = store.record(make_record(function="show"))
    store.record(make_record(function="Other"))
    store.close()
    listed = history("--workspace", str(tmp_path), "--json", "--", "show")
    assert listed.returncode == 0, listed.stderr
    assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == [shown]
    assert "-- show" in " ".join(history("--help").stdout.split())
    as_subcommand = history("show", "--workspace", str(tmp_path))
    assert as_subcommand.returncode == 2 and "RUN" in as_subcommand.stderr
