"""The JVM command line Lambda's Java runtimes start with, per runtime and memory size.

From the java17 runtime's own process listing (JAVA.md §1): `-XX:MaxHeapSize=891289k` at 1,024 MB (85 %,
rounded down), Serial GC, class data sharing, tiered compilation stopped at level 1 (doc "Customize Java
runtime startup behavior for Lambda functions": java17, java21 and java25 on demand), `--add-opens` so the
runtime can open its log descriptor, and the JVM's error file on stderr.
"""

from __future__ import annotations

HEAP_SHARE_PERCENT = 85
MAIN_CLASS = "lambdaworkbench.runtime.Bootstrap"
CODEC_PATH_PROPERTY = "lambdaworkbench.codec.path"


def max_heap_kb(memory_mb: int) -> int:
    """MaxHeapSize in KB: 85 % of the memory size, rounded down (1,024 MB -> 891289k as on Lambda)."""
    return memory_mb * 1024 * HEAP_SHARE_PERCENT // 100


def jvm_options(memory_mb: int) -> tuple[str, ...]:
    """The options before the class path, for java17, java21 and java25 (the same on all three)."""
    return (f"-XX:MaxHeapSize={max_heap_kb(memory_mb)}k", "-XX:+UseSerialGC", "-Xshare:auto",
            "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "-XX:+ErrorFileToStderr")


def debug_options(port: int) -> tuple[str, ...]:
    """The JVM waits for a debugger on 127.0.0.1:port before running anything (JDWP, suspend=y)."""
    return (f"-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,quiet=y,address=127.0.0.1:{port}",)


def java_arguments(memory_mb: int, runtime_classes: str, codec_path: str, handler: str,
                   debug_port: int | None = None) -> tuple[str, ...]:
    """Everything after `java`: options, the runtime's class path, its main class and the handler."""
    debug = debug_options(debug_port) if debug_port else ()
    return (*jvm_options(memory_mb), *debug, f"-D{CODEC_PATH_PROPERTY}={codec_path}", "-classpath", runtime_classes,
            MAIN_CLASS, handler)


def attach_snippet(port: int) -> str:
    """What to tell the user once the JVM waits for a debugger: jdb's command and an IDE's attach setting."""
    return (f"Java is waiting for a debugger on 127.0.0.1:{port} (JDWP). Attach with `jdb -attach 127.0.0.1:{port}`, "
            f"IntelliJ IDEA's Remote JVM Debug (host 127.0.0.1, port {port}), or VS Code: "
            f'{{"type": "java", "request": "attach", "name": "Lambda", "hostName": "127.0.0.1", "port": {port}}}')
