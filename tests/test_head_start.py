"""An environment started ahead (before Qt is imported, as `lambda-workbench invoke` does): the call it was
made for runs in it, anything else discards it, and nothing it started outlives it."""

import json
import os
import subprocess
import sys

from processes import process_gone, processes_in

from workbench.core.function.function_config import FunctionConfig
from workbench.core.function.invocation_request import prepare_invocation
from workbench.engine.head_start import start_ahead
from workbench.engine.run_session import RunSession


def _run(qtbot, session, config, head_start=None, event='{"do": "ok"}'):
    prepared = prepare_invocation(config, event)
    assert not isinstance(prepared, list), prepared
    run = session.run(prepared, source="cli", head_start=head_start)
    with qtbot.waitSignal(run.finished, timeout=20000) as blocker:
        pass
    return blocker.args[0]


def test_the_call_runs_in_the_environment_started_for_it(qtbot, qapp, python_code):
    config = FunctionConfig("faults", "faults.handler", "python3.12", str(python_code), timeout_s=3)
    head_start = start_ahead(config, dict(os.environ))
    assert head_start is not None
    started_pid = head_start._launch.pid
    session = RunSession()
    try:
        record = _run(qtbot, session, config, head_start)
        assert record.result.succeeded and record.cold
        # The launcher execs the runtime, so the pid started ahead is the handler's own.
        assert json.loads(record.result.payload)["pid"] == started_pid
        assert record.result.init_duration_ms is not None and record.result.init_duration_ms > 0
        assert not head_start.available
        warm = _run(qtbot, session, config)
        assert not warm.cold and json.loads(warm.result.payload)["pid"] == started_pid
    finally:
        session.shutdown()
    assert process_gone(started_pid)


def test_a_head_start_for_another_configuration_is_discarded(qtbot, qapp, python_code):
    ahead = FunctionConfig("faults", "faults.handler", "python3.12", str(python_code), timeout_s=3)
    asked = FunctionConfig("faults", "faults.handler", "python3.12", str(python_code), timeout_s=3, memory_mb=256)
    head_start = start_ahead(ahead, dict(os.environ))
    started_pid = head_start._launch.pid
    session = RunSession()
    try:
        record = _run(qtbot, session, asked, head_start)
        assert record.result.succeeded and record.result.memory_size_mb == 256
        assert json.loads(record.result.payload)["pid"] != started_pid
        assert process_gone(started_pid) and not head_start.available
    finally:
        session.shutdown()


def test_an_unused_head_start_leaves_nothing_behind(qapp, python_code):
    config = FunctionConfig("spawner", "spawner.handler", "python3.12", str(python_code), timeout_s=3)
    head_start = start_ahead(config, dict(os.environ))
    pid = head_start._launch.pid
    cgroup = head_start._launch.group.cgroup
    head_start.discard()
    assert process_gone(pid) and not processes_in(python_code)
    if cgroup is not None:
        assert not any(os.path.isdir(path) for path in cgroup.dirs.values())


def test_no_head_start_when_the_runtime_cannot_be_launched(tmp_path):
    config = FunctionConfig("custom", "function.handler", "provided.al2023", str(tmp_path))
    assert start_ahead(config, dict(os.environ)) is None  # the Engine then reports it, as without one


def test_invoke_command_runs_its_first_call_in_the_environment_started_ahead(tmp_path, python_code):
    report = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-m", "workbench", "invoke", "--code-dir", str(python_code),
                           "--handler", "faults.handler", "-e", "-", "--no-history", "--repeat", "2",
                           "--report-json", str(report)],
                          input=b'{"do": "ok"}', capture_output=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    first, second = (json.loads(line) for line in report.read_text().splitlines())
    assert first["coldStart"] and first["initDurationMs"] > 0 and not second["coldStart"]
    assert first["response"]["pid"] == second["response"]["pid"]
    assert process_gone(first["response"]["pid"]) and not processes_in(python_code)


def test_the_handlers_http_client_is_complete(tmp_path, engine, qtbot):
    """The runtime's own client goes without ssl; the function's `import http.client` still has HTTPS."""
    from tests_support import invoke_and_wait

    (tmp_path / "app.py").write_text(
        "import http.client, sys, urllib.request\n"
        "def handler(event, context):\n"
        "    return {'https': hasattr(http.client, 'HTTPSConnection'), 'ssl': 'ssl' in sys.modules,\n"
        "            'handler': urllib.request.HTTPSHandler.__name__}\n")
    ran = invoke_and_wait(engine, qtbot, FunctionConfig("https", "app.handler", "python3.12", str(tmp_path)))
    assert json.loads(ran.text) == {"https": True, "ssl": True, "handler": "HTTPSHandler"}


def test_what_starts_an_environment_ahead_imports_no_qt(python_code):
    """The head start is worth something only while Qt is not loaded yet: the modules it needs stay free
    of it (and of ssl, which the Runtime API never needs)."""
    script = ("import os, sys\n"
              "from workbench.core.function.function_config import FunctionConfig\n"
              "import workbench.cli.invoke\n"
              "from workbench.engine.head_start import start_ahead\n"
              f"head = start_ahead(FunctionConfig('f', 'faults.handler', 'python3.12', {str(python_code)!r}),"
              " dict(os.environ))\n"
              "loaded = [name for name in ('PySide6', 'ssl') if name in sys.modules]\n"
              "head.discard()\n"
              "print(head is not None, loaded)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "True []", done.stderr


def test_a_one_shot_start_up_holds_the_collector_back_until_a_second_call(qapp, python_code, tmp_path,
                                                                          monkeypatch):
    """`lambda-workbench invoke` starts with the cycle collector off (cli.run); a command that goes on past
    its first call then collects on the Qt thread (a MainThreadCollector), so a long --repeat run collects."""
    import gc
    import io

    import workbench.cli as cli
    from workbench.cli import invoke
    from workbench.engine.main_thread_collector import MainThreadCollector

    event = tmp_path / "event.json"
    event.write_text('{"do": "ok"}')
    argv = ["--handler", "faults.handler", "--code-dir", str(python_code), "-e", str(event), "--no-history"]
    before = set(qapp.findChildren(MainThreadCollector))
    try:
        for repeat, collecting in ((1, False), (3, True)):
            monkeypatch.setattr(cli, "_collector_held_back", True)  # as run() leaves it for a one-shot command
            out, err = io.StringIO(), io.StringIO()
            assert invoke.main([*argv, "--repeat", str(repeat)], stdout=out, stderr=err) == 0, err.getvalue()
            assert len(out.getvalue().splitlines()) == repeat
            started = set(qapp.findChildren(MainThreadCollector)) - before
            assert bool(started) is collecting and cli._collector_held_back is not collecting
    finally:
        for collector in set(qapp.findChildren(MainThreadCollector)) - before:
            collector.stop()
            collector.deleteLater()
        gc.unfreeze()
