"""What holds an execution environment here, and which of Lambda's guarantees hold with it.

Lambda runs each environment in a microVM with its own cgroups. Here it is one cgroup per environment
where the machine lets us make one (v1 as root, or a delegated v2 subtree), else the runtime's session,
process tree and an environment marker. Whatever was used travels with every result, so the window, the
log and --report-json can say which guarantees are missing instead of pretending.
"""

from __future__ import annotations

from dataclasses import dataclass

CGROUP_V1 = "cgroup v1"
CGROUP_V2 = "cgroup v2"
PROCESS_TREE = "process tree"

# The environment variable that forces the fallback, e.g. to see how the workbench behaves on a machine
# without cgroups.
NO_CGROUPS_VARIABLE = "LAMBDA_WORKBENCH_NO_CGROUPS"

# Lambda's limit on processes and threads in one execution environment.
PIDS_MAX = 1024

MISSING_WITHOUT_CGROUP = (
    "CPU not scaled to the memory size (Duration is this machine's full speed)",
    "memory of detached children not counted (only the runtime and the processes below it)",
    "no limit on processes and threads (a fork bomb is not stopped at 1,024)",
    "processes that dropped the environment's variables and left its session survive it",
    "processes the function started keep running between calls (only the runtime's group is stopped)",
)


@dataclass(frozen=True)
class Containment:
    """How one environment was contained and what CPU it got."""

    mechanism: str
    """CGROUP_V1, CGROUP_V2 or PROCESS_TREE."""
    cpu_scaled: bool
    """True when the CPU share of the memory size was applied."""
    cpu_vcpus: float | None = None
    """The share applied, in CPUs (0.072 at 128 MB); None when the environment had the whole machine."""
    missing: tuple[str, ...] = ()
    """Lambda guarantees that do not hold for this environment, in words for the user."""
    reason: str = ""
    """Why there is no cgroup (empty with one)."""

    @property
    def has_cgroup(self) -> bool:
        return self.mechanism != PROCESS_TREE

    def cpu_text(self) -> str:
        """A few words for the Summary: what CPU the call ran with."""
        if self.cpu_scaled and self.cpu_vcpus is not None:
            return f"{self.cpu_vcpus:.3g} vCPU (scaled)"
        if not self.has_cgroup:
            return "full (no cgroup)"
        return "full (scaling off)"

    def cpu_explanation(self) -> str:
        if self.cpu_scaled and self.cpu_vcpus is not None:
            return (f"Lambda's share of the memory size (1,769 MB = one vCPU): {self.cpu_vcpus:.3g} of a CPU, "
                    "so Duration and cost are what Lambda would measure. Init ran with burst CPU, as on Lambda.")
        if not self.has_cgroup:
            return "This machine's full CPU: without a cgroup the CPU share cannot be applied."
        return "This machine's full CPU: CPU scaling is off for this function (or --full-cpu)."

    def as_json(self) -> dict:
        return {"mechanism": self.mechanism, "cpuScaled": self.cpu_scaled, "cpuVcpus": self.cpu_vcpus,
                "missingGuarantees": list(self.missing), "reason": self.reason or None}


def fallback_containment(reason: str) -> Containment:
    return Containment(mechanism=PROCESS_TREE, cpu_scaled=False, missing=MISSING_WITHOUT_CGROUP, reason=reason)


def fallback_warning(reason: str) -> str:
    """The one log line that says an environment runs without a cgroup, and what that costs."""
    return (f"[workbench] No cgroup for this environment ({reason}); missing: "
            + "; ".join(MISSING_WITHOUT_CGROUP))


PIDS_LIMIT_LINE = (f"[workbench] The environment reached Lambda's limit of {PIDS_MAX:,} processes "
                   "and threads; creating another fails with EAGAIN (Resource temporarily unavailable)")
