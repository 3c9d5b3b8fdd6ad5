"""The Serve toggle in the window: serving the open workspace on the window's run session, every incoming
call listed live, schedules ticked and fired, and the ports closed when serving stops."""

import asyncio
import http.client
import json
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

from serving_window import serving_window
from workbench.core.workspace.sample_workspace import ensure_sample_workspace
from workbench.engine.services_host import stop_host


def _post(base, path, body):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("POST", path, body=body)
    response = connection.getresponse()
    answer = response.status, response.read()
    connection.close()
    return answer


def test_serve_toggle_lists_incoming_calls_live(qapp, qtbot, tmp_path, monkeypatch):
    """Toggling Serve starts both ports; a boto3 invoke and a curl-style POST /orders show up as rows and in
    history; Run on AWS (pointed at the same serve) shows its result and is recorded as remote."""
    workspace = ensure_sample_workspace(tmp_path / "data")
    window, loop = serving_window(qapp, qtbot, workspace, tmp_path)
    controller = window.serve_controller
    panel = window.serve_panel

    async def scenario():
        panel.toggle.click()
        for _ in range(500):
            if controller.server is not None:
                break
            await asyncio.sleep(0.01)
        server = controller.server
        assert panel.toggle.isChecked() and server.lambda_url in panel.status.text()
        client = boto3.client("lambda", endpoint_url=server.lambda_url, region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x",
                              config=Config(retries={"max_attempts": 1}))
        order = (workspace / "events" / "OrderConfirmation" / "new-order.json").read_bytes()
        reply = await asyncio.to_thread(client.invoke, FunctionName="OrderConfirmation", Payload=order)
        assert reply["StatusCode"] == 200
        status, body = await asyncio.to_thread(_post, server.api_url, "/orders", order)
        assert status == 201 and json.loads(body) == {"order_id": "ORD-1001", "status": "placed"}
        # The Orders table's stream runs OrderConfirmation through this same Invoke API: a row of its own.
        for _ in range(3000):
            if panel.calls.rowCount() >= 3:
                break
            await asyncio.sleep(0.01)
        status, _ = await asyncio.to_thread(_post, server.api_url, "/nowhere", b"")
        for _ in range(200):
            if panel.calls.rowCount() >= 4:
                break
            await asyncio.sleep(0.01)
        rows = panel.row_texts()
        # Run on AWS, pointed at this serve (it speaks the same API): the result lands in the panels.
        for name, value in (("AWS_ACCESS_KEY_ID", "x"), ("AWS_SECRET_ACCESS_KEY", "x"),
                            ("AWS_DEFAULT_REGION", "us-east-1")):
            monkeypatch.setenv(name, value)
        controller.remote_endpoint_url = server.lambda_url
        remote = []
        controller.remote_finished.connect(remote.append)
        window.menus.run_on_aws.trigger()
        for _ in range(1000):
            if remote:
                break
            await asyncio.sleep(0.01)
        window.grab().save(str(tmp_path / "serving.png"))
        panel.toggle.click()
        # Stopping unregisters from the services host first (off the Qt thread), then says "Not serving".
        for _ in range(3000):
            if controller.server is None and panel.status.text().startswith("Not serving"):
                break
            await asyncio.sleep(0.01)
        return rows, server, remote

    try:
        rows, server, remote = loop.run_until_complete(asyncio.wait_for(scenario(), 60))
    finally:
        window.session.shutdown()
        loop.close()
        asyncio.set_event_loop(None)
    assert rows[0][1:3] == ["POST OrderConfirmation", "200"]
    assert rows[1][1:3] == ["POST /orders", "201"] and rows[1][4] == "PlaceOrder"
    assert rows[2][1:3] == ["POST OrderConfirmation", "200"]  # called by the stream's trigger
    assert rows[3][1:3] == ["POST /nowhere", "404"] and "no route matches POST /nowhere" in rows[3][4]
    assert "no route matches POST /nowhere" in panel.detail.text()
    assert not panel.toggle.isChecked() and panel.status.text().startswith("Not serving")
    (record,) = remote
    assert record.source == "remote" and record.result.succeeded and record.result.memory_size_mb == 512
    assert "on AWS (us-east-1) succeeded" in window.statusBar().currentMessage()
    assert any(line.startswith("REPORT RequestId: ") for line in record.log)
    # Served calls and the run on AWS are in the window's history, marked by where they came from.
    sources = [run.source for run in window.run_history.store.list("OrderConfirmation", limit=100)]
    assert sources.count("serve") == 2 and sources.count("dynamodb") == 1 and sources.count("remote") == 1
    assert [run.source for run in window.run_history.store.list("PlaceOrder")] == ["serve"]
    stop_host(workspace)
    assert window.session.engine.max_environments == 1  # the window's own runs are one at a time again


def test_serving_follows_the_workspace_the_window_opens(qapp, qtbot, tmp_path):
    """Open another folder while serving: the endpoint now serves that folder's functions."""
    first = ensure_sample_workspace(tmp_path / "data")
    other = tmp_path / "other"
    (other / "fn").mkdir(parents=True)
    (other / "fn" / "app.py").write_text("def handler(event, context):\n    return 'other'\n")
    (other / "workbench.json").write_text(json.dumps({"functions": [
        {"name": "Other", "handler": "app.handler", "runtime": "python3.12", "codeUri": "fn"}]}))
    window, loop = serving_window(qapp, qtbot, first, tmp_path)
    controller = window.serve_controller

    async def scenario():
        await controller.start()
        window.open_workspace(other)
        for _ in range(500):
            if controller.server is not None and controller.server.caller.folder == other.resolve():
                break
            await asyncio.sleep(0.01)
        client = boto3.client("lambda", endpoint_url=controller.server.lambda_url, region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x")
        reply = await asyncio.to_thread(client.invoke, FunctionName="Other")
        await controller.stop()
        return json.loads(reply["Payload"].read())

    try:
        assert loop.run_until_complete(asyncio.wait_for(scenario(), 60)) == "other"
    finally:
        window.session.shutdown()
        loop.close()
        asyncio.set_event_loop(None)
