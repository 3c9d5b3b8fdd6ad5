"""One cgroup per execution environment, as Lambda's microVM has its own: limits, peak memory, freeze, kill.

Layout: <the workbench's own cgroup>/lambda-workbench/<owner>/<environment id>, where owner names the
workbench process (pid and start time, so a reused pid is never taken for it). Staying below our own
cgroup keeps the environments inside whatever limits the workbench itself runs under.
cgroup v1 (one hierarchy per controller; root on these machines) and v2 (one hierarchy; a delegated
subtree such as a systemd user scope) are written against the kernel's documented files
(Documentation/admin-guide/cgroup-v1/*.rst, cgroup-v2.rst).
"""

from __future__ import annotations

import errno
import os
import signal
import time

from ..core.child.containment import CGROUP_V1, CGROUP_V2, NO_CGROUPS_VARIABLE
from ..core.lambda_rules.cpu_share import CpuLimit

ROOT_NAME = "lambda-workbench"
_V1_REQUIRED = ("memory", "cpu", "freezer", "pids")
_V2_REQUIRED = ("memory", "cpu", "pids")
_MIB = 1024 * 1024


# --- Owners: which workbench process made a group, and is it still alive ---------------------------

def _start_time(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def owner_id(pid: int | None = None) -> str:
    """This process as an owner name: pid and kernel start time."""
    pid = os.getpid() if pid is None else pid
    return f"{pid}.{_start_time(pid)}"


def owner_alive(owner: str) -> bool:
    pid, _, start = owner.partition(".")
    return pid.isdigit() and _start_time(int(pid)) == start


# --- Small file helpers ----------------------------------------------------------------------------

def _write(path: str, value: str) -> None:
    with open(path, "w") as f:
        f.write(value)


def _read(path: str) -> str:
    with open(path) as f:
        return f.read()


def _field(path: str, name: str) -> int:
    """The number after name in a flat-keyed file (memory.events, pids.events, memory.oom_control)."""
    try:
        for line in _read(path).splitlines():
            key, _, value = line.partition(" ")
            if key == name:
                return int(value)
    except (OSError, ValueError):
        pass
    return 0


def _pids_in(procs_file: str) -> list[int]:
    try:
        return [int(pid) for pid in _read(procs_file).split()]
    except OSError:
        return []


def _kill_pids(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


# --- Where this machine lets us make groups --------------------------------------------------------

def _mounts() -> list[tuple[str, str, str, set[str]]]:
    """(mount point, root inside the hierarchy, fs type, super options) of every cgroup mount."""
    found = []
    try:
        lines = _read("/proc/self/mountinfo").splitlines()
    except OSError:
        return found
    for line in lines:
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) >= 5 and len(tail) >= 3 and tail[0] in ("cgroup", "cgroup2"):
            found.append((fields[4], fields[3], tail[0], set(tail[2].split(","))))
    return found


def _own_cgroups() -> dict[str, str]:
    """Controller (or "" for v2) -> this process's cgroup path in that hierarchy."""
    own: dict[str, str] = {}
    try:
        lines = _read("/proc/self/cgroup").splitlines()
    except OSError:
        return own
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            own[controller] = path
    return own


def _inside(mount_point: str, mount_root: str, path: str) -> str:
    relative = os.path.relpath(path, mount_root) if mount_root != "/" else path.lstrip("/")
    return os.path.normpath(os.path.join(mount_point, relative if relative != "." else ""))


class CgroupHost:
    """Where this workbench makes its environments' groups; one per process (see find_host)."""

    def __init__(self, version: int, bases: dict[str, str], host_cpus: int) -> None:
        self.version = version
        self.mechanism = CGROUP_V1 if version == 1 else CGROUP_V2
        # controller -> <own cgroup>/lambda-workbench (v2: the one hierarchy, under key "")
        self._bases = bases
        self.owner = owner_id()
        self.host_cpus = host_cpus

    def owner_dirs(self) -> list[str]:
        return sorted({os.path.join(base, self.owner) for base in self._bases.values()})

    def create(self, environment_id: str, memory_mb: int, pids_max: int) -> "EnvironmentCgroup":
        """A new group holding nothing yet, with the memory and pids limits set; OSError if it cannot."""
        dirs = {controller: os.path.join(base, self.owner, environment_id)
                for controller, base in self._bases.items()}
        for controller, path in dirs.items():
            owner_dir = os.path.dirname(path)
            if not os.path.isdir(owner_dir):
                os.makedirs(owner_dir, exist_ok=True)
                if controller == "cpuset":
                    _inherit_cpuset(os.path.dirname(owner_dir))
                    _inherit_cpuset(owner_dir)
                if self.version == 2:
                    # v2: a group's children get only the controllers its subtree_control enables.
                    _write(os.path.join(owner_dir, "cgroup.subtree_control"),
                           " ".join(f"+{c}" for c in _V2_REQUIRED))
            os.mkdir(path)
            if controller == "cpuset":
                _inherit_cpuset(path)
        group = (CgroupV1 if self.version == 1 else CgroupV2)(dirs, self.host_cpus)
        try:
            group.set_limits(memory_mb, pids_max)
        except OSError:
            group.remove()
            raise
        return group

    def sweep_stale(self) -> int:
        """Kill and remove what dead workbenches left; returns how many groups went."""
        swept = 0
        # v1: the freezer's groups first, so everything is dead before the other hierarchies are emptied.
        for controller, base in sorted(self._bases.items(), key=lambda item: item[0] != "freezer"):
            try:
                owners = os.listdir(base)
            except OSError:
                continue
            for owner in owners:
                owner_dir = os.path.join(base, owner)
                if owner == self.owner or owner_alive(owner) or not os.path.isdir(owner_dir):
                    continue
                for name in os.listdir(owner_dir):
                    path = os.path.join(owner_dir, name)
                    if os.path.isdir(path):
                        _kill_group(path, self.version, controller)
                        swept += _rmdir_when_empty(path)
                _rmdir_when_empty(owner_dir)
        return swept


def _inherit_cpuset(path: str) -> None:
    """v1 cpuset groups start empty and refuse tasks until cpus and mems are set; copy the parent's."""
    parent = os.path.dirname(path)
    for name in ("cpuset.cpus", "cpuset.mems"):
        if not _read(os.path.join(path, name)).strip():
            _write(os.path.join(path, name), _read(os.path.join(parent, name)).strip())


def _probe_writable(base: str) -> None:
    os.makedirs(base, exist_ok=True)
    probe = os.path.join(base, f".probe-{os.getpid()}")
    os.mkdir(probe)
    os.rmdir(probe)


def find_host(environ: dict[str, str] | None = None) -> CgroupHost | str:
    """This process's cgroup host, or why none can be made (the fallback's reason, in words)."""
    environ = os.environ if environ is None else environ
    if environ.get(NO_CGROUPS_VARIABLE, "") not in ("", "0"):
        return f"turned off by {NO_CGROUPS_VARIABLE}"
    if not os.path.isdir("/sys/fs/cgroup"):
        return "no cgroup filesystem on this machine"
    mounts, own = _mounts(), _own_cgroups()
    host_cpus = len(os.sched_getaffinity(0))
    problems = []
    for mount_point, root, kind, options in mounts:
        if kind != "cgroup2" or "" not in own:
            continue
        base_parent = _inside(mount_point, root, own[""])
        try:
            controllers = set(_read(os.path.join(base_parent, "cgroup.controllers")).split())
        except OSError:
            continue
        if not set(_V2_REQUIRED) <= controllers:
            problems.append(f"cgroup v2 at {base_parent} delegates only {' '.join(sorted(controllers)) or 'nothing'}")
            continue
        try:
            base = _prepare_v2(base_parent)
            return CgroupHost(2, {"": base}, host_cpus)
        except OSError as error:
            problems.append(f"cgroup v2 at {base_parent}: {error.strerror or error}")
    bases: dict[str, str] = {}
    for mount_point, root, kind, options in mounts:
        if kind != "cgroup":
            continue
        for controller in ("memory", "cpu", "freezer", "pids", "cpuset"):
            if controller in options and controller in own and controller not in bases:
                bases[controller] = os.path.join(_inside(mount_point, root, own[controller]), ROOT_NAME)
    missing = [c for c in _V1_REQUIRED if c not in bases]
    if missing:
        problems.append(f"cgroup v1 controllers missing: {', '.join(missing)}")
        return "; ".join(problems)
    try:
        for controller, base in bases.items():
            _probe_writable(base)
            if controller == "cpuset":
                _inherit_cpuset(base)
    except OSError as error:
        problems.append(f"cannot create cgroups under {os.path.dirname(bases['memory'])}: "
                        f"{error.strerror or error} (run as root, or in a delegated cgroup v2 subtree, e.g. "
                        "`systemd-run --user --scope -p Delegate=yes lambda-workbench`)")
        return "; ".join(problems)
    return CgroupHost(1, bases, host_cpus)


def _prepare_v2(parent: str) -> str:
    """v2 allows controllers for children only in a group without processes of its own ("no internal
    processes"), so the workbench moves itself into a leaf beside its environments first."""
    base = os.path.join(parent, ROOT_NAME)
    if _pids_in(os.path.join(parent, "cgroup.procs")):
        leaf = os.path.join(parent, "workbench")
        os.makedirs(leaf, exist_ok=True)
        _write(os.path.join(leaf, "cgroup.procs"), str(os.getpid()))
    _write(os.path.join(parent, "cgroup.subtree_control"), " ".join(f"+{c}" for c in _V2_REQUIRED))
    os.makedirs(base, exist_ok=True)
    _write(os.path.join(base, "cgroup.subtree_control"), " ".join(f"+{c}" for c in _V2_REQUIRED))
    return base


# --- One environment's group -----------------------------------------------------------------------

class EnvironmentCgroup:
    """The group of one execution environment. Every method is cheap (a few sysfs reads or writes)."""

    def __init__(self, dirs: dict[str, str], host_cpus: int) -> None:
        self.dirs = dirs
        self.host_cpus = host_cpus
        self.path = next(iter(dirs.values()))

    def join_files(self) -> list[str]:
        """The cgroup.procs files a process writes its pid to, to enter the group (before it execs)."""
        return sorted({os.path.join(path, "cgroup.procs") for path in self.dirs.values()})

    def pids(self) -> list[int]:
        return _pids_in(os.path.join(self._members_dir(), "cgroup.procs"))

    def contains(self, pid: int) -> bool:
        """True when the process is in this group, whatever it did to its session or variables."""
        try:
            lines = _read(f"/proc/{pid}/cgroup").splitlines()
        except OSError:
            return False
        suffix = self._members_dir().rsplit(f"/{ROOT_NAME}/", 1)[-1]
        want = self._membership_key()
        for line in lines:
            _, controllers, path = line.split(":", 2)
            if want in controllers.split(",") or (want == "" and controllers == ""):
                return path.endswith(f"/{ROOT_NAME}/{suffix}")
        return False

    def kill(self) -> None:
        """SIGKILL every process in the group, forks racing the kill included."""
        _kill_group(self._members_dir(), self.version, self._membership_key(), self)

    def remove(self, wait_s: float = 0.0) -> bool:
        """Delete the group once its processes have exited; False if some still had not."""
        return all([_rmdir_when_empty(path, wait_s) for path in self.dirs.values()])

    def freeze(self) -> bool:
        """Freeze every process; True once the kernel says the group is frozen (tasks in uninterruptible
        sleep can keep it freezing for a moment; they stay stopped at their next return to user space)."""
        folder = self._members_dir()
        try:
            _write(*_freeze_setting(self.version, folder, True))
            for _ in range(50):
                if _is_frozen(self.version, folder):
                    return True
                time.sleep(0.0002)
        except OSError:
            pass
        return False

    def thaw(self) -> None:
        _set_frozen(False, self._members_dir(), self.version)

    # Subclasses: version, set_limits, set_cpu, peak_bytes, oom_kills, pids_limit_hits, _members_dir (the
    # folder whose cgroup.procs lists the members; in v1 the freezer's, so it is also where freezing is
    # done), _membership_key.


class CgroupV1(EnvironmentCgroup):
    version = 1

    def set_limits(self, memory_mb: int, pids_max: int) -> None:
        memory = self.dirs["memory"]
        _write(os.path.join(memory, "memory.limit_in_bytes"), str(memory_mb * _MIB))
        # Swap off: the memory+swap limit equals the memory limit (present only with swap accounting).
        if os.path.exists(os.path.join(memory, "memory.memsw.limit_in_bytes")):
            _write(os.path.join(memory, "memory.memsw.limit_in_bytes"), str(memory_mb * _MIB))
        _write(os.path.join(memory, "memory.swappiness"), "0")
        _write(os.path.join(self.dirs["pids"], "pids.max"), str(pids_max))

    def set_cpu(self, limit: CpuLimit | None, visible_cpus: int | None = None) -> None:
        cpu = self.dirs["cpu"]
        if limit is None:
            _write(os.path.join(cpu, "cpu.cfs_quota_us"), "-1")
        else:
            _write(os.path.join(cpu, "cpu.cfs_period_us"), str(limit.period_us))
            _write(os.path.join(cpu, "cpu.cfs_quota_us"), str(limit.quota_us))
        if visible_cpus and "cpuset" in self.dirs and visible_cpus < self.host_cpus:
            parent = _read(os.path.join(os.path.dirname(self.dirs["cpuset"]), "cpuset.cpus")).strip()
            _write(os.path.join(self.dirs["cpuset"], "cpuset.cpus"), _first_cpus(parent, visible_cpus))

    def peak_bytes(self) -> int:
        try:
            return int(_read(os.path.join(self.dirs["memory"], "memory.max_usage_in_bytes")))
        except (OSError, ValueError):
            return 0

    def oom_kills(self) -> int:
        return _field(os.path.join(self.dirs["memory"], "memory.oom_control"), "oom_kill")

    def pids_limit_hits(self) -> int:
        return _field(os.path.join(self.dirs["pids"], "pids.events"), "max")

    def _members_dir(self) -> str:
        return self.dirs["freezer"]

    def _membership_key(self) -> str:
        return "freezer"


class CgroupV2(EnvironmentCgroup):
    version = 2

    def _file(self, name: str) -> str:
        return os.path.join(self.dirs[""], name)

    def set_limits(self, memory_mb: int, pids_max: int) -> None:
        _write(self._file("memory.max"), str(memory_mb * _MIB))
        if os.path.exists(self._file("memory.swap.max")):
            _write(self._file("memory.swap.max"), "0")
        # The whole group goes on an out-of-memory kill, as a microVM would.
        if os.path.exists(self._file("memory.oom.group")):
            _write(self._file("memory.oom.group"), "1")
        _write(self._file("pids.max"), str(pids_max))
        self._peak_seen = 0

    def set_cpu(self, limit: CpuLimit | None, visible_cpus: int | None = None) -> None:
        _write(self._file("cpu.max"), "max" if limit is None else f"{limit.quota_us} {limit.period_us}")
        if visible_cpus and visible_cpus < self.host_cpus and os.path.exists(self._file("cpuset.cpus")):
            parent = _read(os.path.join(os.path.dirname(self.dirs[""]), "cpuset.cpus.effective")).strip()
            _write(self._file("cpuset.cpus"), _first_cpus(parent, visible_cpus))

    def peak_bytes(self) -> int:
        # memory.peak exists from Linux 5.19; before, the current usage polled is the best there is.
        for name in ("memory.peak", "memory.current"):
            try:
                value = int(_read(self._file(name)))
            except (OSError, ValueError):
                continue
            self._peak_seen = max(getattr(self, "_peak_seen", 0), value)
            return self._peak_seen
        return 0

    def oom_kills(self) -> int:
        return _field(self._file("memory.events"), "oom_kill")

    def pids_limit_hits(self) -> int:
        return _field(self._file("pids.events"), "max")

    def _members_dir(self) -> str:
        return self.dirs[""]

    def _membership_key(self) -> str:
        return ""


def _first_cpus(cpu_list: str, count: int) -> str:
    cpus: list[int] = []
    for part in cpu_list.split(","):
        low, _, high = part.partition("-")
        cpus.extend(range(int(low), int(high or low) + 1))
    return ",".join(str(cpu) for cpu in cpus[:count])


def _kill_group(path: str, version: int, controller: str, group: EnvironmentCgroup | None = None) -> None:
    """Kill every process in the group at path. v2 has cgroup.kill (Linux 5.14); otherwise freeze, so
    nothing forks between reading the member list and killing it, kill, thaw (frozen tasks die on thaw)."""
    procs = os.path.join(path, "cgroup.procs")
    if version == 2 and os.path.exists(os.path.join(path, "cgroup.kill")):
        try:
            _write(os.path.join(path, "cgroup.kill"), "1")
            return
        except OSError:
            pass
    # v2 freezes the group at path itself; v1 only through the freezer hierarchy's folder of the group.
    freezer = path
    if version == 1:
        freezer = path if controller == "freezer" else None
        if group is not None:
            freezer = group.dirs.get("freezer")
    for _ in range(20):
        pids = _pids_in(procs)
        if not pids:
            return
        _set_frozen(True, freezer, version)
        _kill_pids(_pids_in(procs))
        _set_frozen(False, freezer, version)


def _freeze_setting(version: int, folder: str, frozen: bool) -> tuple[str, str]:
    """The file that freezes or thaws the group in folder, and the value to write to it."""
    if version == 1:
        return os.path.join(folder, "freezer.state"), "FROZEN" if frozen else "THAWED"
    return os.path.join(folder, "cgroup.freeze"), "1" if frozen else "0"


def _is_frozen(version: int, folder: str) -> bool:
    """True once the kernel reports every task stopped (until then v1 says FREEZING, v2 frozen 0)."""
    if version == 1:
        return _read(os.path.join(folder, "freezer.state")).strip() == "FROZEN"
    return _field(os.path.join(folder, "cgroup.events"), "frozen") == 1


def _set_frozen(frozen: bool, folder: str | None, version: int) -> None:
    """Freeze or thaw the group in folder, quietly; None: a v1 group with no freezer folder to do it in."""
    if not folder:
        return
    try:
        _write(*_freeze_setting(version, folder, frozen))
    except OSError:
        pass


def _rmdir_when_empty(path: str, wait_s: float = 0.5) -> bool:
    """rmdir a group; killed processes take a moment to leave it (EBUSY meanwhile)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            os.rmdir(path)
            return True
        except FileNotFoundError:
            return True
        except OSError as error:
            if error.errno != errno.EBUSY or time.monotonic() >= deadline:
                return False
        time.sleep(0.005)
