"""boto3 invokes per second against `lambda-workbench serve`, beside aiohttp's own hello-world measured in
the same run (the floor: the same client and the same HTTP library, no function behind it).

    .venv/bin/python scripts/bench_serve.py [--calls 1000] [--threads 1,10]

Each row: calls per second and the median and 99th-percentile latency of one call, sequential (1 thread)
and with 10 threads (serve then runs up to 10 environments of the function).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
from botocore.config import Config

REPO = Path(__file__).resolve().parent.parent
HELLO_WORLD = """
import sys
from aiohttp import web

async def hello(request):
    await request.read()
    return web.Response(body=b'{"hello": "world"}', content_type="application/json")

app = web.Application()
app.router.add_route("*", "/{tail:.*}", hello)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=lambda *a: print("ready", flush=True))
"""


def free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_serve(workspace: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "workbench", "serve", "--workspace", str(workspace),
                                "--lambda-port", "0", "--api-port", "0", "--quiet", "--no-history"],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        if line.startswith("Lambda Invoke API: "):
            url = line.split(": ", 1)[1].strip()
        if line.startswith("Ready."):
            return process, url
    raise SystemExit("serve did not start")


def start_hello_world() -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", HELLO_WORLD, str(port)], stdout=subprocess.PIPE, text=True)
    process.stdout.readline()
    return process, f"http://127.0.0.1:{port}"


def client(url: str, pool: int):
    return boto3.client("lambda", endpoint_url=url, region_name="us-east-1", aws_access_key_id="bench",
                        aws_secret_access_key="bench",
                        config=Config(retries={"max_attempts": 1}, max_pool_connections=pool))


def measure(url: str, calls: int, threads: int) -> tuple[float, float, float]:
    lambda_client = client(url, threads)

    def one(n: int) -> float:
        started = time.perf_counter()
        reply = lambda_client.invoke(FunctionName="Bench", Payload=json.dumps({"n": n}).encode())
        reply["Payload"].read()
        return time.perf_counter() - started

    with ThreadPoolExecutor(threads) as pool:
        # Warm first, as many at once as measured: every environment started, every connection open.
        list(pool.map(one, range(threads * 5)))
        started = time.perf_counter()
        latencies = sorted(pool.map(one, range(calls)))
    elapsed = time.perf_counter() - started
    return calls / elapsed, statistics.median(latencies) * 1000, latencies[int(len(latencies) * 0.99) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--threads", default="1,10")
    args = parser.parse_args()
    workspace = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    (workspace / "fn").mkdir()
    (workspace / "fn" / "app.py").write_text("def handler(event, context):\n    return {'n': event.get('n')}\n")
    (workspace / "workbench.json").write_text(json.dumps({"functions": [
        {"name": "Bench", "handler": "app.handler", "runtime": "python3.12", "codeUri": "fn"}]}))
    serve, serve_url = start_serve(workspace)
    hello, hello_url = start_hello_world()
    try:
        print(f"{args.calls} boto3 invokes per row, {os.cpu_count()} CPUs\n")
        print(f"{'threads':>7}  {'target':<34} {'calls/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
        for threads in (int(t) for t in args.threads.split(",")):
            rows = [("aiohttp hello-world (floor)", measure(hello_url, args.calls, threads)),
                    ("lambda-workbench serve", measure(serve_url, args.calls, threads))]
            for name, (rate, p50, p99) in rows:
                print(f"{threads:>7}  {name:<34} {rate:>8.0f} {p50:>8.2f} {p99:>8.2f}")
            print(f"{'':>7}  serve reaches {rows[1][1][0] / rows[0][1][0]:.0%} of the floor's rate\n")
    finally:
        for process in (serve, hello):
            process.terminate()
            process.wait(timeout=20)


if __name__ == "__main__":
    main()
