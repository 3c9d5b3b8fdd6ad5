"""The function settings form: round trip of a config, secrets hidden until asked, Lambda's limits explained."""

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidget

from workbench.core.function.function_config import FunctionConfig
from workbench.core.privacy.secret_values import looks_secret
from workbench.ui.function_settings import MASK, FunctionSettings

CONFIG = FunctionConfig(
    name="OrderConfirmation", handler="lambda_function.lambda_handler", runtime="python3.12",
    code_dir="/ws/order_confirmation", memory_mb=256, timeout_s=10, architecture="arm64",
    environment=(("STORE_NAME", "Workbench Books"), ("EMAIL_API_TOKEN", "tok-123"), ("api_key", "k-9")),
    interpreter="/opt/python/bin/python3", region="eu-west-1")


@pytest.fixture
def form(qtbot):
    widget = FunctionSettings()
    qtbot.addWidget(widget)
    widget.set_config(CONFIG)
    widget.resize(460, 480)
    widget.show()
    return widget


def _table(form):
    return form.findChild(QTableWidget, "environment")


def _values_shown(form):
    table = _table(form)
    return {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}


def _problems(form):
    label = form.findChild(QLabel, "problems")
    return label.text() if label.isVisible() else ""


def _type_into(qtbot, spin, text):
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)


def test_config_round_trips_through_the_form(form):
    """What is shown is what comes back, including the fields the form does not display."""
    assert form.config() == CONFIG
    assert form.problems() == []


def test_secret_values_are_masked_and_read_only(form):
    """Values of variables named like a token or key show dots, and the mask cannot be edited into the value."""
    assert _values_shown(form) == {"STORE_NAME": "Workbench Books", "EMAIL_API_TOKEN": MASK, "api_key": MASK}
    assert not _table(form).item(1, 1).flags() & Qt.ItemFlag.ItemIsEditable
    assert _table(form).item(0, 1).flags() & Qt.ItemFlag.ItemIsEditable


def test_show_secrets_reveals_and_hides_again(form, qtbot):
    """Turning on Show secrets shows the real values; an edit made then is kept once they are hidden again."""
    toggle = form.findChild(QCheckBox, "show_secrets")
    toggle.click()
    assert _values_shown(form)["EMAIL_API_TOKEN"] == "tok-123"
    with qtbot.waitSignal(form.config_changed) as blocker:
        _table(form).item(1, 1).setText("tok-456")
    assert blocker.args[0].env_dict()["EMAIL_API_TOKEN"] == "tok-456"
    toggle.click()
    assert _values_shown(form)["EMAIL_API_TOKEN"] == MASK
    assert form.config().env_dict()["EMAIL_API_TOKEN"] == "tok-456"


def test_renaming_a_variable_to_a_secret_name_masks_it(form):
    """A value becomes hidden as soon as its name looks secret."""
    _table(form).item(0, 0).setText("DB_PASSWORD")
    assert _values_shown(form)["DB_PASSWORD"] == MASK
    assert form.config().env_dict()["DB_PASSWORD"] == "Workbench Books"


@pytest.mark.parametrize("name", ["API_KEY", "github_token", "ClientSecret", "DB_PASSWORD"])
def test_secret_names_are_recognised(name):
    """Common secret names are caught whatever their case."""
    assert looks_secret(name)


def test_typed_memory_out_of_range_is_refused_in_lambdas_words(form, qtbot):
    """A typed 20000 MB stays visible, is explained with Lambda's limit, and is not passed on."""
    memory = form.findChild(QSpinBox, "memory")
    sent = []
    form.config_changed.connect(sent.append)
    _type_into(qtbot, memory, "20000")
    assert memory.text() == "20000 MB"
    assert 20000 not in [config.memory_mb for config in sent]
    assert ("Value '20000' at 'memorySize' failed to satisfy constraint: "
            "Member must have value less than or equal to 10240") in _problems(form)
    with pytest.raises(ValueError, match="10240"):
        form.config()


def test_typed_timeout_below_one_second_is_refused(form, qtbot):
    """A zero timeout is explained with Lambda's lower limit."""
    _type_into(qtbot, form.findChild(QSpinBox, "timeout"), "0")
    assert "greater than or equal to 1" in _problems(form)


def test_a_valid_edit_sends_the_new_config(form, qtbot):
    """Changing the timeout sends a config with the new value and everything else unchanged."""
    sent = []
    form.config_changed.connect(sent.append)
    _type_into(qtbot, form.findChild(QSpinBox, "timeout"), "30")
    assert sent[-1] == dataclasses.replace(CONFIG, timeout_s=30)
    assert _problems(form) == ""


def test_setting_a_config_sends_nothing(qtbot):
    """Showing a config is not an edit."""
    widget = FunctionSettings()
    qtbot.addWidget(widget)
    with qtbot.assertNotEmitted(widget.config_changed):
        widget.set_config(CONFIG)


def test_empty_and_duplicate_variable_names_are_reported(form, qtbot):
    """A new row needs a name, and a name may appear only once."""
    form.findChild(QPushButton, "add_variable").click()
    assert "Environment variable in row 4 has no name." in _problems(form)
    _table(form).item(3, 0).setText("STORE_NAME")
    assert "'STORE_NAME' is defined more than once" in _problems(form)
    _table(form).setCurrentCell(3, 0)
    form.findChild(QPushButton, "remove_variable").click()
    assert _problems(form) == "" and form.config() == CONFIG


def test_empty_handler_and_interpreter_default(form, qtbot):
    """An empty handler is refused; an empty interpreter means the default one."""
    form.findChild(QLineEdit, "interpreter").clear()
    assert form.config().interpreter is None
    form.findChild(QLineEdit, "handler").clear()
    assert "at 'handler'" in _problems(form)


def test_origins_are_shown_beside_their_fields(form):
    """Where a setting comes from is shown next to it, and the whole text is in the tooltip."""
    form.set_origins({"memory_mb": "Globals.Function"})
    origin = form.findChild(QLabel, "origin_memory_mb")
    assert origin.isVisible() and origin.text() == "Globals.Function"
    assert "Globals.Function" in form.findChild(QSpinBox, "memory").toolTip()
    assert not form.findChild(QLabel, "origin_timeout_s").isVisible()


def test_unknown_runtime_is_shown_and_reported(qtbot):
    """A runtime the workbench does not know (say from a template) is kept on screen and named as a problem."""
    widget = FunctionSettings()
    qtbot.addWidget(widget)
    widget.set_config(dataclasses.replace(CONFIG, runtime="ruby3.3"))
    assert widget.findChild(QComboBox, "runtime").currentText() == "ruby3.3"
    assert any("Value 'ruby3.3' at 'runtime'" in problem for problem in widget.problems())


def test_a_new_secret_can_be_typed_then_is_masked(form):
    """A new variable named like a secret takes its value while empty, and hides it once set."""
    form.findChild(QPushButton, "add_variable").click()
    table = _table(form)
    table.item(3, 0).setText("NEW_TOKEN")
    assert table.item(3, 1).flags() & Qt.ItemFlag.ItemIsEditable
    table.item(3, 1).setText("s3cret")
    assert _values_shown(form)["NEW_TOKEN"] == MASK
    assert form.config().env_dict()["NEW_TOKEN"] == "s3cret"


def test_switching_function_hides_secrets_again(form):
    """Secrets shown for one function are hidden when another function is shown."""
    form.findChild(QCheckBox, "show_secrets").click()
    form.set_config(dataclasses.replace(CONFIG, name="Other"))
    assert not form.findChild(QCheckBox, "show_secrets").isChecked()
    assert _values_shown(form)["EMAIL_API_TOKEN"] == MASK
