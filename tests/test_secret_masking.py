"""One masking rule (workbench/core/privacy/secret_masking.py): the response reaches the caller as the
function returned it; the logs the workbench shows and the history it keeps have the secret values
masked; a short or common value never rewrites unrelated text; the access key ID is not a secret."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from workbench.core.privacy.secret_masking import (MASK, mask_bytes, mask_text, mask_variables, maskable_in_text,
                                                   text_secrets)
from workbench.core.privacy.secret_values import looks_secret

REPO = Path(__file__).resolve().parent.parent

HANDLER = """
import os

def handler(event, context):
    print("password is", os.environ["DB_PASSWORD"])
    print("token:" + os.environ["API_TOKEN"] + ".")
    print("the pin is", os.environ["PIN_SECRET"], "and the word is pass, the id", os.environ["AWS_ACCESS_KEY_ID"])
    print("part of a longer word: xx" + os.environ["DB_PASSWORD"] + "yy")
    return {"password": os.environ["DB_PASSWORD"], "key_id": os.environ["AWS_ACCESS_KEY_ID"],
            "secret_key": os.environ["AWS_SECRET_ACCESS_KEY"]}
"""
PASSWORD = "hunter2-long-enough"
TOKEN = "tok_7f3a9c2e51b"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"


def test_what_is_looked_for_in_text():
    assert not looks_secret("AWS_ACCESS_KEY_ID") and looks_secret("AWS_SECRET_ACCESS_KEY")
    assert maskable_in_text(PASSWORD) and maskable_in_text(SECRET_KEY) and maskable_in_text("abc12345")
    for common in ("pass", "password", "12345678", "changeme", "true", " spaced-1 "):
        assert not maskable_in_text(common), common
    secrets = text_secrets([("DB_PASSWORD", PASSWORD), ("PIN_SECRET", "1234"), ("TABLE", "orders-2024-x"),
                            ("API_KEY", "")], [SECRET_KEY])
    assert secrets == (SECRET_KEY, PASSWORD)  # longest first; short, unnamed and empty values left out
    assert mask_variables({"DB_PASSWORD": PASSWORD, "PIN_SECRET": "1234", "TABLE": "t", "API_KEY": ""}) == {
        "DB_PASSWORD": MASK, "PIN_SECRET": MASK, "TABLE": "t", "API_KEY": ""}


def test_every_occurrence_is_masked_the_longest_secret_first():
    secrets = text_secrets([("DB_PASSWORD", PASSWORD), ("T_TOKEN", "enough-9"), ("X_KEY", "x9y8z7w6")])
    assert mask_text(f"pw={PASSWORD}; again '{PASSWORD}'", secrets) == "pw=****; again '****'"
    assert mask_text(f"xx{PASSWORD}yy, ax9y8z7w6b", secrets) == "xx****yy, a****b"
    assert mask_bytes(b"\xff\xfe " + PASSWORD.encode(), secrets) == b"\xff\xfe ****"
    assert mask_text("nothing here", ()) == "nothing here"


def _workspace(tmp_path: Path) -> Path:
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "app.py").write_text(HANDLER)
    (tmp_path / "workbench.json").write_text(json.dumps({"functions": [{
        "name": "Leaky", "handler": "app.handler", "runtime": "python3.12", "codeUri": "code",
        "environment": {"DB_PASSWORD": PASSWORD, "API_TOKEN": TOKEN, "PIN_SECRET": "pass"}}]}))
    return tmp_path


def _run(*args, env):
    return subprocess.run([sys.executable, "-m", "workbench", *args], cwd=REPO, capture_output=True, text=True,
                          env=env, timeout=90)


def test_the_response_is_unaltered_while_logs_and_history_are_masked(tmp_path):
    workspace = _workspace(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=SECRET_KEY,
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"), AWS_CONFIG_FILE=str(tmp_path / "none"))
    report = tmp_path / "report.jsonl"
    done = _run("invoke", "Leaky", "--workspace", str(workspace), "--aws", "account", "--report-json", str(report), env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(report.read_text())["response"] == {"password": MASK, "key_id": KEY_ID, "secret_key": MASK}
    # stdout: the response exactly as returned, secrets and the key ID included.
    assert json.loads(done.stdout) == {"password": PASSWORD, "key_id": KEY_ID, "secret_key": SECRET_KEY}
    log = done.stderr
    assert "password is ****" in log and "token:****." in log
    assert f"the pin is pass and the word is pass, the id {KEY_ID}" in log  # short value: text untouched
    assert "xx****yy" in log
    assert SECRET_KEY not in log and f"password is {PASSWORD}" not in log

    listed = _run("history", "--workspace", str(workspace), "--json", env=env)
    run_id = json.loads(listed.stdout.splitlines()[0])["id"]
    shown = _run("history", "show", run_id, "--workspace", str(workspace), env=env)
    assert shown.returncode == 0, shown.stderr
    assert "password is ****" in shown.stdout and '"password": "****"' in shown.stdout
    assert '"secret_key": "****"' in shown.stdout and KEY_ID in shown.stdout
    assert SECRET_KEY not in shown.stdout and TOKEN not in shown.stdout
    for path in (workspace / ".workbench").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET_KEY.encode() not in data and TOKEN.encode() not in data, path
    with sqlite3.connect(workspace / ".workbench" / "history.sqlite3") as db:
        payload, = db.execute("SELECT payload FROM run_details").fetchone()
    assert PASSWORD.encode() not in bytes(payload)


def test_serve_answers_the_response_unaltered_and_masks_its_log_and_the_tail(tmp_path):
    import base64

    from serve_helpers import start_serve

    served = start_serve(_workspace(tmp_path))
    try:
        reply = served.client().invoke(FunctionName="Leaky", LogType="Tail")
        assert json.loads(reply["Payload"].read())["password"] == PASSWORD
        tail = base64.b64decode(reply["LogResult"]).decode()
        assert "password is ****" in tail and PASSWORD not in tail and TOKEN not in tail
    finally:
        assert served.stop() == 0, served.stderr
    assert "password is ****" in served.stderr and PASSWORD not in served.stderr
