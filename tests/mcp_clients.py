"""Driving `lambda-workbench mcp` with the mcp SDK's own client, over stdio (the server is a real child
process) or streamable HTTP."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from mcp import Client
from mcp.client.stdio import StdioServerParameters

CALL_TIMEOUT_S = 60


def server_parameters(workspace: Path, *options: str) -> StdioServerParameters:
    # The test session's environment (its private cache, fixed credentials, the mark that lets the session
    # stop what a server left running, such as the workspace's services host); the SDK passes only a few
    # variables by default.
    return StdioServerParameters(command=sys.executable,
                                 args=["-m", "workbench", "mcp", "--workspace", str(workspace), *options],
                                 cwd=str(Path(__file__).resolve().parent.parent), env=dict(os.environ))


def with_client(workspace: Path, scenario, *options: str, mode: str = "auto"):
    """Run `await scenario(client)` against a server started over stdio; returns what it returns."""
    async def main():
        async with Client(server_parameters(workspace, *options), mode=mode,
                          read_timeout_seconds=CALL_TIMEOUT_S) as client:
            return await scenario(client)

    return asyncio.run(main())


def text_of(result) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)
