"""A Maven project's dependency jars as Maven itself resolves them: `mvn -o dependency:build-classpath`
(offline: the jars already in the local repository, ~/.m2), run once per pom.xml as an environment build
step. When Maven cannot resolve offline (an empty ~/.m2, a plugin never downloaded), the project falls back
to the jars it carries (target/dependency, lib/) and the build log says so."""

from __future__ import annotations

import hashlib
import os
import re

CLASS_PATH_FILE = "classpath.txt"
MAVEN_GOAL = "`mvn -o dependency:build-classpath`"
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def maven_key(pom: str, mvn: str) -> str:
    """Changes with the pom.xml and the Maven used (the jars a version names do not change in ~/.m2)."""
    digest = hashlib.sha256(os.path.realpath(mvn).encode() + b"\0")
    with open(pom, "rb") as source:
        digest.update(source.read())
    return digest.hexdigest()[:24]


def build_classpath_command(mvn: str, pom: str) -> list[str]:
    """Maven, offline and quiet, writing the runtime class path (compile and runtime scopes: what a deployment
    package carries) into {target}/classpath.txt."""
    return [mvn, "-o", "-q", "-B", "-Dstyle.color=never", "-f", pom, "dependency:build-classpath",
            f"-Dmdep.outputFile={{target}}/{CLASS_PATH_FILE}", "-Dmdep.includeScope=runtime"]


def read_class_path(text: str) -> tuple[str, ...]:
    """The entries of the file Maven wrote (one line, separated by the platform's path separator)."""
    return tuple(part.strip() for part in text.strip().split(os.pathsep) if part.strip())


def maven_failure(output: str) -> str:
    """The line that says why Maven failed: its first [ERROR] line without the prefix (the ones after it
    are advice on re-running with -e and -X), else its last line."""
    lines = [_COLOUR.sub("", line).strip() for line in output.splitlines()]
    errors = [line[len("[ERROR]"):].strip() for line in lines if line.startswith("[ERROR]")]
    errors = [line for line in errors if line]
    if errors:
        return errors[0]
    rest = [line for line in lines if line]
    return rest[-1] if rest else "Maven failed"
