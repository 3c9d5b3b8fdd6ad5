"""The bundled sample workspace: copied once into the data folder, and its handler runs every preset."""

import importlib.util
import json
import logging
import types

import pytest

from workbench.core.workspace.preset_store import PresetStore
from workbench.core.workspace.sample_workspace import ensure_sample_workspace
from workbench.core.workspace.workspace_file import load_workspace_functions
from workbench.resources import resource_path


@pytest.fixture
def workspace(tmp_path):
    return ensure_sample_workspace(tmp_path / "data")


@pytest.fixture
def handler_module(workspace, monkeypatch):
    """The Python handler imported here, its SES calls served by moto in this process (its identity verified,
    as the workspace's local AWS does from workbench.json)."""
    from moto import mock_aws

    config = load_workspace_functions(workspace)[0]
    for name, value in config.environment:
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    mock = mock_aws()
    mock.start()
    import boto3

    boto3.client("ses").verify_email_identity(EmailAddress=config.env_dict()["SENDER_EMAIL"])
    module_name, _, _ = config.handler.partition(".")
    spec = importlib.util.spec_from_file_location(
        f"sample_{module_name}", f"{config.code_dir}/{module_name}.py")
    module = importlib.util.module_from_spec(spec)
    # The handler sets the root logger's level, as Lambda code does; give the test run its own back.
    level = logging.getLogger().level
    spec.loader.exec_module(module)
    yield module
    logging.getLogger().setLevel(level)
    mock.stop()


def _context():
    return types.SimpleNamespace(aws_request_id="8f5e2b1c-0000-4000-8000-000000000001")


def _event(workspace, name):
    return json.loads((workspace / "events" / "OrderConfirmation" / f"{name}.json").read_text())


def test_sample_is_copied_into_the_data_folder(tmp_path):
    """The copy holds the functions of the story, its workspace file, its presets and scenarios, and nothing
    compiled."""
    workspace = ensure_sample_workspace(tmp_path / "data")
    assert workspace == tmp_path / "data" / "sample-workspace"
    config, node, java, place = load_workspace_functions(workspace)
    assert (place.name, place.runtime, place.handler, place.memory_mb, place.timeout_s) == (
        "PlaceOrder", "python3.12", "lambda_function.lambda_handler", 512, 10)
    assert [p.name for p in PresetStore(workspace).list("PlaceOrder")] == ["new-order", "empty"]
    assert sorted(p.name for p in (workspace / "scenarios").iterdir()) == [
        "place-order.yaml", "upload-elsewhere.yaml", "upload-order.yaml"]
    assert (config.name, config.runtime, config.handler) == (
        "OrderConfirmation", "python3.12", "lambda_function.lambda_handler")
    assert (node.name, node.runtime, node.handler) == ("OrderConfirmationNode", "nodejs22.x", "index.handler")
    assert (java.name, java.runtime, java.handler) == ("OrderConfirmationJava", "java21", "example.OrderConfirmation")
    assert [p.name for p in PresetStore(workspace).list("OrderConfirmationJava")] == [
        "big-order", "missing-email", "new-order", "empty"]
    # Its SDK client's import alone can take over 3 s under 128 MB's CPU share.
    assert (config.memory_mb, config.timeout_s) == (512, 10)
    assert "EMAIL_API_TOKEN" in config.env_dict()
    assert [(p.name, p.scope) for p in PresetStore(workspace).list("OrderConfirmation")] == [
        ("big-order", "function"), ("missing-email", "function"), ("new-order", "function"),
        ("empty", "shared")]
    assert all(p.problem is None for p in PresetStore(workspace).list("OrderConfirmation"))
    assert not list(workspace.rglob("__pycache__")) and not list(tmp_path.glob("data/.*"))


def test_an_edited_copy_is_never_overwritten(tmp_path):
    """Once the user has edited the sample, asking for it again returns their copy as it is."""
    workspace = ensure_sample_workspace(tmp_path)
    handler = workspace / "order_confirmation" / "lambda_function.py"
    handler.write_text("# my edits\n")
    (workspace / "events" / "empty.json").unlink()
    assert ensure_sample_workspace(tmp_path) == workspace
    assert handler.read_text() == "# my edits\n"
    assert not (workspace / "events" / "empty.json").exists()


def test_editing_the_copy_leaves_the_shipped_sample_alone(workspace):
    """The installed sample keeps its content whatever happens to the copy."""
    (workspace / "workbench.json").write_text("{}")
    assert "OrderConfirmation" in resource_path("sample_workspace", "workbench.json").read_text()


def test_new_order_is_confirmed_with_its_total(workspace, handler_module, capsys, caplog):
    """The everyday preset returns 200 with the order's total, and the handler logs as it goes."""
    caplog.set_level(logging.INFO)
    response = handler_module.lambda_handler(_event(workspace, "new-order"), _context())
    assert response["statusCode"] == 200
    body = json.loads(response["body"])
    assert (body["order_id"], body["total"], body["item_count"]) == ("ORD-1001", "59.99", 3)
    assert body["email"] == "maria.garcia@example.com"
    assert "Workbench Books" in body["message"]
    assert "8f5e2b1c" in capsys.readouterr().out
    assert "Order ORD-1001 confirmed" in caplog.text
    assert "dummy-token" not in caplog.text
    from moto.ses.models import ses_backends

    [mail] = ses_backends["123456789012"]["us-east-1"].sent_messages
    assert (mail.source, mail.destinations["ToAddresses"], mail.subject) == (
        "Workbench Books <orders@workbench-books.example>", ["maria.garcia@example.com"],
        "Your order ORD-1001 is confirmed")
    assert "Total: <b>59.99 USD</b>" in mail.body


def test_big_order_adds_up_exactly(workspace, handler_module):
    """Many items at awkward prices still give a total to the cent."""
    response = handler_module.lambda_handler(_event(workspace, "big-order"), _context())
    body = json.loads(response["body"])
    assert (body["total"], body["item_count"]) == ("3177.38", 330)


def test_missing_email_fails_with_a_clear_message(workspace, handler_module):
    """The preset made to fail raises a ValueError that names the missing field."""
    with pytest.raises(ValueError, match="customer.email"):
        handler_module.lambda_handler(_event(workspace, "missing-email"), _context())


def test_empty_event_fails_on_the_first_field(workspace, handler_module):
    """The shared empty preset fails too, naming order_id."""
    event = json.loads((workspace / "events" / "empty.json").read_text())
    with pytest.raises(ValueError, match="order_id"):
        handler_module.lambda_handler(event, _context())
