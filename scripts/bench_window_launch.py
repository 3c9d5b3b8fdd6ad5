"""How fast the window opens with the workspace's local AWS services started at launch, beside the same launch
with them off (offscreen, the bundled sample, each launch a process of its own, the two taking turns).

    .venv/bin/python scripts/bench_window_launch.py [--rounds 6]

Prints each side's launch-to-usable times (process start to the window shown with its workspace open and the
event loop idle) and their medians. The services host starts in the background: the window should not wait.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

ONE_LAUNCH = r"""
import os, sys, tempfile, time
start = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication
from workbench.app import create_window
from workbench.core.workspace.sample_workspace import ensure_sample_workspace
from workbench.engine.services_host import stop_host
app = QApplication(sys.argv[:1])
scratch = tempfile.mkdtemp(prefix="workbench-launch-")
window = create_window(str(ensure_sample_workspace(__import__("pathlib").Path(scratch))),
                       QSettings(os.path.join(scratch, "settings.ini"), QSettings.Format.IniFormat))
loop = QEventLoop()
QTimer.singleShot(0, loop.quit)  # the first turn of an idle loop: the window is painted and answers
loop.exec()
print(f"{(time.perf_counter() - start) * 1000:.1f}")
window.session.shutdown()
window.aws.close()
stop_host(window.workspace.folder)
"""


def launch(services: bool) -> float:
    env = {**os.environ, "LAMBDA_WORKBENCH_SERVICES_AT_LAUNCH": "1" if services else "0"}
    done = subprocess.run([sys.executable, "-c", ONE_LAUNCH], env=env, capture_output=True, text=True, timeout=120,
                          cwd=tempfile.gettempdir())
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    launch(False)  # a first launch warms the disk cache for both sides
    on, off = [], []
    for _ in range(args.rounds):
        off.append(launch(False))
        on.append(launch(True))
    print(f"local services off: {', '.join(f'{t:.0f}' for t in off)} ms; median {statistics.median(off):.0f} ms")
    print(f"local services on:  {', '.join(f'{t:.0f}' for t in on)} ms; median {statistics.median(on):.0f} ms")
    print(f"on / off: {statistics.median(on) / statistics.median(off):.2f}x")


if __name__ == "__main__":
    main()
