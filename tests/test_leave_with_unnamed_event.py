"""Open Folder while the event editor holds an unnamed event: Save asks for its name and then switches; a
refusal says why, and the switch is never dropped silently."""

import json

from window_helpers import Answers, make_window, workspace  # noqa: F401 - fixtures
from workbench.core.workspace.event_templates import render_event
from workbench.core.workspace.preset_store import FUNCTION
from workbench.ui.main_window import SAVE


def _other_folder(tmp_path):
    other = tmp_path / "other-project"
    other.mkdir()
    (other / "app.py").write_text("def handler(event, context):\n    return 'other'\n")
    return other


def test_a_template_event_is_saved_under_its_name_and_the_folder_opens(qtbot, make_window, workspace, tmp_path):
    """New Event from Template (unsaved, named s3-put), then Open Folder and Save: the user is asked whether it
    is the function's or shared, the file is written, and the other folder opens."""
    window = make_window(workspace, Answers(SAVE))
    scopes = []
    window.preset_picker._ask_scope = lambda parent, name, function: scopes.append(name) or FUNCTION
    assert window.presets.start_new("s3-put", render_event("s3", "put"))
    other = _other_folder(tmp_path)
    window.workspace_actions.open_recent(str(other))
    saved = workspace / "events" / "OrderConfirmation" / "s3-put.json"
    assert scopes == ["s3-put"]
    assert json.loads(saved.read_text())["Records"][0]["eventSource"] == "aws:s3"
    assert window.workspace.folder.name == "other-project"


def test_an_unnamed_event_is_asked_a_name_and_the_folder_opens(qtbot, make_window, workspace, tmp_path):
    """Edited text with no preset behind it: Save asks for a name, saves under it, and the folder opens."""
    window = make_window(workspace, Answers(SAVE))
    asked = []
    window.preset_picker._ask_text = lambda parent, title, label, text: (asked.append(title), ("my-order", True))[1]
    window.presets.use_text('{"order_id": "ORD-9"}')
    other = _other_folder(tmp_path)
    window.workspace_actions.open_recent(str(other))
    assert asked == ["Save preset as"]
    assert json.loads((workspace / "events" / "OrderConfirmation" / "my-order.json").read_text()) == \
        {"order_id": "ORD-9"}
    assert window.workspace.folder.name == "other-project"


def test_refusing_a_name_keeps_the_folder_and_says_why(qtbot, make_window, workspace, tmp_path):
    """Save, then Cancel on the name question: the event stays in the editor, the folder stays open, and the
    status bar says the other folder was not opened and why."""
    window = make_window(workspace, Answers(SAVE))
    window.preset_picker._ask_text = lambda parent, title, label, text: ("", False)
    window.presets.use_text('{"order_id": "ORD-9"}')
    other = _other_folder(tmp_path)
    window.workspace_actions.open_recent(str(other))
    assert window.workspace.folder.name != "other-project"
    assert window.event_editor.is_modified() and '"ORD-9"' in window.event_editor.text()
    message = window.statusBar().currentMessage()
    assert "other-project not opened" in message and "name the event" in message
