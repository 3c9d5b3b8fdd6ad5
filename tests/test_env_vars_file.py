"""SAM's --env-vars file: reading it, laying it over a function, and saying where values came from."""

from pathlib import Path

import pytest

from workbench.core.workspace.env_vars_file import EnvVarsFileError, apply_env_vars, load_env_vars_file
from workbench.core.workspace.sam_template import load_template

PROJECT = Path(__file__).parent / "fixtures" / "sam_project"


@pytest.fixture(scope="module")
def template():
    return load_template(PROJECT / "template.yaml")


@pytest.fixture(scope="module")
def env_file():
    return load_env_vars_file(PROJECT / "env.json")


def test_reads_sams_format(env_file):
    """The Parameters section and each function's section are read as given."""
    assert dict(env_file.parameters) == {"LOG_LEVEL": "DEBUG", "AWS_ENDPOINT_URL": "http://localhost:4566"}
    assert env_file.function_ids == ("OrderFunction", "NotifyFunction")
    assert env_file.function_variables("NotifyFunction") == {"SENDER": "test@example.com"}
    assert env_file.function_variables("AuditFunction") == {}


def test_function_section_wins_over_parameters_and_template(template, env_file):
    """The function's own section beats Parameters, which beats the template."""
    order = apply_env_vars(template.function("OrderFunction"), env_file)
    env = order.config.env_dict()
    assert env["TABLE_NAME"] == "orders-local"
    assert env["LOG_LEVEL"] == "DEBUG"
    assert env["STAGE"] == "dev"
    assert order.origin("env:TABLE_NAME") == "env-vars file (OrderFunction)"
    assert order.origin("env:LOG_LEVEL") == "env-vars file (Parameters)"
    assert order.origin("env:STAGE") == "Globals.Function via Parameters.Stage default"


def test_undeclared_variables_are_applied_too(template, env_file):
    """Unlike SAM, a variable the template never declares still reaches the function."""
    order = apply_env_vars(template.function("OrderFunction"), env_file)
    audit = apply_env_vars(template.function("AuditFunction"), env_file)
    assert order.config.env_dict()["FEATURE_GIFT_WRAP"] == "on"
    assert audit.config.env_dict()["AWS_ENDPOINT_URL"] == "http://localhost:4566"
    assert audit.origin("env:AWS_ENDPOINT_URL") == "env-vars file (Parameters)"
    assert [name for name, _ in order.config.environment][-2:] == ["AWS_ENDPOINT_URL", "FEATURE_GIFT_WRAP"]


def test_other_settings_are_untouched(template, env_file):
    """Only the environment changes; the original function stays as it was."""
    before = template.function("NotifyFunction")
    after = apply_env_vars(before, env_file)
    assert after.config.timeout_s == before.config.timeout_s
    assert after.origin("timeout_s") == before.origin("timeout_s")
    assert before.config.env_dict()["SENDER"] == "orders@example.com"
    assert after.config.env_dict()["SENDER"] == "test@example.com"


def test_scalars_become_the_strings_sam_passes(tmp_path):
    """Numbers, booleans and null turn into text the way SAM CLI hands them over."""
    path = tmp_path / "env.json"
    path.write_text('{"Fn": {"N": 5, "F": 1.5, "T": true, "X": false, "Z": null}}', encoding="utf-8")
    assert load_env_vars_file(path).function_variables("Fn") == \
        {"N": "5", "F": "1.5", "T": "true", "X": "false", "Z": ""}


def test_broken_json_names_line_and_column(tmp_path):
    """A JSON syntax error is reported as env.json:line:column."""
    path = tmp_path / "env.json"
    path.write_text('{\n  "OrderFunction": {\n    "A": "1"\n    "B": "2"\n  }\n}\n', encoding="utf-8")
    with pytest.raises(EnvVarsFileError) as caught:
        load_env_vars_file(path)
    assert (caught.value.line, caught.value.column) == (4, 5)
    assert str(caught.value).startswith("env.json:4:5: Expecting ',' delimiter")


@pytest.mark.parametrize(("text", "named"), [
    ('["OrderFunction"]', "must be a JSON object"),
    ('{"Parameters": ["A"]}', "Parameters must be an object"),
    ('{"OrderFunction": "A=1"}', "OrderFunction must be an object"),
    ('{"OrderFunction": {"CONFIG": {"a": 1}}}', "OrderFunction.CONFIG must be a string"),
])
def test_wrong_shapes_name_the_key(tmp_path, text, named):
    """A file with the wrong shape is refused, naming the key at fault."""
    path = tmp_path / "env.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EnvVarsFileError) as caught:
        load_env_vars_file(path)
    assert named in str(caught.value)
    assert str(caught.value).startswith("env.json: ")


def test_missing_file_is_a_clear_error(tmp_path):
    """A path that does not exist is an EnvVarsFileError, not a traceback."""
    with pytest.raises(EnvVarsFileError, match="cannot be read"):
        load_env_vars_file(tmp_path / "nope.json")
