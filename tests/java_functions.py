"""Shared set-up of the Java tests: the fixture sources copied once per session (compiled once: the
compile is content-addressed in the session's cache), and a config maker."""

import shutil
from pathlib import Path

import pytest

from workbench.core.function.function_config import FunctionConfig

JAVA_FIXTURES = Path(__file__).parent / "fixtures" / "java"


def require_jdk() -> None:
    if shutil.which("javac") is None:
        pytest.skip("no JDK (javac) on this machine")


@pytest.fixture(scope="session")
def java_code(tmp_path_factory):
    """The fixture tree (tests/fixtures/java) copied once; its compile is content-addressed in the session's
    cache, so every module using it compiles it once."""
    require_jdk()
    target = tmp_path_factory.mktemp("java") / "code"
    shutil.copytree(JAVA_FIXTURES, target)
    return target


def java_config(code_dir, handler, runtime="java17", memory_mb=1024, timeout_s=20, environment=()):
    return FunctionConfig(name="java-fn", handler=handler, runtime=runtime, code_dir=str(code_dir),
                          memory_mb=memory_mb, timeout_s=timeout_s, environment=tuple(environment))
