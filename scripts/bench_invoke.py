"""Invoke latency, side by side with its floors and a peer, measured in one run.

    .venv/bin/python scripts/bench_invoke.py [--warm N] [--cold N]

Rows: warm and cold invokes with containment (a cgroup per environment) on and off, the warm invoke
at 128 MB with Lambda's CPU share; then, at full CPU, warm and cold invokes through the engine
(Python, and Node.js when `node` is installed),
`python -c pass` and `node -e 0` as floors for a cold start, and python-lambda-local invoking the same
handler; then the Runtime API's peer check: warm and cold invokes with it skipped (the same server,
patched), and what identifying one connection's process costs, for the environment's own process and
for one outside it (a scan of every process); then a function with three pure-Python requirements
(wheels built here, installed offline into a private cache): its first call with a cold cache (the
install included), its cold starts with a warm cache and its warm calls, beside the same handler
without requirements. This machine is noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop

from workbench.core.child.containment import NO_CGROUPS_VARIABLE
from workbench.core.function.function_config import FunctionConfig
from workbench.core.function.invocation_request import prepare_invocation
from workbench.engine import environment_group
from workbench.engine.engine import Engine, InvokeOptions
from workbench.engine.loopback_peer import identify_peer
from workbench.engine.history_writer import history_writer_for
from workbench.engine.run_session import RunSession
from workbench.engine.runtime_api_server import RuntimeApiServer

PEER_CHECK_ROUNDS = 5
PY_HANDLER = "def handler(event, context):\n    return {'ok': True}\n"
NODE_HANDLER = "exports.handler = async (event) => ({ ok: true });\n"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_invokes(engine: Engine, config: FunctionConfig, count: int, cold: bool) -> list[float]:
    """Wall time from invoke() to finished, in ms, for `count` calls."""
    samples = []
    for _ in range(count):
        loop = QEventLoop()
        begin = time.perf_counter()
        invocation = engine.invoke(config, b"{}", InvokeOptions(cold=cold))
        invocation.finished.connect(loop.quit)
        loop.exec()
        samples.append((time.perf_counter() - begin) * 1000)
        if not invocation.result.succeeded:
            raise SystemExit(f"invoke failed: {invocation.result.payload_text()}")
    return samples


def time_session_invokes(sessions: dict[str, RunSession], config: FunctionConfig, count: int,
                         blocks: int = 10) -> dict[str, list[float]]:
    """Warm calls through the run session, each session in turn in short blocks so that both meet the
    same machine noise; wall time from run() to finished, in ms."""
    prepared = prepare_invocation(config, b"{}")
    samples: dict[str, list[float]] = {name: [] for name in sessions}
    for _ in range(blocks):
        for name, session in sessions.items():
            for _ in range(max(1, count // blocks)):
                loop = QEventLoop()
                begin = time.perf_counter()
                run = session.run(prepared, source="cli")
                run.finished.connect(loop.quit)
                loop.exec()
                samples[name].append((time.perf_counter() - begin) * 1000)
    return samples


def time_command(command: list[str], count: int, cwd: str | None = None) -> list[float]:
    samples = []
    for _ in range(count):
        begin = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append((time.perf_counter() - begin) * 1000)
    return samples


def time_commands_alternately(commands: dict[str, list[str]], count: int, cwd: str | None = None
                              ) -> dict[str, list[float]]:
    """ms per run of each command, the commands taking turns (after one unmeasured run each)."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(count + 1):
        for name, command in commands.items():
            begin = time.perf_counter()
            subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if round_:
                samples[name].append((time.perf_counter() - begin) * 1000)
    return samples


def compile_package() -> None:
    """Bytecode for the package as an installed copy has it (scripts/_env.sh compiles it at install; an
    edit since, or PYTHONDONTWRITEBYTECODE, would otherwise leave the command compiling its source)."""
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "workbench"), quiet=1)


def time_peer_identification(count: int) -> tuple[list[float], list[float]]:
    """ms to identify the process behind a loopback connection from a child process: named first
    among the likely processes (the environment's own), and found by scanning all of /proc."""
    listener = socket.create_server(("127.0.0.1", 0))
    host, port = listener.getsockname()
    child = subprocess.Popen([sys.executable, "-c", CONNECTOR, str(port)], stdout=subprocess.PIPE)
    connection, address = listener.accept()
    child.stdout.readline()
    likely, scanned = [], []
    for _ in range(count):
        begin = time.perf_counter()
        found = identify_peer((host, port), address, [child.pid])
        likely.append((time.perf_counter() - begin) * 1000)
        begin = time.perf_counter()
        found_by_scan = identify_peer((host, port), address)
        scanned.append((time.perf_counter() - begin) * 1000)
        assert found.pid == found_by_scan.pid == child.pid, (found, found_by_scan, child.pid)
    child.kill()
    child.wait()
    connection.close()
    listener.close()
    return likely, scanned


CONNECTOR = """
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
print("connected", flush=True)
time.sleep(600)
"""


def use_cgroups(on: bool) -> None:
    """Environments started from now on get a cgroup (when the machine allows) or the fallback."""
    os.environ[NO_CGROUPS_VARIABLE] = "" if on else "1"
    environment_group.reset_host()


def containment_rows(engine: Engine, config: FunctionConfig, warm: int, cold: int) -> None:
    """Warm and cold invokes with containment on and off, in alternating blocks so drift hits both.

    Both at full CPU, so the rows differ only by what holds the environment (cgroup join, freezer,
    group meters) and not by Lambda's CPU share, which the row after them shows on its own."""
    use_cgroups(True)
    if isinstance(environment_group.cgroup_host(), str):
        print(f"containment: no cgroup here ({environment_group.cgroup_host()}); on/off rows skipped")
        return
    configs = {on: dataclasses.replace(config, name=f"bench-{'cgroup' if on else 'fallback'}", scale_cpu=False)
               for on in (True, False)}
    samples: dict[tuple[bool, bool], list[float]] = {(on, c): [] for on in (True, False) for c in (True, False)}
    blocks = 5
    for _ in range(blocks):
        for on in (True, False):
            use_cgroups(on)
            time_invokes(engine, configs[on], 1, cold=True)  # this mode's environment, and its host found
            samples[on, False] += time_invokes(engine, configs[on], max(1, warm // blocks), cold=False)
            samples[on, True] += time_invokes(engine, configs[on], max(1, cold // blocks), cold=True)
    use_cgroups(True)
    rows = {key: row(f"{'cold' if key[1] else 'warm'} invoke, {'cgroup' if key[0] else 'no cgroup'} (full CPU)",
                     values) for key, values in samples.items()}
    print(f"containment adds {rows[True, False][1] - rows[False, False][1]:+.3f} ms per warm invoke (p50, goal "
          f"<= +0.3) and {rows[True, True][1] - rows[False, True][1]:+.1f} ms per cold start (goal <= +15)")


def row(name: str, samples: list[float]) -> tuple[str, float, float]:
    p50, p99 = statistics.median(samples), percentile(samples, 0.99)
    print(f"{name:<44} {p50:>9.2f} {p99:>9.2f} {len(samples):>6}")
    return name, p50, p99


DEPS_HANDLER = ("import colour_names, slugs, tiny_units\n"
                "def handler(event, context):\n    return {'ok': True}\n")


def dependency_rows(count: int, warm_count: int) -> None:
    """Three pure-Python requirements: cold cache, warm cache, warm invoke, and the same without them."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from wheels import make_wheel, offline_index

    work = Path(tempfile.mkdtemp(prefix="bench-deps-"))
    wheels = work / "wheels"
    body = "".join(f"def f{i}(x):\n    return x + {i}\n" for i in range(200))
    for name in ("colour_names", "slugs", "tiny_units"):
        make_wheel(wheels, name.replace("_", "-"), "1.0.0", {f"{name}/__init__.py": body})
    with_deps, without = work / "with", work / "without"
    with_deps.mkdir()
    without.mkdir()
    (with_deps / "app.py").write_text(DEPS_HANDLER)
    (with_deps / "requirements.txt").write_text("colour-names\nslugs\ntiny-units\n")
    (without / "app.py").write_text(PY_HANDLER)
    first = []
    for attempt in range(3):  # a fresh cache each time: the install is part of the call
        cache = work / f"cache-{attempt}"
        host_env = dict(os.environ, LAMBDA_WORKBENCH_CACHE=str(cache), **offline_index(wheels))
        # The runtime's SDK is not what is measured: an empty folder stands in, so nothing is downloaded.
        (cache / "sdk" / "python3.12").mkdir(parents=True)
        engine = Engine(host_env=host_env)
        config = FunctionConfig(f"deps-{attempt}", "app.handler", "python3.12", str(with_deps))
        first += time_invokes(engine, config, 1, cold=True)
        engine.shutdown()
    engine = Engine(host_env=host_env)
    deps = FunctionConfig("deps", "app.handler", "python3.12", str(with_deps))
    bare = FunctionConfig("bare", "app.handler", "python3.12", str(without))
    row("3 requirements, first call, cold cache", first)
    # Interleaved, one call of each in turn, so the machine's load falls on both alike.
    samples: dict[str, list[float]] = {"cold deps": [], "cold bare": [], "warm deps": [], "warm bare": []}
    for _ in range(count):
        samples["cold deps"] += time_invokes(engine, deps, 1, cold=True)
        samples["cold bare"] += time_invokes(engine, bare, 1, cold=True)
    for _ in range(warm_count):
        samples["warm deps"] += time_invokes(engine, deps, 1, cold=False)
        samples["warm bare"] += time_invokes(engine, bare, 1, cold=False)
    cold_deps = row("3 requirements, cold start, warm cache", samples["cold deps"])
    cold_bare = row("no requirements, cold start", samples["cold bare"])
    warm_deps = row("3 requirements, warm invoke", samples["warm deps"])
    warm_bare = row("no requirements, warm invoke", samples["warm bare"])
    engine.shutdown()
    print(f"with a warm cache, 3 requirements add {cold_deps[1] - cold_bare[1]:+.1f} ms to a cold start (p50) "
          f"and {warm_deps[1] - warm_bare[1]:+.2f} ms to a warm invoke")
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=1000)
    parser.add_argument("--cold", type=int, default=20)
    parser.add_argument("--only-deps", action="store_true", help="only the dependency rows")
    args = parser.parse_args()
    app = QCoreApplication([])
    if args.only_deps:
        print(f"{'what (ms)':<44} {'p50':>9} {'p99':>9} {'runs':>6}")
        dependency_rows(args.cold, args.warm)
        return
    engine = Engine(app)
    work = Path(tempfile.mkdtemp(prefix="bench-invoke-"))
    (work / "app.py").write_text(PY_HANDLER)
    (work / "index.js").write_text(NODE_HANDLER)
    (work / "event.json").write_text("{}")
    python = FunctionConfig("bench-py", "app.handler", "python3.12", str(work))
    # Full CPU, as the Python rows: these rows measure the engine, the 128 MB row above Lambda's share.
    node = FunctionConfig("bench-node", "index.handler", "nodejs20.x", str(work), scale_cpu=False)
    has_node = shutil.which("node") is not None and Path("workbench/runtimes/node/bootstrap.mjs").exists()

    print(f"{'what (ms)':<44} {'p50':>9} {'p99':>9} {'runs':>6}")
    containment_rows(engine, python, args.warm, args.cold)
    time_invokes(engine, python, 5, cold=False)
    row("warm invoke at 128 MB, Lambda's CPU share", time_invokes(engine, python, 200, cold=False))
    python = dataclasses.replace(python, scale_cpu=False)
    time_invokes(engine, python, 20, cold=False)  # warm up the environment and the caches
    warm = row("workbench warm invoke, Python", time_invokes(engine, python, args.warm, cold=False))
    cold = row("workbench cold invoke, Python", time_invokes(engine, python, args.cold, cold=True))
    floor = row("python -c pass (process start floor)", time_command([sys.executable, "-c", "pass"], args.cold))
    # As the window and invoke record: in the background, into the workspace's SQLite history.
    sessions = {"off": RunSession(parent=app), "on": RunSession(history=history_writer_for(work, app), parent=app)}
    for session in sessions.values():  # warm each session's own environment first
        time_session_invokes({"warm-up": session}, python, 20, blocks=1)
    recorded = time_session_invokes(sessions, python, args.warm)
    session_off = row("run session warm invoke, history off", recorded["off"])
    session_on = row("run session warm invoke, history on", recorded["on"])
    for session in sessions.values():
        session.shutdown()
    if has_node:
        time_invokes(engine, node, 20, cold=False)
        node_warm = row("workbench warm invoke, Node.js", time_invokes(engine, node, args.warm, cold=False))
        row("workbench cold invoke, Node.js", time_invokes(engine, node, args.cold, cold=True))
        node_floor = row("node -e 0 (process start floor)", time_command(["node", "-e", "0"], args.cold))
    # The whole command as a script or CI runs it (interpreter start, imports, cold start, invoke, exit),
    # beside python-lambda-local invoking the same handler: alternated, so the machine's load falls on both.
    peer_cmd = shutil.which("python-lambda-local", path=str(Path(sys.executable).parent))
    workbench_cmd = shutil.which("lambda-workbench", path=str(Path(sys.executable).parent))
    commands = {"cli": [workbench_cmd, "invoke", "--handler", "app.handler", "-e", "event.json", "--no-history"]
                if workbench_cmd else [sys.executable, "-m", "workbench", "invoke", "--handler", "app.handler",
                                       "-e", "event.json", "--no-history"]}
    if peer_cmd:
        commands["peer"] = [peer_cmd, "-f", "handler", "app.py", "event.json"]
    compile_package()
    whole = time_commands_alternately(commands, max(args.cold, 20), cwd=str(work))
    peer = row("python-lambda-local, one invoke", whole["peer"]) if peer_cmd else None
    cli = row("lambda-workbench invoke, whole process", whole["cli"])
    # The same invokes with the Runtime API's peer check skipped (the server patched), interleaved in
    # rounds with checked ones so that the machine's load falls on both alike.
    checked_warm, checked_cold, skipped_warm, skipped_cold = [], [], [], []
    check = RuntimeApiServer._admits
    for _ in range(PEER_CHECK_ROUNDS):
        checked_warm += time_invokes(engine, python, args.warm // PEER_CHECK_ROUNDS, cold=False)
        checked_cold += time_invokes(engine, python, max(1, args.cold // PEER_CHECK_ROUNDS), cold=True)
        RuntimeApiServer._admits = lambda self, connection, address: True
        skipped_warm += time_invokes(engine, python, args.warm // PEER_CHECK_ROUNDS, cold=False)
        skipped_cold += time_invokes(engine, python, max(1, args.cold // PEER_CHECK_ROUNDS), cold=True)
        RuntimeApiServer._admits = check
    on_warm = row("warm invoke, Python, peer check on", checked_warm)
    off_warm = row("warm invoke, Python, peer check skipped", skipped_warm)
    on_cold = row("cold invoke, Python, peer check on", checked_cold)
    off_cold = row("cold invoke, Python, peer check skipped", skipped_cold)
    likely, scanned = time_peer_identification(args.cold)
    row("identify a connection's process (environment's)", likely)
    row("identify a connection's process (full /proc scan)", scanned)
    engine.shutdown()

    print()
    print(f"peer check: warm invoke {on_warm[1] - off_warm[1]:+.3f} ms, cold invoke "
          f"{on_cold[1] - off_cold[1]:+.2f} ms (p50, on minus skipped, same run)")
    if peer:
        print(f"warm invoke is {peer[1] / warm[1]:.0f}x faster than python-lambda-local (p50)")
        print(f"cold invoke is {peer[1] / cold[1]:.1f}x faster than python-lambda-local (p50)")
        print(f"`lambda-workbench invoke` as a whole process runs at {peer[1] / cli[1]:.2f}x the speed of "
              "python-lambda-local (p50; above 1 is faster)")
    print(f"cold invoke costs {cold[1] / floor[1]:.1f}x a bare `python -c pass`")
    print(f"recording every run in history costs {100 * (session_on[1] / session_off[1] - 1):+.1f}% "
          "per warm invoke (p50; goal within 10%)")
    if has_node:
        print(f"warm Node.js invoke p50 is {node_warm[1]:.2f} ms; `node -e 0` is {node_floor[1]:.1f} ms "
              f"({node_floor[1] / node_warm[1]:.0f}x the warm invoke)")
    shutil.rmtree(work, ignore_errors=True)
    print()
    dependency_rows(args.cold, args.warm)


if __name__ == "__main__":
    main()
