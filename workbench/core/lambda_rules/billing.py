"""Billed duration and cost, by Lambda's rules (1 ms granularity; INIT billed since 1 August 2025)."""

from __future__ import annotations

import math
from collections.abc import Iterable

REQUEST_PRICE_USD = 0.20 / 1_000_000
# us-east-1, first pricing tier, per GB-second.
GB_SECOND_PRICE_USD = {"x86_64": 0.0000166667, "arm64": 0.0000133334}

# CloudWatch Logs data ingestion, Standard log class, us-east-1: $0.50 per GB, the first tier of the
# prices for Lambda's logs (https://aws.amazon.com/cloudwatch/pricing/, "Vended Logs": first 10 TB a month;
# the Infrequent Access class is half that). A GB is 2^30 bytes, as AWS bills data.
LOG_INGESTION_PRICE_USD_PER_GB = 0.50
LOG_PRICE_NOTE = "CloudWatch Logs ingestion, Standard class, us-east-1, first 10 TB: $0.50 per GB"
# CloudWatch Logs sizes a batch as each event's UTF-8 message plus 26 bytes (PutLogEvents, "Quotas"); each
# line of a function's log (START, END and REPORT included) is one event.
LOG_EVENT_OVERHEAD_BYTES = 26


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


def log_ingestion_bytes(lines: Iterable[str]) -> int:
    """What CloudWatch Logs would ingest for these log lines: each line's UTF-8 bytes plus the per-event
    overhead."""
    return sum(len(line.encode("utf-8", errors="replace")) + LOG_EVENT_OVERHEAD_BYTES for line in lines)


def log_ingestion_cost_usd(lines: Iterable[str]) -> float:
    """What ingesting these log lines into CloudWatch Logs costs, at LOG_INGESTION_PRICE_USD_PER_GB."""
    return log_ingestion_bytes(lines) / 2**30 * LOG_INGESTION_PRICE_USD_PER_GB


def format_cost(usd: float) -> str:
    """A cost that stays readable from fractions of a micro-dollar to whole dollars."""
    if usd >= 0.01:
        return f"${usd:,.2f}"
    return f"${usd:.10f}".rstrip("0").rstrip(".") if usd else "$0"
