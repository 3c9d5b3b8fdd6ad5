"""An invoke through `lambda-workbench mcp` (the SDK's client over stdio, the server a child process)
against the same invoke through the run session directly, both on a warm environment of the same
function with the same preset, both recording into history, interleaved in blocks in the same run.

    .venv/bin/python scripts/bench_mcp.py [--calls 300] [--block 20]

What MCP adds per call: JSON-RPC framing over the pipes, the SDK's argument and output-schema checks,
reading the workspace and the preset afresh, and the answer's document (log, figures, frames).
Goal: within 50 ms of the direct call.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FUNCTION, PRESET = "OrderConfirmation", "new-order"


class McpCaller:
    """The SDK's client on an asyncio loop of its own thread; call() blocks until the answer is in."""

    def __init__(self, workspace: Path) -> None:
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._client = None
        self._thread = threading.Thread(target=self._run, args=(workspace,), daemon=True)
        self._thread.start()
        self._ready.wait(60)

    def _run(self, workspace: Path) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._session(workspace))

    async def _session(self, workspace: Path) -> None:
        from mcp import Client
        from mcp.client.stdio import StdioServerParameters

        params = StdioServerParameters(command=sys.executable, cwd=str(REPO),
                                       args=["-m", "workbench", "mcp", "--workspace", str(workspace)])
        self._stop = asyncio.Event()
        async with Client(params, read_timeout_seconds=60) as client:
            self._client = client
            self._ready.set()
            await self._stop.wait()

    def call(self) -> dict:
        future = asyncio.run_coroutine_threadsafe(
            self._client.call_tool("invoke", {"function": FUNCTION, "preset": PRESET}), self._loop)
        result = future.result(60)
        if result.is_error:
            raise SystemExit(f"invoke through MCP failed: {result.content}")
        return result.structured_content

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


class DirectCaller:
    """The same call as the server makes it: prepared from the workspace's preset, run through a
    RunSession whose history is written in the background, waited for in a Qt event loop."""

    def __init__(self, workspace: Path) -> None:
        from PySide6.QtCore import QCoreApplication

        from workbench.agent.serving import open_session
        from workbench.core.function.invocation_request import prepare_invocation
        from workbench.core.workspace.preset_store import PresetStore
        from workbench.core.workspace.workspace import load_workspace

        self.app = QCoreApplication.instance() or QCoreApplication([])
        self.session = open_session(workspace, self.app)
        self._prepare = lambda: prepare_invocation(
            load_workspace(workspace).function(FUNCTION).config,
            next(p for p in PresetStore(workspace).list(FUNCTION) if p.name == PRESET).text, PRESET, preset=PRESET)

    def call(self):
        from PySide6.QtCore import QEventLoop

        run = self.session.run(self._prepare(), "cli")
        loop = QEventLoop()
        run.finished.connect(loop.quit)
        if not run.done:
            loop.exec()
        return run.record

    def close(self) -> None:
        self.session.shutdown()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="calls each way (default 300)")
    parser.add_argument("--block", type=int, default=20, help="calls in a row before switching (default 20)")
    args = parser.parse_args()
    from workbench.core.workspace.sample_workspace import ensure_sample_workspace

    folder = Path(tempfile.mkdtemp(prefix="bench-mcp-"))
    try:
        workspace = ensure_sample_workspace(folder / "data")
        mcp, direct = McpCaller(workspace), DirectCaller(workspace)
        times: dict[str, list[float]] = {"mcp": [], "direct": []}
        durations: dict[str, list[float]] = {"mcp": [], "direct": []}
        for caller in (mcp, direct):  # warm both environments first: only warm calls are measured
            caller.call()
        while len(times["direct"]) < args.calls:
            for name, caller in (("mcp", mcp), ("direct", direct)):
                for _ in range(min(args.block, args.calls - len(times[name]))):
                    started = time.perf_counter()
                    answer = caller.call()
                    times[name].append((time.perf_counter() - started) * 1000)
                    durations[name].append(answer["report"]["durationMs"] if name == "mcp"
                                           else answer.result.duration_ms)
        mcp.close()
        direct.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{args.calls} warm invokes each way of {FUNCTION} with preset {PRESET}, in blocks of {args.block}:")
    print(f"{'path':<44}{'p50':>10}{'p99':>10}{'Duration p50':>15}")
    rows = (("through MCP (stdio, SDK client, server process)", "mcp"), ("through the run session directly", "direct"))
    for label, name in rows:
        print(f"{label:<44}{percentile(times[name], 50):>8.2f} ms{percentile(times[name], 99):>8.2f} ms"
              f"{statistics.median(durations[name]):>12.2f} ms")
    added50 = percentile(times["mcp"], 50) - percentile(times["direct"], 50)
    added99 = percentile(times["mcp"], 99) - percentile(times["direct"], 99)
    print(f"MCP adds {added50:+.2f} ms p50, {added99:+.2f} ms p99 (goal: within 50 ms); "
          f"{percentile(times['mcp'], 50) / percentile(times['direct'], 50):.1f}x the direct call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
