"""The workspace's local AWS, side by side with its floors and peers, measured in one run.

    .venv/bin/python scripts/bench_services.py [--starts 5] [--calls 200] [--warm 200]

Rows:
- host ready after launch (start_host returns: the process started, moto imported, listening, the record
  written), from empty and restoring the saved state; from empty also when a function's first call is
  answered (it waits for the template's 7 resources, created right after the host listens); beside it the
  floor, `python -c "import moto.server"` in a fresh process. Goal: under 2 s.
- the calls a handler makes (put_object, put_item, send_email, with boto3) through the host (the gateway:
  attribution, Outbox, sender check) against the same calls to moto's own server without the gateway and to
  moto in-process (mock_aws, no HTTP): what the host and the gateway add per call. Interleaved in blocks.
- a warm run through the run session of a handler that imports boto3 and calls nothing, local mode against
  account mode: what local mode adds to the Run path once warm (asking the host for the run's calls).
This machine is shared and noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TEMPLATE = """
Resources:
  Uploads: {Type: AWS::S3::Bucket, Properties: {BucketName: bench-uploads}}
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: bench-orders
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
  Jobs: {Type: AWS::SQS::Queue}
  Sender: {Type: AWS::SES::EmailIdentity, Properties: {EmailIdentity: shop@example.com}}
  ApiKey: {Type: AWS::SecretsManager::Secret, Properties: {SecretString: s3cr3t}}
  Greeting: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: hello}}
  Quiet:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: ., MemorySize: 1024}
"""
BARE_SERVER = ("import sys, threading\nfrom moto.server import ThreadedMotoServer\n"
               "s = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)\ns.start()\n"
               "print(s.get_host_and_port()[1], flush=True)\nthreading.Event().wait()\n")
QUIET_HANDLER = "import boto3\n\ndef handler(event, context):\n    return {'ok': True}\n"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def line(name: str, samples: list[float], floor: float | None = None) -> None:
    ratio = f"  {statistics.median(samples) / floor:5.2f}x" if floor else ""
    print(f"  {name:<44} median {median_ms(samples):8.2f} ms  p90 {sorted(samples)[int(len(samples) * .9)] * 1000:8.2f} ms{ratio}")


def _first_call(endpoint: str) -> None:
    """A function's first call (it waits for the template's resources): a raw signed-looking request, so
    that no boto3 client is made in the measured time."""
    import urllib.request

    request = urllib.request.Request(endpoint + "/bench-uploads?list-type=2", headers={
        "Authorization": "AWS4-HMAC-SHA256 Credential=ASIAWORKBENCHBENCH01/20260101/us-east-1/s3/aws4_request, "
                         "SignedHeaders=host, Signature=0"})
    urllib.request.urlopen(request, timeout=60).read()


def host_starts(workspace: Path, count: int) -> tuple[list[float], list[float], list[float], list[float]]:
    from workbench.engine.services_host import start_host, stop_host

    empty, first_call, restored, floor = [], [], [], []
    for _ in range(count):
        begin = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import moto.server"], check=True)
        floor.append(time.perf_counter() - begin)
        shutil.rmtree(workspace / ".workbench", ignore_errors=True)
        begin = time.perf_counter()
        record = start_host(workspace)
        empty.append(time.perf_counter() - begin)
        _first_call(record.endpoint)
        first_call.append(time.perf_counter() - begin)
        stop_host(workspace)  # saves: the next start restores
        begin = time.perf_counter()
        start_host(workspace)
        restored.append(time.perf_counter() - begin)
        stop_host(workspace)
    return empty, first_call, restored, floor


def _calls(ses, s3, dynamodb, number: int) -> None:
    s3.put_object(Bucket="bench-uploads", Key=f"o/{number}", Body=b"x" * 512)
    dynamodb.put_item(TableName="bench-orders", Item={"id": {"S": str(number)}, "total": {"N": "12.5"}})
    ses.send_email(Source="shop@example.com", Destination={"ToAddresses": ["ada@example.com"]},
                   Message={"Subject": {"Data": f"Order {number}"}, "Body": {"Text": {"Data": "Thanks"}}})


def _clients(endpoint: str | None, key: str = "ASIAWORKBENCHBENCH01"):
    import boto3
    from botocore.config import Config

    config = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})
    return [boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key,
                         aws_secret_access_key="bench", config=config) for service in ("ses", "s3", "dynamodb")]


def _prepare(ses, s3, dynamodb) -> None:
    try:
        s3.create_bucket(Bucket="bench-uploads")
        dynamodb.create_table(TableName="bench-orders", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                              BillingMode="PAY_PER_REQUEST")
    except Exception:  # noqa: BLE001 - the host made them from the template
        pass
    ses.verify_email_identity(EmailAddress="shop@example.com")


def round_trips(workspace: Path, count: int, block: int = 10) -> dict[str, list[float]]:
    from moto import mock_aws

    from workbench.engine.services_host import start_host

    host = start_host(workspace)
    bare = subprocess.Popen([sys.executable, "-c", BARE_SERVER], stdout=subprocess.PIPE, text=True)
    bare_endpoint = "http://127.0.0.1:" + bare.stdout.readline().strip()
    try:
        return _round_trips(host.endpoint, bare_endpoint, mock_aws(), count, block)
    finally:
        bare.kill()
        bare.wait()


def _round_trips(host_endpoint: str, bare_endpoint: str, mock, count: int, block: int) -> dict[str, list[float]]:
    routes = {"through the host (gateway + moto, own process)": _clients(host_endpoint),
              "moto's own server, no gateway (own process)": _clients(bare_endpoint)}
    for clients in routes.values():
        _prepare(*clients)
    mock.start()
    in_process = _clients(None)
    _prepare(*in_process)
    mock.stop(remove_data=False)
    samples: dict[str, list[float]] = {name: [] for name in [*routes, "moto in-process (mock_aws, no HTTP)"]}
    number = 0
    for _ in range(max(1, count // block)):
        for name, clients in routes.items():
            for _ in range(block):
                number += 1
                begin = time.perf_counter()
                _calls(*clients, number)
                samples[name].append(time.perf_counter() - begin)
        mock.start(reset=False)  # keeps the bucket and table made first
        for _ in range(block):
            number += 1
            begin = time.perf_counter()
            _calls(*in_process, number)
            samples["moto in-process (mock_aws, no HTTP)"].append(time.perf_counter() - begin)
        mock.stop(remove_data=False)
    return samples


def warm_runs(workspace: Path, count: int) -> dict[str, list[float]]:
    """Warm runs of a handler that calls nothing, local mode against account mode, interleaved in blocks."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from workbench.core.function.invocation_request import prepare_invocation
    from workbench.core.services.settings import LocalServices
    from workbench.core.workspace.workspace import load_workspace
    from workbench.engine.run_session import RunSession

    app = QCoreApplication.instance() or QCoreApplication([])
    config = load_workspace(workspace).function("Quiet").config
    sessions = {"local mode (calls asked of the host after the run)": RunSession(parent=app),
                "account mode": RunSession(parent=app)}
    first, second = sessions.values()
    first.set_aws(None, "us-east-1", {}, LocalServices(str(workspace), "us-east-1"))
    second.set_aws(None, "us-east-1", {})
    prepared = prepare_invocation(config, b"{}")
    samples: dict[str, list[float]] = {name: [] for name in sessions}
    for round_number in range(11):
        for name, session in sessions.items():
            for _ in range(max(1, count // 10)):
                loop = QEventLoop()
                begin = time.perf_counter()
                run = session.run(prepared, source="cli")
                run.finished.connect(loop.quit)
                loop.exec()
                if round_number:  # the first round warms both up
                    samples[name].append(time.perf_counter() - begin)
                if not run.record.result.succeeded:
                    raise SystemExit(run.record.result.payload_text())
    for session in sessions.values():
        session.shutdown()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--warm", type=int, default=200)
    args = parser.parse_args()
    from workbench.engine.services_host import stop_host

    workspace = Path(tempfile.mkdtemp(prefix="bench-services-"))
    os.environ.setdefault("LAMBDA_WORKBENCH_CACHE", str(workspace / ".cache"))
    (workspace / "template.yaml").write_text(TEMPLATE)
    (workspace / "app.py").write_text(QUIET_HANDLER)
    try:
        print(f"Host ready after launch ({args.starts} starts each; goal: under 2 s):")
        empty, first_call, restored, floor = host_starts(workspace, args.starts)
        line("floor: python -c 'import moto.server'", floor)
        line("from empty: ready (listening)", empty, statistics.median(floor))
        line("from empty: a function's first call answered", first_call, statistics.median(floor))
        line("restoring the saved state", restored, statistics.median(floor))
        print(f"\nput_object + put_item + send_email, one round each ({args.calls} rounds per route):")
        samples = round_trips(workspace, args.calls)
        floor_route = statistics.median(samples["moto in-process (mock_aws, no HTTP)"])
        for name, values in samples.items():
            line(name, values, floor_route)
        print(f"\nWarm run of a handler that calls nothing ({args.warm} runs per mode):")
        runs = warm_runs(workspace, args.warm)
        account = statistics.median(runs["account mode"])
        for name, values in runs.items():
            line(name, values, account)
    finally:
        stop_host(workspace)
        shutil.rmtree(workspace, ignore_errors=True)


if __name__ == "__main__":
    main()
