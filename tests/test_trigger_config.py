"""Reading triggers from template.yaml and workbench.json: settings, warnings that name what is not
honoured, and errors at the right file and line."""

import json

from workbench.core.triggers.trigger_reader import load_triggers, read_triggers

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Size:
    Type: Number
    Default: 25
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:*
            Function: !GetAtt Archive.Arn
            Filter: {S3Key: {Rules: [{Name: suffix, Value: .csv}]}}
        QueueConfigurations: []
  Jobs:
    Type: AWS::SQS::Queue
  Failed:
    Type: AWS::SQS::Queue
  Alerts:
    Type: AWS::SNS::Topic
  Confirm:
    Type: AWS::Serverless::Function
    Properties:
      EventInvokeConfig:
        MaximumRetryAttempts: 1
        DestinationConfig:
          OnFailure: {Type: SQS, Destination: !GetAtt Failed.Arn}
      Events:
        Placed:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Orders.StreamArn
            StartingPosition: TRIM_HORIZON
            BatchSize: !Ref Size
            BisectBatchOnFunctionError: true
            MaximumRetryAttempts: 3
            MaximumRecordAgeInSeconds: 3600
            FunctionResponseTypes: [ReportBatchItemFailures]
            DestinationConfig: {OnFailure: {Destination: !GetAtt Failed.Arn}}
            TumblingWindowInSeconds: 30
            FilterCriteria:
              Filters:
                - Pattern: '{"eventName": ["INSERT"]}'
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: [s3:ObjectCreated:*]
            Filter: {S3Key: {Rules: [{Name: prefix, Value: orders/}, {Name: suffix, Value: .json}]}}
        Alert:
          Type: SNS
          Properties:
            Topic: !Ref Alerts
            FilterPolicy: {severity: [high]}
        Nightly:
          Type: EventBridgeRule
          Properties:
            Pattern: {source: [aws.s3], detail-type: [Object Created]}
            InputTransformer: {InputTemplate: x}
        Site:
          Type: HttpApi
          Properties: {Path: /orders, Method: post}
  Archive:
    Type: AWS::Serverless::Function
  JobMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Archive
      EventSourceArn: !GetAtt Jobs.Arn
      BatchSize: 100
      MaximumBatchingWindowInSeconds: 2
      Enabled: false
"""


def load(text, tmp_path, name="template.yaml"):
    (tmp_path / name).write_text(text)
    return load_triggers(tmp_path)


def test_every_declared_trigger_is_read_with_its_settings(tmp_path):
    found = load(TEMPLATE, tmp_path)
    assert not found.errors, [str(p) for p in found.errors]
    by_name = {t.name: t for t in found.triggers}
    assert set(by_name) == {"Placed", "Upload", "Alert", "Nightly", "JobMapping", "Uploads.LambdaConfigurations[0]"}
    placed = by_name["Placed"]
    assert (placed.source, placed.resource, placed.batch_size, placed.starting_position) == (
        "dynamodb", "Orders", 25, "TRIM_HORIZON")
    assert (placed.bisect_on_error, placed.maximum_retry_attempts, placed.maximum_record_age_s,
            placed.report_item_failures, placed.on_failure) == (True, 3, 3600, True, "Failed")
    assert placed.filter_criteria.patterns == ({"eventName": ["INSERT"]},)
    upload = by_name["Upload"]
    assert (upload.resource, upload.s3_events, upload.s3_prefix, upload.s3_suffix) == (
        "Uploads", ("s3:ObjectCreated:*",), "orders/", ".json")
    assert by_name["Alert"].filter_policy == {"severity": ["high"]}
    assert by_name["Nightly"].pattern == {"source": ["aws.s3"], "detail-type": ["Object Created"]}
    mapping = by_name["JobMapping"]
    assert (mapping.function, mapping.source, mapping.resource, mapping.batch_size, mapping.window_s,
            mapping.enabled) == ("Archive", "sqs", "Jobs", 100, 2, False)
    bucket_rule = by_name["Uploads.LambdaConfigurations[0]"]
    assert (bucket_rule.function, bucket_rule.s3_suffix) == ("Archive", ".csv")
    assert found.async_config("Confirm").maximum_retry_attempts == 1
    assert found.async_config("Confirm").on_failure == "Failed"


def test_properties_not_honoured_are_warnings_naming_them_at_their_line(tmp_path):
    warnings = [str(p) for p in load(TEMPLATE, tmp_path).warnings]
    assert any(w.startswith("template.yaml:44:13:") and "TumblingWindowInSeconds is not honoured" in w for w in warnings)
    assert any("InputTransformer is not honoured" in w for w in warnings)
    assert any(w.startswith("template.yaml:18:9:") and "QueueConfigurations" in w for w in warnings)


def broken(tmp_path, properties):
    text = TEMPLATE.replace("            Bucket: !Ref Uploads\n", "            Bucket: !Ref Uploads\n" + properties)
    return [str(p) for p in load(text, tmp_path).errors]


def test_malformed_configuration_is_an_error_with_file_line_and_field(tmp_path):
    errors = broken(tmp_path, "            Prefix: orders/\n")
    assert errors == ["template.yaml:52:13: error: Confirm.Events.Upload: Prefix is not a property of an S3 event "
                      "(known: Bucket, Events, Filter)"]
    bad_stream = TEMPLATE.replace("StartingPosition: TRIM_HORIZON", "StartingPosition: AT_TIMESTAMP")
    assert [str(p) for p in load(bad_stream, tmp_path).errors] == [
        "template.yaml:37:31: error: Confirm.Events.Placed: StartingPosition 'AT_TIMESTAMP' is not one of "
        "LATEST, TRIM_HORIZON"]


def test_other_triggers_survive_one_bad_one(tmp_path):
    text = TEMPLATE.replace("Events: [s3:ObjectCreated:*]", "Events: [s3:ObjectMade]")
    found = load(text, tmp_path)
    assert len(found.errors) == 1 and "s3:ObjectMade" in str(found.errors[0])
    assert "Placed" in {t.name for t in found.triggers} and "Upload" not in {t.name for t in found.triggers}


def test_sqs_limits_from_lambdas_guide(tmp_path):
    text = TEMPLATE.replace("MaximumBatchingWindowInSeconds: 2", "MaximumBatchingWindowInSeconds: 0")
    assert "over 10 needs MaximumBatchingWindowInSeconds" in str(load(text, tmp_path).errors[0])
    text = TEMPLATE.replace("  Jobs:\n    Type: AWS::SQS::Queue\n",
                            "  Jobs:\n    Type: AWS::SQS::Queue\n    Properties: {FifoQueue: true}\n")
    assert "FIFO queue allows at most 10" in str(load(text, tmp_path).errors[0])


def test_a_template_that_does_not_parse_is_one_error_at_its_position(tmp_path):
    found = load("Resources:\n  A: [1, 2\n", tmp_path)
    assert len(found.problems) == 1 and str(found.problems[0]).startswith("template.yaml:3:")


def test_workbench_json_events_name_resources_plainly_and_keep_line_numbers(tmp_path):
    document = {"functions": [], "events": {"OrderConfirmation": {
        "Placed": {"Type": "DynamoDB", "Properties": {"Stream": "Orders", "StartingPosition": "LATEST"}},
        "Queue": {"Type": "SQS", "Properties": {"Queue": "arn:aws:sqs:us-east-1:123456789012:jobs",
                                               "BatchSize": "ten"}},
        "Site": {"Type": "HttpApi", "Properties": {"Path": "/orders", "Method": "post"}}}}}
    found = load(json.dumps(document, indent=2), tmp_path, "workbench.json")
    assert [(t.name, t.resource, t.starting_position) for t in found.triggers] == [("Placed", "Orders", "LATEST")]
    assert [str(p) for p in found.errors] == [
        "workbench.json:16:24: error: OrderConfirmation.Events.Queue: BatchSize must be a whole number, not 'ten'"]


def test_no_configuration_means_no_triggers(tmp_path):
    assert load_triggers(tmp_path).triggers == ()
    assert read_triggers("{}", "workbench.json", is_template=False).problems == ()
