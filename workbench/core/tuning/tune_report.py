"""What a memory sweep prints and writes: the header, one line per size, the named sizes, the JSON document.

Pure, so the command line and the Tune view word the same figures the same way.
"""

from __future__ import annotations

from ..lambda_rules.billing import format_cost
from ..function.function_config import ARCHITECTURES
from .memory_sweep import ESTIMATE_NOTE, Recommendation, SizeFigures

NO_SCALING_IN_THIS_BUILD = "this build does not limit CPU by memory size"


def cpu_note(results) -> str:
    """Why CPU was not scaled, from the calls' containment ("" when every call had its size's share)."""
    for result in results:
        containment = getattr(result, "containment", None)
        if containment is None:
            return NO_SCALING_IN_THIS_BUILD
        if not containment.cpu_scaled:
            return containment.reason or containment.cpu_text()
    return ""


def header_lines(prepared, sizes: tuple[int, ...], runs: int) -> list[str]:
    config = prepared.config
    return [f"Tuning {config.name} with preset {prepared.preset}: {runs} call{'s' if runs != 1 else ''} at each of "
            f"{len(sizes)} memory sizes (the first cold), {config.architecture}.",
            ESTIMATE_NOTE,
            f"{'memory':>9}  {'warm p50':>10}  {'p50 interval':>19}  {'warm p90':>10}  {'cold p50':>10}  "
            f"{'init p50':>10}  " + "  ".join(f"{'warm cost ' + a:>17}" for a in ARCHITECTURES)]


def figures_line(figures: SizeFigures, architecture: str) -> str:
    size = f"{figures.memory_mb:>6} MB"
    if figures.failed is not None:
        return f"{size}  FAILED after {figures.runs} call{'s' if figures.runs != 1 else ''}: {figures.failed} (skipped)"
    costs = "  ".join(f"{format_cost(figures.avg_cost_usd[a]):>17}" for a in ARCHITECTURES)
    return (f"{size}  {_ms(figures.p50_ms)}  {interval_text(figures):>19}  {_ms(figures.p90_ms)}  "
            f"{_ms(figures.cold_p50_ms)}  {_ms(figures.cold_init_p50_ms)}  {costs}")


def interval_text(figures: SizeFigures) -> str:
    """`0.66–0.74 ms (96%)`: where the warm p50 lies, and how sure that is."""
    interval = figures.p50_interval
    if interval is None:
        return "—"
    return f"{interval.low:.2f}–{interval.high:.2f} ms ({interval.confidence:.0%})"


def speed_verdict(recommendation: Recommendation, figures: list[SizeFigures]) -> str:
    """The plain words about speed: which size is fastest, or that the sizes do not differ within the noise."""
    if not recommendation.speed_estimated:
        return ""
    if recommendation.fastest_within_noise:
        sizes = recommendation.fastest_within_noise
        tied = [f for f in figures if f.memory_mb in sizes]
        low, high = min(f.p50_ms for f in tied), max(f.p50_ms for f in tied)
        everything = len(sizes) == len([f for f in figures if f.failed is None and f.p50_ms is not None])
        which = "the sizes" if everything else ", ".join(f"{size}" for size in sizes) + " MB"
        return (f"No size is clearly fastest: warm p50 of {which} ({low:.2f}–{high:.2f} ms) lie within each "
                "other's confidence intervals; the differences are noise at this many calls.")
    fastest = next((f for f in figures if f.memory_mb == recommendation.fastest), None)
    if fastest is None or fastest.p50_interval is None:
        return ""
    confidence = min(f.p50_interval.confidence for f in figures if f.p50_interval is not None and f.failed is None)
    weak = f" (only {confidence:.0%} intervals: more calls per size would make it surer)" if confidence < 0.9 else ""
    return (f"{fastest.memory_mb} MB is fastest: its warm p50 interval ({interval_text(fastest)}) lies below "
            f"every other size's{weak}.")


def recommendation_lines(recommendation: Recommendation, cancelled: bool,
                         figures: list[SizeFigures] | None = None) -> list[str]:
    lines = []
    if cancelled:
        lines.append("Stopped: the figures above are what was measured before Stop.")
    named = []
    if recommendation.fastest is not None:
        named.append(f"fastest {recommendation.fastest} MB")
    elif recommendation.fastest_within_noise:
        named.append("no size clearly fastest")
    if recommendation.cheapest is not None:
        named.append(f"cheapest {recommendation.cheapest} MB")
    if recommendation.balanced is not None:
        named.append(f"balanced {recommendation.balanced} MB")
    lines.append(("Local estimate: " + ", ".join(named)) if named else "No size ran without failing.")
    if figures and (verdict := speed_verdict(recommendation, figures)):
        lines.append(verdict)
    if recommendation.note != ESTIMATE_NOTE:
        lines.append(recommendation.note)
    return lines


def size_labels(recommendation: Recommendation, memory_mb: int) -> list[str]:
    return [label for label, size in (("fastest", recommendation.fastest), ("cheapest", recommendation.cheapest),
                                      ("balanced", recommendation.balanced)) if size == memory_mb]


def sweep_document(figures: list[SizeFigures], recommendation: Recommendation, architecture: str) -> list[dict]:
    """--json: one object per size, each marked as a local estimate and with the names it earned."""
    document = []
    for item in figures:
        entry = item.as_json(architecture)
        entry.update({"architecture": architecture, "localEstimate": True,
                      "speedEstimated": recommendation.speed_estimated,
                      "labels": size_labels(recommendation, item.memory_mb)})
        document.append(entry)
    return document


def _ms(value: float | None) -> str:
    return f"{value:>7.2f} ms" if value is not None else f"{'—':>10}"
