"""Java cold and warm starts beside their floors, measured in the same run.

    .venv/bin/python scripts/bench_java.py [--repeat 7] [--warm 200] [--memory 1024]

  cold   a new environment (JVM start, the runtime client, Jackson, the handler class) through the engine,
         wall time from invoke to finished, against the floor: `java -cp ... HelloMain EVENT` with the same
         JVM options doing the same work (read the event with Jackson, call the handler, write the JSON)
  warm   the median warm invoke of the Java function against the same for a Python function (goal: within 2x)
Medians of REPEAT cold starts and WARM warm calls; the figures depend on the machine's load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QEventLoop  # noqa: E402

from workbench.core.function.function_config import FunctionConfig  # noqa: E402
from workbench.core.java.jvm_options import jvm_options  # noqa: E402
from workbench.core.java.runtime_client import jackson_jars  # noqa: E402
from workbench.engine.engine import Engine, InvokeOptions  # noqa: E402

HELLO = """\
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

public class Hello implements RequestHandler<Map<String, String>, String> {
    public String handleRequest(Map<String, String> event, Context context) {
        return "Hello, " + event.get("name");
    }
}
"""
# The floor: the same work with no runtime around it.
HELLO_MAIN = """\
package example;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

public class HelloMain {
    public static void main(String[] args) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, String> event = mapper.readValue(args[0], mapper.getTypeFactory()
                .constructMapType(Map.class, String.class, String.class));
        System.out.println(mapper.writeValueAsString("Hello, " + event.get("name")));
    }
}
"""
PYTHON = "def handler(event, context):\n    return 'Hello, ' + event['name']\n"


def _call(engine: Engine, config: FunctionConfig, cold: bool) -> float:
    loop = QEventLoop()
    started = time.perf_counter()
    invocation = engine.invoke(config, {"name": "Ada"}, InvokeOptions(cold=cold))
    results = []
    invocation.finished.connect(lambda result: (results.append(result), loop.quit()))
    loop.exec()
    elapsed = (time.perf_counter() - started) * 1000
    if results[0].payload != b'"Hello, Ada"':
        raise SystemExit(f"unexpected answer: {results[0].payload!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--warm", type=int, default=200)
    parser.add_argument("--memory", type=int, default=1024)
    args = parser.parse_args()
    app = QCoreApplication([])  # noqa: F841
    work = Path(tempfile.mkdtemp(prefix="bench-java-"))
    (work / "java" / "example").mkdir(parents=True)
    (work / "java" / "example" / "Hello.java").write_text(HELLO)
    (work / "floor" / "example").mkdir(parents=True)
    (work / "floor" / "example" / "HelloMain.java").write_text(HELLO_MAIN)
    (work / "python").mkdir()
    (work / "python" / "app.py").write_text(PYTHON)
    jars = os.pathsep.join(jackson_jars(dict(os.environ)))
    subprocess.run(["javac", "-d", str(work / "floor" / "classes"), "-cp", jars,
                    str(work / "floor" / "example" / "HelloMain.java")], check=True)
    java = FunctionConfig("bench-java", "example.Hello", "java17", str(work / "java"), memory_mb=args.memory,
                          timeout_s=30)
    python = FunctionConfig("bench-python", "app.handler", "python3.12", str(work / "python"),
                            memory_mb=args.memory, interpreter=sys.executable)
    engine = Engine()
    _call(engine, java, True)  # builds the runtime client and the function once
    cold = [_call(engine, java, True) for _ in range(args.repeat)]
    floor_command = ["java", *jvm_options(args.memory), "-cp", os.pathsep.join([str(work / "floor" / "classes"), jars]),
                     "example.HelloMain", '{"name": "Ada"}']
    floor = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        subprocess.run(floor_command, check=True, capture_output=True)
        floor.append((time.perf_counter() - started) * 1000)
    java_warm = [_call(engine, java, False) for _ in range(args.warm)]
    _call(engine, python, True)
    python_warm = [_call(engine, python, False) for _ in range(args.warm)]
    engine.shutdown()
    cold_ms, floor_ms = statistics.median(cold), statistics.median(floor)
    java_ms, python_ms = statistics.median(java_warm), statistics.median(python_warm)
    print(f"memory {args.memory} MB, {args.repeat} cold starts, {args.warm} warm calls each (medians)")
    print(f"cold  workbench java17 {cold_ms:8.1f} ms   floor `java -cp ... HelloMain` {floor_ms:8.1f} ms"
          f"   ratio {cold_ms / floor_ms:.2f}x")
    print(f"warm  java17           {java_ms:8.2f} ms   python3.12                     {python_ms:8.2f} ms"
          f"   ratio {java_ms / python_ms:.2f}x")


if __name__ == "__main__":
    main()
