"""With no credentials anywhere, a function importing the SDK in an import list still gets the WARNING
line. The region the function gets follows the user's AWS settings as their own tools read them: --region,
else AWS_REGION / AWS_DEFAULT_REGION from the shell, else the profile's (the default profile's too), else
the function's configured region."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HANDLER = "import os\ndef handler(e, c):\n    return [os.environ['AWS_REGION'], os.environ['AWS_DEFAULT_REGION']]\n"


@pytest.mark.parametrize("shell, config, extra, expected", [
    ({}, "", (), "us-east-1"),
    ({"AWS_REGION": "eu-west-1"}, "", (), "eu-west-1"),
    ({"AWS_DEFAULT_REGION": "eu-west-2"}, "", (), "eu-west-2"),
    ({}, "[default]\nregion = ap-south-1\n", (), "ap-south-1"),
    ({"AWS_REGION": "eu-west-1"}, "", ("--region", "sa-east-1"), "sa-east-1"),
])
def test_the_region_follows_the_users_settings(tmp_path, shell, config, extra, expected):
    (tmp_path / "app.py").write_text(HANDLER)
    (tmp_path / "config").write_text(config)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"), AWS_CONFIG_FILE=str(tmp_path / "config"),
               HOME=str(tmp_path), **shell)
    done = subprocess.run([sys.executable, "-m", "workbench", "invoke", "--code-dir", str(tmp_path), "--handler",
                           "app.handler", "--no-history", "--aws", "account", *extra], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=90)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [expected, expected]


def test_no_credentials_warns_when_boto3_is_imported_in_a_list(tmp_path):
    (tmp_path / "app.py").write_text("import json, boto3\ndef handler(e, c):\n    return boto3.__name__\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"), AWS_CONFIG_FILE=str(tmp_path / "none"),
               HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "workbench", "invoke", "--code-dir", str(tmp_path), "--handler",
                           "app.handler", "--no-history", "--aws", "account"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and json.loads(done.stdout) == "boto3", done.stderr
    assert done.stderr.count("WARNING: no AWS credentials found") == 1
