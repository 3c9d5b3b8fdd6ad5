"""An interpreter's version is asked once per installed file, then read from the cache folder: a new
`lambda-workbench invoke` process starts no interpreter just to learn its version."""

import os

from workbench.core.child import interpreter_choice
from workbench.core.child.interpreter_choice import VERSIONS_FILE, interpreter_version


def _fake_python(folder, version, runs):
    script = folder / "python3.12"
    script.write_text(f"#!/bin/sh\necho run >> {runs}\necho {version}\n")
    script.chmod(0o755)
    return script


def test_a_version_is_probed_once_and_remembered_across_processes(tmp_path, monkeypatch):
    env = {"LAMBDA_WORKBENCH_CACHE": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    runs = tmp_path / "runs"
    python = _fake_python(tmp_path, "3.12.7", runs)
    assert interpreter_version(str(python), env) == "3.12.7"
    monkeypatch.setattr(interpreter_choice, "_VERSION_CACHE", {})  # as a new process starts
    assert interpreter_version(str(python), env) == "3.12.7"
    assert runs.read_text().count("run") == 1
    assert (tmp_path / "cache" / VERSIONS_FILE).is_file()


def test_a_reinstalled_interpreter_is_asked_again(tmp_path, monkeypatch):
    env = {"LAMBDA_WORKBENCH_CACHE": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    runs = tmp_path / "runs"
    python = _fake_python(tmp_path, "3.12.7", runs)
    assert interpreter_version(str(python), env) == "3.12.7"
    monkeypatch.setattr(interpreter_choice, "_VERSION_CACHE", {})
    _fake_python(tmp_path, "3.12.10", runs)
    stat = python.stat()
    os.utime(python, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert interpreter_version(str(python), env) == "3.12.10"
    assert runs.read_text().count("run") == 2
