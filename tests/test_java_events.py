"""aws-lambda-java-events types in and out, with the rules Lambda's Java runtime keeps for the types it names
(aws-lambda-java-serialization's LambdaEventSerializers): "Records", SQS's "eventSourceARN", DynamoDB's
"NewImage"/"Keys"/"S", S3 through its constructors, SNS in upper camel case, API Gateway's proxy events.

aws-lambda-java-events is not on this machine and the tests stay offline, so the event classes are stand-ins
in the shared fixture tree (tests/fixtures/java/com/amazonaws/services/lambda/runtime/events, see its
README.md): the library's package, class, field and accessor names, fewer fields. The runtime recognises
them by name, as it recognises the library's."""

import json
import shutil
from pathlib import Path

import pytest

from java_functions import java_code, java_config  # noqa: F401 (java_code: the shared fixture)
from workbench.core.function.invocation_result import Status

SQS = {"Records": [{
    "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d", "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
    "body": "order 42", "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1545082649183"},
    "messageAttributes": {"kind": {"stringValue": "order", "dataType": "String"}},
    "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3", "eventSource": "aws:sqs",
    "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:orders", "awsRegion": "us-east-1"}]}

DYNAMODB = {"Records": [{
    "eventID": "c4ca4238a0b923820dcc509a6f75849b", "eventName": "INSERT", "eventVersion": "1.1",
    "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
    "dynamodb": {"Keys": {"Id": {"N": "101"}},
                 "NewImage": {"Message": {"S": "New item!"}, "Id": {"N": "101"}, "Tags": {"SS": ["a", "b"]},
                              "Gone": {"NULL": True}, "Paid": {"BOOL": False},
                              "Lines": {"L": [{"M": {"Sku": {"S": "X"}}}]}},
                 "ApproximateCreationDateTime": 1428537600, "SequenceNumber": "4421584500000000017450439091",
                 "SizeBytes": 26, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2015-06-27T00:48:05.899"}]}

S3 = {"Records": [{
    "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1", "eventTime": "2019-09-03T19:37:27.192Z",
    "eventName": "ObjectCreated:Put", "userIdentity": {"principalId": "AWS:AIDAINPONIXQXHT3IKHL2"},
    "requestParameters": {"sourceIPAddress": "205.255.255.255"},
    "responseElements": {"x-amz-request-id": "D82B88E5F771F645", "x-amz-id-2": "vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQj"},
    "s3": {"s3SchemaVersion": "1.0", "configurationId": "828aa6fc-f7b5-4305-8584-487c791949c1",
           "bucket": {"name": "orders-bucket", "ownerIdentity": {"principalId": "A3I5XTEXAMAI3E"},
                      "arn": "arn:aws:s3:::orders-bucket"},
           "object": {"key": "invoices/May+2024.pdf", "size": 1305107, "eTag": "b21b84d653bb07b05b1e6b33684dc11b",
                      "sequencer": "0C0F6F405D6ED209E1"}}}]}


def _payload(ran):
    assert ran.result.status is Status.SUCCESS, ran.text
    return json.loads(ran.result.payload)


def test_sqs_event_round_trip_keeps_lambdas_names(java_code, run):
    """"Records" and "eventSourceARN" as Lambda writes them (Jackson alone would say "records" and
    "eventSourceArn"); nested attribute objects bound too."""
    out = _payload(run(java_config(java_code, "example.Events::sqs"), SQS))
    assert out == SQS


def test_a_class_not_on_lambdas_list_keeps_its_bean_names(java_code, run):
    """SQSEvent.SQSMessage alone is not an event Lambda names: its rules stay with SQSEvent."""
    message = dict(SQS["Records"][0])
    out = _payload(run(java_config(java_code, "example.Events::message"), message))
    assert "eventSourceARN" not in out and "eventSourceArn" not in out  # the input's key did not bind
    message["eventSourceArn"] = message.pop("eventSourceARN")
    out = _payload(run(java_config(java_code, "example.Events::message"), message))
    assert out["eventSourceArn"] == "arn:aws:sqs:us-east-1:123456789012:orders"


def test_dynamodb_event_round_trip_with_images_and_attribute_values(java_code, run):
    """Keys/NewImage/SequenceNumber/SizeBytes/StreamViewType and S/N/SS/M/L/NULL/BOOL bound through Lambda's
    names (the enum setters beside the String ones too); the creation time is a Date written as decimal
    seconds."""
    out = _payload(run(java_config(java_code, "example.Events::dynamodb"), DYNAMODB))
    record, expected = out["Records"][0], DYNAMODB["Records"][0]
    assert record["dynamodb"]["ApproximateCreationDateTime"] == 1.4285376e9
    assert record["dynamodb"].pop("ApproximateCreationDateTime") is not None
    expected = json.loads(json.dumps(expected))
    del expected["dynamodb"]["ApproximateCreationDateTime"]
    assert record == expected


def test_dynamodb_date_is_written_as_a_double(java_code, run):
    ran = run(java_config(java_code, "example.Events::dynamodb"), DYNAMODB)
    assert b'"ApproximateCreationDateTime":1.4285376E9' in ran.result.payload


def test_s3_event_through_its_constructors(java_code, run):
    """S3 events are built through their constructors (immutable classes Jackson cannot bind) and read back
    by their getters; the missing versionId reads as "" as Lambda's S3 serializer reads it."""
    assert _payload(run(java_config(java_code, "example.Events::s3Key"), S3)) == \
        "invoices/May+2024.pdf in orders-bucket"
    out = _payload(run(java_config(java_code, "example.Events::s3"), S3))
    record = out["Records"][0]
    assert record["s3"]["object"] == {"key": "invoices/May+2024.pdf", "size": 1305107,
                                      "eTag": "b21b84d653bb07b05b1e6b33684dc11b", "versionId": "",
                                      "urlDecodedKey": "invoices/May 2024.pdf", "sequencer": "0C0F6F405D6ED209E1"}
    expected = json.loads(json.dumps(S3["Records"][0]))
    record["s3"].pop("object"), expected["s3"].pop("object")
    assert record == expected


def test_sns_event_in_upper_camel_case(java_code, run):
    event = {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
                          "EventSubscriptionArn": "arn:aws:sns:us-east-1:123456789012:orders:2bcfbf39",
                          "Sns": {"Type": "Notification", "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
                                  "TopicArn": "arn:aws:sns:us-east-1:123456789012:orders", "Subject": "new",
                                  "Message": "order 42", "Timestamp": "2019-01-02T12:45:07.000Z",
                                  "SigningCertUrl": "https://sns.us-east-1.amazonaws.com/cert.pem",
                                  "UnsubscribeUrl": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe"}}]}
    assert _payload(run(java_config(java_code, "example.Events::sns"), event)) == event


def test_api_gateway_proxy_request_in_and_response_out(java_code, run):
    event = {"resource": "/orders/{id}", "path": "/orders/42", "httpMethod": "POST", "isBase64Encoded": False,
             "headers": {"Accept": "*/*"}, "pathParameters": {"id": "42"}, "body": "{}"}
    out = _payload(run(java_config(java_code, "example.Events::api"), event))
    assert out == {"statusCode": 201, "headers": {"Content-Type": "text/plain"},
                   "body": "POST /orders/42 42 base64=false"}


def _joda_jar():
    for candidate in [Path("/usr/share/java/joda-time.jar"),
                      *sorted((Path.home() / ".m2/repository/joda-time/joda-time").glob("*/joda-time-*.jar"))]:
        if candidate.is_file():
            return candidate
    pytest.skip("no joda-time jar on this machine (Debian's libjoda-time-java installs one)")


SCHEDULED_EVENT = """\
package com.amazonaws.services.lambda.runtime.events;

import java.util.List;
import java.util.Map;
import org.joda.time.DateTime;

/** Stand-in for aws-lambda-java-events' ScheduledEvent: its names, and its time a Joda DateTime. */
public class ScheduledEvent {
    private String version, account, region, source, id, detailType;
    private Map<String, Object> detail;
    private DateTime time;
    private List<String> resources;

    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getAccount() { return account; }
    public void setAccount(String account) { this.account = account; }
    public String getRegion() { return region; }
    public void setRegion(String region) { this.region = region; }
    public Map<String, Object> getDetail() { return detail; }
    public void setDetail(Map<String, Object> detail) { this.detail = detail; }
    public String getSource() { return source; }
    public void setSource(String source) { this.source = source; }
    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public DateTime getTime() { return time; }
    public void setTime(DateTime time) { this.time = time; }
    public List<String> getResources() { return resources; }
    public void setResources(List<String> resources) { this.resources = resources; }
    public String getDetailType() { return detailType; }
    public void setDetailType(String detailType) { this.detailType = detailType; }
}
"""


def test_scheduled_event_with_the_functions_own_joda_time(tmp_path, run):
    """"detail-type" as Lambda names it, and a Joda DateTime read with DateTime.parse and written with
    ISODateTimeFormat.dateTime(), from the joda-time jar in the function's lib/ (Lambda resolves Joda against
    the function's class path, never its own)."""
    events = tmp_path / "com/amazonaws/services/lambda/runtime/events"
    events.mkdir(parents=True)
    (events / "ScheduledEvent.java").write_text(SCHEDULED_EVENT)
    (tmp_path / "example").mkdir()
    (tmp_path / "example/Tick.java").write_text(
        "package example;\nimport com.amazonaws.services.lambda.runtime.events.ScheduledEvent;\n"
        "public class Tick {\n  public ScheduledEvent handle(ScheduledEvent event) {\n"
        "    event.setId(event.getId() + \"/\" + event.getTime().getYear());\n    return event;\n  }\n}\n")
    (tmp_path / "lib").mkdir()
    shutil.copy(_joda_jar(), tmp_path / "lib" / "joda-time.jar")
    event = {"version": "0", "id": "53dc4d37", "detail-type": "Scheduled Event", "source": "aws.events",
             "account": "123456789012", "time": "2015-10-08T16:53:06Z", "region": "us-east-1",
             "resources": ["arn:aws:events:us-east-1:123456789012:rule/nightly"], "detail": {}}
    out = _payload(run(java_config(tmp_path, "example.Tick::handle"), event))
    assert out == {**event, "id": "53dc4d37/2015", "time": "2015-10-08T16:53:06.000Z"}
