"""The memory sweep: figures per size (warm and cold apart, INIT billed on cold calls), failing sizes
skipped, Stop keeping what was measured, honest about CPU scaling; a CPU-bound handler speeds up with
memory where CPU is scaled, a sleeping one does not."""

import io
import json

import pytest

from workbench.cli import tune as cli_tune
from workbench.core.lambda_rules.billing import invocation_cost_usd
from workbench.core.function.invocation_result import InvocationResult, Status
from workbench.core.tuning.memory_sweep import SweepRun, parse_sizes, recommend, size_figures

CPU_HANDLER = """
def handler(event, context):
    total = 0
    for i in range(event.get("loops", 300000)):
        total += i * i % 7
    return {"total": total}
"""
SLEEP_HANDLER = """
import time
def handler(event, context):
    time.sleep(event.get("seconds", 0.1))
    return {"slept": True}
"""
MEMORY_HANDLER = """
def handler(event, context):
    block = bytearray(200 * 1024 * 1024)
    for i in range(0, len(block), 4096):
        block[i] = 1
    return {"held": len(block)}
"""


def make_workspace(tmp_path, source, event, timeout=10):
    folder = tmp_path / "ws"
    (folder / "fn").mkdir(parents=True)
    (folder / "fn" / "app.py").write_text(source)
    (folder / "events").mkdir()
    (folder / "events" / "case.json").write_text(json.dumps(event))
    (folder / "workbench.json").write_text(json.dumps({"functions": [
        {"name": "Fn", "handler": "app.handler", "runtime": "python3.11", "codeUri": "fn", "timeout": timeout}]}))
    return folder


def tune(qapp, folder, *argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli_tune.main(["Fn", "--preset", "case", "--workspace", str(folder), "--no-history", *argv],
                         stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


class Scaled:
    cpu_scaled = True


def result(duration, memory=128, init=None, error=None, scaled=True):
    billed = int(-(-(duration + (init or 0)) // 1))
    value = InvocationResult(
        request_id="r", status=Status.ERROR if error else Status.SUCCESS,
        payload=json.dumps({"errorType": error, "errorMessage": "boom"} if error else {}).encode(),
        error_type=error, platform_error_type=None, duration_ms=duration, billed_duration_ms=billed,
        init_duration_ms=init, memory_size_mb=memory, max_memory_used_mb=30)
    if scaled:
        object.__setattr__(value, "containment", Scaled())
    return value


# --- The figures, pure -----------------------------------------------------------------------------

def test_figures_keep_cold_and_warm_apart_and_bill_init_on_cold_calls():
    runs = [SweepRun(result(40.0, init=200.0), True)] + [SweepRun(result(d), False) for d in (10, 20, 30, 40, 50)]
    figures = size_figures(128, runs)
    assert (figures.p50_ms, figures.cold_p50_ms, figures.cold_init_p50_ms) == (30.0, 40.0, 200.0)
    assert figures.p90_ms == pytest.approx(46.0)
    cold_cost = invocation_cost_usd(128, 240, "x86_64")
    warm_costs = [invocation_cost_usd(128, d, "x86_64") for d in (10, 20, 30, 40, 50)]
    # The cold call (INIT billed) is a figure of its own, not averaged into the steady cost.
    assert figures.avg_cost_usd["x86_64"] == pytest.approx(sum(warm_costs) / 5)
    assert figures.cold_cost_usd["x86_64"] == pytest.approx(cold_cost)
    assert figures.avg_cost_usd["arm64"] < figures.avg_cost_usd["x86_64"]
    assert (figures.p50_interval.low, figures.p50_interval.high) == (10, 50)


def test_fastest_cheapest_balanced_and_a_failed_size_skipped():
    def calls(memory, *durations):
        return [SweepRun(result(d, memory), False) for d in durations]

    sizes = [size_figures(128, calls(128, 890, 900, 910)),
             size_figures(512, calls(512, 198, 200, 202)),
             size_figures(1024, calls(1024, 99, 100, 101)),
             size_figures(3008, calls(3008, 89, 90, 91)),
             size_figures(256, [SweepRun(result(5, 256, error="Runtime.OutOfMemory"), False)])]
    assert sizes[-1].failed == "Runtime.OutOfMemory: boom"
    named = recommend(sizes, "x86_64")
    assert (named.fastest, named.cheapest, named.balanced) == (3008, 512, 1024)
    assert named.speed_estimated and named.note.startswith("Local estimate")


def test_without_cpu_scaling_the_sweep_says_it_cannot_estimate_speed():
    sizes = [size_figures(m, [SweepRun(result(100, m, scaled=False), False)]) for m in (128, 1024)]
    named = recommend(sizes, "x86_64", "no cgroup here")
    assert named.fastest is None and named.balanced is None and named.cheapest == 128
    assert "cannot estimate speed" in named.note and "no cgroup here" in named.note


def test_sizes_are_checked():
    assert parse_sizes("128, 512,512,3008") == (128, 512, 3008)
    for bad in ("64", "128,abc", "20000"):
        with pytest.raises(ValueError):
            parse_sizes(bad)


# --- The command --------------------------------------------------------------------------------

def test_tune_writes_one_object_per_size_and_says_it_is_a_local_estimate(qapp, tmp_path):
    folder = make_workspace(tmp_path, SLEEP_HANDLER, {"seconds": 0.01})
    report = tmp_path / "tune.json"
    code, out, _err = tune(qapp, folder, "--sizes", "128,256", "--runs", "3", "--json", str(report))
    assert code == 0, out
    assert "Local estimate: measured on this machine, not on AWS." in out
    document = json.loads(report.read_text())
    assert [entry["memoryMB"] for entry in document] == [128, 256]
    for entry in document:
        assert {"memoryMB", "p50DurationMs", "p90DurationMs", "avgCostUSD", "failed"} <= set(entry)
        assert entry["failed"] is False and entry["runs"] == 3 and entry["localEstimate"] is True
        assert entry["p50DurationMs"] >= 10 and entry["coldP50InitDurationMs"] > 0
        assert entry["avgCostUSDByArchitecture"]["arm64"] < entry["avgCostUSDByArchitecture"]["x86_64"]
    if not all(entry["cpuScaled"] for entry in document):
        assert "cannot estimate speed" in out


def test_a_size_that_runs_out_of_memory_is_marked_and_skipped(qapp, tmp_path):
    folder = make_workspace(tmp_path, MEMORY_HANDLER, {})
    report = tmp_path / "tune.json"
    code, out, _err = tune(qapp, folder, "--sizes", "128,512", "--runs", "2", "--json", str(report))
    assert code == 0, out
    document = json.loads(report.read_text())
    assert document[0]["failed"] is True and document[0]["runs"] == 1
    assert document[0]["failure"].startswith("Runtime.OutOfMemory")
    assert document[1]["failed"] is False and document[1]["runs"] == 2
    assert "128 MB  FAILED after 1 call: Runtime.OutOfMemory" in out and "(skipped)" in out
    assert "cheapest 512 MB" in out


def test_bad_input_exits_2_and_runs_nothing(qapp, tmp_path):
    folder = make_workspace(tmp_path, SLEEP_HANDLER, {})
    assert tune(qapp, folder, "--sizes", "64")[0] == 2
    assert tune(qapp, folder, "--runs", "0")[0] == 2
    out, err = io.StringIO(), io.StringIO()
    assert cli_tune.main(["Fn", "--preset", "nope", "--workspace", str(folder)], stdout=out, stderr=err) == 2
    assert "has no preset 'nope' (its presets: case)" in err.getvalue() and out.getvalue() == ""
    assert cli_tune.main(["Nope", "--preset", "case", "--workspace", str(folder)], stdout=out, stderr=err) == 2


def test_stop_keeps_the_sizes_measured_so_far(qapp, qtbot, tmp_path):
    from workbench.core.function.invocation_request import prepare_invocation
    from workbench.core.workspace.workspace import load_workspace
    from workbench.engine.run_session import RunSession
    from workbench.engine.suite_run import session_starter
    from workbench.engine.tune_run import TuneRun

    folder = make_workspace(tmp_path, SLEEP_HANDLER, {"seconds": 0.01})
    config = load_workspace(folder).function("Fn").config
    prepared = prepare_invocation(config, '{"seconds": 0.01}', preset="case")
    session = RunSession()
    try:
        run = TuneRun(prepared, (128, 256, 512, 1024), 3, session_starter(session, source="tune"))
        run.size_finished.connect(lambda figures: run.cancel() if figures.memory_mb == 256 else None)
        with qtbot.waitSignal(run.finished, timeout=60_000) as blocker:
            run.start()
    finally:
        session.shutdown()
    figures = blocker.args[0]
    assert [f.memory_mb for f in figures] == [128, 256] and run.cancelled
    assert all(f.runs == 3 and f.failed is None for f in figures)


# --- Speed follows memory only where CPU is scaled --------------------------------------------------

def _sweep(qapp, tmp_path, source, event, sizes):
    folder = make_workspace(tmp_path, source, event)
    report = tmp_path / "tune.json"
    code, out, _err = tune(qapp, folder, "--sizes", sizes, "--runs", "3", "--json", str(report))
    assert code == 0, out
    return {entry["memoryMB"]: entry for entry in json.loads(report.read_text())}, out


def test_a_cpu_bound_handler_gets_faster_with_memory(qapp, tmp_path):
    """Lambda's CPU share grows with memory: p50 at 128 MB is several times p50 at 1024 MB (ideal 8x)."""
    by_size, out = _sweep(qapp, tmp_path, CPU_HANDLER, {"loops": 200000}, "128,1024")
    if not all(entry["cpuScaled"] for entry in by_size.values()):
        assert "cannot estimate speed" in out
        pytest.skip("CPU scaling by memory size is unavailable here: " + out.strip().splitlines()[-1])
    ratio = by_size[128]["p50DurationMs"] / by_size[1024]["p50DurationMs"]
    assert ratio > 3, f"p50 128 MB / 1024 MB = {ratio:.2f}"
    assert "fastest 1024 MB" in out


def test_a_sleeping_handler_does_not_get_faster_with_memory(qapp, tmp_path):
    """Waiting is not CPU: p50 at 128 MB stays close to p50 at 2048 MB, scaled or not."""
    by_size, _out = _sweep(qapp, tmp_path, SLEEP_HANDLER, {"seconds": 0.2}, "128,2048")
    ratio = by_size[128]["p50DurationMs"] / by_size[2048]["p50DurationMs"]
    assert 0.75 < ratio < 1.35, f"p50 128 MB / 2048 MB = {ratio:.2f}"
