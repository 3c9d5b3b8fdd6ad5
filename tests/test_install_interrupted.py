"""A dependency install dies with the `invoke` that started it (SIGKILL included) and the next build removes
what it left; relative paths in requirements.txt resolve from the function's folder, as pip resolves them,
and one that does not exist is named in the log."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from wheels import make_wheel, offline_index

REPO = Path(__file__).resolve().parent.parent
USES = "import shouting\ndef handler(event, context):\n    return shouting.shout('hi')\n"


def _env(cache: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "PIP_"))}
    env.update(LAMBDA_WORKBENCH_CACHE=str(cache), PYTHONUNBUFFERED="1", **extra)
    return env


def _seeded_cache(tmp_path: Path) -> Path:
    import shutil
    cache = tmp_path / "cache"
    shutil.copytree(os.environ["LAMBDA_WORKBENCH_CACHE"] + "/sdk", cache / "sdk", symlinks=True)
    return cache


def _command(code: Path) -> list[str]:
    return [sys.executable, "-m", "workbench", "invoke", "--code-dir", str(code), "--handler", "app.handler",
            "--no-history"]


def _run(code: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(_command(code), cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as f:
                    if text.encode() in f.read():
                        found.append(int(name))
            except OSError:
                continue
    return found


def _wait(check, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_a_killed_invoke_takes_its_install_along_and_the_next_build_cleans_up(tmp_path):
    cache = _seeded_cache(tmp_path)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections (the kernel does), never answers: the install hangs
    code = tmp_path / "stuck"
    code.mkdir()
    (code / "app.py").write_text(USES)
    (code / "requirements.txt").write_text("shouting\n")
    env = _env(cache, UV_INDEX_URL=f"http://127.0.0.1:{silent.getsockname()[1]}/simple",
               UV_CACHE_DIR=str(tmp_path / "uv-cache"))
    invoke = subprocess.Popen(_command(code), cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        deps = cache / "deps"
        assert _wait(lambda: deps.is_dir() and any(p.name.startswith(".tmp-") for p in deps.iterdir())), \
            invoke.stderr.read() if invoke.poll() is not None else "no build started"
        assert _wait(lambda: bool(_processes_mentioning(str(deps / ".tmp-"))))
        installers = _processes_mentioning(str(deps / ".tmp-"))
        invoke.send_signal(signal.SIGKILL)
        invoke.wait(10)
        assert _wait(lambda: not any(os.path.exists(f"/proc/{pid}") and _state(pid) != "Z" for pid in installers),
                     10), [open(f"/proc/{pid}/cmdline").read() for pid in installers if os.path.exists(f"/proc/{pid}")]
        assert [p.name for p in deps.iterdir() if p.name.startswith(".tmp-")]  # what it left, for now
    finally:
        if invoke.poll() is None:
            invoke.kill()
            invoke.wait()
        silent.close()

    # The next build (another function, installed offline from a wheelhouse) removes the leftover.
    wheels = tmp_path / "wheels"
    make_wheel(wheels, "shouting", "1.0.0", {"shouting/__init__.py": "def shout(w):\n    return w.upper()\n"})
    fine = tmp_path / "fine"
    fine.mkdir()
    (fine / "app.py").write_text(USES)
    (fine / "requirements.txt").write_text("shouting==1.0.0\n")
    done = _run(fine, _env(cache, **offline_index(wheels)))
    assert done.returncode == 0 and json.loads(done.stdout) == "HI", done.stderr
    assert [p.name for p in (cache / "deps").iterdir() if p.name.startswith(".tmp-")] == []


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def test_relative_paths_in_requirements_resolve_from_the_functions_folder(tmp_path):
    cache = _seeded_cache(tmp_path)
    code = tmp_path / "code"
    make_wheel(code / "vendor", "shouting", "2.0.0", {"shouting/__init__.py": "def shout(w):\n    return w + '!'\n"})
    (code / "localpkg").mkdir()
    (code / "app.py").write_text(USES)
    wheel = next((code / "vendor").glob("*.whl")).name
    (code / "requirements.txt").write_text(f"./vendor/{wheel}\n")
    env = _env(cache, UV_OFFLINE="1", UV_CACHE_DIR=str(tmp_path / "uv-cache"), PIP_NO_INDEX="1")
    done = _run(code, env)
    assert done.returncode == 0 and json.loads(done.stdout) == "hi!", done.stderr

    (code / "requirements.txt").write_text(f"# vendored\n./vendor/{wheel}\n./vendor/missing-1.0-py3-none-any.whl\n")
    done = _run(code, env)
    assert (f"[build] WARNING: requirements.txt line 3: ./vendor/missing-1.0-py3-none-any.whl does not exist "
            f"(relative paths are taken from {code}, the function's folder)") in done.stderr, done.stderr
