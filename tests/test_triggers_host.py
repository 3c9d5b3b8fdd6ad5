"""Triggers for real: the services host's pollers and push hooks call functions served by `serve`, each call a
run in history with its event source, with Lambda's batches, partial failures, retries and destinations."""

import json
import textwrap
import time
import urllib.error

import pytest

from trigger_host import history, serve_and_host, show

pytestmark = pytest.mark.timeout(120)

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: python3.12, CodeUri: src, Timeout: 3}
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {QueueName: jobs, VisibilityTimeout: 1}
  JobsDlq:
    Type: AWS::SQS::Queue
    Properties: {QueueName: jobs-dlq}
  Failed:
    Type: AWS::SQS::Queue
    Properties: {QueueName: failed-events}
  Always:
    Type: AWS::SQS::Queue
    Properties: {QueueName: always, VisibilityTimeout: 1}
  AlwaysDlq:
    Type: AWS::SQS::Queue
    Properties: {QueueName: always-dlq}
  Failer:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.failing_handler
      Events:
        Always:
          Type: SQS
          Properties: {Queue: !GetAtt Always.Arn, BatchSize: 1}
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Orders
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  Uploads:
    Type: AWS::S3::Bucket
    Properties: {BucketName: uploads}
  QueueWorker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.queue_handler
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            BatchSize: 10
            FunctionResponseTypes: [ReportBatchItemFailures]
  StreamWorker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.stream_handler
      Events:
        Placed:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Orders.StreamArn
            StartingPosition: TRIM_HORIZON
            MaximumRetryAttempts: 1
            DestinationConfig: {OnFailure: {Destination: !GetAtt Failed.Arn}}
            FilterCriteria:
              Filters: [{Pattern: '{"eventName": ["INSERT"]}'}]
  LoopBucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: loop-bucket}
  Looper:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.loop_handler
      MemorySize: 1769  # a whole vCPU: importing boto3 under 128 MB's share takes seconds
      Timeout: 20
      Events:
        Again:
          Type: S3
          Properties: {Bucket: !Ref LoopBucket, Events: s3:ObjectCreated:*}
  UploadWorker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.upload_handler
      EventInvokeConfig:
        MaximumRetryAttempts: 2
        DestinationConfig: {OnFailure: {Type: SQS, Destination: !GetAtt Failed.Arn}}
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
            Filter: {S3Key: {Rules: [{Name: prefix, Value: orders/}, {Name: suffix, Value: .json}]}}
"""

HANDLERS = '''
def queue_handler(event, context):
    records = event["Records"]
    failed = [{"itemIdentifier": r["messageId"]} for r in records if "fail" in r["body"]]
    return {"batchItemFailures": failed}


def failing_handler(event, context):
    raise RuntimeError("cannot handle " + event["Records"][0]["body"])


def stream_handler(event, context):
    for record in event["Records"]:
        if record["dynamodb"]["NewImage"].get("poison"):
            raise ValueError("poison order " + record["dynamodb"]["Keys"]["id"]["S"])
    return {"seen": [r["dynamodb"]["SequenceNumber"] for r in event["Records"]]}


def loop_handler(event, context):
    import boto3
    from urllib.parse import unquote_plus
    key = unquote_plus(event["Records"][0]["s3"]["object"]["key"])  # keys arrive URL-encoded
    boto3.client("s3").put_object(Bucket="loop-bucket", Key=key + "+", Body=b"again")
    return key


def upload_handler(event, context):
    key = event["Records"][0]["s3"]["object"]["key"]
    if "bad" in key:
        raise RuntimeError("cannot read " + key)
    return {"key": key, "size": event["Records"][0]["s3"]["object"]["size"]}
'''


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("triggers")
    (workspace / "template.yaml").write_text(TEMPLATE)
    (workspace / "src").mkdir()
    (workspace / "src" / "app.py").write_text(textwrap.dedent(HANDLERS))
    served, host = serve_and_host(workspace, "--retry-delay-scale", "0.001")
    try:
        yield workspace, host
    finally:
        served.stop()
        host.stop()


def test_sqs_partial_batch_deletes_successes_and_the_failure_returns_until_the_dead_letter_queue(running):
    """Three messages, one reported failed: two deleted; the third comes back after the visibility timeout and,
    after maxReceiveCount receives, SQS moves it to the dead-letter queue (no spinning in between)."""
    workspace, host = running
    sqs = host.client("sqs")
    url = sqs.get_queue_url(QueueName="jobs")["QueueUrl"]
    dlq_url = sqs.get_queue_url(QueueName="jobs-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2})})
    sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "a", "MessageBody": "order 1"}, {"Id": "b", "MessageBody": "please fail"},
        {"Id": "c", "MessageBody": "order 3", "MessageAttributes": {"req": {"DataType": "String", "StringValue": "7"}}}])
    fired = host.wait_for(lambda: [e for e in host.entries("QueueWorker.Jobs", "fired")
                                   if sorted(r["fate"] for r in e["records"]) == ["deleted", "deleted", "visible again"]],
                          what="the first batch")[0]
    assert fired["outcome"] == "partial"
    moved = host.wait_for(lambda: sqs.receive_message(QueueUrl=dlq_url, WaitTimeSeconds=1).get("Messages"),
                          what="the dead-letter queue")
    assert moved[0]["Body"] == "please fail"
    calls = host.entries("QueueWorker.Jobs", "fired")
    # Received twice (maxReceiveCount 2), the second time only once its visibility timeout was over: no spin.
    returned = next(r for r in calls[0]["records"] if r["fate"] == "visible again")
    assert len(calls) == 2 and calls[1]["started"] >= returned["visibleAt"] - 0.2
    runs = [r for r in history(workspace) if r["function"] == "QueueWorker"]
    assert {r["source"] for r in runs} == {"sqs"} and len(runs) == 2
    # Each run keeps its batch and every record's fate, as the host judged the answer.
    first = host.wait_for(lambda: (lambda shown: shown if shown["trigger"] else None)(
        show(workspace, runs[-1]["id"])), what="the first run's fates in history")
    assert first["trigger"]["trigger"] == "QueueWorker.Jobs" and first["trigger"]["source"] == "sqs"
    assert first["trigger"]["batch"] == fired["batch"] and first["requestId"] == fired["requestId"]
    fates = {r["id"]: r for r in first["trigger"]["records"]}
    assert sorted(r["fate"] for r in fates.values()) == ["deleted", "deleted", "visible again"]
    assert fates[returned["id"]]["visibleAt"] == returned["visibleAt"]
    assert first["traceId"].startswith("Root=1-")


def test_a_handler_that_always_fails_on_a_queue_does_not_spin_and_its_message_reaches_the_dead_letter_queue(running):
    """Every call raises: the whole batch returns only after the visibility timeout (1 s), each receive counts,
    and after maxReceiveCount (3) receives the message is in the dead-letter queue; each run says so."""
    workspace, host = running
    sqs = host.client("sqs")
    url = sqs.get_queue_url(QueueName="always")["QueueUrl"]
    dlq_url = sqs.get_queue_url(QueueName="always-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3})})
    sqs.send_message(QueueUrl=url, MessageBody="never works")
    moved = host.wait_for(lambda: sqs.receive_message(QueueUrl=dlq_url, WaitTimeSeconds=1,
                                                      AttributeNames=["All"]).get("Messages"),
                          what="the dead-letter queue")
    assert moved[0]["Body"] == "never works"
    calls = host.entries("Failer.Always", "fired")
    assert len(calls) == 3 and all(c["outcome"] == "failure" for c in calls)
    for before, after in zip(calls, calls[1:]):
        (record,) = before["records"]
        assert record["fate"] == "visible again"
        assert after["started"] >= record["visibleAt"] - 0.2  # not before the visibility timeout ended
    # Nothing more was received once it was in the dead-letter queue.
    time.sleep(1.5)
    assert len(host.entries("Failer.Always", "fired")) == 3
    runs = [r for r in history(workspace) if r["function"] == "Failer"]
    assert [r["status"] for r in runs] == ["error"] * 3 and {r["source"] for r in runs} == {"sqs"}
    shown = host.wait_for(lambda: (lambda s: s if s["trigger"] else None)(show(workspace, runs[0]["id"])),
                          what="the last run's fates")
    assert [r["fate"] for r in shown["trigger"]["records"]] == ["visible again"]
    assert shown["trigger"]["outcome"] == "failure"


def test_stream_insert_runs_the_function_and_a_poison_record_ends_in_the_on_failure_destination(running):
    """INSERTs pass the filter (MODIFY does not); a poison record is retried once, then discarded with
    AWS's on-failure record in the destination queue, and the shard moves on."""
    workspace, host = running
    table = host.client("dynamodb")
    table.put_item(TableName="Orders", Item={"id": {"S": "o-1"}, "amount": {"N": "12"}})
    table.update_item(TableName="Orders", Key={"id": {"S": "o-1"}}, UpdateExpression="SET amount = :t",
                      ExpressionAttributeValues={":t": {"N": "13"}})
    host.wait_for(lambda: [e for e in host.entries("StreamWorker.Placed", "fired") if e["outcome"] == "success"],
                  what="the INSERT batch")
    skipped = host.wait_for(lambda: host.entries("StreamWorker.Placed", "not fired"), what="the filtered MODIFY")
    assert "`eventName` \"MODIFY\" is not \"INSERT\"" in skipped[0]["records"][0]["why"]
    table.put_item(TableName="Orders", Item={"id": {"S": "o-2"}, "poison": {"BOOL": True}})
    sqs = host.client("sqs")
    failed_url = sqs.get_queue_url(QueueName="failed-events")["QueueUrl"]
    message = host.wait_for(lambda: [m for m in sqs.receive_message(QueueUrl=failed_url, WaitTimeSeconds=1)
                                     .get("Messages", []) if "DDBStreamBatchInfo" in m["Body"]],
                            what="the on-failure record")[0]
    record = json.loads(message["Body"])
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 2
    assert record["DDBStreamBatchInfo"]["streamArn"].startswith("arn:aws:dynamodb:us-east-1:")
    discarded = [e for e in host.entries("StreamWorker.Placed", "fired") if e["action"] == "discard"][0]
    assert {r["fate"] for r in discarded["records"]} == {"discarded (RetryAttemptsExhausted)"}
    # The shard is no longer blocked: a later record is processed.
    table.put_item(TableName="Orders", Item={"id": {"S": "o-4"}})
    host.wait_for(lambda: [e for e in host.entries("StreamWorker.Placed", "fired")
                           if e["outcome"] == "success" and e["seq"] > discarded["seq"]],
                  what="the shard moving on after the discard")
    assert {r["source"] for r in history(workspace) if r["function"] == "StreamWorker"} == {"dynamodb"}


def test_s3_put_fires_with_the_object_and_a_key_outside_the_rules_says_why(running):
    workspace, host = running
    s3 = host.client("s3")
    s3.put_object(Bucket="uploads", Key="orders/1.json", Body=b'{"id": 1}')
    s3.put_object(Bucket="uploads", Key="uploads/a.txt", Body=b"x")
    fired = host.wait_for(lambda: [e for e in host.entries("UploadWorker.Upload", "fired") if e["outcome"] == "success"],
                          what="the S3 call")
    assert fired
    why = host.wait_for(lambda: host.entries("UploadWorker.Upload", "not fired"), what="the refusal")
    assert why[0]["detail"] == "no rule matches: key `uploads/a.txt` does not start with `orders/`"
    assert "s3" in {r["source"] for r in history(workspace) if r["function"] == "UploadWorker"}


def test_s3_failures_retry_twice_then_reach_the_on_failure_destination(running):
    workspace, host = running
    host.client("s3").put_object(Bucket="uploads", Key="orders/bad.json", Body=b"{}")
    sqs = host.client("sqs")
    failed_url = sqs.get_queue_url(QueueName="failed-events")["QueueUrl"]
    message = host.wait_for(lambda: [m for m in sqs.receive_message(QueueUrl=failed_url, WaitTimeSeconds=1)
                                     .get("Messages", []) if "RetriesExhausted" in m["Body"]],
                            what="the async on-failure record")[0]
    record = json.loads(message["Body"])
    assert record["requestContext"]["approximateInvokeCount"] == 3
    assert record["requestPayload"]["Records"][0]["s3"]["object"]["key"] == "orders/bad.json"
    assert record["responseContext"]["functionError"] == "Unhandled"
    assert record["responsePayload"]["errorMessage"] == "cannot read orders/bad.json"


def test_a_function_writing_to_its_own_bucket_is_stopped_after_sixteen_hops(running):
    """Lambda's recursive loop detection: the 17th invocation of one chain is not made, and the log says so."""
    workspace, host = running
    host.client("s3").put_object(Bucket="loop-bucket", Key="k", Body=b"start")
    stopped = host.wait_for(lambda: host.entries("Looper.Again", "loop stopped"), timeout=60, what="the loop stop")
    assert "Looper was invoked 16 times by one chain of s3 events" in stopped[0]["detail"]
    assert len([e for e in host.entries("Looper.Again", "fired") if e["outcome"] == "success"]) == 16
    keys = {o["Key"] for o in host.client("s3").list_objects_v2(Bucket="loop-bucket")["Contents"]}
    assert keys == {"k" + "+" * hops for hops in range(17)}  # the first object and one per call


RESTART_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {QueueName: jobs, VisibilityTimeout: 30}
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Orders
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  StreamWorker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: src
      Handler: app.handler
      Events:
        Placed:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Orders.StreamArn, StartingPosition: TRIM_HORIZON}
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Jobs.Arn}
"""


def test_a_host_restart_neither_loses_nor_repeats_what_was_done(tmp_path):
    """A stream record processed before the restart is not processed again (the checkpoint is on disk); a message
    sent while nothing could run functions waits in its queue and is processed once after the restart."""
    from serve_helpers import start_serve
    from trigger_host import start_host

    (tmp_path / "template.yaml").write_text(RESTART_TEMPLATE)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(
        "def handler(event, context):\n"
        "    return [r.get('body') or r['dynamodb']['Keys']['id']['S'] for r in event['Records']]\n")
    served = start_serve(tmp_path, "--aws", "account")
    host = start_host(tmp_path, "--invoke-endpoint", served.lambda_url)
    try:
        host.client("dynamodb").put_item(TableName="Orders", Item={"id": {"S": "before"}})
        host.wait_for(lambda: host.entries("StreamWorker.Placed", "fired"), what="the first record")
        host.control("triggers/invoker", {"endpoint": None})  # nothing runs functions for a while
        sqs = host.client("sqs")
        sqs.send_message(QueueUrl=sqs.get_queue_url(QueueName="jobs")["QueueUrl"], MessageBody="while away")
        assert host.stop() == 0
        host = start_host(tmp_path, "--invoke-endpoint", served.lambda_url)
        host.client("dynamodb").put_item(TableName="Orders", Item={"id": {"S": "after"}})
        host.wait_for(lambda: host.entries("StreamWorker.Placed", "fired"), what="the record after the restart")
        host.wait_for(lambda: host.entries("StreamWorker.Jobs", "fired"), what="the waiting message")
        stream_runs = [e["batch"] for e in host.entries("StreamWorker.Placed", "fired")]
        assert len(stream_runs) == 1 and len(stream_runs[0]) == 1  # only "after": "before" was checkpointed
    finally:
        host.stop()
        served.stop()
    runs = [r for r in history(tmp_path) if r["function"] == "StreamWorker"]
    assert sorted(r["source"] for r in runs) == ["dynamodb", "dynamodb", "sqs"]


def test_serve_names_a_malformed_trigger_by_file_and_line_and_runs_the_others(tmp_path):
    """A bad trigger is an error with file, line and column on serve's stderr; the good ones are live."""
    from serve_helpers import start_serve

    broken = RESTART_TEMPLATE.replace("StartingPosition: TRIM_HORIZON", "StartingPosition: AT_TIMESTAMP")
    (tmp_path / "template.yaml").write_text(broken)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    return None\n")
    served = start_serve(tmp_path)
    try:
        deadline = time.time() + 20
        while "Triggers live" not in served.stderr and time.time() < deadline:
            time.sleep(0.05)
        assert ("template.yaml:22:76: error: StreamWorker.Events.Placed: StartingPosition 'AT_TIMESTAMP' is not one "
                "of LATEST, TRIM_HORIZON") in served.stderr
        assert "StreamWorker.Jobs (sqs)" in served.stderr and "StreamWorker.Placed" not in served.stderr.split(
            "Triggers live")[1]
    finally:
        served.stop()
        record = json.loads((tmp_path / ".workbench" / "services" / "host.json").read_text())
        from trigger_host import Host

        stopped = Host(None, f"http://127.0.0.1:{record['port']}")
        stopped.pid = record["pid"]
        stopped.stop()


def test_the_triggers_panel_shows_states_firings_and_why_not_and_pauses_a_trigger(running, qtbot):
    """The panel, fed by the engine's watch of the real host: every trigger, the S3 refusal's reason, and a
    pause that the host then reports."""
    from workbench.engine.triggers_watch import TriggersWatch
    from workbench.ui.triggers_panel import TriggersPanel

    workspace, host = running
    host.client("s3").put_object(Bucket="uploads", Key="notes/readme.txt", Body=b"x")
    host.wait_for(lambda: [e for e in host.entries("UploadWorker.Upload", "not fired") if "notes/" in e["detail"]])
    panel = TriggersPanel()
    qtbot.addWidget(panel)
    watch = TriggersWatch(workspace)
    watch.snapshot.connect(panel.show_snapshot)
    watch.unavailable.connect(panel.show_unavailable)
    panel.pause_requested.connect(watch.set_paused)
    watch.start()
    qtbot.waitUntil(lambda: panel.triggers.rowCount() == 5 and panel.entries.rowCount() > 0, timeout=10_000)
    names = [row[0] for row in panel.row_texts(panel.triggers)]
    assert names == ["Failer.Always", "QueueWorker.Jobs", "StreamWorker.Placed", "Looper.Again", "UploadWorker.Upload"]
    whats = [row[2] for row in panel.row_texts(panel.entries)]
    assert "not fired: no rule matches: key `notes/readme.txt` does not start with `orders/`" in whats
    assert panel.status.text().startswith("5 triggers, live")
    panel.triggers.selectRow(4)
    assert panel.pause_button.text() == "Pause"
    panel.pause_button.click()
    qtbot.waitUntil(lambda: panel.row_texts(panel.triggers)[4][3] == "paused", timeout=10_000)
    assert panel.pause_button.text() == "Resume"
    host.client("s3").put_object(Bucket="uploads", Key="orders/while-paused.json", Body=b"{}")
    host.wait_for(lambda: [e for e in host.entries("UploadWorker.Upload", "not fired") if "paused" in e["detail"]])
    panel.pause_button.click()
    qtbot.waitUntil(lambda: panel.row_texts(panel.triggers)[4][3] != "paused", timeout=10_000)
    watch.stop()


def test_an_event_fired_by_hand_goes_through_the_trigger_as_its_source_would(running):
    """POST /_workbench/triggers/fire: an S3 event handed in is queued like S3's own (a run with source s3)."""
    workspace, host = running
    event = {"Records": [{"eventSource": "aws:s3", "s3": {"object": {"key": "orders/by-hand.json", "size": 7}}}]}
    assert host.control("triggers/fire", {"trigger": "UploadWorker.Upload", "event": event}) == {"queued": True}
    host.wait_for(lambda: [e for e in host.entries("UploadWorker.Upload", "fired") if e["outcome"] == "success"
                           and e["seq"] > 0 and e["requestId"]], what="the call fired by hand")
    with pytest.raises(urllib.error.HTTPError) as refused:
        host.control("triggers/fire", {"trigger": "Nope.Nothing", "event": {}})
    assert refused.value.code == 404 and "UploadWorker.Upload" in refused.value.read().decode()
