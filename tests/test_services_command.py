"""`lambda-workbench services`: the workspace's local AWS in the foreground with the export lines that point
other tools at it, its Outbox as JSON, reset and the resource list. Real processes, real boto3 on the
printed lines."""

import json
import os
import signal
import socket
import subprocess
import sys

import pytest

from workbench.engine.services_host import find_host, stop_host

WORKBENCH = {"services": {"resources": {
    "Uploads": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "uploads-here"}},
    "Sender": {"Type": "AWS::SES::EmailIdentity", "Properties": {"EmailIdentity": "shop@example.com"}}}}}


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "workbench.json").write_text(json.dumps(WORKBENCH))
    (tmp_path / "seed" / "s3" / "Uploads").mkdir(parents=True)
    (tmp_path / "seed" / "s3" / "Uploads" / "hello.txt").write_text("from the seed")
    yield tmp_path
    stop_host(tmp_path)


def services(workspace, *args):
    return subprocess.run([sys.executable, "-m", "workbench", "services", *args, "--workspace", str(workspace)],
                          capture_output=True, text=True, timeout=60)


def _exports(lines):
    return dict(line[len("export "):].split("=", 1) for line in lines if line.startswith("export "))


def test_foreground_prints_the_exports_other_tools_use_and_stops_on_ctrl_c(workspace):
    """The printed lines are all a boto3 script needs (no profile, no account): with them it sends an
    email that `services outbox --json` then lists; Ctrl+C stops the host it started."""
    process = subprocess.Popen([sys.executable, "-m", "workbench", "services", "--workspace", str(workspace)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline().strip() for _ in range(6)]
        assert lines[0].startswith(f"Local AWS for {workspace} at http://127.0.0.1:")
        exports = _exports(lines[1:])
        record = find_host(workspace)
        assert exports["AWS_ENDPOINT_URL"] == record.endpoint
        assert set(exports) == {"AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION",
                                "AWS_DEFAULT_REGION"}
        script = ("import boto3\nboto3.client('ses').send_email(Source='shop@example.com', "
                  "Destination={'ToAddresses': ['ada@example.com']}, Message={'Subject': {'Data': 'From a script'}, "
                  "'Body': {'Text': {'Data': 'plain'}, 'Html': {'Data': '<b>rich</b>'}}})\n"
                  "print(boto3.client('s3').get_object(Bucket='uploads-here', Key='hello.txt')['Body'].read().decode())")
        clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        ran = subprocess.run([sys.executable, "-c", script], env={**clean, **exports}, capture_output=True, text=True,
                             timeout=60)
        assert ran.stdout.strip() == "from the seed", ran.stderr
        outbox = services(workspace, "outbox", "--json")
        [mail] = [json.loads(line) for line in outbox.stdout.splitlines()]
        assert (mail["from"], mail["to"], mail["subject"], mail["text"], mail["html"]) == (
            "shop@example.com", ["ada@example.com"], "From a script", "plain", "<b>rich</b>")
        assert isinstance(mail["time"], float)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert find_host(workspace) is None


def test_list_reset_and_bad_input(workspace):
    """list --json names each resource with its CloudFormation name; reset one resource or everything brings
    back the seed; an unknown resource and a taken port are errors in words (exit 2)."""
    listed = [json.loads(line) for line in services(workspace, "list", "--json").stdout.splitlines()]
    assert [(r["logicalId"], r["type"], r["name"]) for r in listed] == [
        ("Uploads", "AWS::S3::Bucket", "uploads-here"), ("Sender", "AWS::SES::EmailIdentity", "shop@example.com")]
    from workbench.engine.services_client import ServicesClient

    client = ServicesClient(find_host(workspace))
    client.put_object("uploads-here", "added.txt", b"new")
    client.client("ses").send_email(Source="shop@example.com", Destination={"ToAddresses": ["a@example.com"]},
                                    Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}})
    done = services(workspace, "reset", "Uploads")
    assert (done.returncode, done.stdout.strip()) == (0, "Reset Uploads to the seed state")
    assert [o["key"] for o in client.objects("uploads-here")] == ["hello.txt"] and len(client.outbox()) == 1
    assert services(workspace, "reset").stdout.strip() == "Reset all to the seed state"
    assert client.outbox() == []
    unknown = services(workspace, "reset", "Nope")
    assert unknown.returncode == 2 and "no resource 'Nope' in the workspace (its resources: Uploads, Sender)" \
        in unknown.stderr
    stop_host(workspace)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        refused = services(workspace, "--port", str(port))
    finally:
        taken.close()
    assert refused.returncode == 2
    assert f"port {port} cannot be used" in refused.stderr and "choose another with --port" in refused.stderr
