"""Renders the Triggers panel over a real services host with some activity, at given sizes and themes.

    .venv/bin/python scripts/screenshot_triggers.py OUT_DIR [--size 1024x700]... [--theme light|dark]...
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import textwrap
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from PySide6.QtWidgets import QApplication  # noqa: E402

from test_triggers_host import HANDLERS, TEMPLATE  # noqa: E402
from trigger_host import serve_and_host  # noqa: E402
from workbench.engine.triggers_watch import TriggersWatch  # noqa: E402
from workbench.ui.theme import apply_theme  # noqa: E402
from workbench.ui.triggers_panel import TriggersPanel  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--size", action="append")
    parser.add_argument("--theme", action="append", choices=("light", "dark"))
    args = parser.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    workspace = Path(tempfile.mkdtemp(prefix="workbench-triggers-shot-"))
    (workspace / "template.yaml").write_text(TEMPLATE)
    (workspace / "src").mkdir()
    (workspace / "src" / "app.py").write_text(textwrap.dedent(HANDLERS))
    served, host = serve_and_host(workspace, "--retry-delay-scale", "0.001")
    try:
        sqs = host.client("sqs")
        url = sqs.get_queue_url(QueueName="jobs")["QueueUrl"]
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "order 1"},
                                                      {"Id": "b", "MessageBody": "please fail"}])
        host.client("s3").put_object(Bucket="uploads", Key="orders/1.json", Body=b"{}")
        host.client("s3").put_object(Bucket="uploads", Key="uploads/a.txt", Body=b"x")
        host.client("dynamodb").put_item(TableName="Orders", Item={"id": {"S": "o-1"}})
        host.client("dynamodb").put_item(TableName="Orders", Item={"id": {"S": "o-2"}, "poison": {"BOOL": True}})
        time.sleep(3)
        for theme in args.theme or ["light", "dark"]:
            apply_theme(theme)
            for size in args.size or ["1024x700", "1600x1000"]:
                width, height = (int(n) for n in size.split("x"))
                panel = TriggersPanel()
                watch = TriggersWatch(workspace)
                watch.snapshot.connect(panel.show_snapshot)
                panel.resize(width, height)
                panel.show()
                watch.start()
                deadline = time.time() + 10
                while panel.entries.rowCount() < 4 and time.time() < deadline:
                    app.processEvents()
                    time.sleep(0.02)
                panel.triggers.selectRow(1)
                panel.entries.selectRow(0)
                app.processEvents()
                path = out / f"triggers-{size}-{theme}.png"
                panel.grab().save(str(path))
                print(f"wrote {path}")
                watch.stop()
                panel.deleteLater()
                app.processEvents()
    finally:
        served.stop()
        host.stop()


if __name__ == "__main__":
    main()
