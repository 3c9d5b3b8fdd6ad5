"""`lambda-workbench mcp --port`: streamable HTTP on 127.0.0.1 for this user's processes only; a secret is
masked in describe_function; tune_memory answers with figures per size; agent runs appear in an open
window's History like runs from any other process."""

import asyncio
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from mcp import Client

from mcp_clients import with_client
from window_helpers import make_window, workspace  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parent.parent


def _start_http(workspace):
    server = subprocess.Popen([sys.executable, "-m", "workbench", "mcp", "--workspace", str(workspace), "--port", "0"],
                              cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
    line = server.stderr.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/mcp", line)
    assert match, line
    return server, f"http://127.0.0.1:{match[1]}/mcp"


def test_streamable_http_on_loopback_serves_the_same_tools(workspace):  # noqa: F811
    """Over HTTP the client lists the tools and invokes; SIGTERM ends the server cleanly."""
    server, url = _start_http(workspace)
    try:
        async def main():
            async with Client(url, read_timeout_seconds=60) as client:
                tools = {tool.name for tool in (await client.list_tools()).tools}
                run = await client.call_tool("invoke", {"function": "OrderConfirmation", "preset": "new-order"})
                return tools, run

        tools, run = asyncio.run(main())
        assert "invoke" in tools and "diff_runs" in tools
        assert run.structured_content["status"] == "success" and run.structured_content["source"] == "agent"
    finally:
        server.terminate()
        assert server.wait(timeout=20) == 0


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("curl"), reason="needs root (and curl) to connect as another user")
def test_another_users_process_is_refused(workspace):  # noqa: F811
    """A process of another uid gets 403 before anything is read; the server's log names its uid."""
    server, url = _start_http(workspace)
    try:
        # curl: the venv's interpreter may not be readable by another user.
        nobody = subprocess.run([shutil.which("curl"), "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                                 "-H", "Content-Type: application/json", "-d", "{}", url],
                                capture_output=True, text=True, timeout=30, user=65534, group=65534, cwd="/")
        assert nobody.stdout.strip() == "403", nobody.stderr
        # The same request from this user gets past the door (the SDK answers it: not a 403).
        request = urllib.request.Request(url, data=b"{}", method="POST", headers={
            "Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
        try:
            urllib.request.urlopen(request, timeout=10)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        assert status != 403
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert "uid 65534" in server.stderr.read()


def test_describe_function_masks_secrets_and_says_where_settings_came_from(workspace):  # noqa: F811
    """EMAIL_API_TOKEN's value never reaches the agent; each setting names its origin."""
    async def scenario(client):
        return await client.call_tool("describe_function", {"function": "OrderConfirmation"})

    document = with_client(workspace, scenario).structured_content
    variables = {v["name"]: v for v in document["environment"]}
    assert variables["EMAIL_API_TOKEN"]["masked"] and "dummy-token" not in str(document)
    assert variables["STORE_NAME"]["value"] == "Workbench Books"
    assert document["settings"]["memoryMB"] == {"value": 512, "origin": "workbench.json"}


def test_tune_memory_measures_each_size(workspace):  # noqa: F811
    """A short sweep: one object per size with its Duration and cost, and the sizes it recommends."""
    async def scenario(client):
        return await client.call_tool("tune_memory", {"function": "OrderConfirmation", "preset": "new-order",
                                                      "sizes": [128, 256], "runs": 2})

    result = with_client(workspace, scenario)
    document = result.structured_content
    assert [size["memoryMB"] for size in document["sizes"]] == [128, 256]
    assert all(size["runs"] == 2 and size["avgCostUSD"] > 0 for size in document["sizes"])
    assert document["cheapestMB"] in (128, 256)


def test_agent_runs_appear_in_an_open_windows_history(qtbot, make_window, workspace):  # noqa: F811
    """A run an agent makes through the server is listed by the open window, from "agent", without a refresh."""
    window = make_window(workspace)
    window.history.show()  # a short test window starts with History closed
    assert window.history.panel.model.total() == 0

    async def scenario(client):
        return await client.call_tool("invoke", {"function": "OrderConfirmation", "preset": "new-order"})

    run_id = with_client(workspace, scenario).structured_content["runId"]
    qtbot.waitUntil(lambda: window.history.panel.model.total() == 1, timeout=5000)
    summary = window.history.panel.model.summary(0)
    assert summary.id == run_id and summary.source == "agent"
