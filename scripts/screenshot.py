"""Render the window after a run of the sample to a PNG (offscreen; no display needed).

    .venv/bin/python scripts/screenshot.py [OUT.png] [--theme light|dark] [--preset NAME] [--size WxH]
                                           [--tab Response|Summary|Dependencies]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from workbench.app import create_window  # noqa: E402
from workbench.core.workspace.sample_workspace import ensure_sample_workspace  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="docs/window.png")
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    parser.add_argument("--preset", default="new-order")
    parser.add_argument("--size", default="1400x880", help="window size, e.g. 1024x700")
    parser.add_argument("--tab", default=None, help="the result tab to show after the run")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    scratch = Path(tempfile.mkdtemp(prefix="workbench-shot-"))
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("view/theme", args.theme)
    workspace = ensure_sample_workspace(scratch)
    window = create_window(str(workspace), settings)
    width, height = (int(part) for part in args.size.split("x"))
    window.resize(width, height)
    presets = {p.name: p for p in window.presets.presets()}
    window.preset_picker.set_presets(list(presets.values()), args.preset)
    window.presets.load(presets[args.preset])
    loop = QEventLoop()
    window.run_finished.connect(lambda _result: QTimer.singleShot(300, loop.quit))
    QTimer.singleShot(200, window.run)
    QTimer.singleShot(20000, loop.quit)
    loop.exec()
    if args.tab:
        tabs = window.panes.result_tabs
        tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == args.tab))
    app.processEvents()
    window.grab().save(args.out)
    print(f"wrote {args.out}")
    window.session.shutdown()


if __name__ == "__main__":
    main()
