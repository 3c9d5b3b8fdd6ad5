"""`lambda-workbench generate-event` (workbench.cli.generate_event)."""

import base64
import io
import json
import subprocess
import sys

from workbench.cli.generate_event import main


def run(*argv):
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_no_arguments_lists_every_service_with_a_description():
    """Bare `generate-event` prints the 26 services, one per line with its product name."""
    code, out, err = run()
    assert code == 0 and err == ""
    lines = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert len(lines) == 26
    assert any(line.startswith("s3") and "Amazon S3" in line for line in lines)
    assert any(line.startswith("apigateway") and "API Gateway" in line for line in lines)


def test_service_lists_its_events():
    """`generate-event s3` lists the S3 events with what each one is."""
    code, out, err = run("s3")
    assert code == 0 and err == ""
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert listed == ["batch-invocation", "delete", "put"]


def test_event_prints_json_with_tag_overrides():
    """`s3 put --bucket my-bucket --key=...` prints the event JSON carrying both values."""
    code, out, err = run("s3", "put", "--bucket", "my-bucket", "--key=uploads/a b.txt")
    assert code == 0 and err == ""
    obj = json.loads(out)["Records"][0]["s3"]
    assert obj["bucket"]["name"] == "my-bucket"
    assert obj["object"]["key"] == "uploads/a%20b.txt"
    assert out.endswith("}\n")


def test_sqs_body_and_apigateway_body():
    """--body lands verbatim in SQS and base64-encoded in the API Gateway proxy event."""
    _, out, _ = run("sqs", "receive-message", "--body", "ship order 42")
    assert json.loads(out)["Records"][0]["body"] == "ship order 42"
    _, out, _ = run("apigateway", "aws-proxy", "--body", '{"id": 7}')
    assert base64.b64decode(json.loads(out)["body"]) == b'{"id": 7}'


def test_event_without_options_uses_defaults():
    """An event with no flags prints its defaults, as SAM does."""
    code, out, _ = run("cloudwatch", "scheduled-event")
    assert code == 0
    assert json.loads(out)["resources"] == ["arn:aws:events:us-east-1:123456789012:rule/ExampleRule"]


def test_unknown_service_exits_2_with_choices():
    """An unknown service prints the valid services on stderr and exits 2."""
    code, out, err = run("s4")
    assert code == 2 and out == ""
    assert "s4" in err and "s3" in err and "sqs" in err


def test_unknown_event_exits_2_with_choices():
    """An unknown event prints that service's events on stderr and exits 2."""
    code, out, err = run("s3", "copy")
    assert code == 2 and out == ""
    assert "batch-invocation, delete, put" in err


def test_unknown_flag_exits_2_with_valid_options():
    """An option that is not one of the event's tags is refused, listing the valid ones."""
    code, out, err = run("s3", "put", "--bukket", "x")
    assert code == 2 and out == ""
    assert "--bukket" in err and "--bucket" in err and "--key" in err


def test_flag_without_value_exits_2():
    """A tag flag with its value missing is a usage error, not a crash."""
    code, out, err = run("s3", "put", "--bucket")
    assert code == 2 and out == "" and "--bucket" in err


def test_help_at_every_level():
    """--help works for the command, a service and an event, and shows the event's tags and defaults."""
    for argv in (["--help"], ["s3", "--help"], ["s3", "put", "--help"]):
        code, out, err = run(*argv)
        assert code == 0 and err == "" and out.startswith("usage:")
    _, out, _ = run("s3", "put", "-h")
    assert "--bucket" in out and "example-bucket" in out and "url-encoded" in out


def test_runs_as_a_process():
    """`python -m workbench.cli.generate_event sqs receive-message` prints the event on stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "workbench.cli.generate_event", "sqs", "receive-message", "--queue-name", "orders"],
        capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Records"][0]["eventSourceARN"].endswith(":orders")
