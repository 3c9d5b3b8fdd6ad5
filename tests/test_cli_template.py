"""`lambda-workbench invoke` inside a SAM project, and `generate-event` through the real command."""

import json
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).parent / "fixtures" / "sam_project"


def cli(*args, cwd=PROJECT, stdin=None):
    return subprocess.run([sys.executable, "-m", "workbench", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_template_function_runs_with_env_vars_file():
    """A template function runs with the template's settings and env.json's variables, undeclared ones too."""
    proc = cli("invoke", "OrderFunction", "-e", "events/place_order.json", "--env-vars", "env.json",
               "--env", "EXTRA=1")
    assert proc.returncode == 0, proc.stderr
    response = json.loads(proc.stdout)
    assert response["statusCode"] == 201
    assert json.loads(response["body"])["stage"] == "dev"
    # TABLE_NAME comes from env.json's OrderFunction section, overriding the template's !Ref placeholder.
    assert "table orders-local" in proc.stderr


def test_template_settings_reach_the_report():
    """MemorySize from the template (via Globals and mappings) is the REPORT's Memory Size."""
    proc = cli("invoke", "AuditFunction", "-t", "template.yaml")
    assert proc.returncode == 0, proc.stderr
    report = next(line for line in proc.stderr.splitlines() if line.startswith("REPORT"))
    assert "\tMemory Size: " in report


def test_unknown_function_lists_the_template_functions():
    """An unknown function id exits 2 and names the functions the template has."""
    proc = cli("invoke", "NoSuchFunction")
    assert proc.returncode == 2
    for name in ("OrderFunction", "NotifyFunction", "AuditFunction"):
        assert name in proc.stderr
    assert proc.stdout == ""


def test_broken_template_names_file_line_and_column(tmp_path):
    """A template that does not parse exits 2 with the file, line and column."""
    (tmp_path / "template.yaml").write_text("Resources:\n  Fn:\n    Type: [unclosed\n")
    proc = cli("invoke", "Fn", cwd=tmp_path)
    assert proc.returncode == 2
    assert "template.yaml:" in proc.stderr and ":" in proc.stderr.split("template.yaml:")[1]


def test_generate_event_through_the_command():
    """`lambda-workbench generate-event s3 put --bucket b` prints an S3 event for that bucket."""
    proc = cli("generate-event", "s3", "put", "--bucket", "photos")
    assert proc.returncode == 0, proc.stderr
    event = json.loads(proc.stdout)
    assert event["Records"][0]["s3"]["bucket"]["name"] == "photos"


def test_generated_event_feeds_invoke(tmp_path):
    """generate-event's output pipes straight into invoke -e -."""
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return event['Records'][0]['eventSource']\n")
    event = cli("generate-event", "sqs", "receive-message").stdout
    proc = cli("invoke", "--code-dir", str(tmp_path), "--handler", "app.handler", "-e", "-", stdin=event)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == "aws:sqs"
