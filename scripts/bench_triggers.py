"""How fast triggers reach a warm function, beside the same step done directly (the floor), in one run.

    .venv/bin/python scripts/bench_triggers.py [--repeat 15] [--messages 200]

A scratch workspace (a bucket, a table with a stream, a queue, a Python function for each) is served with
`lambda-workbench serve`, which starts its services host and makes the triggers live. The handler returns
`time.time()` as its first statement; a latency is that stamp minus the moment before the client call.
  object put -> handler START    S3 PutObject, asynchronous invocation
  item written -> stream START   DynamoDB PutItem, the stream poller (Lambda polls 4 times a second)
  SQS messages per second        MESSAGES messages at batch size 10
The floor is the same step done by hand: the same PutObject / PutItem, then the function invoked directly
through the Invoke API; for SQS, a bare loop on the same queue (receive 10, invoke directly, delete them).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from trigger_host import serve_and_host  # noqa: E402

from workbench.core.history.history_store import HistoryStore  # noqa: E402

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: python3.12, CodeUri: src, Handler: app.handler, MemorySize: 1769}
Resources:
  Bench: {Type: AWS::S3::Bucket, Properties: {BucketName: bench}}
  Items:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Items
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  Work: {Type: AWS::SQS::Queue, Properties: {QueueName: work}}
  Plain: {Type: AWS::S3::Bucket, Properties: {BucketName: plain}}
  PlainItems:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: PlainItems
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  OnPut:
    Type: AWS::Serverless::Function
    Properties:
      Events: {Put: {Type: S3, Properties: {Bucket: !Ref Bench, Events: s3:ObjectCreated:*}}}
  OnItem:
    Type: AWS::Serverless::Function
    Properties:
      Events: {Item: {Type: DynamoDB, Properties: {Stream: !GetAtt Items.StreamArn, StartingPosition: LATEST}}}
  OnMessage:
    Type: AWS::Serverless::Function
    Properties:
      Events: {Work: {Type: SQS, Properties: {Queue: !GetAtt Work.Arn, BatchSize: 10}}}
"""
HANDLER = "import time\n\ndef handler(event, context):\n    return time.time()\n"


def newest_stamp(store: HistoryStore, function: str, seen: int, limit_s: float = 30.0) -> float:
    """The handler's time stamp of the function's run number `seen + 1`."""
    deadline = time.time() + limit_s
    while time.time() < deadline:
        if store.count(function) > seen:
            newest = store.list(function, limit=1)[0]
            return float(json.loads(store.get(newest.id).result.payload))
        time.sleep(0.002)
    raise SystemExit(f"{function} did not run within {limit_s:.0f} s")


@contextlib.contextmanager
def paused(host, trigger: str):
    """The trigger paused while the floor runs, so the two never compete for the function."""
    host.control("triggers/pause", {"trigger": trigger, "paused": True})
    try:
        yield
    finally:
        host.control("triggers/pause", {"trigger": trigger, "paused": False})


def send(sqs, url: str, count: int) -> None:
    for first in range(0, count, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "x"}
                                                      for i in range(min(10, count - first))])


def p50(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-triggers-"))
    (folder / "template.yaml").write_text(TEMPLATE)
    (folder / "src").mkdir()
    (folder / "src" / "app.py").write_text(HANDLER)
    served, host = serve_and_host(folder)
    try:
        store = HistoryStore.for_workspace(folder)
        lam, s3, ddb, sqs = served.client(), host.client("s3"), host.client("dynamodb"), host.client("sqs")
        results = {}
        for function, action, by_hand in (
                ("OnPut", lambda n: s3.put_object(Bucket="bench", Key=f"k{n}", Body=b"x"),
                 lambda n: s3.put_object(Bucket="plain", Key=f"k{n}", Body=b"x")),
                ("OnItem", lambda n: ddb.put_item(TableName="Items", Item={"id": {"S": f"i{n}"}}),
                 lambda n: ddb.put_item(TableName="PlainItems", Item={"id": {"S": f"i{n}"}}))):
            direct, triggered = [], []
            for n in range(args.repeat + 1):  # the first call of each kind warms up and is not counted
                before = time.time()
                by_hand(n)  # the same write, to a resource without a trigger, then the call made directly
                stamp = float(lam.invoke(FunctionName=function, Payload=b"{}")["Payload"].read())
                if n:
                    direct.append(stamp - before)
                seen = store.count(function)
                # A moment at random, as events arrive: the stream poller's 250 ms rhythm is not in step.
                time.sleep(random.uniform(0, 0.3))
                before = time.time()
                action(n)
                stamp = newest_stamp(store, function, seen)
                if n:
                    triggered.append(stamp - before)
            results[function] = (triggered, direct)
        url = sqs.get_queue_url(QueueName="work")["QueueUrl"]
        with paused(host, "OnMessage.Work"):
            started = time.time()
            send(sqs, url, args.messages)
            done = 0
            while done < args.messages:
                messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
                records = [{"messageId": m["MessageId"], "body": m["Body"]} for m in messages]
                lam.invoke(FunctionName="OnMessage", Payload=json.dumps({"Records": records}).encode())
                if messages:
                    sqs.delete_message_batch(QueueUrl=url, Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
                done += len(messages)
            direct_rate = args.messages / (time.time() - started)
        seen = len(host.entries("OnMessage.Work", "fired"))
        started = time.time()
        send(sqs, url, args.messages)
        while sum(len(e["records"]) for e in host.entries("OnMessage.Work", "fired")[seen:]) < args.messages:
            time.sleep(0.01)
        triggered_rate = args.messages / (time.time() - started)
    finally:
        served.stop()
        host.stop()
    print(f"{'':34}{'trigger':>12}{'floor':>12}{'ratio':>8}")
    for label, function in (("object put -> handler START", "OnPut"), ("item written -> stream START", "OnItem")):
        triggered, direct = results[function]
        print(f"{label:34}{p50(triggered):>12}{p50(direct):>12}"
              f"{statistics.median(triggered) / statistics.median(direct):7.1f}x   (p50 of {args.repeat})")
    print(f"{'SQS messages/s at batch size 10':34}{triggered_rate:10.0f}/s{direct_rate:10.0f}/s"
          f"{triggered_rate / direct_rate:7.2f}x   ({args.messages} messages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
