"""`lambda-workbench deps`: the environment's facts on stdout, the installers' output on stderr, and exit
0 (built or current) / 1 (an install failed) / 2 (bad input), so CI can pre-build the cache."""

import os
import subprocess
import sys

from wheels import make_wheel, offline_index


def deps(*args, env):
    return subprocess.run([sys.executable, "-m", "workbench", "deps", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_deps_builds_once_then_reports_current(tmp_path):
    """The first run installs (output on stderr) and prints the entry with its packages; a wheel built for
    another platform is named as not running on Lambda; the second run installs nothing."""
    wheels = tmp_path / "wheels"
    make_wheel(wheels, "greeting", "1.0.0", {"greeting/__init__.py": "WORD = 'hi'\n"})
    make_wheel(wheels, "fastthing", "2.0.0", {"fastthing/__init__.py": "X = 1\n"}, tag="py3-none-linux_x86_64")
    code = tmp_path / "code"
    code.mkdir()
    (code / "app.py").write_text("def handler(e, c):\n    return 1\n")
    (code / "requirements.txt").write_text("greeting==1.0.0\nfastthing\n")
    env = dict(os.environ, LAMBDA_WORKBENCH_CACHE=str(tmp_path / "cache"), **offline_index(wheels))
    first = deps("--code-dir", str(code), "--runtime", "python3.12", "--architecture", "arm64", env=env)
    assert first.returncode == 0, first.stderr
    assert "[build] installing requirements.txt" in first.stderr
    out = first.stdout
    assert f"Manifest: {code}/requirements.txt" in out
    assert "  greeting 1.0.0" in out and "  fastthing 2.0.0" in out
    assert "fastthing 2.0.0 will not run on Lambda" in out and "manylinux aarch64 (arm64)" in out
    assert "of 250 MB unzipped" in out and "within Lambda's limit" in out
    second = deps("--code-dir", str(code), "--runtime", "python3.12", "--architecture", "arm64", env=env)
    assert second.returncode == 0 and "[build]" not in second.stderr
    assert "Cache entry: " in second.stdout and "not built yet" not in second.stdout


def test_deps_exit_1_when_an_install_fails_and_2_for_bad_input(tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    code = tmp_path / "code"
    code.mkdir()
    (code / "requirements.txt").write_text("absent-package==3\n")
    env = dict(os.environ, LAMBDA_WORKBENCH_CACHE=str(tmp_path / "cache"), **offline_index(wheels))
    failed = deps("--code-dir", str(code), env=env)
    assert failed.returncode == 1
    assert "FAILED: installing requirements.txt" in failed.stdout and "absent-package" in failed.stdout
    assert deps("--code-dir", str(tmp_path / "nowhere"), env=env).returncode == 2
    assert deps("--workspace", str(tmp_path / "nowhere"), env=env).returncode == 2
