"""A Java handler string as Lambda's Java runtime reads it: `pkg.Class::method` or `pkg.Class`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JavaHandler:
    class_name: str
    method: str | None
    """None for the class form (RequestHandler or RequestStreamHandler)."""


def parse_java_handler(handler: str) -> JavaHandler | None:
    """Split at the last `::` (HandlerInfo.fromString); None when the class or the method is empty, which
    the runtime reports as "Invalid handler"."""
    split = handler.rfind("::")
    class_name, method = (handler, None) if split < 0 else (handler[:split], handler[split + 2:])
    if not class_name or method == "":
        return None
    return JavaHandler(class_name, method)


def source_file_of(handler: JavaHandler) -> str:
    """The source file a class is declared in by convention: `example/Hello.java` for example.Hello (a
    nested class `a.B$C` lives in a/B.java)."""
    return handler.class_name.split("$")[0].replace(".", "/") + ".java"
