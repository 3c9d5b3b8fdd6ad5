"""The Java rules without a JVM: Lambda's JVM options, the JDK choice and its warning, the handler string,
the class path order and project layouts."""

import os
from pathlib import Path

from workbench.core.function.function_config import FunctionConfig, validate_config
from workbench.core.java.class_path import customer_class_path
from workbench.core.java.compile_errors import with_columns
from workbench.core.java.handler_string import parse_java_handler
from workbench.core.java.jdk_choice import choose_jdk, jdk_warning
from workbench.core.java.jvm_options import java_arguments, max_heap_kb
from workbench.core.java.project_layout import detect_project
from workbench.core.child.runtime_launch import LaunchError, launch_command


def test_heap_is_85_percent_of_memory_rounded_down_as_on_lambda():
    assert max_heap_kb(1024) == 891289  # the java17 runtime's own process listing
    assert max_heap_kb(128) == 111411


def test_java_command_line_has_lambdas_options():
    arguments = java_arguments(512, "/rt", "/codec", "example.Hello::handle")
    assert arguments[:5] == ("-XX:MaxHeapSize=445644k", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:+TieredCompilation",
                             "-XX:TieredStopAtLevel=1")
    assert "--add-opens=java.base/java.io=ALL-UNNAMED" in arguments
    assert arguments[-5:] == ("-Dlambdaworkbench.codec.path=/codec", "-classpath", "/rt",
                              "lambdaworkbench.runtime.Bootstrap", "example.Hello::handle")
    assert arguments[-2:] == ("lambdaworkbench.runtime.Bootstrap", "example.Hello::handle")


def test_java_runtimes_are_valid():
    for runtime in ("java17", "java21", "java25"):
        assert validate_config(FunctionConfig("f", "example.Hello", runtime, "/tmp")) == []


def _fake_jdk(root: Path, name: str, version: str) -> Path:
    home = root / name
    (home / "bin").mkdir(parents=True)
    for tool in ("java", "javac"):
        (home / "bin" / tool).write_text("#!/bin/sh\n")
        (home / "bin" / tool).chmod(0o755)
    (home / "release").write_text(f'IMPLEMENTOR="Test"\nJAVA_VERSION="{version}"\n')
    return home


def test_jdk_choice_prefers_the_runtimes_major_then_the_nearest_with_a_warning(tmp_path):
    jdk17 = _fake_jdk(tmp_path, "jdk-17", "17.0.15")
    jdk25 = _fake_jdk(tmp_path, "jdk-25", "25.0.3")
    env = {"HOME": str(tmp_path / "home"), "PATH": f"{jdk17 / 'bin'}{os.pathsep}{jdk25 / 'bin'}"}
    exact = choose_jdk("java17", None, env)
    assert exact.path == str(jdk17 / "bin" / "java") and exact.matches and jdk_warning(exact) is None
    nearest = choose_jdk("java21", None, env)  # 17 and 25 are as far: the newer one
    assert nearest.version == "25.0.3" and not nearest.matches
    assert jdk_warning(nearest).startswith("WARNING: java21 requested; running on Java 25.0.3")
    assert "no JDK 21 found" in jdk_warning(nearest)
    configured = choose_jdk("java21", str(jdk17), env)
    assert configured.source == "configured" and configured.version == "17.0.15"


def test_no_jdk_is_a_clear_launch_error(tmp_path):
    config = FunctionConfig("f", "example.Hello", "java21", str(tmp_path))
    try:
        launch_command(config, "/rt", environment=None)
    except LaunchError as error:
        assert error.error_type == "Runtime.InvalidEntrypoint"
        assert "No JDK found to run java21" in error.message
    else:
        raise AssertionError("expected a LaunchError")


def test_handler_string_splits_at_the_last_double_colon():
    assert parse_java_handler("example.Hello").method is None
    handler = parse_java_handler("a.B::c::handle")
    assert (handler.class_name, handler.method) == ("a.B::c", "handle")
    assert parse_java_handler("example.Hello::") is None and parse_java_handler("::handle") is None


def test_class_path_order_is_task_root_lib_jars_sorted_then_layers(tmp_path):
    opt = tmp_path / "opt"
    (opt / "java" / "lib").mkdir(parents=True)
    for name in ("z.jar", "a.jar", "notes.txt"):
        (opt / "java" / "lib" / name).write_text("")
    path = customer_class_path(("/task",), ("/task/lib/b.jar", "/task/lib/c.jar"), str(opt))
    assert path == ["/task", "/task/lib/b.jar", "/task/lib/c.jar", str(opt / "java/lib/a.jar"),
                    str(opt / "java/lib/z.jar")]


def test_project_layouts(tmp_path):
    plain = tmp_path / "plain"
    (plain / "lib").mkdir(parents=True)
    (plain / "lib" / "b.jar").write_text("")
    (plain / "lib" / "a.jar").write_text("")
    (plain / "example").mkdir()
    (plain / "example" / "Hello.java").write_text("")
    project = detect_project(str(plain))
    assert project.kind == "sources" and project.sources == ("example/Hello.java",)
    assert project.jars == (str(plain / "lib" / "a.jar"), str(plain / "lib" / "b.jar"))
    built = tmp_path / "built"
    (built / "target" / "classes").mkdir(parents=True)
    (built / "pom.xml").write_text("<project/>")
    maven = detect_project(str(built))
    assert maven.kind == "maven" and maven.source_root is None
    assert maven.classes == (str(built / "target" / "classes"),)
    deployed = tmp_path / "deployed"
    (deployed / "example").mkdir(parents=True)
    (deployed / "example" / "Hello.class").write_bytes(b"")
    assert detect_project(str(deployed)).kind == "classes"


def test_javac_columns_come_from_the_caret():
    output = ("/w/example/Hello.java:9:  error: cannot find symbol\n"
              "        return GREETING + nmae;\n"
              "                          ^\n"
              "  symbol:   variable nmae\n1 error")
    output = output.replace(":9:  error", ":9: error")
    assert with_columns(output).splitlines()[0] == "/w/example/Hello.java:9:27: error: cannot find symbol"


def test_debug_port_makes_the_jvm_wait_for_a_debugger():
    from workbench.core.java.jvm_options import attach_snippet

    arguments = java_arguments(1024, "/rt", "/codec", "example.Hello", debug_port=5005)
    assert "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,quiet=y,address=127.0.0.1:5005" in arguments
    assert arguments.index("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,quiet=y,address=127.0.0.1:5005") \
        < arguments.index("lambdaworkbench.runtime.Bootstrap")
    assert "jdb -attach 127.0.0.1:5005" in attach_snippet(5005)
