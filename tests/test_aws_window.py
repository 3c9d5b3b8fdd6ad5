"""The window's local AWS as a user meets it: the services host started in the background at launch, a Run
whose email lands in the Outbox (count on the AWS tab, HTML rendered, linked to its run in History), the
run's AWS calls and draft IAM policy in the Summary, the toolbar chip switching where calls go (saved in
workbench.json), and a start that fails said in words. Real window, real host (moto), real boto3."""

import json

import pytest
from PySide6.QtCore import QSettings

from workbench.app import create_window
from workbench.core.services.settings import load_services_settings
from workbench.core.workspace.aws_settings import AwsSettings
from workbench.engine.services_host import stop_host
from workbench.ui.aws.aws_dock import dock_title

TEMPLATE = """
Resources:
  Sender:
    Type: AWS::SES::EmailIdentity
    Properties: {EmailIdentity: shop@example.com}
  Receipts:
    Type: AWS::S3::Bucket
  OrderConfirmation:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: .
      Environment:
        Variables:
          BUCKET: !Ref Receipts
"""

HANDLER = """
import os
import boto3

def handler(event, context):
    boto3.client("ses").send_email(
        Source="shop@example.com", Destination={"ToAddresses": ["ana@example.com"]},
        Message={"Subject": {"Data": "Your order ORD-7"},
                 "Body": {"Text": {"Data": "Thanks for ORD-7"},
                          "Html": {"Data": "<h1>Thanks</h1><p>Order <b>ORD-7</b></p><img src='http://example.com/x.png'>"}}})
    boto3.client("s3").put_object(Bucket=os.environ["BUCKET"], Key="receipts/ORD-7.json", Body=b'{"total": 12}')
    return {"sent": True}
"""


@pytest.fixture
def workspace(tmp_path):
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "template.yaml").write_text(TEMPLATE)
    (folder / "app.py").write_text(HANDLER)
    yield folder
    stop_host(folder)


def open_window(qtbot, folder, tmp_path, monkeypatch, at_launch=True):
    monkeypatch.setenv("LAMBDA_WORKBENCH_SERVICES_AT_LAUNCH", "1" if at_launch else "0")
    window = create_window(str(folder), QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_host_starts_at_launch_and_a_run_lands_in_the_outbox_linked_to_its_run(qtbot, workspace, tmp_path,
                                                                                   monkeypatch):
    """At launch the host starts in the background (the window is usable at once); once it answers, a Run's
    email is in the Outbox with its count on the AWS tab, its HTML rendered with no remote image fetched,
    its MIME, the run that sent it one click from History; the Summary lists the calls and drafts the policy."""
    window = open_window(qtbot, workspace, tmp_path, monkeypatch)
    assert not window.aws.desk.available  # the window is up before the host is
    qtbot.waitUntil(lambda: window.aws.desk.available, timeout=45000)
    endpoint = window.aws.desk.record.endpoint
    assert window.session.engine.builder.local_endpoint == endpoint  # the first Run does not start it
    assert "Local AWS services ready" in window.statusBar().currentMessage()

    with qtbot.waitSignal(window.session.run_recorded, timeout=60000):
        window.run()
        qtbot.waitUntil(lambda: window.current_run is None, timeout=60000)
    calls = window.summary_panel.aws_calls
    assert calls.isVisibleTo(window.summary_panel)
    assert [(c.service, c.operation) for c in calls.calls] == [("ses", "SendEmail"), ("s3", "PutObject")]
    assert calls.table.item(1, 2).text().endswith("Receipts") is False  # the object's ARN, not the bucket's
    assert calls.table.item(1, 2).text().endswith("/receipts/ORD-7.json")
    calls.show_policy()
    policy = json.loads(calls.policy_dialog.text.toPlainText())
    actions = {s["Action"] for s in policy["Statement"]}
    assert actions == {"ses:SendEmail", "s3:PutObject"}

    dock = window.aws.dock
    qtbot.waitUntil(lambda: dock.outbox.count == 1, timeout=20000)
    assert dock.windowTitle() == dock_title(1) == "AWS · ✉ 1"
    assert dock.tabs.tabText(0) == "Outbox (1)"
    dock.show_page(dock.outbox)
    outbox = dock.outbox
    assert [outbox.table.item(0, c).text() for c in (1, 2, 3)] == ["shop@example.com", "ana@example.com",
                                                                   "Your order ORD-7"]
    email = outbox.email
    assert email.html_view.toPlainText().startswith("Thanks")
    assert "Order ORD-7" in email.html_view.toPlainText()
    assert email.text_view.toPlainText() == "Thanks for ORD-7"
    assert "multipart/alternative" in email.mime_view.toPlainText()
    assert "Subject: Your order ORD-7" in email.mime_view.toPlainText()
    header = email.header.text()
    assert "OrderConfirmation" in header and "run:" in header
    run_id = header.split("run:", 1)[1].split("'", 1)[0]
    email.header.linkActivated.emit(f"run:{run_id}")
    assert window.history.panel.selected_ids() == [run_id]

    dock.show_page(dock.buckets)
    qtbot.waitUntil(lambda: dock.buckets.objects.rowCount() == 1, timeout=20000)
    assert dock.buckets.objects.item(0, 0).text() == "receipts/ORD-7.json"
    assert dock.buckets.objects.item(0, 3).text() == f"OrderConfirmation {run_id[:8]}"
    dock.buckets.objects.setCurrentCell(0, 0)
    qtbot.waitUntil(lambda: dock.buckets.viewer.kind == "json", timeout=20000)
    assert json.loads(dock.buckets.viewer.text.toPlainText()) == {"total": 12}


def test_the_chip_says_where_calls_go_and_switching_it_is_saved(qtbot, workspace, tmp_path, monkeypatch):
    """AWS: local by default; choosing the account saves aws.calls and the session sends calls there; the
    services kept on the account are saved too; back to local, the window's session is local again."""
    (workspace / "workbench.json").write_text(json.dumps({"aws": {"profile": "work", "region": "eu-west-1"}}))
    window = open_window(qtbot, workspace, tmp_path, monkeypatch, at_launch=False)
    chip = window.aws.chip
    assert chip.full_text == chip.text() == "AWS: local"
    assert window.session.local_services is not None and window.session.local_services.region == "eu-west-1"
    chip.account_action.trigger()
    assert chip.full_text == "AWS: account (work, eu-west-1)"
    assert load_services_settings(workspace).calls == "account"
    saved = json.loads((workspace / "workbench.json").read_text())["aws"]
    assert saved == {"profile": "work", "region": "eu-west-1", "calls": "account"}
    assert window.session.local_services is None
    assert "your AWS account" in window.statusBar().currentMessage()

    chip.local_action.trigger()
    window.aws._ask_keep = lambda current: ("bedrock-runtime",)
    chip.keep_action.trigger()
    assert load_services_settings(workspace).keep_on_account == ("bedrock-runtime",)
    assert chip.full_text == "AWS: local (+1 on account)"
    assert window.session.local_services.keep_on_account == ("bedrock-runtime",)
    # The Dependencies panel's profile and region are saved without losing where calls go.
    window.dependencies_panel.aws_changed.emit(AwsSettings("dev", "us-west-2"))
    assert load_services_settings(workspace).keep_on_account == ("bedrock-runtime",)
    assert window.session.local_services is not None
    # Back in local mode the workspace's host was started (its resources wait there): stopped by the fixture.
    qtbot.waitUntil(lambda: window.aws.desk.available, timeout=45000)


def test_a_host_that_cannot_start_is_said_in_words(qtbot, workspace, tmp_path, monkeypatch):
    """The services folder cannot be made: the window stays usable, the status bar and the dock say why."""
    (workspace / ".workbench").mkdir()
    (workspace / ".workbench" / "services").write_text("not a folder")
    window = open_window(qtbot, workspace, tmp_path, monkeypatch)
    qtbot.waitUntil(lambda: "could not start" in window.statusBar().currentMessage(), timeout=30000)
    assert "could not start" in window.aws.dock.idle_note.text()
    assert window.aws.dock.start_button.isVisible() or not window.aws.dock.isVisible()
    assert not window.aws.desk.available
