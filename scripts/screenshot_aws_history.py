"""Scenes of scripts/screenshot_scenes.py for the AWS dock and History (kept apart: that script is long enough)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QWidget


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _run(window) -> None:
    from screenshot_scenes import _run as run  # the one way a scene runs the preset

    run(window)


def _local_services(window, calls_on_account: bool = False):
    """The window's local services started, holding a bit of everything and one HTML email."""
    from workbench.engine.services_client import ServicesClient

    if calls_on_account:
        window.aws.chip.account_action.trigger()
    window.aws.start_services()
    loop = QEventLoop()
    QTimer.singleShot(30000, loop.quit)
    timer = QTimer(interval=100, timeout=lambda: window.aws.desk.available and loop.quit())
    timer.start()
    loop.exec()
    client = ServicesClient(window.aws.desk.record)
    client.client("s3").create_bucket(Bucket="order-receipts")
    client.put_object("order-receipts", "receipts/ORD-1001.json", b'{"order_id": "ORD-1001", "total": 42.5, '
                      b'"items": [{"sku": "BOOK-7", "qty": 2}]}', "application/json")
    client.put_object("order-receipts", "notes/README.txt", b"Receipts land here.\n")
    client.client("dynamodb").create_table(
        TableName="Orders", KeySchema=[{"AttributeName": "order_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "order_id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    for number, (email, total) in enumerate([("ana@example.com", 42.5), ("bo@example.com", 12)]):
        client.put_item("Orders", {"order_id": f"ORD-100{number + 1}", "email": email, "total": total,
                                   "status": "CONFIRMED", "items": [{"sku": "BOOK-7", "qty": 2}]})
    sqs = client.client("sqs")
    dead = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue = sqs.create_queue(QueueName="orders", Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dead_arn, "maxReceiveCount": "5"})})["QueueUrl"]
    client.send_message(queue, '{"order_id": "ORD-1002"}')
    client.client("sns").create_topic(Name="order-events")
    client.client("secretsmanager").create_secret(Name="email-api-token", SecretString="s3cr3t")
    client.client("ssm").put_parameter(Name="/shop/store-name", Value="Workbench Books", Type="String")
    ses = client.client("ses")
    ses.verify_email_identity(EmailAddress="orders@workbench-books.example")
    ses.send_email(Source="Workbench Books <orders@workbench-books.example>",
                   Destination={"ToAddresses": ["ana@example.com"]},
                   Message={"Subject": {"Data": "Your order ORD-1001 is confirmed"}, "Body": {
                       "Text": {"Data": "Hello Ana,\n\nThanks for your order ORD-1001 (2 items, $42.50)."},
                       "Html": {"Data": "<h2 style='color:#2b6cb0'>Thanks for your order!</h2><p>Hello Ana,</p>"
                                        "<p>Order <b>ORD-1001</b> is confirmed:</p><table border='1' "
                                        "cellpadding='4'><tr><th>Item</th><th>Qty</th><th>Price</th></tr>"
                                        "<tr><td>The Lambda Book</td><td>2</td><td>$42.50</td></tr></table>"
                                        "<p>Workbench Books</p>"}}})
    dock = window.aws.dock
    window.resizeDocks([dock], [int(window.height() * 0.45)], Qt.Orientation.Vertical)
    return dock


def scene_aws_outbox(window) -> QWidget:
    """The AWS dock's Outbox with an HTML email, its count on the dock's tab; the chip says AWS: local."""
    dock = _local_services(window)
    dock.show_page(dock.outbox)
    _wait(1500)
    return window


def scene_aws_tables(window) -> QWidget:
    """The AWS dock's DynamoDB page with items; the chip says where calls go in account mode."""
    dock = _local_services(window, calls_on_account=True)
    dock.show_page(dock.tables)
    _wait(1500)
    return window


def scene_aws_s3(window) -> QWidget:
    """The AWS dock's S3 page, a JSON object shown."""
    dock = _local_services(window)
    dock.show_page(dock.buckets)
    _wait(1200)
    dock.buckets.objects.setCurrentCell(1, 0)
    _wait(800)
    return window


def _history_shown(window) -> None:
    window.history.show()
    window.history.raise_()
    window.history.tabs.setCurrentWidget(window.history.panel)
    _wait(1200)  # the dock polls the store each second
    window.history.refresh()


def scene_history_sweep(window) -> QWidget:
    """History after two runs and a memory sweep (128 and 512 MB, 2 calls each): the sweep is one row."""
    _run(window)
    _run(window)
    view = window.tune_memory()
    view.sizes_field.setText("128,512")
    view.runs_field.setValue(2)
    loop = QEventLoop()
    view.sig_finished.connect(lambda _figures: QTimer.singleShot(300, loop.quit))
    QTimer.singleShot(100, view.start)
    QTimer.singleShot(60000, loop.quit)
    loop.exec()
    view.close()
    _history_shown(window)
    return window


def scene_history_callers(window) -> QWidget:
    """History after served calls: POST /orders and a call through the Invoke API, each named as its caller."""
    from screenshot_scenes import scene_serve  # the Serve scene sets the calls up

    scene_serve(window)
    _history_shown(window)
    return window


def scene_no_credentials(window) -> QWidget:
    """A handler that imports boto3, and no AWS credentials anywhere: the warning's short lines in the log."""
    # The environment the engine hands its functions (this window's only; later scenes keep the real one).
    host_env = window.session.engine._host_env
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        host_env.pop(name, None)
    scratch = Path(tempfile.mkdtemp(prefix="workbench-no-aws-"))
    host_env["AWS_SHARED_CREDENTIALS_FILE"] = host_env["AWS_CONFIG_FILE"] = str(scratch / "none")
    handler = window.tabs.current_path()
    handler.write_text("import boto3  # noqa: F401\n" + handler.read_text())
    _wait(400)
    _run(window)
    from PySide6.QtWidgets import QPlainTextEdit

    view = window.log_panel.findChild(QPlainTextEdit, "log_view")
    found = view.document().find("WARNING: no AWS credentials")
    if not found.isNull():
        view.verticalScrollBar().setValue(found.block().firstLineNumber())
    return window


def scene_frame_column(window) -> QWidget:
    """A one-line Node.js handler that throws at column 110: the editor scrolled to the raising column."""
    handler = window.workspace.folder / "order_confirmation_node" / "index.mjs"
    prefix = ("export const handler = async (event) => { const items = event.items || []; "
              "const count = items.length; ")
    handler.write_text(prefix + "throw new Error('no items in the order: ' + count) };\n")
    window.toolbar.function_combo.setCurrentText("OrderConfirmationNode")
    _wait(300)
    _run(window)
    return window


def _runs(window, count: int) -> None:
    """`count` runs of the sample's presets in turn, so History and Charts have something to show."""
    presets = [p for p in window.presets.presets() if p.name in ("new-order", "big-order")]
    for index in range(count):
        preset = presets[index % len(presets)]
        window.preset_picker.set_presets(window.presets.presets(), preset.name)
        window.presets.load(preset)
        _run(window)


def _open_history(window) -> None:
    if window.history.isHidden():
        window.history.toggleViewAction().trigger()
    _wait(300)


def scene_summary(window) -> QWidget:
    """The Summary after a run: every REPORT figure, memory against the size, the cost."""
    _run(window)
    window.panes.result_tabs.setCurrentWidget(window.summary_panel)
    return window


def scene_history(window) -> QWidget:
    """History open after a few runs, the older run selected: its log, response and summary under the banner."""
    _runs(window, 4)
    _open_history(window)
    table = window.history.panel.table
    table.selectRow(2)
    _wait(300)
    return window


def scene_compare(window) -> QWidget:
    """Compare of two runs of different presets: the response path by path, the figures with their deltas."""
    _runs(window, 2)
    _open_history(window)
    model = window.history.panel.model
    window.history.compare_runs(model.summary(1).id, model.summary(0).id)
    _wait(300)
    return window


def scene_charts(window) -> QWidget:
    """Charts of the function's runs (duration, billed, memory), cold and warm apart."""
    _runs(window, 6)
    _open_history(window)
    window.history.show_charts()
    _wait(500)
    return window


def scene_raw_log(window) -> QWidget:
    """Copy's menu > Show Raw Lines: the log exactly as the runtime wrote it (tabs, full times, request ids)."""
    _run(window)
    window.log_panel.raw_action.trigger()
    _wait(200)
    return window


def scene_build_group(window) -> QWidget:
    """A run after a code change: its cold-start reason opens its own group; the run before is folded."""
    _run(window)
    handler = window.tabs.current_path()
    handler.write_text(handler.read_text() + "\n")
    _wait(400)
    _run(window)
    from PySide6.QtWidgets import QPlainTextEdit

    window.log_panel.findChild(QPlainTextEdit, "log_view").verticalScrollBar().setValue(0)
    return window
