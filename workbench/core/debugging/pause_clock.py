"""How long a debugged program has been stopped: the time a call's timeout and Duration leave out."""

from __future__ import annotations


class PauseClock:
    """Pauses and resumes on a monotonic clock (seconds); paused_s(now) is the total so far. Pausing twice
    or resuming a running clock changes nothing (a step's response and the `continued` event both resume)."""

    def __init__(self) -> None:
        self._total = 0.0
        self._since: float | None = None

    @property
    def paused(self) -> bool:
        return self._since is not None

    def pause(self, now: float) -> bool:
        """True when the clock was running."""
        if self._since is not None:
            return False
        self._since = now
        return True

    def resume(self, now: float) -> bool:
        """True when the clock was paused."""
        if self._since is None:
            return False
        self._total += max(now - self._since, 0.0)
        self._since = None
        return True

    def paused_s(self, now: float) -> float:
        current = max(now - self._since, 0.0) if self._since is not None else 0.0
        return self._total + current

    def reset(self) -> None:
        self._total = 0.0
        self._since = None


def paused_figure(paused_ms: float) -> str:
    """How long a call was stopped in the debugger: "850 ms", "12.4 s", "3 min 5 s"."""
    if paused_ms < 999.5:
        return f"{paused_ms:.0f} ms"
    seconds = paused_ms / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest} s"

