"""What a Java function's code folder holds and how it becomes classes: a Maven project (pom.xml), a Gradle
project (build.gradle), a folder of .java sources, or classes already built (a deployment package's
layout: classes at the root, jars in lib/).

Sources are compiled by the workbench (an environment build, content-addressed: an unchanged source tree
is never compiled again); Maven's and Gradle's own outputs are used when there are no sources to compile.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from .class_path import sorted_jars
from .maven_class_path import MAVEN_GOAL

# Folders that never hold a function's sources: build outputs, tools' state, version control.
SKIPPED_FOLDERS = frozenset({"target", "build", "out", "bin", ".gradle", ".mvn", ".idea", ".git", ".workbench",
                             ".aws-sam", "node_modules", "lib"})
COMPILED_ENTRY_FILE = "sources.txt"


@dataclass(frozen=True)
class JavaProject:
    kind: str
    """"maven", "gradle", "sources" or "classes"."""
    source_root: str | None
    """The folder whose .java files are compiled (None: nothing to compile)."""
    sources: tuple[str, ...]
    """The .java files, relative to source_root, sorted."""
    classes: tuple[str, ...]
    """Folders of classes and resources after the compiled classes, in class path order."""
    jars: tuple[str, ...]
    """The function's own jars, in class path order."""
    description: str
    """One line for the log: what was found and what is used."""


def _java_sources(root: str) -> list[str]:
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders
                               if name not in SKIPPED_FOLDERS and not name.startswith("."))
        found += [os.path.relpath(os.path.join(folder, name), root) for name in files if name.endswith(".java")]
    return sorted(found)


def detect_project(code_dir: str, dependency_jars: tuple[str, ...] | None = None,
                   maven_problem: str | None = None) -> JavaProject:
    """The project in code_dir. dependency_jars: a Maven project's resolved class path (from `mvn -o
    dependency:build-classpath`), when it could be resolved; maven_problem: why it could not (the fallback
    says so)."""
    def inside(*parts: str) -> str:
        return os.path.join(code_dir, *parts)

    lib_jars = tuple(sorted_jars(inside("lib")))
    if os.path.isfile(inside("pom.xml")):
        sources_root = inside("src", "main", "java")
        sources = _java_sources(sources_root) if os.path.isdir(sources_root) else []
        resources = [path for path in (inside("src", "main", "resources"),) if os.path.isdir(path)]
        if dependency_jars is not None:
            jars, where = dependency_jars, "its dependencies from `mvn -o dependency:build-classpath`"
        elif sorted_jars(inside("target", "dependency")):
            jars, where = tuple(sorted_jars(inside("target", "dependency"))), "target/dependency/*.jar"
        else:
            jars, where = lib_jars, "lib/*.jar" if lib_jars else "no dependency jars"
        if dependency_jars is None and maven_problem:
            reason = maven_problem if len(maven_problem) <= 300 else maven_problem[:299] + "…"
            where += f" ({MAVEN_GOAL} failed: {reason})"
        if sources:
            return JavaProject("maven", sources_root, tuple(sources), tuple(resources), jars,
                               f"Maven project: src/main/java compiled here, {where}")
        return JavaProject("maven", None, (), (inside("target", "classes"),), jars,
                           f"Maven project: target/classes, {where}")
    gradle = any(os.path.isfile(inside(name)) for name in ("build.gradle", "build.gradle.kts"))
    if gradle:
        sources_root = inside("src", "main", "java")
        sources = _java_sources(sources_root) if os.path.isdir(sources_root) else []
        jars = tuple(sorted_jars(inside("build", "dependencies"))) or lib_jars
        if sources:
            resources = [path for path in (inside("src", "main", "resources"),) if os.path.isdir(path)]
            return JavaProject("gradle", sources_root, tuple(sources), tuple(resources), jars,
                               "Gradle project: src/main/java compiled here, lib/*.jar")
        return JavaProject("gradle", None, (), (inside("build", "classes", "java", "main"),
                                                inside("build", "resources", "main")), jars,
                           "Gradle project: build/classes/java/main")
    sources = _java_sources(code_dir)
    if sources:
        return JavaProject("sources", code_dir, tuple(sources), (code_dir,), lib_jars,
                           f"{len(sources)} .java file{'s' if len(sources) != 1 else ''} compiled here")
    return JavaProject("classes", None, (), (code_dir,), lib_jars, "classes as deployed (the folder and lib/*.jar)")


def sources_key(project: JavaProject, jdk_version: str, api_key: str) -> str:
    """The compiled-classes cache key: every source file's path and bytes, the jars compiled against, the
    JDK and the runtime API."""
    digest = hashlib.sha256(f"{jdk_version}\0{api_key}\0".encode())
    for jar in project.jars:
        try:
            status = os.stat(jar)
            digest.update(f"{jar}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
        except OSError:
            digest.update(f"{jar}\0missing\0".encode())
    for relative in project.sources:
        digest.update(relative.encode() + b"\0")
        try:
            with open(os.path.join(project.source_root, relative), "rb") as source:
                digest.update(hashlib.sha256(source.read()).digest())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()[:32]


def javac_command(javac: str, project: JavaProject, api_classes: str, target: str) -> list[str]:
    """javac over the project's sources into target, against the runtime API and the project's jars; the
    file list goes in an argument file beside the output (compiled from the source root, so messages name
    files relative to it)."""
    class_path = os.pathsep.join([api_classes, *project.jars])
    return [javac, "-d", target, "-encoding", "UTF-8", "-g", "-implicit:none",
            "-sourcepath", project.source_root, "-classpath", class_path,
            *[os.path.join(project.source_root, relative) for relative in project.sources]]
