"""Render the History dock after real runs of the sample: the run list, Compare and the charts (offscreen).

    .venv/bin/python scripts/screenshot_history.py [--out-dir docs] [--theme light|dark] [--size 1400x880]

Runs the sample's presets through the window (recorded by the run session as any run is), edits the
handler once (a cold start: code changed) and raises the memory size once (cold: configuration changed),
then writes history.png (a past run selected), compare.png and charts.png.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from workbench.app import create_window  # noqa: E402
from workbench.core.workspace.sample_workspace import ensure_sample_workspace  # noqa: E402


def run_preset(window, name: str) -> None:
    presets = {p.name: p for p in window.presets.presets()}
    window.preset_picker.set_presets(list(presets.values()), name)
    window.presets.load(presets[name])
    loop = QEventLoop()
    window.run_finished.connect(loop.quit)
    QTimer.singleShot(0, window.run)
    QTimer.singleShot(20000, loop.quit)
    loop.exec()
    window.run_finished.disconnect(loop.quit)


def settle(app, ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out-dir", default="docs")
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    parser.add_argument("--size", default="1400x880")
    parser.add_argument("--suffix", default="", help="added to each file name, e.g. -dark")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    app = QApplication(sys.argv[:1])
    scratch = Path(tempfile.mkdtemp(prefix="workbench-shot-history-"))
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("view/theme", args.theme)
    workspace = ensure_sample_workspace(scratch)
    window = create_window(str(workspace), settings)
    window.resize(width, height)
    window.show()
    window.resizeDocks([window.history], [int(height * 0.36)], Qt.Orientation.Vertical)

    for name in ("new-order", "new-order", "big-order", "missing-email", "new-order"):
        run_preset(window, name)
    handler = Path(window.function.config.code_dir) / "lambda_function.py"
    handler.write_text(handler.read_text().replace('"message": f"Thank you', '"message": f"Thanks'))
    for name in ("new-order", "big-order"):
        run_preset(window, name)
    window.function_settings.set_config(dataclasses.replace(window.function.config, memory_mb=512))
    window._on_config_changed(dataclasses.replace(window.function.config, memory_mb=512))
    for name in ("new-order", "new-order", "big-order", "new-order"):
        run_preset(window, name)

    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    store = window.run_history.store
    runs = store.list(limit=100)[::-1]  # oldest first
    window.history.tabs.setCurrentWidget(window.history.panel)
    window.history.panel.select_run(runs[5].id)  # the first run after the code edit, shown as a past run
    settle(app)
    window.grab().save(str(out / f"history{args.suffix}.png"))
    window.history.compare_runs(runs[4].id, runs[5].id)
    settle(app)
    window.grab().save(str(out / f"compare{args.suffix}.png"))
    window.history.panel.select_run(runs[-1].id)
    window.history.show_charts()
    settle(app, 500)
    window.grab().save(str(out / f"charts{args.suffix}.png"))
    print(f"wrote {out}/history{args.suffix}.png, compare{args.suffix}.png, charts{args.suffix}.png "
          f"({len(runs)} runs)")
    window.session.shutdown()


if __name__ == "__main__":
    main()
