"""History in the window: a memory sweep is one row (and out of the charts) until Sweep calls is ticked, and a
served call shows its route or its caller where there is no preset."""

import asyncio
import http.client
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from PySide6.QtCore import Qt

from serving_window import serving_window
from window_helpers import make_window, workspace  # noqa: F401 - fixtures
from workbench.core.workspace.sample_workspace import ensure_sample_workspace
from workbench.engine.services_host import stop_host
from workbench.ui.history.history_model import COLUMNS

TIMEOUT_MS = 60_000
CALLER = COLUMNS.index(next(c for c in COLUMNS if c[0].startswith("Preset")))


def _texts(model, column):
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def test_a_sweep_is_one_row_in_history_and_out_of_the_charts(qtbot, make_window, workspace):
    """Two runs of the preset, then Tune Memory at 128 and 256 MB, 2 calls each: History lists 3 rows (the
    sweep as "(sweep) 4 calls" at "128–256 MB"), the charts show the 2 runs; Sweep calls lists and charts
    all 6."""
    window = make_window(workspace)
    preset = window.presets.current.name
    for _ in range(2):
        with qtbot.waitSignals([window.run_finished, window.session.run_recorded], timeout=TIMEOUT_MS):
            window.toolbar.run_action.trigger()
    view = window.tune_memory()
    view.sizes_field.setText("128,256")
    view.runs_field.setValue(2)
    with qtbot.waitSignal(view.sweep_finished, timeout=TIMEOUT_MS):
        view.start_button.click()
    panel = window.history.panel
    sweep = "(sweep) 4 calls"
    # Until the history has all four calls (written on its own thread), the row counts fewer.
    qtbot.waitUntil(lambda: _texts(panel.model, CALLER)[:1] == [sweep], timeout=5000)
    captions = _texts(panel.model, CALLER)
    assert panel.model.total() == 3
    memory = COLUMNS.index(next(c for c in COLUMNS if c[0] == "Max Memory"))
    assert panel.model.data(panel.model.index(0, memory)) == "128–256 MB"
    assert captions[1:] == [preset, preset]
    assert "One memory sweep: 4 calls" in panel.model.data(panel.model.index(0, CALLER), Qt.ItemDataRole.ToolTipRole)
    charts = window.history.show_charts()
    window.history.chart_function("OrderConfirmation")
    assert len(charts.data().run_ids) == 2
    panel.sweep_calls.setChecked(True)
    assert panel.model.total() == 6 and _texts(panel.model, CALLER)[:4] == [preset] * 4
    assert len(charts.data().run_ids) == 6
    panel.sweep_calls.setChecked(False)
    assert panel.model.total() == 3
    memory = COLUMNS.index(next(c for c in COLUMNS if c[0] == "Max Memory"))
    assert panel.model.data(panel.model.index(0, memory)) == "128–256 MB" and len(charts.data().run_ids) == 2


def _post(base, path, body):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("POST", path, body=body)
    connection.getresponse().read()
    connection.close()


def test_served_calls_show_their_route_or_caller_in_history(qapp, qtbot, tmp_path):
    """A POST /orders to the front door and a boto3 invoke to the Invoke API: History's Preset / caller column
    reads "POST /orders" and "Invoke API · Boto3/…", with the source serve; the run the order's stream record
    triggered between them has the source dynamodb."""
    workspace = ensure_sample_workspace(tmp_path / "data")
    window, loop = serving_window(qapp, qtbot, workspace, tmp_path)
    controller = window.serve_controller
    order = (workspace / "events" / "OrderConfirmation" / "new-order.json").read_bytes()

    async def scenario():
        await controller.start()
        server = controller.server
        await asyncio.to_thread(_post, server.api_url, "/orders", order)
        for _ in range(3000):  # the stream's run of OrderConfirmation, before the next call
            if window.run_history.store.count("OrderConfirmation"):
                break
            await asyncio.sleep(0.01)
        client = boto3.client("lambda", endpoint_url=server.lambda_url, region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x",
                              config=Config(retries={"max_attempts": 1}))
        await asyncio.to_thread(client.invoke, FunctionName="OrderConfirmation", Payload=order)
        await controller.stop()

    try:
        loop.run_until_complete(asyncio.wait_for(scenario(), 60))
        panel = window.history.panel
        qtbot.waitUntil(lambda: panel.model.total() == 3, timeout=5000)
        captions = _texts(panel.model, CALLER)
    finally:
        window.session.shutdown()
        loop.close()
        asyncio.set_event_loop(None)
        stop_host(workspace)
    assert captions[2] == "POST /orders"
    assert captions[0].startswith("Invoke API · Boto3/")
    assert _texts(panel.model, COLUMNS.index(("Source", COLUMNS[-1][1])))[:3] == ["serve", "dynamodb", "serve"]
