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
            f"{'memory':>9}  {'warm p50':>10}  {'warm p90':>10}  {'cold p50':>10}  {'init p50':>10}  "
            + "  ".join(f"{'avg cost ' + a:>17}" for a in ARCHITECTURES)]


def figures_line(figures: SizeFigures, architecture: str) -> str:
    size = f"{figures.memory_mb:>6} MB"
    if figures.failed is not None:
        return f"{size}  FAILED after {figures.runs} call{'s' if figures.runs != 1 else ''}: {figures.failed} (skipped)"
    costs = "  ".join(f"{format_cost(figures.avg_cost_usd[a]):>17}" for a in ARCHITECTURES)
    return (f"{size}  {_ms(figures.p50_ms)}  {_ms(figures.p90_ms)}  {_ms(figures.cold_p50_ms)}  "
            f"{_ms(figures.cold_init_p50_ms)}  {costs}")


def recommendation_lines(recommendation: Recommendation, cancelled: bool) -> list[str]:
    lines = []
    if cancelled:
        lines.append("Stopped: the figures above are what was measured before Stop.")
    named = []
    if recommendation.fastest is not None:
        named.append(f"fastest {recommendation.fastest} MB")
    if recommendation.cheapest is not None:
        named.append(f"cheapest {recommendation.cheapest} MB")
    if recommendation.balanced is not None:
        named.append(f"balanced {recommendation.balanced} MB")
    lines.append(("Local estimate: " + ", ".join(named)) if named else "No size ran without failing.")
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
