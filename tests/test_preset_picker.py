"""The preset picker: what it lists, and what it asks before telling its listeners to save, rename or delete."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QToolButton

from workbench.core.workspace.preset_store import FUNCTION, SHARED, Preset
from workbench.ui.preset_picker import PresetPicker


def _preset(name, scope=FUNCTION, problem=None):
    folder = Path("/ws/events/Fn") if scope == FUNCTION else Path("/ws/events")
    return Preset(name, folder / f"{name}.json", scope, "{}", problem)


PRESETS = [_preset("big-order"), _preset("new-order"), _preset("typo", problem="line 1, column 7: Expecting value"),
           _preset("empty", SHARED)]


class Dialogs:
    """Scripted answers for the picker's questions, keeping every prompt it showed."""

    def __init__(self, answers=(), confirm=True):
        self.answers = list(answers)
        self.prompts = []
        self.confirmations = []
        self.confirm_answer = confirm

    def ask_text(self, parent, title, label, text):
        self.prompts.append((label, text))
        return (self.answers.pop(0), True) if self.answers else ("", False)

    def confirm(self, parent, title, text):
        self.confirmations.append(text)
        return self.confirm_answer


@pytest.fixture
def dialogs():
    return Dialogs()


@pytest.fixture
def picker(qtbot, dialogs):
    widget = PresetPicker(ask_text=dialogs.ask_text, confirm=dialogs.confirm)
    qtbot.addWidget(widget)
    widget.set_presets(PRESETS, "new-order")
    widget.show()
    return widget


def _combo(picker):
    return picker.findChild(QComboBox, "preset_combo")


def _trigger(picker, name):
    picker.findChild(QAction, name).trigger()


def test_lists_own_presets_then_shared_with_broken_ones_marked(picker):
    """The user sees the function's presets, a separator, the shared ones marked, and broken ones flagged."""
    combo = _combo(picker)
    texts = [combo.itemText(row) for row in range(combo.count())]
    assert texts == ["big-order", "new-order", "typo  (broken)", "", "empty  (shared)"]
    assert combo.currentText() == "new-order"
    assert "line 1, column 7: Expecting value" in combo.itemData(2, Qt.ItemDataRole.ToolTipRole)
    assert not combo.itemIcon(2).isNull() and combo.itemIcon(1).isNull()


def test_choosing_a_preset_signals_it_but_setting_the_list_does_not(picker, qtbot):
    """Only the user's choice is announced, not the list being refreshed."""
    with qtbot.assertNotEmitted(picker.preset_selected):
        picker.set_presets(PRESETS, "big-order")
    with qtbot.waitSignal(picker.preset_selected) as blocker:
        qtbot.keyClick(_combo(picker), Qt.Key.Key_Down)
    assert blocker.args == [PRESETS[1]]
    assert picker.current_preset() == PRESETS[1]


def test_modified_marker_follows_set_modified(picker):
    """The unsaved marker appears when the event is edited and goes away when saved."""
    label = picker.findChild(QLabel, "modified_label")
    picker.set_modified(True)
    assert "modified" in label.text() and picker.is_modified()
    picker.set_modified(False)
    assert label.text() == "" and not picker.is_modified()


def test_save_as_reasks_with_the_problem_until_the_name_is_usable(picker, dialogs, qtbot):
    """A refused name is asked again with the reason shown; the accepted name is signalled."""
    dialogs.answers = ["../x", "new-order", "  checkout.json "]
    with qtbot.waitSignal(picker.save_as_requested) as blocker:
        _trigger(picker, "save_as_action")
    assert blocker.args == ["checkout"]
    assert dialogs.prompts[0] == ("Name of the new preset:", "new-order-copy")
    assert dialogs.prompts[1][0].startswith("A preset name cannot contain / or \\.")
    assert dialogs.prompts[1][1] == "../x"
    assert "already exists" in dialogs.prompts[2][0]


def test_cancelled_save_as_signals_nothing(picker, dialogs, qtbot):
    """Cancelling the name question leaves everything as it was."""
    with qtbot.assertNotEmitted(picker.save_as_requested):
        _trigger(picker, "save_as_action")
    assert len(dialogs.prompts) == 1


def test_rename_refuses_a_taken_name_then_signals(picker, dialogs, qtbot):
    """Renaming to a name in use is refused; a free name is signalled with the preset."""
    dialogs.answers = ["big-order", "first-order"]
    with qtbot.waitSignal(picker.rename_requested) as blocker:
        _trigger(picker, "rename_action")
    assert blocker.args == [PRESETS[1], "first-order"]
    assert dialogs.prompts[0][1] == "new-order"
    assert "'big-order' already exists" in dialogs.prompts[1][0]


def test_delete_asks_first(picker, dialogs, qtbot):
    """Delete signals only after the user confirms, and the question names the file."""
    dialogs.confirm_answer = False
    with qtbot.assertNotEmitted(picker.delete_requested):
        _trigger(picker, "delete_action")
    assert "new-order.json" in dialogs.confirmations[0]
    dialogs.confirm_answer = True
    with qtbot.waitSignal(picker.delete_requested) as blocker:
        _trigger(picker, "delete_action")
    assert blocker.args == [PRESETS[1]]


def test_save_over_a_broken_preset_needs_consent(picker, dialogs, qtbot):
    """Saving into a file that does not parse asks first and says what is wrong with it."""
    picker.set_presets(PRESETS, "typo")
    save = picker.findChild(QToolButton, "save_button")
    dialogs.confirm_answer = False
    with qtbot.assertNotEmitted(picker.save_requested):
        save.click()
    assert "line 1, column 7" in dialogs.confirmations[0]
    dialogs.confirm_answer = True
    with qtbot.waitSignal(picker.save_requested):
        save.click()


def test_save_of_a_valid_preset_signals_at_once(picker, dialogs, qtbot):
    """Save on an ordinary preset asks nothing."""
    with qtbot.waitSignal(picker.save_requested):
        picker.findChild(QToolButton, "save_button").click()
    assert dialogs.confirmations == [] and dialogs.prompts == []


def test_without_presets_save_asks_for_a_name(picker, dialogs, qtbot):
    """With nothing to save into, Save becomes Save as; Rename and Delete are unavailable."""
    picker.set_presets([], None)
    assert _combo(picker).currentText() == ""
    assert not picker.findChild(QAction, "rename_action").isEnabled()
    assert not picker.findChild(QAction, "delete_action").isEnabled()
    dialogs.answers = ["first"]
    with qtbot.waitSignal(picker.save_as_requested) as blocker:
        picker.findChild(QToolButton, "save_button").click()
    assert blocker.args == ["first"]
