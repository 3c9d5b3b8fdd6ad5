"""Billed duration and cost, by Lambda's rules (1 ms granularity; INIT billed since 1 August 2025)."""

from __future__ import annotations

import math

REQUEST_PRICE_USD = 0.20 / 1_000_000
# us-east-1, first pricing tier, per GB-second.
GB_SECOND_PRICE_USD = {"x86_64": 0.0000166667, "arm64": 0.0000133334}


def billed_duration_ms(duration_ms: float, init_duration_ms: float | None) -> int:
    """Duration plus Init Duration, rounded up to the next whole millisecond."""
    total = duration_ms + (init_duration_ms or 0.0)
    # Round away float noise first so 14.000000001 bills 14, as the printed figures suggest.
    return int(math.ceil(round(total, 6)))


def gb_seconds(memory_mb: int, billed_ms: int) -> float:
    return memory_mb / 1024 * billed_ms / 1000


def invocation_cost_usd(memory_mb: int, billed_ms: int, architecture: str = "x86_64") -> float:
    """What one call costs: compute (GB-s at the architecture's price) plus the request charge."""
    return gb_seconds(memory_mb, billed_ms) * GB_SECOND_PRICE_USD[architecture] + REQUEST_PRICE_USD


def format_cost(usd: float) -> str:
    """A cost that stays readable from fractions of a micro-dollar to whole dollars."""
    if usd >= 0.01:
        return f"${usd:,.2f}"
    return f"${usd:.10f}".rstrip("0").rstrip(".") if usd else "$0"
