"""The workbench's Java runtime client (workbench/runtimes/java): which sources it is compiled from, with
which JSON library, and the cache key of its compiled classes (one entry per JDK version and source)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

# Jackson from Debian's packages (libjackson2-databind-java pulls core and annotations): the JSON library
# Lambda's Java runtime serializes with (a relocated copy there, a class loader of its own here).
JACKSON_FOLDERS = ("/usr/share/java",)
JACKSON_JARS = ("jackson-databind.jar", "jackson-core.jar", "jackson-annotations.jar")
JACKSON_PACKAGE = "libjackson2-databind-java"


def java_sources(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.java"))


def runtime_key(runtime_dir: Path, jdk_version: str) -> str:
    """Changes with any of the client's sources or the JDK."""
    digest = hashlib.sha256(jdk_version.encode())
    for source in java_sources(runtime_dir):
        digest.update(str(source.relative_to(runtime_dir)).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:24]


def api_key(runtime_dir: Path) -> str:
    """Changes with the com.amazonaws.services.lambda.runtime API the functions compile against."""
    digest = hashlib.sha256()
    for source in java_sources(runtime_dir / "api"):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def jackson_jars(env: dict[str, str]) -> list[str] | None:
    """The three Jackson jars, from LAMBDA_WORKBENCH_JACKSON_DIR or Debian's /usr/share/java; None when
    one is missing."""
    folders = [env["LAMBDA_WORKBENCH_JACKSON_DIR"]] if env.get("LAMBDA_WORKBENCH_JACKSON_DIR") else list(JACKSON_FOLDERS)
    for folder in folders:
        jars = [os.path.join(folder, name) for name in JACKSON_JARS]
        if all(os.path.isfile(jar) for jar in jars):
            return jars
    return None


def runtime_build_commands(javac: str, runtime_dir: Path, jars: list[str]) -> list[list[str]]:
    """javac for the API and the client (the runtime's class path), then for the codec against Jackson (a
    class loader of its own), into {target}/runtime and {target}/codec."""
    client = [str(path) for path in java_sources(runtime_dir / "api") + java_sources(runtime_dir / "client")]
    codec = [str(path) for path in java_sources(runtime_dir / "codec")]
    return [[javac, "-d", "{target}/runtime", "-encoding", "UTF-8", "-nowarn", *client],
            [javac, "-d", "{target}/codec", "-encoding", "UTF-8", "-nowarn", "-classpath", os.pathsep.join(jars),
             *codec]]


def codec_path(entry: str, jars: list[str]) -> str:
    return os.pathsep.join([os.path.join(entry, "codec"), *jars])
