"""The function's class path in the order Lambda's Java runtime builds its customer class loader
(CustomerClassLoader): the task root as a folder, its lib/*.jar, then the layers' java/lib/*.jar, each
folder's jars sorted by name, only names ending in .jar. The runtime's own classes come before all of
them (parent first), so a function's own copy of aws-lambda-java-core is shadowed, as on Lambda."""

from __future__ import annotations

import os


def sorted_jars(folder: str) -> list[str]:
    try:
        names = sorted(name for name in os.listdir(folder) if name.endswith(".jar"))
    except OSError:
        return []
    return [os.path.join(folder, name) for name in names if os.path.isfile(os.path.join(folder, name))]


def customer_class_path(classes: tuple[str, ...], jars: tuple[str, ...], opt_dir: str | None) -> list[str]:
    """classes: the folders of the function's classes (the task root, or its compiled classes); jars: its
    own jars in order; then /opt/java/lib's jars (the merged layers)."""
    path = list(classes) + list(jars)
    if opt_dir:
        path += sorted_jars(os.path.join(opt_dir, "java", "lib"))
    return path
