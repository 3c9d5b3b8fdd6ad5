"""How much CPU Lambda gives a function: a share in proportion to its memory, and the vCPUs it sees.

Lambda's resource model: "At 1,769 MB, a function has the equivalent of one vCPU (one vCPU-second of
credits per second)", up to 6 vCPUs at 10,240 MB (docs: configuration-memory). The number of CPUs a
function sees (`nproc`, `os.cpu_count()`) goes in steps measured on Lambda: 2 up to 3,008 MB, then one
more at every further 1,769 MB (3 from 3,009 MB, 4 from 5,308, 5 from 7,077, 6 from 8,846).
The init phase of an on-demand function runs with burst CPU (the vCPUs it sees, unthrottled) for up to
its 10 s, which is why the share applies from the first invoke on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ONE_VCPU_MB = 1769
# (lowest memory size, vCPUs seen from there on)
_VCPU_STEPS = ((128, 2), (3009, 3), (5308, 4), (7077, 5), (8846, 6))
# A short period keeps a throttled function slow evenly, as Lambda's is, instead of letting a short call
# run at full speed until a long period's quota runs out; 1 ms is the kernel's smallest quota and
# 128 MB (0.0724 of a CPU) still gets 1.4 ms of every 20 ms.
CFS_PERIOD_US = 20_000
CFS_MIN_QUOTA_US = 1_000


def cpu_share(memory_mb: int) -> float:
    """CPUs' worth of time per second Lambda gives a function of this size (0.072 at 128 MB)."""
    return memory_mb / ONE_VCPU_MB


def visible_vcpus(memory_mb: int) -> int:
    """How many CPUs the function sees at this memory size."""
    count = _VCPU_STEPS[0][1]
    for lowest, vcpus in _VCPU_STEPS:
        if memory_mb >= lowest:
            count = vcpus
    return count


@dataclass(frozen=True)
class CpuLimit:
    """The CPU an environment gets here: a CFS quota per period over a number of the host's CPUs."""

    share: float
    """CPUs' worth of time per second, as Lambda gives it (before this machine's own limit)."""
    vcpus: int
    """CPUs the function sees on Lambda."""
    cpus: int
    """CPUs it may run on here: Lambda's count, unless this machine has fewer."""
    quota_us: int
    period_us: int

    @property
    def capped_by_host(self) -> bool:
        """True when this machine has fewer CPUs than Lambda's share needs (then it runs slower here)."""
        return self.share > self.cpus or self.vcpus > self.cpus


def cpu_limit(memory_mb: int, host_cpus: int) -> CpuLimit:
    """The quota that gives an environment Lambda's CPU share of memory_mb on a host with host_cpus."""
    share = cpu_share(memory_mb)
    vcpus = visible_vcpus(memory_mb)
    cpus = max(1, min(vcpus, host_cpus))
    quota = max(CFS_MIN_QUOTA_US, math.ceil(min(share, cpus) * CFS_PERIOD_US))
    return CpuLimit(share=share, vcpus=vcpus, cpus=cpus, quota_us=quota, period_us=CFS_PERIOD_US)
