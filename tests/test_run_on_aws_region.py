"""Run on AWS goes to the region the settings show: the function's own when nothing else is chosen, the
workspace's AWS region once applied; never botocore's "You must specify a region"."""

import asyncio

from PySide6.QtWidgets import QLineEdit, QPushButton

from serving_window import serving_window
from workbench.core.workspace.sample_workspace import ensure_sample_workspace


def test_run_on_aws_uses_the_region_the_settings_show(qapp, qtbot, tmp_path, monkeypatch):
    """No region in the shell or a profile: Run on AWS runs in the function's us-east-1 (the status bar says
    so); after the AWS settings apply eu-west-2, the next Run on AWS runs there."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    workspace = ensure_sample_workspace(tmp_path / "data")
    window, loop = serving_window(qapp, qtbot, workspace, tmp_path)
    controller = window.serve_controller
    problems, remote, messages = [], [], []
    controller.problem.connect(problems.append)
    controller.remote_finished.connect(remote.append)

    async def run_on_aws():
        count = len(remote)
        window.menus.run_on_aws.trigger()
        for _ in range(1000):
            if len(remote) > count or problems:
                break
            await asyncio.sleep(0.01)
        messages.append(window.statusBar().currentMessage())

    async def scenario():
        await controller.start()
        controller.remote_endpoint_url = controller.server.lambda_url
        await run_on_aws()
        panel = window.dependencies_panel
        panel.findChild(QLineEdit, "aws_region").setText("eu-west-2")
        panel.findChild(QPushButton, "aws_apply").click()
        await run_on_aws()
        await controller.stop()

    try:
        loop.run_until_complete(asyncio.wait_for(scenario(), 60))
    finally:
        window.session.shutdown()
        loop.close()
        asyncio.set_event_loop(None)
    assert problems == []
    first, second = remote
    assert first.result.succeeded and first.config.region == "us-east-1"
    assert "on AWS (us-east-1)" in messages[0]
    assert second.config.region == "eu-west-2" and "on AWS (eu-west-2)" in messages[1]
    assert ":eu-west-2:" in second.config.function_arn
