"""A Java function's code given as its built deployment package, as Lambda takes one: a .zip with the
classes at its root and dependency jars in lib/, or a .jar (a fat jar: classes and its dependencies'
classes at the root). Lambda unpacks the package into the task root (/var/task); here it is unpacked once
per content into the cache, and that folder is the task root."""

from __future__ import annotations

import hashlib
import os
import sys

PACKAGE_SUFFIXES = (".jar", ".zip")


def is_java_package(path: str) -> bool:
    return os.path.isfile(path) and path.lower().endswith(PACKAGE_SUFFIXES)


def package_key(path: str) -> str:
    """Changes with the package's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as package:
        for block in iter(lambda: package.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:24]


def unpack_command(path: str) -> list[str]:
    """Python's own zipfile unpacking the package into {target}/task (a jar is a zip)."""
    return [sys.executable, "-m", "zipfile", "-e", path, "{target}/task"]
