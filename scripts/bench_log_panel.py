"""Stream 100,000 log lines from a child process into a shown LogPanel and print the longest event-loop stall.

Usage: .venv/bin/python scripts/bench_log_panel.py [--lines N] [--runs R]
Runs offscreen unless QT_QPA_PLATFORM is set. Prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import codecs
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QProcess, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

from workbench.ui.logs.log_panel import LogPanel  # noqa: E402

# A handler-like stream: mostly INFO lines, now and then a warning or an error with a traceback.
CHILD = r"""
import sys
n = int(sys.argv[1])
w = sys.stdout.write
w("START RequestId: 6f1c2b0e-1a2b-4c3d-8e9f-001122334455 Version: $LATEST\n")
for i in range(n):
    if i % 997 == 0:
        w("[ERROR] ValueError: bad item %d\rTraceback (most recent call last):\r"
          "\u00a0\u00a0File \"/var/task/app.py\", line 9, in handler\r\u00a0\u00a0\u00a0\u00a0raise ValueError(i)\n" % i)
    elif i % 331 == 0:
        w("[WARNING]\t2026-05-09T07:35:25.123Z\t6f1c2b0e-1a2b-4c3d-8e9f-001122334455\tslow item %d\n" % i)
    else:
        w("[INFO]\t2026-05-09T07:35:25.123Z\t6f1c2b0e-1a2b-4c3d-8e9f-001122334455\tprocessed item %d of the batch\n" % i)
w("END RequestId: 6f1c2b0e-1a2b-4c3d-8e9f-001122334455\n")
"""


def run_once(app: QApplication, panel: LogPanel, lines: int) -> tuple[float, float]:
    panel.clear()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    tail = [""]
    gaps = [0.0]
    last = [time.perf_counter()]
    process = QProcess()
    loop = QEventLoop()
    count_label = panel.findChild(QLabel, "log_count_label")
    expected = f" {lines + 2:,} lines"

    def read() -> None:
        text = tail[0] + decoder.decode(bytes(process.readAllStandardOutput().data()))
        parts = text.split("\n")
        tail[0] = parts.pop()
        if parts:
            panel.append_lines(parts)

    def watch() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
        # Done when the child has exited and the count shows every line: then the view holds them too.
        if process.state() == QProcess.ProcessState.NotRunning and count_label.text().endswith(expected):
            loop.quit()

    watcher = QTimer(timerType=Qt.TimerType.PreciseTimer, interval=1)
    watcher.timeout.connect(watch)
    process.readyReadStandardOutput.connect(read)
    process.finished.connect(read)
    start = time.perf_counter()
    watcher.start()
    process.start(sys.executable, ["-c", CHILD, str(lines)])
    loop.exec()
    elapsed = time.perf_counter() - start
    watcher.stop()
    return max(gaps) * 1000, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    app = QApplication(sys.argv)
    panel = LogPanel()
    panel.resize(1100, 420)
    panel.show()
    app.processEvents()
    for run in range(args.runs):
        stall, elapsed = run_once(app, panel, args.lines)
        print(f"run {run + 1}: {args.lines:,} lines, longest event-loop stall {stall:.1f} ms, "
              f"all shown after {elapsed:.2f} s")


if __name__ == "__main__":
    main()
