"""The sample-event catalogue and its renderer (workbench.core.workspace.event_templates)."""

import base64
import dataclasses
import gzip
import hashlib
import json
import re
import subprocess
import sys

import pytest

from workbench.core.workspace import event_templates as et
from workbench.core.workspace.event_templates import UnknownEvent
from workbench.resources import resource_path

# The services and events of `sam local generate-event` (LAMBDA.md section 8).
EXPECTED = {
    "alb": ["request"],
    "alexa-skills-kit": ["end-session", "intent-answer", "intent-getnewfact", "intent-mycoloris",
                         "intent-recipe", "start-session"],
    "alexa-smart-home": ["smart-home-control-turn-off-request", "smart-home-control-turn-on-request",
                         "smart-home-discovery-request"],
    "apigateway": ["authorizer", "aws-proxy", "http-api-proxy", "request-authorizer"],
    "appsync": ["resolver"],
    "batch": ["get-job", "submit-job"],
    "cloudformation": ["create-request"],
    "cloudfront": ["ab-test", "access-request-in-response", "http-redirect", "modify-querystring",
                   "modify-response-header", "multiple-remote-calls-aggregate-response",
                   "normalize-querystring-to-improve-cache-hit", "redirect-on-viewer-country",
                   "redirect-unauthenticated-users", "response-generation", "serve-object-on-viewer-device",
                   "simple-remote-call"],
    "cloudwatch": ["logs", "scheduled-event"],
    "codecommit": ["repository"],
    "codepipeline": ["job"],
    "cognito": ["sync-trigger"],
    "config": ["item-change-notification", "oversized-item-change-notification", "periodic-rule"],
    "connect": ["contact-flow-event"],
    "dynamodb": ["update"],
    "kinesis": ["analytics", "analytics-compressed", "analytics-dynamodb", "analytics-kpl", "apachelog",
                "cloudwatch-logs-processor", "get-records", "kinesis-firehose", "streams-as-source", "syslog"],
    "lex": ["book-car", "book-hotel", "make-appointment", "order-flowers"],
    "lex-v2": ["banking-bot", "book-car", "book-hotel"],
    "rekognition": ["s3-request"],
    "s3": ["batch-invocation", "delete", "put"],
    "sagemaker": ["ground-truth-annotation-consolidation", "ground-truth-pre-human"],
    "ses": ["email-receiving"],
    "sns": ["notification"],
    "sqs": ["receive-message"],
    "stepfunctions": ["error"],
    "workmail": ["email"],
}

ALL_EVENTS = [(service, event) for service, events in EXPECTED.items() for event in events]
PLACEHOLDER = re.compile(r"\{\{\{([^}]+)\}\}\}")


def render(service, event, **values):
    return json.loads(et.render_event(service, event, values))


def test_catalogue_has_the_26_services_and_68_events():
    """The catalogue offers exactly the services and events of `sam local generate-event`."""
    catalogue = et.load_catalogue()
    assert len(catalogue) == 26
    assert sum(len(events) for events in catalogue.values()) == 68
    assert {service: sorted(events) for service, events in catalogue.items()} == EXPECTED
    assert et.list_services() == sorted(EXPECTED)


def test_every_service_has_a_title_and_every_event_a_description():
    """Listings can show a product name per service and a sentence per event."""
    for service in et.list_services():
        assert et.service_title(service) and et.service_title(service) != service
        for template in et.list_events(service):
            assert template.description


@pytest.mark.parametrize(("service", "event"), ALL_EVENTS)
def test_every_event_renders_to_json_with_defaults(service, event):
    """Each event renders with its defaults to a JSON object, with no placeholder left over."""
    text = et.render_event(service, event)
    assert isinstance(json.loads(text), dict)
    assert "{{" not in text
    assert text.startswith("{\n  \"")


@pytest.mark.parametrize(("service", "event"), ALL_EVENTS)
def test_template_placeholders_match_catalogue_tags(service, event):
    """Every placeholder in a template file is a declared tag, and every declared tag is used."""
    template = et.get_template(service, event)
    text = resource_path("events", template.file).read_text(encoding="utf-8")
    used = set(PLACEHOLDER.findall(text))
    declared = set(template.tag_names)
    derived = {f"md5-of-{tag.name}" for tag in template.tags if tag.hashing == "md5"}
    assert used == declared | derived


def test_common_tag_defaults():
    """account-id, region and partition default to the values SAM uses everywhere."""
    expected = {"account-id": "123456789012", "region": "us-east-1", "partition": "aws"}
    for service in et.list_services():
        for template in et.list_events(service):
            for tag in template.tags:
                if tag.name in expected:
                    assert tag.default == expected[tag.name], (service, template.event)


def test_s3_put_bucket_and_key_land_in_the_event():
    """--bucket names the bucket and its ARN; the key is URL-encoded as S3 does."""
    record = render("s3", "put", bucket="my-bucket", key="photos/summer 2024+1.jpg")["Records"][0]
    assert record["eventSource"] == "aws:s3"
    assert record["eventName"] == "ObjectCreated:Put"
    assert record["s3"]["bucket"]["name"] == "my-bucket"
    assert record["s3"]["bucket"]["arn"] == "arn:aws:s3:::my-bucket"
    assert record["s3"]["object"]["key"] == "photos/summer%202024%2B1.jpg"


def test_s3_put_defaults_match_sam():
    """With no values the S3 put event names example-bucket and test/key in us-east-1."""
    record = render("s3", "put")["Records"][0]
    assert record["s3"]["bucket"]["name"] == "example-bucket"
    assert record["s3"]["object"]["key"] == "test/key"
    assert record["awsRegion"] == "us-east-1"


def test_apigateway_proxy_body_is_base64_encoded():
    """The REST proxy event carries the body base64-encoded and says so."""
    event = render("apigateway", "aws-proxy", body='{"order": 42}', method="PUT", path="orders/42")
    assert base64.b64decode(event["body"]).decode() == '{"order": 42}'
    assert event["isBase64Encoded"] is True
    assert event["httpMethod"] == "PUT"
    assert event["path"] == "/orders/42"
    assert event["requestContext"]["stage"] == "prod"
    assert event["resource"] == "/{proxy+}"


def test_http_api_event_is_payload_version_2():
    """The HTTP API event uses payload format 2.0 with the $default stage."""
    event = render("apigateway", "http-api-proxy", method="GET", path="items")
    assert event["version"] == "2.0"
    assert event["rawPath"] == "/items"
    assert event["requestContext"]["http"]["method"] == "GET"
    assert event["requestContext"]["stage"] == "$default"


def test_sqs_body_and_its_md5():
    """--body sets the message body, and md5OfBody is that body's MD5 as SQS computes it."""
    record = render("sqs", "receive-message", body="Order 42 shipped", **{"queue-name": "orders"})["Records"][0]
    assert record["body"] == "Order 42 shipped"
    assert record["md5OfBody"] == hashlib.md5(b"Order 42 shipped").hexdigest()
    assert record["eventSourceARN"] == "arn:aws:sqs:us-east-1:123456789012:orders"


def test_default_sqs_event_has_md5_of_default_body():
    """The default SQS event's md5OfBody matches its default body."""
    record = render("sqs", "receive-message")["Records"][0]
    assert record["body"] == "Hello from SQS!"
    assert record["md5OfBody"] == hashlib.md5(b"Hello from SQS!").hexdigest()


def test_values_with_quotes_and_newlines_stay_valid_json():
    """A value holding JSON, quotes, braces and a newline lands verbatim and the output still parses."""
    message = '{"order": 42, "note": "say \\"hi\\"\n{{not a tag}}"}'
    event = render("sns", "notification", message=message, subject="Über")
    assert event["Records"][0]["Sns"]["Message"] == message
    assert event["Records"][0]["Sns"]["Subject"] == "Über"


def test_kinesis_data_is_base64_and_scheduled_event_names_its_rule():
    """Kinesis record data is base64 of the given text; the schedule event's resource is the rule ARN."""
    kinesis = render("kinesis", "get-records", data="hello")["Records"][0]["kinesis"]
    assert base64.b64decode(kinesis["data"]) == b"hello"
    schedule = render("cloudwatch", "scheduled-event", rule="Nightly", region="eu-west-1")
    assert schedule["detail-type"] == "Scheduled Event"
    assert schedule["resources"] == ["arn:aws:events:eu-west-1:123456789012:rule/Nightly"]


def test_cloudwatch_logs_data_decodes_to_log_events():
    """The CloudWatch Logs event's data is real gzip+base64 that decodes to a DATA_MESSAGE."""
    data = render("cloudwatch", "logs")["awslogs"]["data"]
    payload = json.loads(gzip.decompress(base64.b64decode(data)))
    assert payload["messageType"] == "DATA_MESSAGE"
    assert payload["logEvents"]


def test_dynamodb_stream_event_names_the_table():
    """The DynamoDB stream batch holds INSERT, MODIFY and REMOVE records from the named table."""
    records = render("dynamodb", "update", table="Orders")["Records"]
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    assert all(":table/Orders/stream/" in r["eventSourceARN"] for r in records)


def test_unknown_service_names_the_choices():
    """An unknown service raises UnknownEvent (a ValueError) listing the valid services."""
    with pytest.raises(UnknownEvent) as caught:
        et.render_event("s4", "put")
    assert isinstance(caught.value, ValueError)
    assert "s3" in str(caught.value) and "sqs" in str(caught.value)
    assert caught.value.choices == et.list_services()


def test_unknown_event_names_the_choices():
    """An unknown event raises UnknownEvent listing that service's events."""
    with pytest.raises(UnknownEvent) as caught:
        et.render_event("s3", "copy")
    assert caught.value.choices == ["batch-invocation", "delete", "put"]
    assert "put" in str(caught.value)


def test_unknown_tag_names_the_valid_tags():
    """A value for a tag the event lacks is refused, naming the tags it has."""
    with pytest.raises(et.UnknownTag) as caught:
        et.render_event("s3", "put", {"bukket": "x"})
    assert isinstance(caught.value, ValueError)
    assert "bucket" in str(caught.value)


def test_templates_are_frozen_and_list_events_is_sorted():
    """Templates are immutable values, listed by event name, with their tags and defaults."""
    events = et.list_events("s3")
    assert [t.event for t in events] == ["batch-invocation", "delete", "put"]
    put = events[-1]
    assert put.defaults()["bucket"] == "example-bucket"
    key = next(tag for tag in put.tags if tag.name == "key")
    assert key == et.TemplateTag("key", "test/key", "url", None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        put.service = "sqs"


def test_load_catalogue_gives_each_caller_its_own_dicts():
    """Changing the returned catalogue does not change what the next caller sees."""
    first = et.load_catalogue()
    first.pop("s3")
    first["sqs"].clear()
    second = et.load_catalogue()
    assert "s3" in second and second["sqs"]



def test_catalogue_loads_without_qt():
    """Rendering an event loads no Qt module, so the core layer stays usable headless."""
    code = (
        "import sys; from workbench.core.workspace.event_templates import render_event; render_event('s3', 'put'); "
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
