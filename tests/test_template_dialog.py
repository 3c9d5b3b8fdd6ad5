"""New Event from Template in the real window: search, parameters as fields, Return, a new unsaved preset."""

import json

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from window_helpers import make_window, workspace  # noqa: F401 - fixtures
from workbench.core.workspace.preset_store import FUNCTION, SHARED
from workbench.ui.event_template_dialog import EventTemplateDialog


def test_search_narrows_the_68_events(qtbot):
    """Typing "sqs" leaves only matching events; words match service, event and description."""
    dialog = EventTemplateDialog()
    qtbot.addWidget(dialog)
    assert len(dialog.visible_events()) == 68
    assert "68 events" in dialog.search.placeholderText()
    qtbot.keyClicks(dialog.search, "sqs")
    assert dialog.visible_events() == [("sqs", "receive-message")]
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "s3 put")
    assert ("s3", "put") in dialog.visible_events() and len(dialog.visible_events()) < 5


def test_service_names_are_not_cut_off(qtbot):
    """The longest service title fits in its column (the tree scrolls sideways rather than eliding)."""
    dialog = EventTemplateDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    tree = dialog._tree
    widest = max(tree.fontMetrics().horizontalAdvance(tree.topLevelItem(i).text(0))
                 for i in range(tree.topLevelItemCount()))
    assert tree.columnWidth(0) >= widest


def test_parameters_are_fields_that_fill_the_event(qtbot):
    """S3 put shows bucket and key fields as generate-event --bucket/--key; editing them changes the event."""
    dialog = EventTemplateDialog()
    qtbot.addWidget(dialog)
    dialog.select("s3", "put")
    bucket = dialog.field("bucket")
    bucket.clear()
    qtbot.keyClicks(bucket, "my-orders")
    dialog.field("key").setText("in/order-7.json")
    record = json.loads(dialog.event_text())["Records"][0]["s3"]
    assert record["bucket"]["name"] == "my-orders"
    assert record["object"]["key"] == "in/order-7.json"
    assert dialog.suggested_name() == "s3-put"


def _when_dialog_opens(act):
    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, EventTemplateDialog):
            act(dialog)
        else:
            QTimer.singleShot(20, poll)
    QTimer.singleShot(20, poll)


def test_template_opens_as_a_new_unsaved_preset_and_save_asks_where(qtbot, make_window, workspace):
    """Search, Return: the event is a new unsaved s3-put, the current preset's file is untouched;
    Save asks only-this-function or shared and writes there."""
    scopes = []
    window = make_window(workspace)
    window.preset_picker._ask_scope = lambda parent, name, function: scopes.append((name, function)) or SHARED
    before = window.presets.current
    before_text = before.path.read_text()

    def choose(dialog):
        qtbot.keyClicks(dialog.search, "s3 put")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)

    _when_dialog_opens(choose)
    window.menus.new_from_template.trigger()
    assert window.preset_picker.pending_name() == "s3-put"
    assert "s3-put  (new, unsaved)" == window.preset_picker._combo.currentText()
    assert json.loads(window.event_editor.text())["Records"][0]["eventSource"] == "aws:s3"
    assert window.event_editor.is_modified()
    assert before.path.read_text() == before_text
    window.preset_picker._save.click()
    assert scopes == [("s3-put", "OrderConfirmation")]
    saved = workspace / "events" / "s3-put.json"
    assert json.loads(saved.read_text())["Records"][0]["eventSource"] == "aws:s3"
    assert window.presets.current.name == "s3-put" and window.presets.current.scope == SHARED
    assert not window.event_editor.is_modified()


def test_function_only_goes_in_the_functions_folder(qtbot, make_window, workspace):
    """Answering "Only OrderConfirmation" writes events/OrderConfirmation/<name>.json."""
    window = make_window(workspace)
    window.preset_picker._ask_scope = lambda parent, name, function: FUNCTION
    window.presets.start_new("sqs-receive-message", '{"Records": []}')
    window.preset_picker._save.click()
    assert (workspace / "events" / "OrderConfirmation" / "sqs-receive-message.json").is_file()
