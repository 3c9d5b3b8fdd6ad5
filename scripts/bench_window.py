"""The window under a flood of logs, and how fast it opens (offscreen, real engine, real window).

    .venv/bin/python scripts/bench_window.py [--lines 100000]

Prints: time from launch to a usable window; for a handler that prints N lines, the handler's own run
time (its REPORT Duration), the time until the last line is on screen, and the longest event-loop stall
(gaps of a 1 ms timer) while it streams. Figures vary with the machine's load: compare, don't assert.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
LAUNCH = time.perf_counter()

from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

FLOOD = """import sys
def lambda_handler(event, context):
    write = sys.stdout.write
    for i in range({lines}):
        write(f"line {{i}} of the flood: some ordinary log text with a number {{i * 7}}\\n")
    return {{"lines": {lines}}}
"""


class StallWatch:
    """A 1 ms repeating timer; the longest gap between its ticks is the longest the loop was blocked."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer = QTimer(interval=1, timeout=self._tick)

    def start(self) -> None:
        self.clock.start()
        self.longest = 0
        self.timer.start()

    def _tick(self) -> None:
        self.longest = max(self.longest, self.clock.restart())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    from workbench.app import create_window
    from workbench.core.workspace.sample_workspace import ensure_sample_workspace

    scratch = Path(tempfile.mkdtemp(prefix="workbench-bench-"))
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    workspace = ensure_sample_workspace(scratch)
    (workspace / "order_confirmation" / "lambda_function.py").write_text(FLOOD.format(lines=args.lines))
    window = create_window(str(workspace), settings)
    app.processEvents()
    launch_ms = (time.perf_counter() - LAUNCH) * 1000

    window.function_settings.set_config(window.function.config.__class__(
        **{**window.function.config.__dict__, "timeout_s": 60, "memory_mb": 1024}))
    window._on_config_changed(window.function_settings.config())
    watch = StallWatch()
    loop = QEventLoop()
    results = []
    shown_at = []

    def last_line_visible() -> None:
        if window.log_panel.line_count() >= args.lines + 3 and window.log_panel.is_caught_up():
            shown_at.append(time.perf_counter())
            loop.quit()
        else:
            QTimer.singleShot(5, last_line_visible)

    window.run_finished.connect(lambda record: (results.append(record.result), last_line_visible()))
    watch.start()
    begin = time.perf_counter()
    window.run()
    QTimer.singleShot(120_000, loop.quit)
    loop.exec()
    watch.timer.stop()
    result = results[0]
    print(f"launch to usable window:              {launch_ms:8.0f} ms")
    print(f"handler's own run time (Duration):    {result.duration_ms:8.0f} ms   ({args.lines:,} lines)")
    print(f"run pressed to last line on screen:   {(shown_at[0] - begin) * 1000 if shown_at else float('nan'):8.0f} ms")
    print(f"longest event-loop stall meanwhile:   {watch.longest:8d} ms   (goal: under 50 ms)")
    print(f"lines kept in the full log:           {window.log_panel.line_count():8,d}")
    window.session.shutdown()


if __name__ == "__main__":
    main()
