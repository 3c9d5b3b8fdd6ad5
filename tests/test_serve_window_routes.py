"""The Serve panel lists the routes it answers, and a call whose function failed reads as failed even though
the Invoke API answered it 200 (with X-Amz-Function-Error); History says where each run came from."""

import asyncio

import boto3
from botocore.config import Config

from serving_window import serving_window
from workbench.ui.serve_panel import _ERROR
from workbench.core.workspace.sample_workspace import ensure_sample_workspace


def test_routes_listed_and_a_failed_function_shows_as_failed(qapp, qtbot, tmp_path):
    workspace = ensure_sample_workspace(tmp_path / "data")
    window, loop = serving_window(qapp, qtbot, workspace, tmp_path)
    controller, panel = window.serve_controller, window.serve_panel

    async def scenario():
        panel.toggle.click()
        for _ in range(500):
            if controller.server is not None:
                break
            await asyncio.sleep(0.01)
        status_text = panel.status.text()
        client = boto3.client("lambda", endpoint_url=controller.server.lambda_url, region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x",
                              config=Config(retries={"max_attempts": 1}))
        reply = await asyncio.to_thread(client.invoke, FunctionName="OrderConfirmation", Payload=b'{"items": []}')
        for _ in range(200):
            if panel.calls.rowCount() >= 1:
                break
            await asyncio.sleep(0.01)
        rows = panel.row_texts()
        colour = panel.calls.item(0, 2).foreground().color()
        panel.toggle.click()
        for _ in range(500):
            if controller.server is None:
                break
            await asyncio.sleep(0.01)
        return status_text, reply, rows, colour

    try:
        status_text, reply, rows, colour = loop.run_until_complete(asyncio.wait_for(scenario(), 60))
    finally:
        window.session.shutdown()
        loop.close()
        asyncio.set_event_loop(None)
    assert "POST   /orders  →  PlaceOrder" in status_text
    assert reply["StatusCode"] == 200 and reply["FunctionError"] == "Unhandled"
    assert rows[0][1:3] == ["POST OrderConfirmation", "200 ValueError"]
    assert "the function failed: ValueError" in rows[0][4]
    assert colour == _ERROR  # the failure colour, as a 4xx or 5xx answer has
    assert "→ 200 ValueError" in panel.detail.text()
    # History: the Source column says "serve", and the Preset column names the caller (the Invoke API and the
    # SDK that called it) for a run without a preset.
    model = window.history.panel.model
    model.refresh()
    qtbot.waitUntil(lambda: model.rowCount() >= 1, timeout=5000)
    assert model.headerData(9, qtbot_horizontal()) == "Source"
    assert model.data(model.index(0, 9)) == "serve" and model.data(model.index(0, 2)).startswith("Invoke API · Boto3/")


def qtbot_horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal
