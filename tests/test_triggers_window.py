"""The triggers in the window: live from launch (the window's own Invoke API registered with the host), the
Triggers dock tabified with History, a malformed event configuration named with file and line in the status bar
and the dock, an object sent as an S3 event from the AWS dock, a triggered batch saved as a preset, and the
Summary of a triggered run with its records' fates."""

import asyncio
import time

import pytest
import qasync

from test_app import settings_in
from workbench.app import create_window
from workbench.engine.services_host import find_host, stop_host
from workbench.ui.editors.unsaved_question import DISCARD

pytestmark = pytest.mark.timeout(120)

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties: {BucketName: uploads}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: src
      Handler: app.handler
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
            Filter: {S3Key: {Rules: [{Name: suffix, Value: .json}]}}
"""


@pytest.fixture
def workspace(tmp_path):
    folder = tmp_path / "shop"
    (folder / "src").mkdir(parents=True)
    (folder / "template.yaml").write_text(TEMPLATE)
    (folder / "src" / "app.py").write_text(
        "def handler(event, context):\n    return event['Records'][0]['s3']['object']['key']\n")
    yield folder
    stop_host(folder)


def _window(qapp, qtbot, folder, tmp_path, monkeypatch, at_launch="1"):
    monkeypatch.setenv("LAMBDA_WORKBENCH_SERVICES_AT_LAUNCH", at_launch)
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    window = create_window(str(folder), settings_in(tmp_path))
    qtbot.addWidget(window)
    return window, loop


async def _until(predicate, timeout=45.0, what="it"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = predicate()
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_malformed_trigger_is_named_with_file_and_line_in_the_status_bar_and_the_dock(qapp, qtbot, tmp_path,
                                                                                        workspace, monkeypatch):
    (workspace / "template.yaml").write_text(TEMPLATE.replace("Events: s3:ObjectCreated:*", "Events: 12"))
    window, loop = _window(qapp, qtbot, workspace, tmp_path, monkeypatch, at_launch="0")
    window.history.show()
    window.triggers.dock.show()  # closed at first on the short offscreen screen, as History and the AWS dock
    assert window.triggers.dock in window.tabifiedDockWidgets(window.history)
    message = window.statusBar().currentMessage()
    assert message.startswith("template.yaml:17:21: error: Worker.Events.Upload"), message
    assert "template.yaml:17:21: error:" in window.triggers.panel.status.text()
    assert window.triggers.panel.status.text().startswith("0 triggers declared. 1 configuration problem")
    window.session.shutdown()
    loop.close()


def test_triggers_run_in_the_window_from_launch_an_object_is_sent_by_hand_and_a_batch_becomes_a_preset(
        qapp, qtbot, tmp_path, workspace, monkeypatch):
    window, loop = _window(qapp, qtbot, workspace, tmp_path, monkeypatch)

    async def scenario():
        await _until(lambda: window.trigger_serving.lambda_url and window.aws.desk.available, what="the host")
        record = find_host(workspace)
        await _until(lambda: window.triggers.panel.status.text().startswith("1 trigger, live"), what="live")
        from workbench.engine.services_client import ServicesClient

        client = ServicesClient(record)
        await asyncio.to_thread(client.put_object, "uploads", "orders/a.json", b'{"id": 1}')
        await _until(lambda: window.history.panel.table.model().rowCount() >= 1, what="the triggered run in History")
        # The AWS dock: pick the object, send it as an S3 event by hand.
        dock = window.aws.dock
        dock.show_page(dock.buckets)
        await _until(lambda: dock.buckets.buckets.count() >= 1, what="the bucket list")
        dock.buckets.buckets.setCurrentRow(0)
        await _until(lambda: dock.buckets.objects.rowCount() == 1, what="the object")
        dock.buckets.objects.selectRow(0)
        dock.buckets.send_button.click()
        await _until(lambda: "sent as an S3 event to Worker.Upload" in window.statusBar().currentMessage(),
                     what="the notice")
        await _until(lambda: window.history.panel.table.model().rowCount() >= 2, what="the second run")
        panel = window.triggers.panel
        await _until(lambda: sum(1 for row in panel.row_texts(panel.entries) if row[2].startswith("fired")) == 2,
                     what="two firings in the dock")
        return client

    loop.run_until_complete(scenario())
    store = window.run_history.store
    runs = store.list()
    assert [r.source for r in runs] == ["s3", "s3"] and {r.function for r in runs} == {"Worker"}
    # The Summary of a triggered run: its trigger and the record's fate.
    loop.run_until_complete(_until(lambda: store.get(runs[0].id).trigger is not None, what="the fates"))
    window.run_history.show_past_run(store.get(runs[0].id), runs[0])
    origin = window.summary_panel.origin
    assert origin.isVisibleTo(window.summary_panel)
    assert origin.body.text().startswith("Triggered by Worker.Upload (s3), attempt 1: succeeded")
    assert "Worker.Upload: processed" in origin.body.text()
    window.run_history.leave_past_run()
    # Save the newest firing's batch as a preset: its event becomes the (new, unsaved) preset's text.
    panel = window.triggers.panel
    row = next(i for i, r in enumerate(panel.row_texts(panel.entries)) if r[2].startswith("fired"))
    panel.entries.selectRow(row)
    assert panel.save_button.isEnabled()
    saved = []
    window.triggers.save_event_requested.connect(lambda function, text: saved.append((function, text)))
    window.preset_picker.ask_save_as = lambda: None  # the name dialog is the picker's own (tested there)
    panel.save_button.click()
    assert saved and saved[0][0] == "Worker" and '"orders/a.json"' in saved[0][1]
    assert '"eventName": "ObjectCreated:Put"' in window.event_editor.text().replace('":"', '": "')
    window._ask_unsaved = lambda *_: DISCARD  # the unsaved preset is the test's
    loop.run_until_complete(window.trigger_serving.stop())
    window.session.shutdown()
    loop.close()


def test_from_a_fresh_launch_placing_an_order_puts_the_email_in_the_outbox_through_two_linked_runs(
        qapp, qtbot, tmp_path, monkeypatch):
    """The sample's story in the window: Run PlaceOrder's new-order preset; its item's stream record runs
    OrderConfirmation in the window too (the window's Invoke API is registered at launch), which sends the
    email; History holds both runs, linked by their trace."""
    import shutil

    from workbench.resources import resource_path

    folder = tmp_path / "sample"
    shutil.copytree(resource_path("sample_workspace"), folder, ignore=shutil.ignore_patterns("__pycache__", ".workbench"))
    window, loop = _window(qapp, qtbot, folder, tmp_path, monkeypatch)
    window.toolbar.function_combo.setCurrentText("PlaceOrder")
    assert window.preset_picker.current_preset().name == "new-order"
    timings = {}

    async def scenario():
        await _until(lambda: window.trigger_serving.lambda_url and window.aws.desk.available, what="the host")
        await _until(lambda: window.triggers.panel.status.text().startswith("2 triggers, live"), what="live")
        window.run()
        await _until(lambda: window.current_run is None, what="PlaceOrder's run")
        timings["placed"] = time.monotonic()
        await _until(lambda: window.aws.dock.outbox.count == 1, what="the email in the Outbox")
        timings["emailed"] = time.monotonic()
        await _until(lambda: window.run_history.store.count() == 2, what="both runs in History")

    try:
        loop.run_until_complete(scenario())
        store = window.run_history.store
        confirmation, placed = store.list()
        assert (placed.function, placed.source) == ("PlaceOrder", "window")
        assert (confirmation.function, confirmation.source, confirmation.outcome) == (
            "OrderConfirmation", "dynamodb", "success")
        assert [r.id for r in store.linked(placed.id)] == [confirmation.id]
        from workbench.engine.services_client import ServicesClient

        (mail,) = ServicesClient(window.aws.desk.record).outbox()
        assert mail["to"] == ["maria.garcia@example.com"] and mail["subject"] == "Your order ORD-1001 is confirmed"
        window.run_history.show_past_run(store.get(confirmation.id), confirmation)
        text = window.summary_panel.origin.body.text()
        assert text.startswith("Triggered by OrderConfirmation.OrderPlaced (dynamodb)")
        assert "Same trace: PlaceOrder from window, success" in text
        ended = placed.started_at + ((placed.init_duration_ms or 0) + placed.duration_ms) / 1000
        print(f"\nPlaceOrder's call ended -> email sent: {1000 * (mail['time'] - ended):.0f} ms "
              f"(OrderConfirmation cold, init {confirmation.init_duration_ms or 0:.0f} ms); -> shown in the "
              f"Outbox: {1000 * (timings['emailed'] - timings['placed']):.0f} ms")
    finally:
        window._ask_unsaved = lambda *_: DISCARD
        loop.run_until_complete(window.trigger_serving.stop())
        window.session.shutdown()
        loop.close()
        stop_host(folder)
