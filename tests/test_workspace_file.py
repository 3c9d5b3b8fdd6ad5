"""workbench.json: the functions of a workspace without a SAM template, read strictly and written stably."""

import json
from pathlib import Path

import pytest

from workbench.core.function.function_config import FunctionConfig
from workbench.core.workspace.workspace_file import (
    WorkspaceFileError, load_workspace_functions, save_workspace_functions,
)


def _write(folder: Path, document) -> Path:
    path = folder / "workbench.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def _entry(**overrides):
    entry = {"name": "Orders", "handler": "app.handler", "runtime": "python3.12", "codeUri": "src/orders"}
    entry.update(overrides)
    return entry


def test_functions_load_with_absolute_code_folder_and_defaults(tmp_path):
    """A minimal entry gives a config with Lambda's defaults and the code folder resolved against the file."""
    _write(tmp_path, {"functions": [_entry(environment={"STAGE": "dev", "TOKEN": "x"})]})
    [config] = load_workspace_functions(tmp_path)
    assert config == FunctionConfig(
        name="Orders", handler="app.handler", runtime="python3.12",
        code_dir=str(tmp_path / "src" / "orders"), memory_mb=128, timeout_s=3,
        environment=(("STAGE", "dev"), ("TOKEN", "x")))
    assert Path(config.code_dir).is_absolute()


def test_missing_file_means_no_functions(tmp_path):
    """A folder without workbench.json is an empty workspace, not an error."""
    assert load_workspace_functions(tmp_path) == []


def test_save_then_load_round_trips(tmp_path):
    """What is saved loads back equal, with code folders stored relative to the workspace."""
    configs = [
        FunctionConfig("Orders", "app.handler", "python3.12", str(tmp_path / "src" / "orders"),
                       memory_mb=512, timeout_s=30, architecture="arm64",
                       environment=(("B", "2"), ("A", "1")), interpreter="/usr/bin/python3"),
        FunctionConfig("Mailer", "index.handler", "nodejs20.x", str(tmp_path), region="eu-west-1"),
    ]
    save_workspace_functions(tmp_path, configs)
    assert load_workspace_functions(tmp_path) == configs
    document = json.loads((tmp_path / "workbench.json").read_text())
    assert [f["codeUri"] for f in document["functions"]] == ["src/orders", "."]


def test_saved_file_is_two_space_json_in_a_stable_key_order(tmp_path):
    """The file diffs cleanly in git: fixed key order, 2-space indent, final newline, no temporaries."""
    config = FunctionConfig("Orders", "app.handler", "python3.12", str(tmp_path / "src"))
    save_workspace_functions(tmp_path, [config])
    text = (tmp_path / "workbench.json").read_text()
    assert text == (
        '{\n  "functions": [\n    {\n      "name": "Orders",\n      "handler": "app.handler",\n'
        '      "runtime": "python3.12",\n      "codeUri": "src",\n      "memorySize": 128,\n'
        '      "timeout": 3,\n      "architecture": "x86_64",\n      "environment": {},\n'
        '      "interpreter": null\n    }\n  ]\n}\n')
    save_workspace_functions(tmp_path, [config])
    assert (tmp_path / "workbench.json").read_text() == text
    assert [p.name for p in tmp_path.iterdir()] == ["workbench.json"]


def test_save_keeps_other_top_level_keys(tmp_path):
    """Keys the workbench does not know survive a save."""
    _write(tmp_path, {"$schema": "./schema.json", "functions": []})
    save_workspace_functions(tmp_path, [])
    assert json.loads((tmp_path / "workbench.json").read_text()) == {"$schema": "./schema.json", "functions": []}


def test_bad_json_names_file_line_and_column(tmp_path):
    """A syntax error is reported with the file, the line and the column."""
    path = _write(tmp_path, '{\n  "functions": [\n    {"name": "Orders",}\n  ]\n}\n')
    with pytest.raises(WorkspaceFileError) as caught:
        load_workspace_functions(tmp_path)
    assert str(caught.value).startswith(f"{path}: line 3, column 23: ")
    assert (caught.value.line, caught.value.column) == (3, 23)


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"memorySize": 20000}, "functions[0].memorySize",
     "Value '20000' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240"),
    ({"timeout": 0}, "functions[0].timeout",
     "Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1"),
    ({"runtime": "python2.7"}, "functions[0].runtime", "Value 'python2.7' at 'runtime'"),
    ({"architecture": "ppc"}, "functions[0].architecture", "Value 'ppc' at 'architectures'"),
    ({"handler": ""}, "functions[0].handler", "required"),
    ({"environment": {"PORT": 8080}}, "functions[0].environment.PORT", "expected a string"),
    ({"memory": 256}, "functions[0].memory", "unknown key 'memory'"),
])
def test_bad_values_name_the_field(tmp_path, overrides, field, message):
    """Each bad value is reported with the file and the field, in Lambda's words where Lambda has them."""
    path = _write(tmp_path, {"functions": [_entry(**overrides)]})
    with pytest.raises(WorkspaceFileError) as caught:
        load_workspace_functions(tmp_path)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{path}: {field}: ")
    assert message in str(caught.value)


def test_duplicate_function_names_are_refused(tmp_path):
    """Two functions with one name would share presets; the second is named as the problem."""
    _write(tmp_path, {"functions": [_entry(), _entry()]})
    with pytest.raises(WorkspaceFileError, match=r"functions\[1\]\.name: 'Orders' is listed twice"):
        load_workspace_functions(tmp_path)


def test_missing_functions_list_is_reported(tmp_path):
    """A file without a functions list says what it expected."""
    _write(tmp_path, {"function": []})
    with pytest.raises(WorkspaceFileError, match="functions"):
        load_workspace_functions(tmp_path)
