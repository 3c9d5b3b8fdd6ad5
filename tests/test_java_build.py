"""From Java sources to a run: a folder of .java files compiled on the first call (only when they
changed), a compile error named by file, line and column, a Maven layout with its dependency jars."""

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from java_functions import java_config, require_jdk
from workbench.core.function.invocation_result import Status
from workbench.core.function.stack_frames import failing_location

HELLO = """\
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

public class Hello implements RequestHandler<String, String> {
    @Override
    public String handleRequest(String name, Context context) {
        return GREETING + name;
    }

    static final String GREETING = "Hello, ";
}
"""


@pytest.fixture(autouse=True)
def _jdk():
    require_jdk()


def _write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _build_lines(ran):
    return [line for line in ran.lines if line.startswith("[build]")]


def test_sources_compile_once_and_again_after_an_edit(tmp_path, run):
    source = _write(tmp_path, "example/Hello.java", HELLO)
    config = java_config(tmp_path, "example.Hello")
    first = run(config, b'"Ada"')
    assert first.result.payload == b'"Hello, Ada"'
    assert any("compiling 1 Java source file" in line for line in _build_lines(first))
    again = run(config, b'"Bob"')
    assert again.result.payload == b'"Hello, Bob"' and again.cold is False and not _build_lines(again)
    source.write_text(HELLO.replace("Hello, ", "Hi, "))
    edited = run(config, b'"Cy"')
    assert edited.result.payload == b'"Hi, Cy"'
    assert edited.cold is True and any("compiling" in line for line in _build_lines(edited))


def test_a_compile_error_names_file_line_and_column(tmp_path, run):
    source = _write(tmp_path, "example/Hello.java", HELLO.replace("GREETING + name", "GREETING + nmae"))
    ran = run(java_config(tmp_path, "example.Hello"), b'"Ada"')
    assert ran.result.status is Status.ERROR
    assert ran.result.error_type == "Java.CompilationError"
    message = ran.result.error_document()["errorMessage"]
    assert f"{source}:9:27: error: cannot find symbol" in message
    path, location = failing_location([message], tmp_path)
    assert (path, location.line, location.column) == (source.resolve(), 9, 27)


def test_a_java_stack_frame_points_at_its_source(tmp_path):
    """The raising frame of a Java error body resolves to the workspace file by its package folder."""
    source = _write(tmp_path, "src/main/java/example/Handlers.java", "class Handlers {}\n")
    path, location = failing_location(["example.Handlers.boom(Handlers.java:35)",
                                       "java.base/java.lang.reflect.Method.invoke(Method.java:569)"], tmp_path)
    assert (path, location.line) == (source.resolve(), 35)


def test_the_java_error_mark_takes_the_innermost_workspace_frame(tmp_path):
    """Java traces list the failing frame first: with two workspace frames, the mark goes to the one that
    threw (Repository.save), not to the handler that called it; Python's outermost-first rule is kept."""
    _write(tmp_path, "example/Handlers.java", "class Handlers {}\n")
    repository = _write(tmp_path, "example/Repository.java", "class Repository {}\n")
    frames = ["example.Repository.save(Repository.java:12)", "example.Handlers.handle(Handlers.java:30)",
              "java.base/java.lang.reflect.Method.invoke(Method.java:569)"]
    path, location = failing_location([*frames, "table missing"], tmp_path)
    assert (path, location.line) == (repository.resolve(), 12)
    app = _write(tmp_path, "app.py", "x = 1\n")
    _write(tmp_path, "lib.py", "y = 1\n")
    python = [f'  File "{tmp_path}/lib.py", line 3, in save', f'  File "{app}", line 7, in handler']
    assert failing_location(python[::-1], tmp_path)[1].line == 3


def _dependency_jar(tmp_path: Path) -> Path:
    """A real jar, built here offline with the JDK's javac and jar."""
    work = tmp_path / "dependency"
    _write(work / "src", "com/acme/Tax.java", textwrap.dedent("""\
        package com.acme;

        public final class Tax {
            public static long withTax(long cents) { return cents * 120 / 100; }
        }
        """))
    subprocess.run(["javac", "-d", str(work / "classes"), str(work / "src/com/acme/Tax.java")], check=True)
    jar = work / "acme-tax-1.0.jar"
    subprocess.run(["jar", "cf", str(jar), "-C", str(work / "classes"), "."], check=True)
    return jar


def test_maven_project_with_its_dependency_jars(tmp_path, run):
    project = tmp_path / "orders"
    _write(project, "pom.xml", "<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId>"
                               "<artifactId>orders</artifactId><version>1</version></project>\n")
    _write(project, "src/main/java/example/Total.java", textwrap.dedent("""\
        package example;

        import java.util.Map;

        public class Total {
            public long handle(Map<String, Long> event) {
                return com.acme.Tax.withTax(event.get("cents"));
            }
        }
        """))
    _write(project, "src/main/resources/settings.properties", "currency=EUR\n")
    (project / "target" / "dependency").mkdir(parents=True)
    _dependency_jar(tmp_path).rename(project / "target" / "dependency" / "acme-tax-1.0.jar")
    ran = run(java_config(project, "example.Total::handle"), {"cents": 1000})
    assert ran.result.payload == b"1200"
    assert any("Maven project: src/main/java compiled here, target/dependency/*.jar" in line
               for line in _build_lines(ran))


def test_new_java_function_starter_runs(tmp_path, run):
    """File > New Function with java21: the starter class at its package's path, its handler found, run."""
    from workbench.core.function.new_function import create_function, handler_file

    config = create_function(tmp_path, "Starter", "java21", "example.Handler::handleRequest")
    assert handler_file(config.code_dir, config.handler) == tmp_path / "example" / "Handler.java"
    ran = run(config.__class__(**{**config.__dict__, "memory_mb": 1024, "timeout_s": 20}), {"a": 1})
    assert ran.result.status is Status.SUCCESS, ran.text
    assert json.loads(ran.result.payload) in ({"statusCode": 200, "body": "Hello from Lambda!"},
                                              {"body": "Hello from Lambda!", "statusCode": 200})
    assert "Received event with 1 keys" in ran.lines


def test_maven_project_asks_maven_offline_then_falls_back_to_lib(tmp_path, run, engine, qtbot):
    """`mvn -o dependency:build-classpath` is asked first; where Maven cannot resolve offline (an empty or
    partial ~/.m2, as on this machine and a fresh CI one) the project runs with its lib/*.jar, and the build
    log says which and why, in Maven's own words. Maven is asked once per pom.xml, and again on Rebuild."""
    if shutil.which("mvn") is None:
        pytest.skip("no Maven on this machine")
    project = tmp_path / "orders"
    _write(project, "pom.xml", textwrap.dedent("""\
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>example</groupId><artifactId>orders</artifactId><version>1</version>
          <dependencies>
            <dependency><groupId>com.acme</groupId><artifactId>acme-tax</artifactId><version>1.0</version></dependency>
          </dependencies>
        </project>
        """))
    _write(project, "src/main/java/example/Total.java", textwrap.dedent("""\
        package example;

        import java.util.Map;

        public class Total {
            public long handle(Map<String, Long> event) {
                return com.acme.Tax.withTax(event.get("cents"));
            }
        }
        """))
    (project / "lib").mkdir()
    _dependency_jar(tmp_path).rename(project / "lib" / "acme-tax-1.0.jar")
    config = java_config(project, "example.Total::handle")
    ran = run(config, {"cents": 1000})
    assert ran.result.payload == b"1200", ran.text
    build = _build_lines(ran)
    assert "[build] resolving the Maven class path of java-fn (`mvn -o dependency:build-classpath`)" in build
    resolved = not any(line.startswith("WARNING: `mvn -o dependency:build-classpath` could not resolve")
                       for line in ran.lines)
    compile_line = next(line for line in build if "compiling 1 Java source file" in line)
    if resolved:  # a machine whose ~/.m2 holds the plugin and com.acme:acme-tax
        assert "its dependencies from `mvn -o dependency:build-classpath`" in compile_line
    else:
        warning = next(line for line in ran.lines if line.startswith("WARNING: `mvn -o dependency:build-classpath`"))
        assert "the dependencies of java-fn offline; it runs with lib/*.jar (" in warning
        assert ran.lines.index(warning) < next(i for i, line in enumerate(ran.lines) if line.startswith("START "))
        assert "Maven project: src/main/java compiled here, lib/*.jar (`mvn -o dependency:build-classpath` " \
               "failed: " in compile_line
    (project / "src/main/java/example/Total.java").write_text(
        (project / "src/main/java/example/Total.java").read_text().replace("withTax(", "withTax(2 * "))
    again = run(config, {"cents": 1000})
    assert again.result.payload == b"2400"
    assert not any("resolving the Maven class path" in line for line in _build_lines(again))
    output = []
    build = engine.builder.rebuild(config)
    build.output.connect(output.extend)
    with qtbot.waitSignal(build.finished, timeout=60_000):
        pass
    assert "[build] resolving the Maven class path of java-fn (`mvn -o dependency:build-classpath`)" in output


TOTAL = """\
package example;

import java.util.Map;

public class Total {
    public long handle(Map<String, Long> event) {
        return com.acme.Tax.withTax(event.get("cents")) + OFFSET;
    }

    static final long OFFSET = 0;
}
"""


def _package(tmp_path: Path, kind: str, offset: int = 0) -> Path:
    """A deployment package built here with javac and jar: a zip (classes at the root, the dependency in
    lib/) or a fat jar (the dependency's classes at the root too)."""
    work = tmp_path / f"build-{kind}-{offset}"
    source = _write(work / "src", "example/Total.java", TOTAL.replace("OFFSET = 0", f"OFFSET = {offset}"))
    dependency = _dependency_jar(work)
    classes = work / "classes"
    subprocess.run(["javac", "-d", str(classes), "-cp", str(dependency), str(source)], check=True)
    if kind == "zip":
        (classes / "lib").mkdir()
        shutil.copy(dependency, classes / "lib" / dependency.name)
        package = work / "orders.zip"
        shutil.make_archive(str(package.with_suffix("")), "zip", classes)
    else:
        subprocess.run(["jar", "xf", str(dependency)], cwd=classes, check=True)
        package = work / "orders.jar"
        subprocess.run(["jar", "cf", str(package), "-C", str(classes), "."], check=True)
    return package


@pytest.mark.parametrize("kind", ["zip", "jar"])
def test_a_built_package_as_code_uri(tmp_path, run, kind):
    """CodeUri at a built .zip (classes at the root, lib/*.jar) or a fat .jar: unpacked as Lambda unpacks it
    (once per content), its folder the task root and the working directory; a rebuilt package is a cold start
    with the new code."""
    from workbench.core.workspace.workspace import load_workspace

    target = tmp_path / "target"
    target.mkdir()
    package = target / f"orders.{kind}"
    shutil.copy(_package(tmp_path, kind), package)
    (tmp_path / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
        f"  Orders:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: target/orders.{kind}\n"
        "      Handler: example.Total::handle\n      Runtime: java21\n      MemorySize: 1024\n      Timeout: 20\n")
    function = load_workspace(str(tmp_path)).function("Orders")
    assert function.runnable, function.not_runnable_reason
    config = function.config
    ran = run(config, {"cents": 1000})
    assert ran.result.payload == b"1200", ran.text
    assert any(f"unpacking orders.{kind} of Orders" in line for line in _build_lines(ran))
    warm = run(config, {"cents": 500})
    assert warm.result.payload == b"600" and warm.cold is False and not _build_lines(warm)
    shutil.copy(_package(tmp_path, kind, offset=7), package)
    rebuilt = run(config, {"cents": 1000})
    assert rebuilt.result.payload == b"1207" and rebuilt.cold is True
