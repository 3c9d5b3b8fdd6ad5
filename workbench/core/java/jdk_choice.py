"""Which JDK runs a Java function: one of the runtime's major version when this machine has one, else the
nearest (the newer on a tie), with a warning that says so, as for Python and Node.js.

Looked through: the function's interpreter setting (a `java` or a JDK folder), JAVA_HOME, `java` on PATH,
/usr/lib/jvm, SDKMAN's and IntelliJ's JDK folders. A JDK's version is read from its `release` file, so
choosing one starts nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..child.interpreter_choice import Interpreter

JAVA_RUNTIME = re.compile(r"java(\d+)$")
SEARCHED = "searched JAVA_HOME, PATH, /usr/lib/jvm, SDKMAN and ~/.jdks"


def runtime_major(runtime: str) -> int:
    """21 for java21."""
    match = JAVA_RUNTIME.match(runtime)
    if not match:
        raise ValueError(f"{runtime} is not a Java runtime")
    return int(match.group(1))


def jdk_version(home: str) -> str | None:
    """JAVA_VERSION from a JDK's release file ("17.0.15"), None when it has none."""
    try:
        text = Path(home, "release").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = re.search(r'^JAVA_VERSION="([^"]+)"', text, re.MULTILINE)
    return match.group(1) if match else None


def version_major(version: str) -> int:
    """17 for "17.0.15", 8 for "1.8.0_392"."""
    parts = version.split(".")
    return int(parts[1]) if parts[0] == "1" and len(parts) > 1 else int(re.match(r"\d+", parts[0]).group(0))


def jdk_home_of(path: str) -> str | None:
    """The JDK folder of a `java` program or of a folder given as the JDK itself."""
    real = os.path.realpath(path)
    for home in (real, os.path.dirname(os.path.dirname(real))):
        if os.path.isfile(os.path.join(home, "bin", "java")) and jdk_version(home):
            return home
    return None


def jdk_candidates(env: dict[str, str]) -> list[tuple[str, str]]:
    """(JDK folder, where it was found), each folder once, in the order they are preferred."""
    home = Path(env.get("HOME") or Path.home())
    found: list[tuple[str, str]] = []
    if env.get("JAVA_HOME"):
        found.append((env["JAVA_HOME"], "JAVA_HOME"))
    for folder in (env.get("PATH") or "").split(os.pathsep):
        if folder and os.path.isfile(os.path.join(folder, "java")):
            found.append((os.path.join(folder, "java"), "PATH"))
    for root, source in ((Path("/usr/lib/jvm"), "/usr/lib/jvm"), (home / ".sdkman" / "candidates" / "java", "SDKMAN"),
                         (home / ".jdks", "~/.jdks")):
        try:
            folders = sorted(root.iterdir())
        except OSError:
            continue
        found += [(str(folder), source) for folder in folders if folder.name != "current"]
    seen: set[str] = set()
    jdks = []
    for path, source in found:
        jdk = jdk_home_of(path)
        if jdk is not None and jdk not in seen:
            seen.add(jdk)
            jdks.append((jdk, source))
    return jdks


def choose_jdk(runtime: str, configured: str | None, env: dict[str, str]) -> Interpreter | None:
    """The JDK for a Java function as an Interpreter whose path is its `java`; None when there is none."""
    wanted = runtime_major(runtime)
    if configured:
        jdk = jdk_home_of(configured)
        if jdk is None:
            return None
        version = jdk_version(jdk)
        return Interpreter(runtime, os.path.join(jdk, "bin", "java"), version, "configured",
                           version_major(version) == wanted, "the function's interpreter is set")
    jdks = [(jdk, source, jdk_version(jdk)) for jdk, source in jdk_candidates(env)]
    if not jdks:
        return None
    # The runtime's major version first, then the nearest, the newer on a tie.
    jdk, source, version = min(jdks, key=lambda item: (abs(version_major(item[2]) - wanted),
                                                       -version_major(item[2])))
    return Interpreter(runtime, os.path.join(jdk, "bin", "java"), version, source,
                       version_major(version) == wanted, SEARCHED)


def jdk_warning(interpreter: Interpreter) -> str | None:
    """The WARNING line shown before START when the JDK's major version is not the runtime's."""
    if interpreter.matches:
        return None
    wanted = runtime_major(interpreter.requested)
    return (f"WARNING: {interpreter.requested} requested; running on Java {interpreter.version} "
            f"({os.path.dirname(os.path.dirname(interpreter.path))}): no JDK {wanted} found ({interpreter.searched}). "
            f"Install one (for example `apt-get install openjdk-{wanted}-jdk-headless` or `sdk install java "
            f"{wanted}-tem`), or set the function's interpreter to its java.")


def javac_of(interpreter: Interpreter) -> str | None:
    """The JDK's javac, None for a runtime-only JRE."""
    javac = os.path.join(os.path.dirname(interpreter.path), "javac")
    return javac if os.path.isfile(javac) and os.access(javac, os.X_OK) else None
