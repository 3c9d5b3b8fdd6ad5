"""A memory sweep as History shows it: one row for all of its calls (how many, at which sizes, how many
failed, what they cost together), and which runs a list or a chart takes (sweeps whole, one row each, or
none)."""

from __future__ import annotations

from dataclasses import dataclass

from ..lambda_rules.billing import format_cost

SWEEPS_ALL = "all"
"""Every run, a sweep's calls one by one."""
SWEEPS_GROUPED = "grouped"
"""One row per sweep (its latest call stands for it) beside the other runs: History's list by default."""
SWEEPS_NONE = "none"
"""No sweep's calls at all: the charts by default, so a sweep's dozens of calls at other memory sizes do
not drown the function's own runs."""
SWEEP_MODES = (SWEEPS_ALL, SWEEPS_GROUPED, SWEEPS_NONE)


@dataclass(frozen=True)
class SweepBrief:
    """What one sweep's calls add up to."""

    sweep: str
    calls: int
    failed: int
    smallest_mb: int
    largest_mb: int
    sizes: int
    cost_usd: float

    @property
    def label(self) -> str:
        """The Preset column's words, short enough for its width at 1024 pixels: "(sweep) 12 calls" (the sizes
        are in the memory column and the tooltip)."""
        return f"(sweep) {self.calls} call{'' if self.calls == 1 else 's'}"

    @property
    def status(self) -> str:
        return "success" if not self.failed else f"{self.failed} of {self.calls} failed"

    @property
    def memory(self) -> str:
        return f"{self.smallest_mb}–{self.largest_mb} MB" if self.sizes > 1 else f"{self.smallest_mb} MB"

    @property
    def cost(self) -> str:
        """The sweep's calls together."""
        return format_cost(self.cost_usd)
