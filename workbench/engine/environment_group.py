"""What holds one execution environment's processes: its cgroup, or the fallback without one.

EnvironmentGroup gives the Sandbox one interface either way (launch, meter, freeze, kill, and whether a
process belongs to the environment). The cgroup is made before the runtime starts and the runtime joins
it before it execs (a two-line shell prefix), so everything it ever starts is inside. setpriv gives the
runtime a parent-death signal, and a watchdog kills every group this workbench made when the workbench
dies however it dies (even by SIGKILL). The next start sweeps what a dead workbench left.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading

from ..core.child.containment import (PIDS_MAX, Containment, fallback_containment, fallback_warning)
from ..core.lambda_rules.cpu_share import CpuLimit, cpu_limit
from ..core.function.function_config import FunctionConfig
from ..core.child.runtime_launch import LaunchCommand
from . import process_tree
from .cgroup import CgroupHost, EnvironmentCgroup, find_host, owner_alive, owner_id
from .environment_membership import ProcessTreeMembership

# setpriv's own words when it cannot exec the runtime (util-linux errexec): Lambda calls that
# Runtime.InvalidEntrypoint ("fork/exec ...: exec format error").
EXEC_FAILURE = re.compile(r"^setpriv: failed to execute (?P<program>.+?): (?P<reason>.+)$")

# The joining prefix: write our pid into each cgroup.procs given before "--", then exec the rest.
_JOIN_SCRIPT = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"'

# The watchdog waits for end-of-file on a pipe only this workbench holds: the kernel closes it when the
# workbench dies, whatever kills it. Then every group below the workbench's own folders goes. A workbench
# that ends cleanly, its groups gone, says "clean" first: then there is nothing to sweep.
_WATCHDOG_SCRIPT = r'''
while read -r line; do [ "$line" = clean ] && exit 0; done
for round in 1 2 3; do
  for owner in "$@"; do
    for group in "$owner"/*/; do
      [ -d "$group" ] || continue
      if [ -f "$group/cgroup.kill" ]; then echo 1 > "$group/cgroup.kill"; continue; fi
      [ -f "$group/freezer.state" ] && echo FROZEN > "$group/freezer.state"
      for pid in $(cat "$group/cgroup.procs"); do kill -9 "$pid"; done
      [ -f "$group/freezer.state" ] && echo THAWED > "$group/freezer.state"
    done
  done
  sleep 0.1
  for owner in "$@"; do
    for group in "$owner"/*/; do rmdir "$group"; done
    rmdir "$owner"
  done
done 2>/dev/null
'''

_lock = threading.Lock()
_host: CgroupHost | str | None = None
# The fallback's log line is said once per process (and again after reset_host), not at every cold start.
_warned = False
_watchdog: subprocess.Popen | None = None


def cgroup_host() -> CgroupHost | str:
    """This process's cgroup host (found, and stale groups of dead workbenches swept, on first use), or
    why there is none."""
    global _host
    with _lock:
        if _host is None:
            _host = find_host()
            if isinstance(_host, CgroupHost):
                _host.sweep_stale()
            sweep_stale_records()
        return _host


def reset_host() -> None:
    """Forget the host so the next environment looks again (after the fallback variable changed)."""
    global _host, _warned
    with _lock:
        _host = None
        _warned = False


def _first_warning() -> bool:
    global _warned
    with _lock:
        first, _warned = not _warned, True
        return first


def _ensure_watchdog(host: CgroupHost) -> None:
    global _watchdog
    with _lock:
        if _watchdog is not None and _watchdog.poll() is None:
            return
        sh = shutil.which("sh") or "/bin/sh"
        # Its own session: a Ctrl+C in the terminal must not end it before the workbench has cleaned up.
        _watchdog = subprocess.Popen([sh, "-c", _WATCHDOG_SCRIPT, "lambda-workbench-watchdog",
                                      *host.owner_dirs()], stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True, close_fds=True)


def stand_down() -> None:
    """This workbench ends now, every environment of it killed and released: its cgroup folders are
    removed here and the watchdog told so (instead of sweeping them with a few dozen processes)."""
    with _lock:
        host, watchdog = _host, _watchdog
        if not isinstance(host, CgroupHost) or watchdog is None or watchdog.poll() is not None:
            return
        for owner in host.owner_dirs():
            try:
                os.rmdir(owner)
            except FileNotFoundError:
                pass
            except OSError:
                return  # a group is still there: the watchdog's sweep is needed after all
        try:
            watchdog.stdin.write(b"clean\n")
            watchdog.stdin.flush()
        except OSError:
            pass


# --- Records for the fallback: which markers a workbench's environments carry ----------------------

def _records_dir() -> str:
    return os.path.join(tempfile.gettempdir(), f"lambda-workbench-{os.getuid()}", "environments")


def sweep_stale_records() -> int:
    """Kill the processes of environments whose workbench died (found by their marker), and delete
    the records. Returns how many environments were swept."""
    base = _records_dir()
    swept = 0
    try:
        owners = os.listdir(base)
    except OSError:
        return 0
    for owner in owners:
        if owner_alive(owner):
            continue
        folder = os.path.join(base, owner)
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            try:
                with open(path) as record:
                    marker = record.read().strip()
                if marker:
                    process_tree.kill_marked(marker)
                os.remove(path)
                swept += 1
            except OSError:
                continue
        try:
            os.rmdir(folder)
        except OSError:
            pass
    return swept


class EnvironmentGroup:
    """The processes of one environment: a cgroup where the machine allows, else session + tree + marker."""

    def __init__(self, config: FunctionConfig, environment_id: str, marker: str,
                 membership: ProcessTreeMembership) -> None:
        self._config = config
        self._marker = marker
        # Without a cgroup, which processes belong: the runtime's tree, session or marker.
        self._membership = membership
        self._pid = 0
        self._oom_baseline = 0
        self._pids_hits = 0
        self.cgroup: EnvironmentCgroup | None = None
        self._cpu: CpuLimit | None = None
        self._share_set = False  # the CPU share was put in force at the first invoke (init_done)
        host = cgroup_host()
        reason = host if isinstance(host, str) else ""
        if isinstance(host, CgroupHost):
            try:
                self.cgroup = host.create(environment_id, config.memory_mb, PIDS_MAX)
                _ensure_watchdog(host)
            except OSError as error:
                reason = f"cannot create a cgroup: {error.strerror or error}"
        if self.cgroup is not None:
            self._cpu = cpu_limit(config.memory_mb, host.host_cpus) if config.scale_cpu else None
            self.containment = Containment(mechanism=host.mechanism, cpu_scaled=self._cpu is not None,
                                           cpu_vcpus=round(min(self._cpu.share, self._cpu.cpus), 3)
                                           if self._cpu else None,
                                           missing=self._cpu_caveats())
            self.warning = None
        else:
            self.containment = fallback_containment(reason)
            self.warning = fallback_warning(reason) if _first_warning() else None
            self._record = os.path.join(_records_dir(), owner_id(), environment_id)
            try:
                os.makedirs(os.path.dirname(self._record), exist_ok=True)
                with open(self._record, "w") as record:
                    record.write(marker)
            except OSError:
                self._record = ""

    def _cpu_caveats(self) -> tuple[str, ...]:
        limit = self._cpu
        if limit is None or not limit.capped_by_host:
            return ()
        return (f"Lambda gives {self._config.memory_mb} MB {limit.share:.2f} vCPU over {limit.vcpus} CPUs; "
                f"this machine has {limit.cpus}, so CPU-bound code runs slower here",)

    # --- Launch --------------------------------------------------------------------------------

    def launch(self, command: LaunchCommand) -> LaunchCommand:
        """The command that starts the runtime inside the group, with a parent-death signal."""
        program, arguments = command.program, list(command.arguments)
        setpriv = shutil.which("setpriv")
        if setpriv:
            program, arguments = setpriv, ["--pdeathsig", "KILL", "--", program, *arguments]
        if self.cgroup is None:
            return LaunchCommand(program, tuple(arguments))
        sh = shutil.which("sh") or "/bin/sh"
        return LaunchCommand(sh, ("-c", _JOIN_SCRIPT, "lambda-workbench-launch", *self.cgroup.join_files(),
                                  "--", program, *arguments))

    def started(self, pid: int) -> None:
        self._pid = pid
        if self.cgroup is not None:
            self._oom_baseline = self.cgroup.oom_kills()

    def init_done(self) -> None:
        """Init runs with burst CPU; from the first invoke on, Lambda's share of the memory size."""
        if self.cgroup is not None and self._cpu is not None:
            try:
                self.cgroup.set_cpu(self._cpu, self._cpu.cpus)
                self._share_set = True
            except OSError:
                pass

    def _hold_to_share(self, held: bool) -> None:
        """Put the CPU share in force (held) or lift it, once init has set it; the CPUs stay as set."""
        if not self._share_set:
            return
        try:
            self.cgroup.set_cpu(self._cpu if held else None)
        except OSError:
            pass

    # --- Meters --------------------------------------------------------------------------------

    def memory_kb(self) -> int:
        """Peak memory of the environment so far: the runtime's peak plus its tree's, and with a cgroup
        at least the group's peak. The group is charged only pages it touched first, so shared
        libraries already in memory elsewhere count in the first figure, not the second; a microVM
        like Lambda's is charged for both."""
        tree = process_tree.tree_memory_kb(self._pid) if self._pid else 0
        if self.cgroup is not None:
            return max(tree, self.cgroup.peak_bytes() // 1024)
        return tree

    def out_of_memory(self) -> bool:
        """True once the kernel killed a process of the group for memory (or, without one, the polled
        use passed the size)."""
        if self.cgroup is not None:
            return self.cgroup.oom_kills() > self._oom_baseline
        return self.memory_kb() > self._config.memory_mb * 1024

    def new_pids_limit_hits(self) -> int:
        """How many forks failed at the pids limit since the last look."""
        if self.cgroup is None:
            return 0
        hits = self.cgroup.pids_limit_hits()
        new, self._pids_hits = hits - self._pids_hits, hits
        return new

    # --- Freeze, kill, release -----------------------------------------------------------------

    def freeze(self) -> None:
        if self.cgroup is not None:
            # A runtime that used up its quota as the call ended is throttled, and a throttled task cannot
            # freeze before its next period (up to 20 ms, with the answer waiting on the freeze). Frozen,
            # it runs nothing: the share is lifted for the freeze and in force again before the next call.
            self._hold_to_share(False)
            self.cgroup.freeze()
        elif self._pid:
            _signal_group(self._pid, signal.SIGSTOP)

    def thaw(self) -> None:
        if self.cgroup is not None:
            self._hold_to_share(True)
            self.cgroup.thaw()
        elif self._pid:
            _signal_group(self._pid, signal.SIGCONT)

    def kill(self, runtime_alive: bool) -> None:
        """Kill every process of the environment. runtime_alive: the runtime is not reaped yet (so its
        pid, session and process group are still its own)."""
        if self.cgroup is not None:
            self.cgroup.kill()
        else:
            process_tree.kill_tree(self._pid if runtime_alive else 0, self._marker, session=self._pid)

    def release(self, wait_s: float = 0.0) -> bool:
        """Remove the group (or the fallback's record) once its processes are gone; False while some
        are still leaving it."""
        if self.cgroup is not None:
            # A removed group's files are gone: every later read or write fails quietly, and meters read 0.
            return self.cgroup.remove(wait_s)
        if getattr(self, "_record", ""):
            try:
                os.remove(self._record)
            except OSError:
                pass
            self._record = ""
        return True

    def owns(self, pid: int) -> bool:
        """Whether process pid belongs to this environment: its cgroup's member; without one, the
        runtime, its session or tree, or a process carrying the environment's marker. Thread-safe."""
        if self.cgroup is not None:
            return self.cgroup.contains(pid)
        return self._membership(pid)

    def likely_pids(self) -> list[int]:
        """Where a Runtime API connection almost always comes from: the group's processes (the runtime
        and its tree without one)."""
        if self.cgroup is not None:
            return self.cgroup.pids()
        return self._membership.likely_pids()


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except (ProcessLookupError, PermissionError):
        pass
