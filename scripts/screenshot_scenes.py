"""Render screens of the window in given states, sizes and themes to PNGs (offscreen; no display needed).

    .venv/bin/python scripts/screenshot_scenes.py OUT_DIR [--scene NAME]... [--size 1024x700]... [--theme light|dark]...
    .venv/bin/python scripts/screenshot_scenes.py docs --docs     # the README's pictures

Each scene sets the window up as a user would reach it (the sample workspace, a run, a bar
opened) and writes OUT_DIR/<scene>-<size>-<theme>.png. With no --scene, every scene.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from workbench.app import create_window  # noqa: E402
from workbench.engine.services_host import stop_host  # noqa: E402
from workbench.core.workspace.sample_workspace import ensure_sample_workspace  # noqa: E402


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _run(window) -> None:
    loop = QEventLoop()
    window.run_finished.connect(lambda _record: QTimer.singleShot(300, loop.quit))
    QTimer.singleShot(100, window.run)
    QTimer.singleShot(20000, loop.quit)
    loop.exec()


def scene_find(window) -> QWidget:
    """The handler's tab with Find and Replace open on a term, and the event's find bar."""
    frame = window.tabs.current_frame()
    frame.open_replace()
    frame.find_bar.find_field.setText("_require")
    frame.find_bar.replace_field.setText("_need")
    event_frame = window.event_editor.frame
    event_frame.open_find()
    event_frame.find_bar.find_field.setText("price")
    return window


def scene_go_to_line(window) -> QWidget:
    """The handler's tab with Go to Line open."""
    window.tabs.current_frame().open_go_to_line()
    return window


def scene_run(window) -> QWidget:
    """The window after a run of the sample's first preset."""
    _run(window)
    return window


def scene_streamed(window) -> QWidget:
    """The Response panel during a streamed call: the pieces so far and their timeline."""
    from workbench.core.streaming.streamed_response import StreamPiece

    window.panes.result_tabs.setCurrentWidget(window.response_panel)
    window.response_panel.show_running()
    for number, at_ms in enumerate((3.2, 180.5, 402.9, 655.0, 901.7, 1210.4)):
        text = f"data: token {number} of a streamed answer\n" * (1 + number % 3)
        window.response_panel.append_piece(StreamPiece(text.encode(), at_ms, "text/event-stream"))
    return window


def scene_outside_edit(window) -> QWidget:
    """The handler edited here and changed by another editor: the tab asks, with the difference."""
    path = window.tabs.current_path()
    window.tabs.editor_for(path).textCursor().insertText("# my unsaved line\n")
    path.write_text(path.read_text().replace("import json", "import json  # changed elsewhere"))
    _wait(600)
    return window


def scene_preview_tab(window) -> QWidget:
    """The tree after one click on workbench.json: it shows in the preview tab (italic), next to the handler."""
    tree, model = window.tree, window.tree.model()
    path = str(window.workspace.folder / "workbench.json")
    for _ in range(40):
        if tree.visualRect(model.index(path)).isValid():
            break
        _wait(50)
    tree.setCurrentIndex(model.index(path))
    tree.clicked.emit(model.index(path))
    return window


def scene_empty_folder(window) -> QWidget:
    """An empty folder: the placeholder function and, with no file to open, what to do next."""
    folder = Path(tempfile.mkdtemp(prefix="workbench-empty-")) / "new-project"
    folder.mkdir()
    window.open_workspace(folder)
    for path in window.tabs.open_paths():
        window.tabs.close_file(path)
    return window


def scene_new_function(window) -> QWidget:
    """File > New Function: a custom runtime chosen, and a code folder outside the workspace refused."""
    from workbench.ui.new_function_dialog import NewFunctionDialog

    dialog = NewFunctionDialog(window, set(window.workspace.function_names))
    dialog.name.setText("ShellReport")
    dialog.runtime.setCurrentText("provided.al2023")
    dialog.folder.setText("../reports")
    dialog.show()
    return dialog


def scene_preview_beside(window) -> QWidget:
    """A preview tab that is not the current one, between ordinary tabs, and the tree with a folder open."""
    tree, model = window.tree, window.tree.model()
    folder = window.workspace.folder
    window.open_file(str(folder / "template.yaml")) if (folder / "template.yaml").is_file() else None
    window.open_file(str(folder / "workbench.json"), preview=True)
    window.open_file(str(folder / "order_confirmation_node" / "index.mjs"))
    tree.expand(model.index(str(folder / "order_confirmation")))
    _wait(300)
    return window


def scene_template_dialog(window) -> QWidget:
    """New Event from Template: searched for "s3", S3 put chosen, its parameters as fields."""
    from workbench.ui.event_template_dialog import EventTemplateDialog

    dialog = EventTemplateDialog(window)
    dialog.resize(min(980, window.width() - 40), min(600, window.height() - 60))
    dialog.show()
    dialog.search.setText("s3")
    dialog.select("s3", "put")
    return dialog


def scene_new_preset(window) -> QWidget:
    """The window after choosing the S3 put template: a new, unsaved preset named s3-put."""
    from workbench.core.workspace.event_templates import render_event

    window.presets.start_new("s3-put", render_event("s3", "put"))
    return window


def scene_two_runs(window) -> QWidget:
    """Two runs: the first folded to its START and REPORT, the second open; the decoded body shown."""
    _run(window)
    _run(window)
    window.response_panel.show_decoded_body(True)
    return window


def scene_function_logs(window) -> QWidget:
    """Each function its own log: Python's filtered to "Item" at INFO+, Node run at WARN+, then back on Python."""
    from PySide6.QtWidgets import QComboBox, QLineEdit, QToolButton

    panel = window.log_panel
    search, level = panel.findChild(QLineEdit, "log_search"), panel.findChild(QComboBox, "log_level")
    _run(window)
    _run(window)
    search.setText("Item")
    panel.findChild(QToolButton, "log_filter").click()
    level.setCurrentIndex(level.findData("INFO"))
    window.toolbar.function_combo.setCurrentText("OrderConfirmationNode")
    _run(window)
    level.setCurrentIndex(level.findData("WARN"))
    window.toolbar.function_combo.setCurrentText("OrderConfirmation")
    _wait(100)
    return window


def scene_logging_settings(window) -> QWidget:
    """A SAM project whose LoggingConfig comes from Globals and the function: JSON records after a run, and
    each logging field saying where its value came from."""
    import textwrap

    folder = Path(tempfile.mkdtemp(prefix="workbench-logging-")) / "orders"
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "app.py").write_text(textwrap.dedent("""\
        import logging
        logger = logging.getLogger()

        def handler(event, context):
            logger.debug("checking the order")
            logger.info("order accepted")
            logger.warning("stock low\\nreorder soon")
            return {"ok": True}
        """))
    (folder / "template.yaml").write_text(textwrap.dedent("""\
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function:
            Timeout: 10
            LoggingConfig:
              LogFormat: JSON
              SystemLogLevel: INFO
        Resources:
          Orders:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              CodeUri: src
              LoggingConfig:
                ApplicationLogLevel: DEBUG
        """))
    window.open_workspace(folder)
    _run(window)
    return window


def scene_failure(window) -> QWidget:
    """The failing preset: the error in the Response panel, relative frames, the raising line marked."""
    from PySide6.QtWidgets import QComboBox

    # Chosen in the picker, as a user chooses it: the picker then names the preset the run used.
    combo = window.preset_picker.findChild(QComboBox)
    combo.setCurrentIndex(next(row for row in range(combo.count())
                               if getattr(combo.itemData(row), "name", None) == "missing-email"))
    _run(window)
    return window


def scene_syntax_error(window) -> QWidget:
    """A syntax error in the handler: the runtime's notice folded in the log, the line marked."""
    handler = window.tabs.current_path()
    handler.write_text(handler.read_text().replace("def lambda_handler(event, context):",
                                                   "def lambda_handler(event, context)"))
    _wait(400)
    _run(window)
    return window


def scene_serve(window) -> QWidget:
    """Serving the sample: an invoke, two POST /orders (one refused by the handler) and an unknown route."""
    import asyncio
    import http.client
    from urllib.parse import urlsplit

    import qasync

    from workbench.serve.server import ServeOptions

    def post(base, path, body):
        parts = urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        connection.request("POST", path, body=body)
        connection.getresponse().read()
        connection.close()

    controller = window.serve_controller
    controller.options = ServeOptions(lambda_port=0, api_port=0)
    order = (window.workspace.folder / "events" / "OrderConfirmation" / "new-order.json").read_bytes()
    shown = {}

    async def serve_some():
        await controller.start()
        server = controller.server
        await asyncio.to_thread(post, server.lambda_url, "/2015-03-31/functions/OrderConfirmation/invocations", order)
        for path, body in (("/orders", order), ("/orders", b'{"order_id": "X"}'), ("/nowhere", b"")):
            await asyncio.to_thread(post, server.api_url, path, body)
        await asyncio.sleep(0.3)
        shown["status"] = window.serve_panel.status.text()
        await controller.stop()

    loop = qasync.QEventLoop(QApplication.instance(), already_running=False)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(serve_some())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    # Pictured as it was while serving (the ports it had); the stop above only closes them before the picture.
    window.serve_panel.set_serving(True, shown["status"])
    window.panes.result_tabs.setCurrentWidget(window.serve_panel)
    return window


def scene_shortcuts(window) -> QWidget:
    """Help > Keyboard Shortcuts."""
    from workbench.ui.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog(window)
    dialog.show()
    return dialog


def scene_about(window) -> QWidget:
    """Help > About: version and where settings, data and caches live."""
    from workbench.ui.about_dialog import AboutDialog

    dialog = AboutDialog(window, window.workspace.folder)
    dialog.show()
    return dialog


def scene_tests(window) -> QWidget:
    """Run Tests with one expectation broken on purpose: the Tests panel, its failing row selected."""
    expectation = window.workspace.folder / "events" / "OrderConfirmation" / "new-order.expect.yaml"
    expectation.write_text(expectation.read_text().replace('"total": "59.99"', '"total": "59.90"'))
    loop = QEventLoop()
    window.tests_dock.tests.finished.connect(lambda _results: QTimer.singleShot(300, loop.quit))
    QTimer.singleShot(100, window.run_tests)
    QTimer.singleShot(30000, loop.quit)
    loop.exec()
    panel = window.tests_dock.panel
    failed = next(row for row in range(panel.model.rowCount()) if panel.model.state(row) == "failed")
    panel.select_row(failed)
    return window


def scene_triggers(window) -> QWidget:
    """The Triggers tab beside History: the sample's two triggers, a firing of each with its records' fates
    (as the host reports them), the stream firing selected."""
    import time as clock

    dock = window.triggers.dock
    window.history.show()
    dock.show()
    dock.raise_()
    now = clock.time()
    panel = window.triggers.panel
    panel.show_snapshot({"invoker": "http://127.0.0.1:40123", "problems": [], "triggers": [
        {"trigger": "OrderConfirmation.OrderPlaced", "function": "OrderConfirmation", "source": "dynamodb",
         "resource": "Orders", "enabled": True, "paused": False, "state": "idle"},
        {"trigger": "OrderConfirmationNode.OrderUploaded", "function": "OrderConfirmationNode", "source": "s3",
         "resource": "OrderUploads", "enabled": True, "paused": False, "state": "idle"}], "entries": [
        {"seq": 1, "time": now - 40, "trigger": "OrderConfirmationNode.OrderUploaded", "source": "s3",
         "kind": "not fired", "detail": "no rule matches: key `notes/readme.txt` does not start with `orders/`"},
        {"seq": 2, "time": now - 20, "trigger": "OrderConfirmationNode.OrderUploaded", "source": "s3",
         "kind": "fired", "detail": "succeeded", "requestId": "5d1c0f7e-3b7a-4a55-9d3e-0f1c2b3a4d5e",
         "attempt": 1, "outcome": "success", "records": [{"id": "OrderConfirmationNode.OrderUploaded",
                                                          "fate": "processed"}]},
        {"seq": 3, "time": now - 5, "trigger": "OrderConfirmation.OrderPlaced", "source": "dynamodb",
         "kind": "fired", "detail": "the call succeeded; batch succeeded", "action": "checkpoint",
         "requestId": "2f130966-fd7a-41db-8ce1-5966de1efa80", "outcome": "success",
         "batch": ["1100000000017454423009"], "records": [{"id": "1100000000017454423009", "fate": "processed"}]}]})
    panel.entries.selectRow(0)
    return window


def scene_tune(window) -> QWidget:
    """Tune Memory on big-order at four sizes, three calls each, after the sweep."""
    presets = {p.name: p for p in window.presets.presets()}
    window.preset_picker.set_presets(list(presets.values()), "big-order")
    window.presets.load(presets["big-order"])
    view = window.tune_memory()
    view.sizes_field.setText("128,512,1024,3008")
    view.runs_field.setValue(3)
    view.resize(window.width() - 40, window.height() - 40)
    loop = QEventLoop()
    view.sweep_finished.connect(lambda _figures: QTimer.singleShot(300, loop.quit))
    QTimer.singleShot(100, view.start)
    QTimer.singleShot(60000, loop.quit)
    loop.exec()
    return view


def scene_another_folder(window) -> QWidget:
    """File > Open Folder on a project with two functions, both handlers open: `app.py — fnA`, `app.py — fnB`."""

    folder = Path(tempfile.mkdtemp(prefix="workbench-shot-")) / "two-functions"
    functions = []
    for name in ("fnA", "fnB"):
        (folder / name).mkdir(parents=True)
        (folder / name / "app.py").write_text(f"def handler(event, context):\n    return {{'from': '{name}'}}\n")
        functions.append({"name": name.upper(), "handler": "app.handler", "runtime": "python3.12", "codeUri": name})
    (folder / "workbench.json").write_text(json.dumps({"functions": functions}, indent=2))
    _run(window)
    window.open_workspace(folder)
    window.toolbar.function_combo.setCurrentText("FNB")
    _wait(200)
    return window


from screenshot_aws_history import (scene_aws_outbox, scene_aws_s3, scene_aws_tables, scene_build_group,  # noqa: E402, F401
                                    scene_charts, scene_compare, scene_frame_column, scene_history,
                                    scene_history_callers, scene_history_sweep, scene_no_credentials,
                                    scene_raw_log, scene_summary)
from screenshot_debug import scene_debug_stopped  # noqa: E402, F401 - a scene of its own module

SCENES = {name[len("scene_"):]: value for name, value in globals().items() if name.startswith("scene_")}
# The README's pictures: (scene, size, theme) for each file in docs/.
DOCS = {"window.png": ("run", "1600x1000", "light"), "outside-edit.png": ("outside_edit", "1024x700", "light"),
        "errors.png": ("failure", "1024x700", "light"), "history.png": ("history", "1600x1000", "light"),
        "compare.png": ("compare", "1600x1000", "light"), "charts.png": ("charts", "1600x1000", "dark"),
        "serve.png": ("serve", "1024x700", "dark")}


def _render(app, scene: str, size: str, theme: str, path: Path) -> None:
    width, height = (int(n) for n in size.split("x"))
    scratch = Path(tempfile.mkdtemp(prefix="workbench-shot-"))
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("view/theme", theme)
    window = create_window(str(ensure_sample_workspace(scratch)), settings)
    window.resize(width, height)
    _wait(150)
    shown = SCENES[scene](window)
    _wait(200)
    app.processEvents()
    shown.grab().save(str(path))
    print(f"wrote {path}")
    window.session.shutdown()
    window.aws.close()
    stop_host(window.workspace.folder)
    window.hide()  # not close(): that would ask about the unsaved edits
    window.deleteLater()
    _wait(50)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir", help="where the PNGs go (with --docs: the docs folder, for the README)")
    parser.add_argument("--scene", action="append", choices=sorted(SCENES))
    parser.add_argument("--size", action="append")
    parser.add_argument("--theme", action="append", choices=("light", "dark"))
    parser.add_argument("--docs", action="store_true", help="render the README's pictures (DOCS) into out_dir")
    args = parser.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    if args.docs:
        for name, (scene, size, theme) in DOCS.items():
            _render(app, scene, size, theme, out / name)
        return
    for scene in args.scene or sorted(SCENES):
        for theme in args.theme or ["light", "dark"]:
            for size in args.size or ["1024x700", "1600x1000"]:
                _render(app, scene, size, theme, out / f"{scene}-{size}-{theme}.png")


if __name__ == "__main__":
    main()
