"""The function's environment as Lambda builds it: isolation, dependencies from requirements.txt into the
cache (uv, offline from wheels built here), the runtime's SDK, the interpreter warning, credentials."""

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from workbench.core.function.function_config import FunctionConfig
from workbench.core.function.invocation_result import Status

from wheels import make_wheel, offline_index

HERE = Path(__file__).parent


@pytest.fixture
def wheelhouse(tmp_path):
    """Three pure-Python packages (one needing another) and a second version of one of them."""
    folder = tmp_path / "wheels"
    make_wheel(folder, "greeting", "1.0.0", {"greeting/__init__.py": "WORD = 'hello'\n"})
    make_wheel(folder, "greeting", "2.0.0", {"greeting/__init__.py": "WORD = 'bonjour'\n"})
    make_wheel(folder, "shouting", "0.3.0", {"shouting.py": "def shout(text):\n    return text.upper() + '!'\n"},
               requires=("greeting",))
    make_wheel(folder, "boto3", "9.9.9", {"boto3/__init__.py": "__version__ = '9.9.9'\n"})
    return folder


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


@pytest.fixture
def env_engine(qapp, wheelhouse, cache):
    """An Engine whose installs come only from the wheelhouse, into a private cache seeded with the SDK."""
    from workbench.engine.engine import Engine

    shutil.copytree(os.environ["LAMBDA_WORKBENCH_CACHE"] + "/sdk", cache / "sdk", symlinks=True)
    host_env = dict(os.environ, LAMBDA_WORKBENCH_CACHE=str(cache), **offline_index(wheelhouse))
    instance = Engine(host_env=host_env)
    yield instance
    instance.shutdown()


@pytest.fixture
def invoke(env_engine, qtbot):
    from tests_support import invoke_and_wait
    return lambda config, event=None: invoke_and_wait(env_engine, qtbot, config, event)


def function(code: Path, name="fn", runtime="python3.12", handler="app.handler", **changes) -> FunctionConfig:
    return FunctionConfig(name=name, handler=handler, runtime=runtime, code_dir=str(code), **changes)


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


USES_PACKAGES = ("import greeting, shouting\n"
                 "def handler(event, context):\n    return shouting.shout(greeting.WORD)\n")


def built_entries(cache: Path) -> list[str]:
    return sorted(p.name for p in (cache / "deps").iterdir()) if (cache / "deps").is_dir() else []


def build_lines(ran) -> list[str]:
    return [line for line in ran.lines if line.startswith("[build]")]


# --- Isolation ------------------------------------------------------------------------------------

def test_import_of_a_package_the_function_does_not_ship_fails_as_on_lambda(tmp_path, invoke):
    """PyYAML is installed for the workbench, not for the function: Lambda's ImportModuleError, word for word."""
    code = write(tmp_path / "code", {"app.py": "import yaml\ndef handler(event, context):\n    return 1\n"})
    ran = invoke(function(code))
    assert ran.result.error_type == "Runtime.ImportModuleError"
    assert json.loads(ran.result.payload)["errorMessage"] == "Unable to import module 'app': No module named 'yaml'"


def test_pythonpath_and_user_site_do_not_leak_in(tmp_path, qapp, qtbot):
    """A PYTHONPATH of the user's is not on the handler's sys.path; the path starts at the task root."""
    from workbench.engine.engine import Engine
    from tests_support import invoke_and_wait

    leaked = write(tmp_path / "leaked", {"leaked_module.py": "X = 1\n"})
    code = write(tmp_path / "code", {"app.py": (
        "import sys\ndef handler(event, context):\n"
        "    try:\n        import leaked_module\n        leaked = True\n    except ImportError:\n        leaked = False\n"
        "    return {'leaked': leaked, 'path': sys.path, 'flags': [sys.flags.isolated, sys.flags.no_site]}\n")})
    engine = Engine(host_env=dict(os.environ, PYTHONPATH=str(leaked)))
    try:
        ran = invoke_and_wait(engine, qtbot, function(code))
    finally:
        engine.shutdown()
    body = json.loads(ran.result.payload)
    assert body["leaked"] is False
    assert body["flags"] == [1, 1]
    assert body["path"][0] == str(code)
    assert not any("site-packages" in entry for entry in body["path"] if "sdk" not in entry)


# --- Dependencies ---------------------------------------------------------------------------------

def test_requirements_are_installed_once_and_shared(tmp_path, invoke, cache):
    """requirements.txt is installed into the cache on the first call; a second function with the same
    manifest uses the same entry (nothing reinstalled), and so does a code edit."""
    first = write(tmp_path / "one", {"app.py": USES_PACKAGES, "requirements.txt": "shouting\ngreeting==1.0.0\n"})
    ran = invoke(function(first, name="one"))
    assert ran.result.status is Status.SUCCESS, ran.text
    assert json.loads(ran.result.payload) == "HELLO!"
    assert build_lines(ran) and any("installing requirements.txt for one" in line for line in ran.lines)
    assert any("shouting" in line for line in ran.lines)  # the installer's own output, streamed
    assert len(built_entries(cache)) == 1

    second = write(tmp_path / "two", {"app.py": USES_PACKAGES, "requirements.txt": "shouting\ngreeting==1.0.0\n"})
    ran = invoke(function(second, name="two"))
    assert json.loads(ran.result.payload) == "HELLO!"
    assert build_lines(ran) == []
    assert len(built_entries(cache)) == 1

    (first / "app.py").write_text(USES_PACKAGES.replace("greeting.WORD", "greeting.WORD + ' again'"))
    ran = invoke(function(first, name="one"))
    assert ran.cold and build_lines(ran) == []
    assert json.loads(ran.result.payload) == "HELLO AGAIN!"


def test_manifest_edit_rebuilds_that_entry_and_starts_cold(tmp_path, invoke, cache):
    """Pinning another version in requirements.txt builds a new entry and the next call is cold on it."""
    code = write(tmp_path / "code", {"app.py": USES_PACKAGES, "requirements.txt": "shouting\ngreeting==1.0.0\n"})
    assert json.loads(invoke(function(code)).result.payload) == "HELLO!"
    warm = invoke(function(code))
    assert warm.cold is False
    (code / "requirements.txt").write_text("shouting\ngreeting==2.0.0\n")
    ran = invoke(function(code))
    assert ran.cold is True and build_lines(ran)
    assert json.loads(ran.result.payload) == "BONJOUR!"
    assert len(built_entries(cache)) == 2


def test_failed_install_fails_the_call_and_leaves_the_cache_unchanged(tmp_path, invoke, cache):
    """A requirement no index has: the call fails with the installer's words naming it; no entry, no
    temporary folder is left; fixing the manifest then works."""
    code = write(tmp_path / "code", {"app.py": USES_PACKAGES, "requirements.txt": "shouting\nno-such-package==1.0\n"})
    ran = invoke(function(code))
    assert ran.result.status is Status.ERROR
    assert ran.result.error_type == "Runtime.DependencyInstallError"
    message = json.loads(ran.result.payload)["errorMessage"]
    assert "installing requirements.txt" in message and "no-such-package" in message
    assert built_entries(cache) == []
    (code / "requirements.txt").write_text("shouting\ngreeting==1.0.0\n")
    assert json.loads(invoke(function(code)).result.payload) == "HELLO!"


def test_runtime_sdk_is_importable_and_the_functions_own_copy_wins(tmp_path, invoke):
    """boto3 imports without being packaged (the runtime's SDK); a packaged boto3 replaces it, as on Lambda."""
    handler = "import boto3\ndef handler(event, context):\n    return boto3.__version__\n"
    bare = write(tmp_path / "bare", {"app.py": handler})
    import boto3
    assert json.loads(invoke(function(bare, name="bare")).result.payload) == boto3.__version__
    packaged = write(tmp_path / "packaged", {"app.py": handler, "requirements.txt": "boto3==9.9.9\n"})
    assert json.loads(invoke(function(packaged, name="packaged")).result.payload) == "9.9.9"


# --- Interpreter ----------------------------------------------------------------------------------

def test_missing_interpreter_version_is_said_before_start(tmp_path, invoke):
    """No python3.14 on this machine: the call runs on the nearest one, after one WARNING line saying so."""
    code = write(tmp_path / "code", {"app.py": "import sys\ndef handler(e, c):\n    return sys.version_info[:2]\n"})
    ran = invoke(function(code, runtime="python3.14"))
    assert ran.result.status is Status.SUCCESS
    start = next(i for i, line in enumerate(ran.lines) if line.startswith("START "))
    warnings = [line for line in ran.lines[:start] if line.startswith("WARNING: python3.14 requested; running on Python 3.")]
    assert len(warnings) == 1 and "no python3.14 found" in warnings[0] and "uv python install 3.14" in warnings[0]
    major, minor = json.loads(ran.result.payload)
    assert warnings[0].split("running on Python ")[1].startswith(f"{major}.{minor}.")


def test_an_available_version_runs_on_its_own_interpreter(tmp_path, invoke):
    """python3.13 exists here (pyenv): the function runs on 3.13 with no warning."""
    from workbench.core.child.interpreter_choice import choose_interpreter
    config = function(write(tmp_path / "code", {"app.py": "import sys\ndef handler(e, c):\n    return sys.version_info[:2]\n"}),
                      runtime="python3.13")
    if not choose_interpreter(config, dict(os.environ)).matches:
        pytest.skip("no Python 3.13 on this machine")
    ran = invoke(config)
    assert json.loads(ran.result.payload) == [3, 13]
    assert not [line for line in ran.lines if line.startswith("WARNING: python3.13")]


# --- The command line: the interpreter in every report, credentials from a profile -----------------

def cli(*args, env=None, cwd=None):
    import subprocess
    return subprocess.run([sys.executable, "-m", "workbench", "invoke", *args], capture_output=True, text=True,
                          env=env or dict(os.environ), cwd=cwd, timeout=60)


def test_report_json_names_the_interpreter_of_every_call(tmp_path):
    """Each --report-json object has "interpreter": requested runtime, version and path."""
    code = write(tmp_path / "code", {"app.py": "def handler(e, c):\n    return 1\n"})
    report = tmp_path / "report.jsonl"
    done = cli("--code-dir", str(code), "--handler", "app.handler", "--runtime", "python3.14", "--repeat", "2",
               "--report-json", str(report), "--no-history")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert len(lines) == 2
    for line in lines:
        interpreter = line["interpreter"]
        assert interpreter["requested"] == "python3.14" and interpreter["matches"] is False
        assert interpreter["version"].startswith("3.") and os.path.isfile(interpreter["path"])
    assert done.stderr.count("WARNING: python3.14 requested; running on Python ") == 1


def test_credentials_from_a_profile_reach_the_handler_and_never_the_log(tmp_path):
    """--profile picks a profile from the shared credentials file (botocore's chain); the handler gets the
    keys as Lambda gives its role's; printed, they are masked in the log, and no report holds them."""
    credentials = tmp_path / "credentials"
    credentials.write_text("[dev]\naws_access_key_id = AKIAPROFILEKEY000001\n"
                           "aws_secret_access_key = profile-secret-value-123\n")
    config = tmp_path / "config"
    config.write_text("[profile dev]\nregion = eu-central-1\n")
    import hashlib
    digest = hashlib.sha256(b"profile-secret-value-123").hexdigest()  # the code must not hold the secret itself
    code = write(tmp_path / "code", {"app.py": (
        "import hashlib, os\ndef handler(event, context):\n"
        "    print('secret is', os.environ['AWS_SECRET_ACCESS_KEY'])\n"
        "    secret = hashlib.sha256(os.environ['AWS_SECRET_ACCESS_KEY'].encode()).hexdigest()\n"
        "    return {'key': os.environ['AWS_ACCESS_KEY_ID'] == 'AKIAPROFILEKEY000001',\n"
        f"            'secret': secret == '{digest}',\n"
        "            'region': os.environ['AWS_REGION']}\n")})
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_SHARED_CREDENTIALS_FILE=str(credentials), AWS_CONFIG_FILE=str(config))
    report = tmp_path / "report.jsonl"
    done = cli("--code-dir", str(code), "--handler", "app.handler", "--profile", "dev", "--aws", "account",
               "--report-json", str(report),
               "--workspace", str(code), env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"key": True, "secret": True, "region": "eu-central-1"}
    assert "secret is ****" in done.stderr
    assert "profile-secret-value-123" not in done.stderr + report.read_text()
    assert "no AWS credentials found" not in done.stderr
    for path in code.rglob("*"):  # the workspace's history included
        if path.is_file():
            assert b"profile-secret-value-123" not in path.read_bytes()


def test_no_credentials_still_runs_with_one_warning(tmp_path):
    """Nothing configured, and the function uses the SDK: it runs, and one WARNING line says SDK calls will
    fail and how to fix it."""
    code = write(tmp_path / "code", {"app.py": "import boto3\ndef handler(e, c):\n    return 'ran'\n"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"), AWS_CONFIG_FILE=str(tmp_path / "none"))
    done = cli("--code-dir", str(code), "--handler", "app.handler", "--no-history", "--aws", "account", env=env)
    assert done.returncode == 0 and json.loads(done.stdout) == "ran"
    assert done.stderr.count("WARNING: no AWS credentials found") == 1
    assert "aws configure" in done.stderr


def test_the_sdk_is_installed_on_first_need_only(tmp_path, qapp):
    """With no SDK folder yet, a function that never imports boto3 starts at once (nothing to download);
    one that imports it needs a build first (the SDK install)."""
    from workbench.core.child.built_environment import FunctionEnvironment
    from workbench.engine.environment_builder import EnvironmentBuilder

    builder = EnvironmentBuilder(dict(os.environ, LAMBDA_WORKBENCH_CACHE=str(tmp_path / "empty-cache")))
    plain = write(tmp_path / "plain", {"app.py": "def handler(e, c):\n    return 1\n"})
    ready = builder.ready(function(plain))
    assert isinstance(ready, FunctionEnvironment) and ready.sdk_dir is None
    uses = write(tmp_path / "uses", {"app.py": "import json\nfrom boto3 import client\ndef handler(e, c):\n    return 1\n"})
    assert builder.ready(function(uses, name="uses")) is None


def test_a_build_can_be_cancelled_and_leaves_nothing_behind(tmp_path, qapp, qtbot, cache):
    """An install stuck on an index that never answers: Stop ends the call at once (Sandbox.Stopped), the
    installer process is gone, and no entry or temporary folder is left in the cache."""
    import socket
    from workbench.engine.engine import Engine

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections (the kernel does), never answers
    host_env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "PIP_"))}
    host_env.update(LAMBDA_WORKBENCH_CACHE=str(cache), UV_INDEX_URL=f"http://127.0.0.1:{silent.getsockname()[1]}/simple",
                    UV_CACHE_DIR=str(tmp_path / "uv-cache"))
    engine = Engine(host_env=host_env)
    code = write(tmp_path / "code", {"app.py": USES_PACKAGES, "requirements.txt": "shouting\n"})
    try:
        invocation = engine.invoke(function(code), {})
        lines = []
        invocation.log_lines.connect(lines.extend)
        qtbot.waitUntil(lambda: any(line.startswith("[build]") for line in lines), timeout=20_000)
        qtbot.wait(300)
        with qtbot.waitSignal(invocation.finished, timeout=5_000) as blocker:
            invocation.cancel()
        assert blocker.args[0].error_type == "Sandbox.Stopped"
    finally:
        engine.shutdown()
        silent.close()
    assert built_entries(cache) == []

    def leftovers() -> list[str]:
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    if str(cache).encode() in handle.read():
                        found.append(pid)
            except OSError:
                pass
        return found

    # Killed at once; on a loaded machine the kernel may take a moment to take a dying process away.
    qtbot.waitUntil(lambda: leftovers() == [], timeout=5_000)


def test_pyproject_with_uv_lock_installs_the_locked_versions(tmp_path, invoke, wheelhouse):
    """pyproject.toml + uv.lock (locked here, offline): the locked version is installed, not the newest."""
    import subprocess
    from workbench.engine.environment_builder import uv_executable

    code = write(tmp_path / "code", {"app.py": "import greeting\ndef handler(e, c):\n    return greeting.WORD\n",
                                     "pyproject.toml": '[project]\nname = "fn"\nversion = "0.1.0"\n'
                                                       'requires-python = ">=3.9"\ndependencies = ["greeting==1.0.0"]\n'})
    done = subprocess.run([uv_executable(), "lock", "--no-index"], cwd=code, capture_output=True, text=True,
                          env=dict(os.environ, **offline_index(wheelhouse)), timeout=60)
    assert done.returncode == 0, done.stderr
    ran = invoke(function(code))
    assert ran.result.status is Status.SUCCESS, ran.text
    assert json.loads(ran.result.payload) == "hello"
    assert any("installing uv.lock" in line for line in ran.lines)
