"""The memory sweep's figures: per memory size, p50/p90 Duration (warm and cold apart) with a confidence
interval on the warm p50, average cost per warm call at x86_64 and arm64 prices (cold calls apart), failures,
and the fastest, cheapest and balanced sizes. Pure: results in, figures out.

Every figure is a local estimate: Duration is measured on this machine with Lambda's CPU share of each
size applied where the machine allows it; where it cannot, durations do not follow memory and the sweep
says so instead of naming a fastest size. Sizes whose p50 intervals overlap are not told apart: no size is
named fastest within the noise.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from ..lambda_rules.billing import billed_duration_ms, invocation_cost_usd
from ..function.function_config import ARCHITECTURES
from ..function.invocation_result import InvocationResult

DEFAULT_SIZES = (128, 256, 512, 1024, 1536, 2048, 3008)
DEFAULT_RUNS = 10
# AWS Lambda Power Tuning's "balanced" strategy weighs normalised cost and normalised duration equally.
BALANCED_WEIGHT = 0.5
ESTIMATE_NOTE = "Local estimate: measured on this machine, not on AWS."
# The confidence asked of the interval around each warm p50, and the least at which sizes are told apart
# (two calls: their range holds the median half the time; the verdict then says how little that is).
CONFIDENCE = 0.95
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class MedianInterval:
    """A distribution-free interval around a sample's median: the j-th smallest to the j-th largest value,
    which holds the true median with probability `confidence` (binomial, p = 1/2; no assumption about the
    shape of the durations). Too few calls for CONFIDENCE give the whole range at what it is worth."""

    low: float
    high: float
    confidence: float

    def overlaps(self, other: "MedianInterval") -> bool:
        return self.low <= other.high and other.low <= self.high


def median_interval(values: list[float], confidence: float = CONFIDENCE) -> MedianInterval | None:
    """The narrowest order-statistic interval around the median holding it with at least `confidence`,
    else (few values) the full range with its own, lower, confidence."""
    if not values:
        return None
    ordered, n = sorted(values), len(values)
    chosen_rank, chosen_confidence = 1, 1 - 2 * 0.5 ** n   # the range [min, max]
    below = 0.0   # P(fewer than rank values fall below the median)
    for rank in range(1, n // 2 + 1):
        below += math.comb(n, rank - 1) * 0.5 ** n
        coverage = 1 - 2 * below
        if coverage < confidence:
            break
        chosen_rank, chosen_confidence = rank, coverage
    return MedianInterval(ordered[chosen_rank - 1], ordered[n - chosen_rank], max(chosen_confidence, 0.0))


@dataclass(frozen=True)
class SweepRun:
    """One call of the sweep: its result and whether it started a new environment."""

    result: InvocationResult
    cold: bool


@dataclass(frozen=True)
class SizeFigures:
    memory_mb: int
    runs: int
    """Calls made at this size (cold and warm)."""
    failed: str | None
    """Why the size failed (its first error type and message), or None."""
    p50_ms: float | None
    """Warm Duration percentiles (cold-only sweeps fall back to the cold ones)."""
    p90_ms: float | None
    cold_p50_ms: float | None
    cold_init_p50_ms: float | None
    avg_cost_usd: dict[str, float] = field(default_factory=dict)
    """Architecture -> average billed cost per warm call, request charge included (a cold-only size: per
    cold call)."""
    cpu_scaled: bool = False
    max_memory_used_mb: int = 0
    p50_interval: MedianInterval | None = None
    """Where the p50 of the same calls' Duration lies (CONFIDENCE, or less with few calls)."""
    cold_cost_usd: dict[str, float] = field(default_factory=dict)
    """Architecture -> average cost of a cold call (INIT billed too); empty without cold calls."""

    def as_json(self, architecture: str) -> dict:
        return {"memoryMB": self.memory_mb, "p50DurationMs": _round(self.p50_ms), "p90DurationMs": _round(self.p90_ms),
                "avgCostUSD": self.avg_cost_usd.get(architecture), "failed": self.failed is not None,
                "failure": self.failed, "runs": self.runs, "coldP50DurationMs": _round(self.cold_p50_ms),
                "coldP50InitDurationMs": _round(self.cold_init_p50_ms),
                "avgCostUSDByArchitecture": dict(self.avg_cost_usd), "maxMemoryUsedMB": self.max_memory_used_mb,
                "cpuScaled": self.cpu_scaled,
                "p50IntervalMs": None if self.p50_interval is None else
                [_round(self.p50_interval.low), _round(self.p50_interval.high)],
                "p50IntervalConfidence": None if self.p50_interval is None else
                round(self.p50_interval.confidence, 4),
                "coldCostUSD": self.cold_cost_usd.get(architecture)}


@dataclass(frozen=True)
class Recommendation:
    fastest: int | None
    """The size with the lowest warm p50, only when its interval overlaps no other size's."""
    cheapest: int | None
    balanced: int | None
    speed_estimated: bool
    """False when CPU was not scaled: then no size is named fastest or balanced."""
    note: str
    """What the user must know: the local-estimate label, and why speed cannot be estimated if it cannot."""
    fastest_within_noise: tuple[int, ...] = ()
    """The sizes that cannot be told apart from the lowest p50 (its own included), when more than one."""


def size_figures(memory_mb: int, runs: list[SweepRun]) -> SizeFigures:
    """The figures of one size from its calls. A failure marks the size (its figures are then not compared)."""
    failure = next((run.result for run in runs if not run.result.succeeded), None)
    failed = None
    if failure is not None:
        message = (failure.error_document() or {}).get("errorMessage") or ""
        failed = f"{failure.error_type}: {message}".rstrip(": ")
    warm = [run.result.duration_ms for run in runs if not run.cold]
    cold = [run.result for run in runs if run.cold]
    steady = warm or [r.duration_ms for r in cold]
    # Steady-state cost: a cold call also pays INIT, and one of ten would skew the average of the others.
    steady_runs = [run for run in runs if not run.cold] or runs
    costs = {architecture: statistics.fmean(_cost(run.result, architecture) for run in steady_runs) if runs
             else 0.0 for architecture in ARCHITECTURES}
    cold_costs = {architecture: statistics.fmean(_cost(r, architecture) for r in cold)
                  for architecture in ARCHITECTURES} if cold else {}
    scaled = bool(runs) and all(_cpu_scaled(run.result) for run in runs)
    return SizeFigures(memory_mb, len(runs), failed, _percentile(steady, 50), _percentile(steady, 90),
                       _percentile([r.duration_ms for r in cold], 50),
                       _percentile([r.init_duration_ms for r in cold if r.init_duration_ms is not None], 50),
                       costs, scaled, max((run.result.max_memory_used_mb for run in runs), default=0),
                       median_interval(steady), cold_costs)


def recommend(sizes: list[SizeFigures], architecture: str, cpu_note: str = "") -> Recommendation:
    """Fastest (lowest warm p50), cheapest (lowest average cost) and balanced (Power Tuning's weighting)."""
    usable = [s for s in sizes if s.failed is None and s.p50_ms is not None]
    speed = bool(usable) and all(s.cpu_scaled for s in usable)
    note = ESTIMATE_NOTE
    if usable and not speed:
        note += (" CPU is not scaled to the memory size here" + (f" ({cpu_note})" if cpu_note else "")
                 + ", so the sweep cannot estimate speed: every size runs at this machine's full speed and "
                   "no size is named fastest or balanced. Costs follow the measured durations.")
    if not usable:
        return Recommendation(None, None, None, speed, note)
    cheapest = min(usable, key=lambda s: (s.avg_cost_usd[architecture], s.memory_mb)).memory_mb
    if not speed:
        return Recommendation(None, cheapest, None, False, note)
    best = min(usable, key=lambda s: (s.p50_ms, s.memory_mb))
    tied = tuple(s.memory_mb for s in usable if s is best or _indistinct(s, best))
    if len(tied) == len(usable) and len(usable) > 1:
        # Speed does not differ within the noise: the balanced size is simply the cheapest.
        return Recommendation(None, cheapest, cheapest, True, note, tuple(sorted(tied)))
    top_cost = max(s.avg_cost_usd[architecture] for s in usable) or 1.0
    top_time = max(s.p50_ms for s in usable) or 1.0
    balanced = min(usable, key=lambda s: (BALANCED_WEIGHT * s.avg_cost_usd[architecture] / top_cost
                                          + (1 - BALANCED_WEIGHT) * s.p50_ms / top_time, s.memory_mb)).memory_mb
    if len(tied) > 1:
        return Recommendation(None, cheapest, balanced, True, note, tuple(sorted(tied)))
    return Recommendation(best.memory_mb, cheapest, balanced, True, note)


def _indistinct(one: SizeFigures, other: SizeFigures) -> bool:
    """Two sizes whose p50 intervals overlap cannot be told apart by these calls; nor can a size measured by
    one call (its interval is a point held at no confidence)."""
    if one.p50_interval is None or other.p50_interval is None:
        return True
    if min(one.p50_interval.confidence, other.p50_interval.confidence) < MIN_CONFIDENCE:
        return True
    return one.p50_interval.overlaps(other.p50_interval)


def parse_sizes(text: str) -> tuple[int, ...]:
    """'128,512,1024' -> (128, 512, 1024); raises ValueError naming the bad entry (Lambda's range: 128-10240)."""
    sizes = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit():
            raise ValueError(f"{part!r} is not a memory size in MB")
        value = int(part)
        if not 128 <= value <= 10240:
            raise ValueError(f"{value} MB is outside Lambda's range (128 to 10240 MB)")
        sizes.append(value)
    if not sizes:
        raise ValueError("no memory sizes given")
    return tuple(dict.fromkeys(sizes))


def _cost(result: InvocationResult, architecture: str) -> float:
    billed = billed_duration_ms(result.duration_ms, result.init_duration_ms)
    return invocation_cost_usd(result.memory_size_mb, billed, architecture)


def _cpu_scaled(result: InvocationResult) -> bool:
    containment = getattr(result, "containment", None)
    return bool(containment is not None and getattr(containment, "cpu_scaled", False))


def _percentile(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    # The inclusive method interpolates between the measured values, as a percentile of a sample should.
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
