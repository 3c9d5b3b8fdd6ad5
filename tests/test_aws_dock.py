"""The AWS dock's pages against a real services host (moto) through the engine's ServicesDesk: upload by
drop, an image and JSON shown, download; items added, edited and deleted as JSON; a message sent to a queue
with a dead-letter queue; a topic published to; an event put on the bus; a secret revealed on demand; a raw
email's attachment saved. Nothing is asked of a host that is not there."""

from email.message import EmailMessage

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QFileDialog

from workbench.engine.services_desk import NOT_RUNNING, ServicesDesk
from workbench.engine.services_host import start_host, stop_host
from workbench.ui.aws.aws_dock import AwsDock
from workbench.ui.aws.run_finder import RunFinder

TEMPLATE = """
Resources:
  Uploads: {Type: AWS::S3::Bucket}
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
  Dead: {Type: AWS::SQS::Queue}
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dead.Arn, maxReceiveCount: 3}
  Events: {Type: AWS::SNS::Topic}
  ApiKey:
    Type: AWS::SecretsManager::Secret
    Properties: {SecretString: s3cr3t}
  Sender:
    Type: AWS::SES::EmailIdentity
    Properties: {EmailIdentity: shop@example.com}
"""


@pytest.fixture
def dock(qtbot, tmp_path):
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "template.yaml").write_text(TEMPLATE)
    record = start_host(folder)
    desk = ServicesDesk()
    dock = AwsDock(desk, RunFinder(lambda: None))
    qtbot.addWidget(dock)
    dock.show()
    desk.set_host(record)
    yield dock
    desk.close()
    stop_host(folder)


def wait_for(qtbot, condition):
    qtbot.waitUntil(condition, timeout=20000)


def test_a_host_that_is_not_there_is_not_asked(qtbot):
    """With no host every question fails in words, on the Qt thread, and the dock offers Start."""
    desk = ServicesDesk()
    dock = AwsDock(desk, RunFinder(lambda: None))
    qtbot.addWidget(dock)
    reply = desk.ask("buckets")
    with qtbot.waitSignal(reply.failed) as failed:
        pass
    assert failed.args == [NOT_RUNNING]
    assert dock.pages.currentIndex() == 0 and not dock.start_button.isHidden()
    with pytest.raises(ValueError):
        desk.ask("_clients")


def test_files_dropped_on_a_bucket_are_uploaded_shown_and_downloaded(qtbot, dock, tmp_path, monkeypatch):
    """Dropping a PNG and a JSON file uploads them; the image shows as an image, the JSON pretty-printed;
    Download writes the bytes back."""
    view = dock.buckets
    dock.show_page(view)
    wait_for(qtbot, lambda: view.bucket is not None)
    image = QImage(8, 6, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    picture = tmp_path / "pic.png"
    image.save(str(picture))
    document = tmp_path / "order.json"
    document.write_text('{"id":"ORD-1","total":3}')
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(picture)), QUrl.fromLocalFile(str(document))])
    view.dropEvent(QDropEvent(QPoint(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                              Qt.KeyboardModifier.NoModifier))
    # The last file uploaded is the one picked and shown.
    wait_for(qtbot, lambda: view.objects.rowCount() == 2 and view.viewer.kind == "json")
    assert [view.objects.item(row, 0).text() for row in range(2)] == ["order.json", "pic.png"]
    assert view.viewer.text.toPlainText() == '{\n  "id": "ORD-1",\n  "total": 3\n}'
    view.objects.setCurrentCell(1, 0)
    wait_for(qtbot, lambda: view.viewer.kind == "image")
    assert view.viewer.image.pixmap().size().toTuple() == (8, 6)
    view.objects.setCurrentCell(0, 0)
    wait_for(qtbot, lambda: view.viewer.kind == "json")
    assert view.viewer.text.toPlainText() == '{\n  "id": "ORD-1",\n  "total": 3\n}'
    target = tmp_path / "back.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    view.download_button.click()
    wait_for(qtbot, target.exists)
    assert target.read_text() == '{"id":"ORD-1","total":3}'


def test_items_are_added_edited_and_deleted_as_json(qtbot, dock):
    """Add writes the item; editing its key replaces the item; Delete removes it; the grid follows."""
    view = dock.tables
    answers = iter([{"id": "a", "total": 1.5, "tags": ["x"]}, {"id": "b", "total": 2}])
    view._ask_item = lambda table, keys, item: next(answers)
    dock.show_page(view)
    wait_for(qtbot, lambda: view.table != "" and view.add_button.isEnabled())
    view.add_item()
    wait_for(qtbot, lambda: view.items() == [{"id": "a", "total": 1.5, "tags": ["x"]}])
    assert [view.grid.horizontalHeaderItem(c).text() for c in range(3)] == ["id", "tags", "total"]
    assert view.grid.item(0, 1).text() == '["x"]'
    view.grid.selectRow(0)
    view.edit_item()
    wait_for(qtbot, lambda: view.items() == [{"id": "b", "total": 2}])
    view.grid.selectRow(0)
    view.delete_item()
    wait_for(qtbot, lambda: view.items() == [] and view.count.text().strip() == "0 items")


def test_a_queue_shows_its_messages_and_dead_letter_queue_and_sends(qtbot, dock):
    view = dock.queues
    dock.show_page(view)
    wait_for(qtbot, lambda: len(view.queues()) == 2)
    names = [view.grid.item(row, 0).text() for row in range(2)]
    jobs = names.index(next(name for name in names if "Jobs" in name))
    assert view.grid.item(jobs, 4).text() == next(name for name in names if "Dead" in name)
    view.grid.selectRow(jobs)
    view.body.setPlainText('{"job": 1}')
    view.send_button.click()
    wait_for(qtbot, lambda: view.grid.item(jobs, 1) is not None and view.grid.item(jobs, 1).text() == "1")


def test_publish_put_event_and_reveal_a_secret(qtbot, dock):
    notices = []
    dock.notice.connect(notices.append)
    dock.show_page(dock.topics)
    wait_for(qtbot, lambda: dock.topics.topic_arn is not None)
    dock.topics.message.setPlainText("hello")
    dock.topics.publish()
    wait_for(qtbot, lambda: any(n.startswith("Published ") for n in notices))
    dock.show_page(dock.event_bus)
    dock.event_bus.detail.setPlainText("[1]")
    dock.event_bus.put_event()
    assert notices[-1] == "The event's detail must be a JSON object."
    dock.event_bus.detail.setPlainText('{"order": "ORD-1"}')
    dock.event_bus.put_event()
    wait_for(qtbot, lambda: notices[-1].startswith("Put event ") and notices[-1].endswith(" on default."))
    dock.show_page(dock.secrets)
    wait_for(qtbot, lambda: dock.secrets.secrets.count() == 1)
    dock.secrets.secrets.setCurrentRow(0)
    assert dock.secrets.secret_value.text() == "••••••"
    dock.secrets.reveal()
    wait_for(qtbot, lambda: dock.secrets.secret_value.text() == "s3cr3t")


def test_a_raw_emails_attachment_is_listed_and_saved(qtbot, dock, tmp_path, monkeypatch):
    """SendRawEmail with a PDF attached: the Outbox lists it, its count on the title, Save writes its bytes."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "shop@example.com", "ana@example.com", "Invoice"
    message.set_content("See the invoice.")
    message.add_attachment(b"%PDF-1.4 invoice", maintype="application", subtype="pdf", filename="invoice.pdf")
    client = dock._desk._client
    client.client("ses").send_raw_email(RawMessage={"Data": message.as_bytes()})
    dock.show_page(dock.outbox)
    dock.outbox.refresh()
    wait_for(qtbot, lambda: dock.outbox.count == 1)
    assert dock.windowTitle() == "AWS · ✉ 1"
    email = dock.outbox.email
    assert email.parts.tabText(3) == "Attachments (1)"
    assert "invoice.pdf" in email.attachment_list.item(0).text()
    email.attachment_list.setCurrentRow(0)
    target = tmp_path / "saved.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    email.save_attachment.click()
    assert target.read_bytes() == b"%PDF-1.4 invoice"
    assert "Content-Disposition: attachment" in email.mime_view.toPlainText()
