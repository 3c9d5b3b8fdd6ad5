"""The execution environment as a whole, as Lambda contains it: one cgroup holding every process the
runtime starts (memory, CPU share, freezer, pids, kill), no orphans when the workbench dies, and the
fallback where no cgroup can be made. Real processes throughout; handlers are written per test."""

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from workbench.core.child.containment import NO_CGROUPS_VARIABLE, PIDS_LIMIT_LINE, PROCESS_TREE
from workbench.core.lambda_rules.cpu_share import cpu_limit
from workbench.core.function.function_config import FunctionConfig
from workbench.engine import environment_group
from processes import process_gone


def has_cgroup() -> bool:
    return not isinstance(environment_group.cgroup_host(), str)


needs_cgroup = pytest.mark.skipif(not has_cgroup(), reason=f"no cgroup on this machine: "
                                  f"{environment_group.cgroup_host() if not has_cgroup() else ''}")


def python_function(tmp_path, source, name="fn", **changes):
    code = tmp_path / name
    code.mkdir(exist_ok=True)
    (code / "app.py").write_text(textwrap.dedent(source))
    values = dict(name=name, handler="app.handler", runtime="python3.12", code_dir=str(code), timeout_s=1)
    values.update(changes)
    return FunctionConfig(**values)


def pids_in(lines, label):
    return [int(m.group(1)) for line in lines for m in [re.fullmatch(rf"{label} pid (\d+)", line)] if m]


def wait_gone(pids, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not all(process_gone(pid) for pid in pids):
        time.sleep(0.02)
    return [pid for pid in pids if not process_gone(pid)]


DAEMONS = """
    import os, subprocess, time

    def handler(event, context):
        # A daemon that dropped every variable (env -i) and one in its own session, both adopted by init.
        subprocess.run(["env", "-i", "sh", "-c", "sleep 300 >/dev/null 2>&1 & echo bare pid $!"], check=True)
        subprocess.run(["sh", "-c", "setsid sleep 300 >/dev/null 2>&1 & echo setsid pid $!"], check=True)
        print("runtime pid %d" % os.getpid(), flush=True)
        while True:
            time.sleep(0.01)
"""


@needs_cgroup
def test_daemons_that_left_the_session_and_the_environment_die_at_the_timeout(tmp_path, run):
    """An `env -i` daemon and a `setsid` daemon are gone after the call times out."""
    ran = run(python_function(tmp_path, DAEMONS, scale_cpu=False))
    assert ran.result.error_type == "Sandbox.Timedout", ran.lines
    pids = pids_in(ran.lines, "bare") + pids_in(ran.lines, "setsid") + pids_in(ran.lines, "runtime")
    assert len(pids) == 3, ran.lines
    assert wait_gone(pids) == []
    assert ran.result.containment.has_cgroup and ran.result.containment.missing == ()


@needs_cgroup
def test_a_detached_daemon_over_the_memory_size_is_out_of_memory(tmp_path, run):
    """A detached daemon holding 300 MB under 128 MB fails the call as Runtime.OutOfMemory."""
    source = f"""
        import subprocess, time

        def handler(event, context):
            subprocess.run(["env", "-i", "sh", "-c",
                            "setsid {sys.executable} -c 'import time; b = b\\"x\\" * (300 << 20); time.sleep(60)' &"],
                           check=True)
            time.sleep(30)
    """
    ran = run(python_function(tmp_path, source, memory_mb=128, timeout_s=20, scale_cpu=False))
    assert ran.result.error_type == "Runtime.OutOfMemory", (ran.text, ran.lines)
    assert ran.result.max_memory_used_mb == 128
    assert ran.lines[-1].endswith("\tStatus: error\tError Type: Runtime.OutOfMemory")


CPU_LOOP = """
    import time

    def handler(event, context):
        started = time.thread_time()
        total = 0
        for i in range(event["n"]):
            total += i * i
        return {"cpu_ms": (time.thread_time() - started) * 1000}
"""


@needs_cgroup
def test_cpu_bound_code_is_as_much_slower_at_128_mb_as_on_lambda(tmp_path, run):
    """A CPU-bound loop takes at least 8x longer at 128 MB than at 1,769 MB (ideal 13.8x)."""
    small = python_function(tmp_path, CPU_LOOP, name="small", memory_mb=128, timeout_s=60)
    large = python_function(tmp_path, CPU_LOOP, name="large", memory_mb=1769, timeout_s=60)
    event = {"n": 300_000}
    runs = {"small": [run(small, event, wait_ms=60_000).result for _ in range(3)],
            "large": [run(large, event, wait_ms=60_000).result for _ in range(3)]}
    small_ms = min(result.duration_ms for result in runs["small"])
    large_ms = min(result.duration_ms for result in runs["large"])
    # The loop's own CPU time at 1,769 MB is what it takes with a whole CPU, as on Lambda. Its wall time
    # is that too on an idle machine; on a busy one other work stretches it (the 128 MB runs are held
    # to 7% of a CPU by the quota whatever the load), so the ratio is taken against the CPU time.
    large_cpu_ms = min(json.loads(result.payload)["cpu_ms"] for result in runs["large"])
    ratio = small_ms / large_cpu_ms
    print(f"CPU-bound loop: {small_ms:.1f} ms at 128 MB; at 1,769 MB {large_ms:.1f} ms "
          f"({large_cpu_ms:.1f} ms of CPU); ratio {ratio:.1f}x (wall clock only: {small_ms / large_ms:.1f}x)")
    assert ratio >= 8, runs
    last = run(small, event, wait_ms=60_000).result
    assert last.containment.cpu_scaled and last.containment.cpu_vcpus == pytest.approx(0.072, abs=0.001)


@needs_cgroup
def test_full_cpu_turns_the_share_off(tmp_path, run):
    """With scaling off the same loop runs at this machine's speed, and the result says so."""
    result = run(python_function(tmp_path, CPU_LOOP, memory_mb=128, timeout_s=60, scale_cpu=False),
                 {"n": 1000}).result
    assert result.containment.cpu_scaled is False
    assert result.containment.cpu_text() == "full (scaling off)"


@needs_cgroup
def test_nothing_runs_between_calls(tmp_path, run):
    """A daemon in its own session counting in a file is frozen between calls, with the runtime."""
    counter = tmp_path / "count"
    source = f"""
        import subprocess

        def handler(event, context):
            if event.get("start"):
                subprocess.Popen(["sh", "-c", "n=0; while true; do n=$((n+1)); echo $n > {counter}; sleep 0.01; done"],
                                 start_new_session=True)
                import time; time.sleep(0.3)
            return open("{counter}").read().strip()
    """
    config = python_function(tmp_path, source, timeout_s=3, scale_cpu=False)
    first = run(config, {"start": True})
    assert first.result.succeeded, first.lines
    before = counter.read_text()
    time.sleep(0.5)
    assert counter.read_text() == before
    assert run(config).result.succeeded


THROTTLED = """
    import time

    def group_file(name):
        \"\"\"The path of this process's cgroup file `name` (v1: in its controller's tree; v2: unified).\"\"\"
        controller = name.split(".")[0]
        for line in open("/proc/self/cgroup").read().splitlines():
            _id, controllers, path = line.split(":", 2)
            if controller in controllers.split(","):
                return f"/sys/fs/cgroup/{controller}{path}/{name}"
            if controllers == "" and path != "/":
                return f"/sys/fs/cgroup{path}/{'cpu.max' if controller == 'cpu' else 'cgroup.freeze'}"
        raise LookupError(name)

    def handler(event, context):
        started = time.thread_time()
        while time.thread_time() - started < 0.03:  # more than a period's quota at 128 MB: throttled
            pass
        quota_file = group_file("cpu.cfs_quota_us")
        return {"freezer": group_file("freezer.state"), "quota_file": quota_file,
                "quota": open(quota_file).read().split()[0]}
"""


@needs_cgroup
def test_a_throttled_runtime_freezes_at_once_and_is_held_to_its_share_in_calls(tmp_path, run):
    """A call that used up its CPU quota ends with the environment frozen, not waiting for the next period
    (the share is lifted while it is frozen, when it runs nothing), and the next call runs under it again."""
    config = python_function(tmp_path, THROTTLED, memory_mb=128, timeout_s=5)
    share = cpu_limit(128, environment_group.cgroup_host().host_cpus)
    for _ in range(3):
        result = run(config).result
        assert result.succeeded, result.payload
        seen = json.loads(result.payload)
        assert seen["quota"] == str(share.quota_us), seen  # 7.24% of each 20 ms, during the call
        frozen = open(seen["freezer"]).read().strip()
        assert frozen in ("FROZEN", "1"), f"the environment is {frozen!r} once the call has finished"
        assert open(seen["quota_file"]).read().split()[0] in ("-1", "max")


@needs_cgroup
def test_a_fork_bomb_is_stopped_at_lambdas_process_limit(tmp_path, run):
    """A fork bomb stops at 1,024 processes and threads, the log says so, and the engine runs on."""
    source = """
        import subprocess

        def handler(event, context):
            subprocess.run(["sh", "-c", "f() { f & f & wait; }; f"])
    """
    config = python_function(tmp_path, source, memory_mb=2048, scale_cpu=False)
    ran = run(config)
    assert ran.result.error_type == "Sandbox.Timedout"
    assert PIDS_LIMIT_LINE in ran.lines
    after = run(python_function(tmp_path, "def handler(event, context):\n    return 'still here'\n", name="next"))
    assert after.text == '"still here"'


def test_stdin_is_end_of_file_at_once(tmp_path, run):
    """A handler that reads stdin gets end-of-file at once, as on Lambda (stdin is /dev/null)."""
    ran = run(python_function(tmp_path, """
        import sys

        def handler(event, context):
            return {"stdin": sys.stdin.read()}
    """))
    assert json.loads(ran.text) == {"stdin": ""}


def test_stdin_is_end_of_file_for_node_too(tmp_path, run):
    """Node: reading file descriptor 0 returns nothing at once."""
    code = tmp_path / "node"
    code.mkdir()
    (code / "index.mjs").write_text("import fs from 'node:fs';\n"
                                    "export const handler = async () => ({stdin: fs.readFileSync(0, 'utf8')});\n")
    ran = run(FunctionConfig(name="node", handler="index.handler", runtime="nodejs20.x", code_dir=str(code),
                             timeout_s=1))
    assert json.loads(ran.text) == {"stdin": ""}


def test_an_init_error_of_another_type_is_runtime_unknown_in_the_reports(tmp_path, run):
    """A KeyError raised at import: INIT_REPORT and REPORT say Runtime.Unknown, the payload KeyError."""
    # 3 s: the retried init runs inside the call, with the call's CPU share.
    ran = run(python_function(tmp_path, "import os\nos.environ['NO_SUCH_VARIABLE']\n"
                                        "def handler(event, context):\n    return 1\n", timeout_s=3))
    assert json.loads(ran.text)["errorType"] == "KeyError"
    assert ran.result.error_type == "KeyError"
    init_reports = [line for line in ran.lines if line.startswith("INIT_REPORT ")]
    assert len(init_reports) == 2 and all(line.endswith("\tError Type: Runtime.Unknown") for line in init_reports)
    assert ran.lines[-1].endswith("\tStatus: error\tError Type: Runtime.Unknown")


def test_a_file_the_function_writes_into_its_code_folder_is_no_code_change(tmp_path, run):
    """A handler that writes a cache file beside itself stays warm; an edit by the user still goes cold."""
    config = python_function(tmp_path, """
        import os

        def handler(event, context):
            with open(os.path.join(os.path.dirname(__file__), "cache.json"), "w") as f:
                f.write(str(context.aws_request_id))
            return os.getpid()
    """, timeout_s=3)
    first, second = run(config), run(config)
    assert first.cold is True and second.cold is False and first.text == second.text
    (tmp_path / "fn" / "app.py").write_text((tmp_path / "fn" / "app.py").read_text() + "\n# edited\n")
    assert run(config).cold is True


def test_the_runtime_api_peer_check_knows_the_environment(tmp_path, engine, qtbot):
    """owns_peer: the runtime and a daemon it started belong to the environment; this process does not."""
    config = python_function(tmp_path, DAEMONS, timeout_s=3, scale_cpu=False)
    invocation = engine.invoke(config, {})
    lines = []
    invocation.log_lines.connect(lines.extend)
    qtbot.waitUntil(lambda: bool(pids_in(lines, "runtime")), timeout=10_000)
    sandbox = invocation.sandbox
    runtime, setsid = pids_in(lines, "runtime")[0], pids_in(lines, "setsid")[0]
    assert sandbox.owns_peer(runtime) and sandbox.owns_peer(setsid)
    assert not sandbox.owns_peer(os.getpid())
    if sandbox.containment.has_cgroup:
        assert sandbox.owns_peer(pids_in(lines, "bare")[0])
    with qtbot.waitSignal(invocation.finished, timeout=10_000):
        invocation.cancel()


# --- No orphans ------------------------------------------------------------------------------------

@needs_cgroup
def test_sigkill_of_the_cli_leaves_no_process_of_the_environment(tmp_path):
    """SIGKILL of `lambda-workbench invoke` mid-call: the runtime and its daemons are gone within 2 s."""
    config = python_function(tmp_path, DAEMONS)
    cli = subprocess.Popen([sys.executable, "-m", "workbench", "invoke", "--code-dir", config.code_dir,
                            "--handler", "app.handler", "--timeout", "60", "--full-cpu"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = []
    while len(pids_in(lines, "runtime")) == 0:
        line = cli.stderr.readline()
        assert line, lines
        lines.append(line.rstrip("\n"))
    pids = pids_in(lines, "bare") + pids_in(lines, "setsid") + pids_in(lines, "runtime")
    cli.kill()
    cli.wait()
    killed_at = time.monotonic()
    left = wait_gone(pids, seconds=5.0)
    print(f"environment gone {time.monotonic() - killed_at:.2f} s after SIGKILL of the CLI")
    assert left == []


@needs_cgroup
def test_the_next_start_sweeps_groups_a_dead_workbench_left(tmp_path):
    """A group whose workbench is dead (made by hand here, with a process inside) is killed and removed."""
    host = environment_group.cgroup_host()
    owner = os.path.join(os.path.dirname(host.owner_dirs()[0]), "1.0")  # pid 1 never started at tick 0
    sleeper = None
    try:
        group_dirs = [os.path.join(os.path.dirname(d), "1.0", "stale") for d in host.owner_dirs()]
        for path in group_dirs:
            os.makedirs(path)
        sleeper = subprocess.Popen(["sh", "-c", " ".join(f"echo $$ > {d}/cgroup.procs;" for d in group_dirs)
                                    + " exec sleep 300"])
        time.sleep(0.2)
        assert host.sweep_stale() >= 1
        sleeper.wait(timeout=5)
        assert sleeper.returncode == -signal.SIGKILL
        assert not any(os.path.exists(path) for path in group_dirs)
    finally:
        if sleeper and sleeper.poll() is None:
            sleeper.kill()
        for path in [os.path.join(os.path.dirname(d), "1.0") for d in host.owner_dirs()]:
            for leftover in ("stale", ""):
                try:
                    os.rmdir(os.path.join(path, leftover))
                except OSError:
                    pass
    assert owner


# --- Without cgroups -------------------------------------------------------------------------------

@pytest.fixture
def without_cgroups(monkeypatch):
    monkeypatch.setenv(NO_CGROUPS_VARIABLE, "1")
    environment_group.reset_host()
    yield
    monkeypatch.delenv(NO_CGROUPS_VARIABLE)
    environment_group.reset_host()


def test_without_cgroups_the_log_and_the_result_say_what_is_missing(tmp_path, run, without_cgroups):
    """The fallback runs the call and says, in one log line and on the result, which guarantees are gone."""
    ran = run(python_function(tmp_path, "def handler(event, context):\n    return 1\n"))
    assert ran.result.succeeded
    warnings = [line for line in ran.lines if line.startswith("[workbench] No cgroup")]
    assert len(warnings) == 1, ran.lines
    assert f"turned off by {NO_CGROUPS_VARIABLE}" in warnings[0] and "CPU not scaled" in warnings[0]
    assert ran.lines.index(warnings[0]) < next(i for i, l in enumerate(ran.lines) if l.startswith("START "))
    containment = ran.result.containment
    assert containment.mechanism == PROCESS_TREE and not containment.cpu_scaled
    assert any("memory of detached children not counted" in item for item in containment.missing)


def test_without_cgroups_report_json_names_the_missing_guarantees(tmp_path):
    """--report-json carries the mechanism and the missing guarantees, and stderr the warning line."""
    config = python_function(tmp_path, "def handler(event, context):\n    return 1\n")
    report = tmp_path / "report.jsonl"
    proc = subprocess.run([sys.executable, "-m", "workbench", "invoke", "--code-dir", config.code_dir,
                           "--handler", "app.handler", "--report-json", str(report)],
                          env={**os.environ, NO_CGROUPS_VARIABLE: "1"}, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(report.read_text())["containment"]
    assert doc["mechanism"] == PROCESS_TREE and doc["cpuScaled"] is False
    assert doc["reason"] == f"turned off by {NO_CGROUPS_VARIABLE}" and len(doc["missingGuarantees"]) == 5
    assert proc.stderr.count("[workbench] No cgroup") == 1


def test_without_cgroups_the_setsid_daemon_still_dies_at_the_timeout(tmp_path, run, without_cgroups):
    """The fallback still kills a daemon that left the session but kept the environment's variables."""
    ran = run(python_function(tmp_path, DAEMONS, scale_cpu=False))
    assert ran.result.error_type == "Sandbox.Timedout"
    assert wait_gone(pids_in(ran.lines, "setsid") + pids_in(ran.lines, "runtime")) == []
    for pid in pids_in(ran.lines, "bare"):
        # Not held by anything without a cgroup: the known gap the warning names. Cleaned up here.
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@needs_cgroup
def test_report_json_says_which_cpu_was_used(tmp_path):
    """--report-json says the CPU share was applied, and --full-cpu turns it off."""
    config = python_function(tmp_path, "def handler(event, context):\n    return 1\n")
    docs = []
    for extra in ([], ["--full-cpu"]):
        report = tmp_path / f"report{len(extra)}.jsonl"
        proc = subprocess.run([sys.executable, "-m", "workbench", "invoke", "--code-dir", config.code_dir,
                               "--handler", "app.handler", "--memory", "512", "--report-json", str(report), *extra],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        docs.append(json.loads(report.read_text())["containment"])
    assert docs[0]["cpuScaled"] is True and docs[0]["cpuVcpus"] == pytest.approx(512 / 1769, abs=0.001)
    assert docs[1]["cpuScaled"] is False and docs[1]["cpuVcpus"] is None
    assert docs[0]["mechanism"].startswith("cgroup v") and docs[0]["missingGuarantees"] == []


# --- A runtime that never asks for work ------------------------------------------------------------

def test_a_custom_runtime_that_never_calls_next_is_bounded_by_init_and_the_timeout(tmp_path, run):
    """Lambda's rule: 10 s of init, then one retry inside the call bounded by the function's timeout
    (here 1 s): two INIT_REPORT lines with Status: timeout, and Sandbox.Timedout after 1.00 seconds."""
    code = tmp_path / "silent"
    code.mkdir()
    bootstrap = code / "bootstrap"
    bootstrap.write_text("#!/bin/sh\nexec sleep 300\n")
    bootstrap.chmod(0o755)
    ran = run(FunctionConfig(name="silent", handler="", runtime="provided.al2023", code_dir=str(code), timeout_s=1),
              wait_ms=40_000)
    rid = ran.result.request_id
    assert json.loads(ran.text) == {"errorMessage": f"RequestId: {rid} Error: Task timed out after 1.00 seconds",
                                    "errorType": "Sandbox.Timedout"}
    init_reports = [line for line in ran.lines if line.startswith("INIT_REPORT ")]
    assert [line.split("\t", 1)[1] for line in init_reports] == ["Phase: init\tStatus: timeout",
                                                                  "Phase: invoke\tStatus: timeout"]
    assert float(init_reports[0].split()[3]) >= 10_000
    assert ran.result.duration_ms == 1000.0
    assert ran.lines[-1].endswith("\tStatus: timeout")
