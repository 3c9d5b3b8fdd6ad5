"""A Java function's environment plan (for engine/environment_planner.py, Qt-free): the runtime client
compiled once per JDK into the cache, the function's sources compiled when they changed (content-addressed),
and the class path the runtime client loads the function from."""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..core.function.code_fingerprint import code_fingerprint
from ..core.function.function_config import FunctionConfig
from ..core.child.built_environment import BuildFailure
from ..core.child.interpreter_choice import Interpreter
from ..core.java.class_path import customer_class_path
from ..core.java.compile_errors import COMPILE_ERROR_TYPE, with_columns
from ..core.java.deployment_package import is_java_package, package_key, unpack_command
from ..core.java.jdk_choice import javac_of
from ..core.java.maven_class_path import (CLASS_PATH_FILE, MAVEN_GOAL, build_classpath_command, maven_failure,
                                          maven_key, read_class_path)
from ..core.java.project_layout import JavaProject, detect_project, javac_command, sources_key
from ..core.java.runtime_client import (JACKSON_PACKAGE, api_key, codec_path, jackson_jars, runtime_build_commands,
                                        runtime_key)
from ..resources import runtime_path
from ..core.vocabulary import ErrorType
from ..core.child.dependency_cache import ENTRY_FILE

# The variable the runtime client reads its customer class path from.
CLASS_PATH_VARIABLE = "_LAMBDA_WORKBENCH_JAVA_CLASSPATH"


@dataclass
class JavaPlan:
    project: JavaProject
    runtime_entry: Path
    jackson: list[str]
    compiled: Path | None = None
    """The function's compiled classes (None when it has nothing to compile)."""
    maven_entry: Path | None = None
    """A Maven project's resolved class path (its cache entry), and the marker of a failed resolution."""
    maven_marker: Path | None = None
    awaiting_step: bool = False
    """A step decides what comes next (the package's contents, Maven's class path): the build plans again."""
    task_root: str | None = None
    """The unpacked deployment package, when the code is one."""
    notices: tuple[str, ...] = ()
    """WARNING lines for the log before START (Maven could not resolve the class path)."""


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
    plan = JavaPlan(detect_project(config.code_dir), runtime_entry, jackson)
    code_dir = config.code_dir
    if is_java_package(code_dir):
        # A built package: unpacked once per content, and that folder is the task root (Lambda's /var/task).
        entry = root / "java-package" / package_key(code_dir)
        if not (entry / ENTRY_FILE).is_file():
            plan.awaiting_step = True
            return plan, steps + [step_type(f"unpacking {os.path.basename(code_dir)} of {config.name} (the "
                                            "deployment package, as Lambda unpacks it)", entry,
                                            [unpack_command(code_dir)], json.dumps({"package": code_dir,
                                                                                    "built_at": time.time()}))], None
        plan.task_root = code_dir = str(entry / "task")
        plan.project = detect_project(code_dir)
    mvn = shutil.which("mvn", path=host_env.get("PATH")) if plan.project.kind == "maven" else None
    if mvn is not None:
        step = _maven_class_path(plan, root, config.name, code_dir, mvn, step_type)
        if step is not None:
            return plan, steps + [step], None
    project = plan.project
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


def _maven_class_path(plan: JavaPlan, root: Path, name: str, code_dir: str, mvn: str, step_type):
    """The project's jars as Maven resolved them, or the fallback with Maven's reason; else the step that asks
    Maven (then the compile waits for its answer)."""
    pom = os.path.join(code_dir, "pom.xml")
    plan.maven_entry = root / "maven-classpath" / maven_key(pom, mvn)
    plan.maven_marker = plan.maven_entry.parent / f"{plan.maven_entry.name}.failed"
    if (plan.maven_entry / ENTRY_FILE).is_file():
        text = (plan.maven_entry / CLASS_PATH_FILE).read_text(encoding="utf-8", errors="replace")
        plan.project = detect_project(code_dir, read_class_path(text))
        return None
    if plan.maven_marker.is_file():
        problem = plan.maven_marker.read_text(encoding="utf-8", errors="replace").strip()
        plan.project = detect_project(code_dir, None, problem or "Maven failed")
        plan.notices = (f"WARNING: {MAVEN_GOAL} could not resolve the dependencies of {name} offline; it runs "
                        f"with {plan.project.description.split(', ', 1)[-1]}. Fill ~/.m2 (`mvn dependency:resolve` "
                        "online) and rebuild the environment to use Maven's.",)
        return None
    step = step_type(f"resolving the Maven class path of {name} ({MAVEN_GOAL})", plan.maven_entry,
                     [build_classpath_command(mvn, pom)], json.dumps({"pom": pom, "built_at": time.time()}),
                     fatal=False, marker=plan.maven_marker)
    step.failure_text = maven_failure
    plan.awaiting_step = True
    return step


def java_stamp(config: FunctionConfig) -> tuple:
    """What a ready Java environment depends on besides the config: its sources and jars."""
    return (code_fingerprint(config.code_dir),)


def java_variables(plan: JavaPlan, opt_dir: str | None) -> tuple[list[tuple[str, str]], tuple[str, str]]:
    """The runtime's variables (the customer class path) and its (runtime classes, codec path)."""
    classes = ((str(plan.compiled),) if plan.compiled else ()) + plan.project.classes
    path = customer_class_path(classes, plan.project.jars, opt_dir)
    runtime = (str(plan.runtime_entry / "runtime"), codec_path(str(plan.runtime_entry), plan.jackson))
    variables = [(CLASS_PATH_VARIABLE, os.pathsep.join(path))]
    if plan.task_root:
        variables.append(("LAMBDA_TASK_ROOT", plan.task_root))
    return variables, runtime
