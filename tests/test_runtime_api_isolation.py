"""The Runtime API answers only its own environment: real runtimes through the Engine, and real
processes outside the environment (another user, another program of the same user) trying it."""

import json
import logging
import os
import subprocess
import sys
import textwrap

import pytest

from workbench.core.function.function_config import FunctionConfig
from workbench.core.function.invocation_result import Status

LIVE_HANDLER = textwrap.dedent('''
    import json, os, time

    HERE = os.path.dirname(os.path.abspath(__file__))

    def handler(event, context):
        # Tell the test where the live call is, then wait until it says go.
        with open(os.path.join(HERE, "live.tmp"), "w") as f:
            json.dump({"api": os.environ["AWS_LAMBDA_RUNTIME_API"], "id": context.aws_request_id}, f)
        os.replace(os.path.join(HERE, "live.tmp"), os.path.join(HERE, "live.json"))
        while not os.path.exists(os.path.join(HERE, "release")):
            time.sleep(0.01)
        return {"real": event["secret"]}
''')

# Tries the three calls an intruder wants: take the event, forge the result, kill the call.
ATTACKER = textwrap.dedent('''
    import encodings.idna, http.client, json, os, sys  # imported before giving up root: the
    # interpreter's files may be unreadable to the other user
    api, request_id, uid = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if uid >= 0:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    host, port = api.split(":")
    calls = {
        "next": ("GET", "/2018-06-01/runtime/invocation/next", None),
        "response": ("POST", "/2018-06-01/runtime/invocation/%s/response" % request_id, b'{"forged": true}'),
        "error": ("POST", "/2018-06-01/runtime/invocation/%s/error" % request_id,
                  b'{"errorMessage": "forged", "errorType": "Forged"}'),
        "init_error": ("POST", "/2018-06-01/runtime/init/error",
                       b'{"errorMessage": "forged", "errorType": "Runtime.Forged"}'),
    }
    outcome = {"uid": os.getuid()}
    for name, (method, path, body) in calls.items():
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            connection.request(method, path, body=body)
            response = connection.getresponse()
            outcome[name] = [response.status, response.read().decode()]
        except (http.client.HTTPException, OSError) as error:
            outcome[name] = type(error).__name__
        finally:
            connection.close()
    print(json.dumps(outcome))
''')

# The server closes a refused connection before reading or answering anything.
REFUSED = {"RemoteDisconnected", "ConnectionResetError", "BrokenPipeError"}


def _attack(api, request_id, uid=-1):
    done = subprocess.run([sys.executable, "-c", ATTACKER, api, request_id, str(uid)], cwd="/",
                          env={"PATH": os.environ.get("PATH", "")}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _live_call(engine, qtbot, tmp_path, name):
    code = tmp_path / name
    code.mkdir()
    (code / "live.py").write_text(LIVE_HANDLER)
    config = FunctionConfig(name=name, handler="live.handler", runtime="python3.12", code_dir=str(code), timeout_s=30)
    invocation = engine.invoke(config, {"secret": "s3cr3t-" + name})
    qtbot.waitUntil(lambda: (code / "live.json").exists(), timeout=20_000)
    return code, invocation, json.loads((code / "live.json").read_text())


def _finish(qtbot, code, invocation):
    with qtbot.waitSignal(invocation.finished, timeout=20_000) as finished:
        (code / "release").write_text("go")
    return finished.args[0]


def test_a_program_of_the_same_user_outside_the_environment_is_refused(engine, qtbot, tmp_path, caplog):
    """During a live call, another program takes no event, forges no result and kills nothing;
    the real call ends with its own payload, and the workbench says whom it refused."""
    code, invocation, live = _live_call(engine, qtbot, tmp_path, "same-user")
    with caplog.at_level(logging.WARNING, logger="workbench.engine.runtime_api_server"):
        outcome = _attack(live["api"], live["id"])
    refusals = [r.getMessage() for r in caplog.records if "refused a connection" in r.getMessage()]
    assert len(refusals) == 4 and all(f"uid {os.getuid()}" in message for message in refusals), refusals
    assert outcome["uid"] == os.getuid()
    for name in ("next", "response", "error", "init_error"):
        assert outcome[name] in REFUSED, (name, outcome)
    result = _finish(qtbot, code, invocation)
    assert result.status is Status.SUCCESS, result.payload
    assert json.loads(result.payload) == {"real": "s3cr3t-same-user"}


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to another user (uid 65534) needs root")
def test_another_user_is_refused(engine, qtbot, tmp_path):
    """uid 65534 (nobody) is refused every call during a live call, which ends with its own payload."""
    code, invocation, live = _live_call(engine, qtbot, tmp_path, "other-user")
    outcome = _attack(live["api"], live["id"], uid=65534)
    assert outcome["uid"] == 65534
    for name in ("next", "response", "error", "init_error"):
        assert outcome[name] in REFUSED, (name, outcome)
    result = _finish(qtbot, code, invocation)
    assert result.status is Status.SUCCESS, result.payload
    assert json.loads(result.payload) == {"real": "s3cr3t-other-user"}


INSIDER_HANDLER = textwrap.dedent('''
    import json, os, subprocess, sys

    PROBE = """
    import http.client, json, os
    host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
    c = http.client.HTTPConnection(host, int(port), timeout=10)
    c.request("POST", "/2018-06-01/runtime/init/error", body=b'{"errorMessage": "late", "errorType": "Runtime.Late"}',
              headers={"Lambda-Runtime-Function-Error-Type": "Runtime.Late"})
    r = c.getresponse()
    print(json.dumps([r.status, json.loads(r.read())]))
    """

    def handler(event, context):
        # A child of the handler is part of the environment: it is answered (and told init is over).
        done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
        return json.loads(done.stdout)
''')


def test_init_error_after_init_is_refused_with_lambdas_403_and_children_are_answered(run, tmp_path):
    """A process the handler starts may use the API; /init/error after init gets Lambda's 403 and
    does not end the call."""
    (tmp_path / "insider.py").write_text(INSIDER_HANDLER)
    ran = run(FunctionConfig(name="insider", handler="insider.handler", runtime="python3.12",
                             code_dir=str(tmp_path), timeout_s=30))
    assert ran.result.status is Status.SUCCESS, ran.text
    assert json.loads(ran.result.payload) == [403, {
        "errorMessage": "State transition from Running to InitError failed for runtime. "
                        "Error: State transition is not allowed",
        "errorType": "InvalidStateTransition"}]


DAEMON_HANDLER = textwrap.dedent('''
    import json, os, subprocess, sys, time

    PROBE = """
    import http.client, json, os, sys
    host, port = sys.argv[1].split(":")
    try:
        c = http.client.HTTPConnection(host, int(port), timeout=10)
        c.request("POST", "/2018-06-01/runtime/init/error", body=b"{}")
        r = c.getresponse()
        outcome = [r.status, json.loads(r.read())["errorType"]]
    except (http.client.HTTPException, OSError) as error:
        outcome = type(error).__name__
    with open(sys.argv[2] + ".tmp", "w") as f:
        json.dump(outcome, f)
    os.replace(sys.argv[2] + ".tmp", sys.argv[2])
    """

    def handler(event, context):
        # A daemon: its own session, its parent gone at once (adopted by init), out of the runtime's tree.
        out = os.path.join("/tmp", context.aws_request_id + ".json")
        clear = "env -i " if event["cleared"] else ""
        subprocess.run(["sh", "-c", '%ssetsid "%s" -c "$0" "$1" "$2" >/dev/null 2>&1 &' % (clear, sys.executable),
                        PROBE, os.environ["AWS_LAMBDA_RUNTIME_API"], out], check=True)
        while not os.path.exists(out):
            time.sleep(0.01)
        with open(out) as f:
            outcome = json.load(f)
        os.unlink(out)
        return outcome
''')


@pytest.mark.parametrize("cleared", [False, True], ids=["keeps-its-environment", "env-i"])
def test_a_daemon_of_the_environment_is_answered_by_its_marker_unless_it_cleared_it(run, tmp_path, cleared):
    """Without the environment's cgroup, a daemon that left the runtime's session and tree is known by
    the environment's marker variable: answered (here, told init is over) while it keeps it, refused
    once `env -i` clears it, as README says. With the cgroup as membership the cleared daemon is in
    the environment too, and answered like any of its processes."""
    (tmp_path / "daemon.py").write_text(DAEMON_HANDLER)
    ran = run(FunctionConfig(name="daemon", handler="daemon.handler", runtime="python3.12", code_dir=str(tmp_path),
                             timeout_s=30), {"cleared": cleared})
    assert ran.result.status is Status.SUCCESS, ran.text
    outcome = json.loads(ran.result.payload)
    if cleared and not ran.result.containment.has_cgroup:
        assert outcome in REFUSED
    else:
        assert outcome == [403, "InvalidStateTransition"]
