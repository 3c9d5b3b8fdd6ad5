"""`lambda-workbench mcp` driven by the SDK's own client over stdio: the tools, their schemas and
annotations, invokes (a success's figures and response, a failure's type and frames), a diff, a test run,
the write gate, bad input that leaves the server serving, resources and history."""

import json

import pytest
from junitparser import JUnitXml

from mcp_clients import text_of, with_client
from window_helpers import workspace  # noqa: F401 - fixture

from workbench.core.history.history_store import HistoryStore

READ_ONLY = {"list_functions", "describe_function", "list_presets", "read_preset", "list_event_templates",
             "generate_event", "dependencies", "list_runs", "show_run", "diff_runs", "local_resources", "outbox"}
CHANGING = {"invoke", "run_tests", "tune_memory", "save_preset", "reset_local_aws"}


@pytest.mark.parametrize("mode, revision", [("auto", "2026-07-28"), ("legacy", "2025-11-25")])
def test_every_tool_has_schemas_and_says_whether_it_changes_things(workspace, mode, revision):  # noqa: F811
    """Clients of both protocol revisions list the same tools, each with input and output schemas and annotations."""
    async def scenario(client):
        return client.protocol_version, (await client.list_tools()).tools

    version, tools = with_client(workspace, scenario, mode=mode)
    assert version == revision
    by_name = {tool.name: tool for tool in tools}
    assert set(by_name) == READ_ONLY | CHANGING
    for tool in tools:
        assert tool.input_schema["type"] == "object" and tool.output_schema["type"] == "object", tool.name
        assert tool.description
        assert tool.annotations.read_only_hint is (tool.name in READ_ONLY), tool.name
    assert by_name["reset_local_aws"].annotations.destructive_hint is True
    assert {"function", "preset", "event", "cold", "timeout", "memory", "variables"} <= set(
        by_name["invoke"].input_schema["properties"])
    assert {"runId", "status", "response", "error", "logs", "report", "costUSD"} <= set(
        by_name["invoke"].output_schema["properties"])


def test_the_new_order_preset_answers_with_its_figures_and_is_an_agent_run(workspace):  # noqa: F811
    """Invoking the sample's new-order preset returns Duration, every REPORT figure, the response and the log,
    and the run is in the workspace's history with source "agent"."""
    async def scenario(client):
        first = await client.call_tool("invoke", {"function": "OrderConfirmation", "preset": "new-order"})
        listed = await client.call_tool("list_runs", {"function": "OrderConfirmation"})
        return first, listed

    first, listed = with_client(workspace, scenario)
    assert not first.is_error, text_of(first)
    run = first.structured_content
    assert run["status"] == "success" and run["error"] is None and run["source"] == "agent"
    assert run["report"]["durationMs"] > 0 and run["report"]["billedDurationMs"] >= 1
    assert run["report"]["memorySizeMB"] == 512 and run["report"]["maxMemoryUsedMB"] > 0
    assert run["report"]["initDurationMs"] is not None and run["coldStart"] is True
    assert run["costUSD"] > 0
    assert run["response"]["statusCode"] == 200
    assert json.loads(run["response"]["body"])["order_id"] == "ORD-1001"
    assert run["logs"][0].startswith("START RequestId: ") and run["logs"][-1].startswith("REPORT RequestId: ")
    assert [r["id"] for r in listed.structured_content["runs"]] == [run["runId"]]
    store = HistoryStore.for_workspace(workspace)
    try:
        assert store.summary(run["runId"]).source == "agent"
    finally:
        store.close()


@pytest.mark.parametrize("function, handler_file, error_type, raising", [
    ("OrderConfirmation", "order_confirmation/lambda_function.py", "ValueError", "raise ValueError"),
    ("OrderConfirmationNode", "order_confirmation_node/index.mjs", "Error", "throw new Error"),
])
def test_a_failing_preset_names_its_error_type_and_the_frames_in_the_workspace(workspace, function, handler_file,  # noqa: F811
                                                                                error_type, raising):
    """missing-email fails; its frames point at the handler file, relative to the workspace, the last one at
    the line that raised (Python and Node.js alike)."""
    async def scenario(client):
        return await client.call_tool("invoke", {"function": function, "preset": "missing-email"})

    result = with_client(workspace, scenario)
    assert not result.is_error  # the function failed, the tool did not
    run = result.structured_content
    assert run["status"] == "error" and run["response"] is None
    assert run["error"]["type"] == error_type
    assert run["error"]["message"] == "Missing required field 'customer.email' in the order event"
    frames = [f for f in run["error"]["frames"] if f["inWorkspace"]]
    assert frames and all(f["file"] == handler_file for f in frames)
    source = (workspace / handler_file).read_text().splitlines()
    assert raising in source[run["error"]["raisedAt"]["line"] - 1]
    assert str(workspace) not in json.dumps(run)


def test_a_diff_of_two_runs_names_the_changed_total_and_the_figures(workspace):  # noqa: F811
    """diff_runs between new-order and big-order: the body's total changed, the figures have deltas."""
    async def scenario(client):
        ids = []
        for preset in ("new-order", "big-order"):
            result = await client.call_tool("invoke", {"function": "OrderConfirmation", "preset": preset})
            ids.append(result.structured_content["runId"])
        same = await client.call_tool("diff_runs", {"before": ids[0], "after": ids[0][:5]})
        return await client.call_tool("diff_runs", {"before": ids[0], "after": ids[1]}), same, ids

    diff, same, ids = with_client(workspace, scenario)
    document = diff.structured_content
    assert document["before"] == ids[0] and document["after"] == ids[1]
    assert document["responsesEqual"] is False
    paths = {change["path"] for change in document["response"]}
    assert "body.total" in paths
    assert {"Duration", "Billed Duration", "Max Memory Used"} <= {f["name"] for f in document["figures"]}
    assert [c["path"] for c in document["event"]]
    assert same.structured_content["responsesEqual"] is True and same.structured_content["response"] == []


def test_a_test_run_returns_every_case_and_writes_junit(workspace):  # noqa: F811
    """run_tests runs the presets against their expectations: results as data and the JUnit file."""
    async def scenario(client):
        return await client.call_tool("run_tests", {"functions": ["OrderConfirmation"]})

    result = with_client(workspace, scenario)
    document = result.structured_content
    assert not result.is_error, text_of(result)
    assert document["ok"] is True and document["passed"] == 4 and document["failed"] == 0
    assert {case["preset"] for case in document["cases"]} == {"new-order", "big-order", "missing-email", "empty"}
    missing = next(case for case in document["cases"] if case["preset"] == "missing-email")
    assert missing["errorType"] == "ValueError" and missing["status"] == "passed"
    junit = JUnitXml.fromfile(str(workspace / document["junitPath"]))
    assert sum(len(list(suite)) for suite in junit) == 4


def test_saving_a_preset_is_refused_without_allow_write(workspace):  # noqa: F811
    """Without --allow-write, save_preset is a tool error naming the flag, and no file is written."""
    async def scenario(client):
        return await client.call_tool("save_preset", {"function": "OrderConfirmation", "name": "agent-made",
                                                      "event": {"order_id": "ORD-7"}})

    refused = with_client(workspace, scenario)
    assert refused.is_error and "--allow-write" in text_of(refused)
    assert not (workspace / "events" / "OrderConfirmation" / "agent-made.json").exists()


def test_with_allow_write_a_saved_preset_is_a_file_and_runs(workspace):  # noqa: F811
    """With --allow-write the preset is written where the window reads it, and invokes like any other."""
    async def scenario(client):
        saved = await client.call_tool("save_preset", {"function": "OrderConfirmation", "name": "agent-made",
                                                       "event": {"order_id": "ORD-7"}})
        listed = await client.call_tool("list_presets", {"function": "OrderConfirmation"})
        return saved, listed

    saved, listed = with_client(workspace, scenario, "--allow-write")
    assert not saved.is_error, text_of(saved)
    assert saved.structured_content["file"] == "events/OrderConfirmation/agent-made.json"
    assert json.loads((workspace / "events" / "OrderConfirmation" / "agent-made.json").read_text()) == {"order_id": "ORD-7"}
    assert "agent-made" in [p["name"] for p in listed.structured_content["presets"]]


def test_bad_input_is_a_tool_error_that_says_what_and_where_and_the_server_goes_on(workspace):  # noqa: F811
    """An unknown function, a preset that is not JSON, a memory size Lambda refuses, a bad argument type:
    each a tool error naming the problem; a good call after them still runs."""
    (workspace / "events" / "OrderConfirmation" / "broken.json").write_text('{"order_id": "ORD-1",\n  oops}\n')

    async def scenario(client):
        answers = [await client.call_tool("invoke", arguments) for arguments in (
            {"function": "NoSuchFunction"},
            {"function": "OrderConfirmation", "preset": "broken"},
            {"function": "OrderConfirmation", "preset": "new-order", "memory": 64},
            {"function": "OrderConfirmation", "preset": "new-order", "timeout": "soon"},
            {"function": "OrderConfirmation", "event": "{not json"},
        )]
        answers.append(await client.call_tool("show_run", {"run_id": "zz"}))
        answers.append(await client.call_tool("invoke", {"function": "OrderConfirmation", "preset": "new-order"}))
        return answers

    *errors, good = with_client(workspace, scenario)
    texts = [text_of(answer) for answer in errors]
    assert all(answer.is_error for answer in errors), texts
    assert "No function named 'NoSuchFunction'" in texts[0] and "OrderConfirmation" in texts[0]
    assert "events/OrderConfirmation/broken.json:2:3" in texts[1] and "not valid JSON" in texts[1]
    assert "memorySize" in texts[2] and "128" in texts[2]
    assert "timeout" in texts[3]
    assert "event:1:2" in texts[4]
    assert "not a run id" in texts[5]
    assert not good.is_error and good.structured_content["status"] == "success"


def test_resources_give_a_preset_the_template_and_a_runs_log_and_result(workspace):  # noqa: F811
    """Presets, the workspace file and a run's log and result are readable by URI."""
    async def scenario(client):
        run = (await client.call_tool("invoke", {"function": "OrderConfirmation", "preset": "new-order"}))
        run_id = run.structured_content["runId"]
        templates = (await client.list_resource_templates()).resource_templates
        reads = [await client.read_resource(uri) for uri in (
            "workbench://presets/OrderConfirmation/new-order", "workbench://template",
            f"workbench://runs/{run_id}/log", f"workbench://runs/{run_id}/result")]
        return templates, reads, run_id

    templates, reads, run_id = with_client(workspace, scenario)
    assert {"workbench://presets/{function}/{name}", "workbench://runs/{run_id}/log"} <= {
        t.uri_template for t in templates}
    preset, template, log, result = (read.contents[0].text for read in reads)
    assert json.loads(preset) == json.loads((workspace / "events/OrderConfirmation/new-order.json").read_text())
    assert '"OrderConfirmation"' in template
    assert log.startswith("START RequestId: ") and "REPORT RequestId: " in log
    assert json.loads(result)["runId"] == run_id and json.loads(result)["status"] == "success"


LOCAL_TEMPLATE = """
Resources:
  Sender:
    Type: AWS::SES::EmailIdentity
    Properties: {EmailIdentity: shop@example.com}
  Receipts:
    Type: AWS::S3::Bucket
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
  Token:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: plain}
  Confirm:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: .
      Environment:
        Variables: {BUCKET: !Ref Receipts, TABLE: !Ref Orders}
"""

LOCAL_HANDLER = """
import os
import boto3

def handler(event, context):
    boto3.client("ses").send_email(Source="shop@example.com", Destination={"ToAddresses": [event["email"]]},
                                   Message={"Subject": {"Data": "Order " + event["id"]},
                                            "Body": {"Html": {"Data": "<p>Thanks</p>"}}})
    boto3.client("s3").put_object(Bucket=os.environ["BUCKET"], Key=event["id"] + ".txt", Body=b"receipt")
    boto3.client("dynamodb").put_item(TableName=os.environ["TABLE"], Item={"id": {"S": event["id"]}})
    return "sent"
"""


@pytest.fixture
def local_workspace(tmp_path):
    from workbench.engine.services_host import stop_host

    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "template.yaml").write_text(LOCAL_TEMPLATE)
    (folder / "app.py").write_text(LOCAL_HANDLER)
    yield folder
    stop_host(folder)


def test_an_agent_invoke_goes_to_the_local_services_and_the_tools_show_what_it_did(local_workspace):
    """invoke runs in local mode: the email is in the Outbox tool's answer, the object and the item in
    local_resources (with the template's declared resources); one service or a wrong name is answered."""
    async def scenario(client):
        run = await client.call_tool("invoke", {"function": "Confirm", "event": {"email": "ana@example.com",
                                                                                  "id": "ORD-9"}})
        outbox = await client.call_tool("outbox", {"limit": 5})
        everything = await client.call_tool("local_resources", {})
        s3 = await client.call_tool("local_resources", {"service": "s3"})
        wrong = await client.call_tool("local_resources", {"service": "glacier"})
        return run, outbox, everything, s3, wrong

    run, outbox, everything, s3, wrong = with_client(local_workspace, scenario)
    assert not run.is_error and run.structured_content["status"] == "success", text_of(run)
    mail = outbox.structured_content["messages"][0]
    assert (mail["from"], mail["to"], mail["subject"], mail["html"]) == ("shop@example.com", ["ana@example.com"],
                                                                         "Order ORD-9", "<p>Thanks</p>")
    services = everything.structured_content["services"]
    assert services["s3"]["buckets"][0]["objects"] == [{"key": "ORD-9.txt", "size": 7}]
    assert services["dynamodb"]["tables"][0]["items"] == [{"id": "ORD-9"}]
    assert services["ses"] == {"sent": 1}
    assert services["ssm"]["parameters"][0]["value"] == "plain"
    declared = {r["logicalId"] for r in services["declared"]["resources"]}
    assert declared == {"Sender", "Receipts", "Orders", "Token"}
    assert set(s3.structured_content["services"]) == {"s3", "declared"}
    assert wrong.is_error and "no local service 'glacier'" in text_of(wrong)


def test_reset_needs_allow_write_then_returns_services_to_the_seed(local_workspace):
    """Without --allow-write reset is refused and nothing changes; with it, resetting ses empties the Outbox
    and leaves S3 alone, and resetting everything empties the bucket too."""
    from workbench.engine.services_client import ServicesClient
    from workbench.engine.services_host import start_host

    client = ServicesClient(start_host(local_workspace))
    bucket = client.buckets()[0]
    client.put_object(bucket, "kept.txt", b"x")
    client.client("ses").send_email(Source="shop@example.com", Destination={"ToAddresses": ["a@example.com"]},
                                    Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}})

    async def refused(client_):
        return await client_.call_tool("reset_local_aws", {})

    answer = with_client(local_workspace, refused)
    assert answer.is_error and "--allow-write" in text_of(answer)
    assert len(client.outbox()) == 1

    async def resets(client_):
        ses = await client_.call_tool("reset_local_aws", {"services": ["ses"]})
        after_ses = await client_.call_tool("local_resources", {"service": "s3"})
        everything = await client_.call_tool("reset_local_aws", {})
        return ses, after_ses, everything

    ses, after_ses, everything = with_client(local_workspace, resets, "--allow-write")
    assert ses.structured_content == {"reset": ["ses"]}
    assert after_ses.structured_content["services"]["s3"]["buckets"][0]["objects"] == [{"key": "kept.txt", "size": 1}]
    assert everything.structured_content["reset"][0] == "s3"
    assert client.outbox() == [] and client.objects(bucket) == []
