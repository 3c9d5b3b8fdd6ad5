"""A Java function's environment plan (for engine/environment_planner.py, Qt-free): the runtime client
compiled once per JDK into the cache, the function's sources compiled when they changed (content-addressed),
and the class path the runtime client loads the function from."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..core.function.code_fingerprint import code_fingerprint
from ..core.function.function_config import FunctionConfig
from ..core.child.built_environment import BuildFailure
from ..core.child.interpreter_choice import Interpreter
from ..core.java.class_path import customer_class_path
from ..core.java.compile_errors import COMPILE_ERROR_TYPE, with_columns
from ..core.java.jdk_choice import javac_of
from ..core.java.project_layout import JavaProject, detect_project, javac_command, sources_key
from ..core.java.runtime_client import (JACKSON_PACKAGE, api_key, codec_path, jackson_jars, runtime_build_commands,
                                        runtime_key)
from ..resources import runtime_path
from ..core.vocabulary import ErrorType

# The variable the runtime client reads its customer class path from.
CLASS_PATH_VARIABLE = "_LAMBDA_WORKBENCH_JAVA_CLASSPATH"


@dataclass
class JavaPlan:
    project: JavaProject
    runtime_entry: Path
    jackson: list[str]
    compiled: Path | None = None
    """The function's compiled classes (None when it has nothing to compile)."""


def plan_java(root: Path, config: FunctionConfig, interpreter: Interpreter, host_env: dict[str, str],
              step_type) -> tuple[JavaPlan | None, list, BuildFailure | None]:
    """(the plan, the build steps still to run, or a failure no build can fix)."""
    javac = javac_of(interpreter)
    if javac is None:
        return None, [], BuildFailure(ErrorType.INVALID_ENTRYPOINT, f"{interpreter.path} has no javac beside it: "
                                      "install a JDK (for example `apt-get install openjdk-17-jdk-headless`), not "
                                      "only a JRE.")
    jackson = jackson_jars(host_env)
    if jackson is None:
        return None, [], BuildFailure(ErrorType.INVALID_ENTRYPOINT, "Jackson's jars are not in /usr/share/java: the "
                                      f"Java runtime needs them (`apt-get install {JACKSON_PACKAGE}`, or set "
                                      "LAMBDA_WORKBENCH_JACKSON_DIR to a folder with jackson-databind.jar, "
                                      "jackson-core.jar and jackson-annotations.jar).")
    java_dir = runtime_path("java")
    runtime_entry = root / "java-runtime" / runtime_key(java_dir, interpreter.version)
    steps = []
    if not (runtime_entry / "runtime").is_dir():
        steps.append(step_type(f"compiling the Java runtime client for Java {interpreter.version}", runtime_entry,
                               runtime_build_commands(javac, java_dir, jackson),
                               json.dumps({"jdk": interpreter.path, "built_at": time.time()})))
    project = detect_project(config.code_dir)
    plan = JavaPlan(project, runtime_entry, jackson)
    if project.source_root is not None:
        key = sources_key(project, interpreter.version, api_key(java_dir))
        plan.compiled = root / "java-classes" / key
        if not plan.compiled.is_dir():
            count = len(project.sources)
            step = step_type(f"compiling {count} Java source file{'s' if count != 1 else ''} of {config.name} "
                             f"({project.description})", plan.compiled,
                             [javac_command(javac, project, str(runtime_entry / "runtime"), "{target}")],
                             json.dumps({"sources": list(project.sources), "built_at": time.time()}))
            step.failure_type = COMPILE_ERROR_TYPE
            step.failure_text = with_columns
            step.whole_output = True
            steps.append(step)
    return plan, steps, None


def java_stamp(config: FunctionConfig) -> tuple:
    """What a ready Java environment depends on besides the config: its sources and jars."""
    return (code_fingerprint(config.code_dir),)


def java_variables(plan: JavaPlan, opt_dir: str | None) -> tuple[list[tuple[str, str]], tuple[str, str]]:
    """The runtime's variables (the customer class path) and its (runtime classes, codec path)."""
    classes = ((str(plan.compiled),) if plan.compiled else ()) + plan.project.classes
    path = customer_class_path(classes, plan.project.jars, opt_dir)
    runtime = (str(plan.runtime_entry / "runtime"), codec_path(str(plan.runtime_entry), plan.jackson))
    return [(CLASS_PATH_VARIABLE, os.pathsep.join(path))], runtime
