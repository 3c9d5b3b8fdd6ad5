"""A debugged call's overhead against a plain one, measured side by side in one run.

    .venv/bin/python scripts/bench_debug.py [--warm N] [--cold N]

Python (debugpy) and Node.js (the inspector, when `node` is installed): a plain warm call, a debugged
warm call (a breakpoint set in a line the handler never runs; the workbench's debugger stays attached to
the warm environment between debugged calls, as in the window), a plain cold call and a debugged cold call
(the debugger loaded before init, attached, configured). Figures are the medians of the call's wall time
as the caller sees it (invoke to finished), and the REPORT's Duration (running time). This machine is noisy:
read the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
import shutil

from PySide6.QtCore import QCoreApplication, QEventLoop

from workbench.core.debugging.debug_model import Breakpoint, DebugRequest
from workbench.core.function.function_config import FunctionConfig
from workbench.engine.engine import Engine, InvokeOptions

PY = "def handler(event, context):\n    total = sum(range(1000))\n    return {'total': total}\n\n\ndef never():\n    return 1\n"
JS = "export const handler = async () => ({ total: 499500 });\n\nexport function never() {\n  return 1;\n}\n"


def call(engine: Engine, config: FunctionConfig, debug: DebugRequest | None, cold: bool) -> tuple[float, float]:
    started = time.perf_counter()
    invocation = engine.invoke(config, {}, InvokeOptions(cold=cold, debug=debug))
    loop = QEventLoop()
    invocation.finished.connect(loop.quit)
    loop.exec()
    wall_ms = (time.perf_counter() - started) * 1000
    assert invocation.result.succeeded, invocation.result.payload
    return wall_ms, invocation.result.duration_ms


def measure(engine, config, debug, cold, count) -> tuple[float, float]:
    if not cold:
        call(engine, config, debug, cold=False)  # the environment (and, debugged, its debugger) loaded first
    figures = [call(engine, config, debug, cold) for _ in range(count)]
    return statistics.median(f[0] for f in figures), statistics.median(f[1] for f in figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=20)
    parser.add_argument("--cold", type=int, default=5)
    args = parser.parse_args()
    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 - kept alive for the loop
    folder = Path(tempfile.mkdtemp(prefix="bench-debug-"))
    (folder / "app.py").write_text(PY)
    (folder / "app.mjs").write_text(JS)
    functions = [("python3.12", "app.py", 7)]
    if shutil.which("node"):
        functions.append(("nodejs20.x", "app.mjs", 5))
    print(f"{'runtime':<12}{'call':<6}{'plain ms':>10}{'debug ms':>10}{'ratio':>8}{'Duration plain/debug':>24}")
    try:
        for runtime, file, never_line in functions:
            debug = DebugRequest((Breakpoint(str(folder / file), never_line),))
            for cold, count in ((False, args.warm), (True, args.cold)):
                engine = Engine()
                try:
                    name = f"bench-{runtime.replace('.', '')}"
                    config = FunctionConfig(name=name, handler="app.handler", runtime=runtime, code_dir=str(folder),
                                            timeout_s=30)
                    plain = measure(engine, config, None, cold, count)
                finally:
                    engine.shutdown()
                engine = Engine()
                try:
                    debugged = measure(engine, config, debug, cold, count)
                finally:
                    engine.shutdown()
                print(f"{runtime:<12}{'cold' if cold else 'warm':<6}{plain[0]:>10.1f}{debugged[0]:>10.1f}"
                      f"{debugged[0] / plain[0]:>7.1f}x{plain[1]:>12.2f} / {debugged[1]:.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
