"""An honest sweep: a confidence interval on each warm p50, no size named fastest within the noise, cold
figures apart; the Tune view's chart labels that never collide and a legend that covers no line."""

import json
import random

import pytest

from workbench.core.function.invocation_result import InvocationResult, Status
from workbench.core.tuning.memory_sweep import SweepRun, median_interval, recommend, size_figures
from workbench.core.tuning.tune_report import recommendation_lines, speed_verdict, sweep_document

SIZES = (128, 256, 512, 1024, 1536, 2048, 3008)


class Scaled:
    cpu_scaled = True


def _result(duration, memory, init=None, error=None):
    value = InvocationResult(
        request_id="r", status=Status.ERROR if error else Status.SUCCESS,
        payload=json.dumps({"errorType": error, "errorMessage": "boom"} if error else {}).encode(),
        error_type=error, platform_error_type=None, duration_ms=duration,
        billed_duration_ms=int(-(-(duration + (init or 0)) // 1)), init_duration_ms=init, memory_size_mb=memory,
        max_memory_used_mb=30)
    object.__setattr__(value, "containment", Scaled())
    return value


def _sweep(durations_for, runs=10, seed=7):
    """Each size: one cold call (init 80 ms), then runs-1 warm calls drawn from durations_for(memory)."""
    rng = random.Random(seed)
    figures = []
    for memory in SIZES:
        calls = [SweepRun(_result(5.0, memory, init=80.0), True)]
        calls += [SweepRun(_result(durations_for(memory, rng), memory), False) for _ in range(runs - 1)]
        figures.append(size_figures(memory, calls))
    return figures


def test_the_interval_is_the_order_statistics_binomial_gives():
    """Nine values: 2nd to 8th smallest (96%); twenty: 6th to 15th (96%); two: the range at 50%."""
    nine = median_interval(list(range(1, 10)))
    assert (nine.low, nine.high) == (2, 8) and nine.confidence == pytest.approx(1 - 2 * 10 / 512)
    twenty = median_interval(list(range(1, 21)))
    assert (twenty.low, twenty.high) == (6, 15) and twenty.confidence == pytest.approx(0.9586, abs=1e-4)
    two = median_interval([3.0, 1.0])
    assert (two.low, two.high, two.confidence) == (1.0, 3.0, 0.5)


def test_sizes_within_the_noise_have_no_fastest():
    """Warm p50 0.70–1.05 ms everywhere (the same noise at every size): no 'fastest', balanced is cheapest."""
    figures = _sweep(lambda memory, rng: rng.uniform(0.70, 1.05))
    named = recommend(figures, "x86_64")
    assert named.fastest is None and named.fastest_within_noise == SIZES
    assert named.balanced == named.cheapest == 128
    lines = recommendation_lines(named, False, figures)
    assert lines[0] == "Local estimate: no size clearly fastest, cheapest 128 MB, balanced 128 MB"
    assert lines[1].startswith("No size is clearly fastest: warm p50 of the sizes (")
    assert not any("fastest 512 MB" in line or "fastest 128 MB" in line for line in lines)
    assert all("fastest" not in entry["labels"] for entry in sweep_document(figures, named, "x86_64"))


def test_a_real_speed_up_shows_and_equal_shares_tie():
    """A CPU-bound handler (Duration ~ 1/CPU share): 1024 MB is clearly faster than 128 MB; the two sizes
    with a whole vCPU tie for fastest."""
    figures = _sweep(lambda memory, rng: 1769 / min(memory, 1769) * rng.uniform(9.5, 10.5))
    named = recommend(figures, "x86_64")
    # 2048 and 3008 MB have the same share (past 1,769 MB, one vCPU): they are not told apart.
    assert named.fastest is None and named.fastest_within_noise == (2048, 3008)
    assert speed_verdict(named, figures).startswith("No size is clearly fastest: warm p50 of 2048, 3008 MB (")
    assert named.cheapest is not None
    faster = [f for f in figures if f.memory_mb in (128, 1024)]
    assert not faster[0].p50_interval.overlaps(faster[1].p50_interval)


def test_one_clear_winner_is_named_fastest():
    figures = _sweep(lambda memory, rng: (1.0 if memory == 1024 else 5.0) + rng.uniform(0, 0.1))
    named = recommend(figures, "x86_64")
    assert named.fastest == 1024 and named.fastest_within_noise == ()
    verdict = speed_verdict(named, figures)
    assert verdict.startswith("1024 MB is fastest: its warm p50 interval (1.0") and "(96%)" in verdict


def test_single_calls_tell_no_sizes_apart():
    """One warm call per size is a point, held at no confidence: nothing is named fastest."""
    figures = [size_figures(memory, [SweepRun(_result(float(memory), memory), False)]) for memory in (128, 512)]
    assert recommend(figures, "x86_64").fastest is None


def test_cold_figures_stay_apart():
    """The cold call's Duration, Init and cost are figures of their own; warm p50 and cost are of warm calls."""
    figures = _sweep(lambda memory, rng: 2.0)
    first = figures[0]
    assert first.p50_ms == 2.0 and first.cold_p50_ms == 5.0 and first.cold_init_p50_ms == 80.0
    assert first.cold_cost_usd["x86_64"] > first.avg_cost_usd["x86_64"]
    entry = first.as_json("x86_64")
    assert entry["coldCostUSD"] == first.cold_cost_usd["x86_64"] and entry["p50IntervalMs"] == [2.0, 2.0]


# --- The Tune view's chart ---------------------------------------------------------------------------

@pytest.fixture
def view(qtbot, tmp_path):
    from workbench.core.function.function_config import FunctionConfig
    from workbench.core.function.invocation_request import prepare_invocation
    from workbench.ui.history.tune_view import TuneView

    config = FunctionConfig(name="Fn", handler="app.handler", runtime="python3.12", code_dir=str(tmp_path))
    prepared = prepare_invocation(config, "{}", "event.json", preset="case")
    widget = TuneView(prepared, starter=None)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _tick_labels(plot):
    return [label for level in plot.getAxis("bottom")._tickLevels for _value, label in level]


def test_the_chart_spaces_sizes_evenly_and_lists_failed_only_when_a_size_failed(view):
    """128 and 256 get their own places (no "128256"); the legend sits under the plot, without 'failed'."""
    figures = _sweep(lambda memory, rng: rng.uniform(0.70, 1.05))
    view._on_finished(figures)
    assert view.positions() == {memory: index for index, memory in enumerate(SIZES)}
    assert _tick_labels(view.duration_plot) == [str(memory) for memory in SIZES]
    legend = [label.text for _sample, label in view.duration_legend.items]
    assert legend == ["warm p50 (bars: its interval)", "warm p90"]
    assert view.duration_legend.parentItem() is not view.duration_plot.getViewBox()
    assert "no size clearly fastest" in view.verdict_label.text() and "fastest 512" not in view.verdict_label.text()
    assert view.speed_label.text().startswith("No size is clearly fastest")
    assert view.table.item(2, 2).text().endswith("(96%)")
    failing = figures[:-1] + [size_figures(3008, [SweepRun(_result(1.0, 3008, error="Runtime.OutOfMemory"), False)])]
    view._on_finished(failing)
    assert [label.text for _sample, label in view.duration_legend.items][-1] == "failed"
