"""The figures the History charts plot for one function's runs: pure data, oldest run first."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .history_codec import RunSummary

# (key, title, unit): one chart each, in this order.
METRICS = (
    ("duration_ms", "Duration", "ms"),
    ("billed_duration_ms", "Billed Duration", "ms"),
    ("max_memory_used_mb", "Max Memory Used", "MB"),
    ("cost_usd", "Cost", "USD"),
)


@dataclass(frozen=True)
class ChartPoint:
    index: int
    """Position on the x axis: 1 for the oldest run shown."""
    run_id: str
    value: float
    cold: bool
    label: str
    """What hovering the point says: which run, when, and the figure."""


@dataclass(frozen=True)
class ChartSeries:
    key: str
    title: str
    unit: str
    warm: tuple[ChartPoint, ...]
    cold: tuple[ChartPoint, ...]


@dataclass(frozen=True)
class ChartData:
    series: tuple[ChartSeries, ...]
    memory_size: tuple[tuple[int, int], ...]
    """(index, Memory Size MB) per run: drawn as a line on the memory chart."""
    run_ids: tuple[str, ...]

    def by_key(self, key: str) -> ChartSeries:
        return next(series for series in self.series if series.key == key)


def chart_data(runs_newest_first: list[RunSummary], describe=None) -> ChartData:
    """Chart points for runs as the store lists them (newest first); x runs from oldest to newest.

    describe(run) -> str names a run in the hover text (time and preset by default).
    """
    runs = list(reversed(runs_newest_first))
    describe = describe or _describe
    series = []
    for key, title, unit in METRICS:
        warm, cold = [], []
        for index, run in enumerate(runs, start=1):
            value = float(getattr(run, key))
            point = ChartPoint(index, run.id, value, run.cold,
                               f"Run {run.id} · {describe(run)}\n{title}: {_value(value, unit)}"
                               + (f"\ncold start: {run.cold_reason}" if run.cold and run.cold_reason
                                  else "\ncold start" if run.cold else "\nwarm"))
            (cold if run.cold else warm).append(point)
        series.append(ChartSeries(key, title, unit, tuple(warm), tuple(cold)))
    memory = tuple((index, run.memory_size_mb) for index, run in enumerate(runs, start=1))
    return ChartData(tuple(series), memory, tuple(run.id for run in runs))


def _value(value: float, unit: str) -> str:
    if unit == "USD":
        return f"${value:.10f}".rstrip("0")
    return f"{value:g} {unit}" if value.is_integer() else f"{value:.2f} {unit}"


def _describe(run: RunSummary) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(run.started_at))
    return f"{stamp} · {run.preset}" if run.preset else stamp
