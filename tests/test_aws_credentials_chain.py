"""Credentials without importing botocore where only the environment can hold them: the answer is the
one botocore's own chain gives, and with any AWS file or profile botocore itself is asked."""

import pytest

from workbench.core.child import aws_credentials
from workbench.core.child.aws_credentials import resolve_aws_access

KEYS = {"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"}


def botocore_answer(env, monkeypatch):
    """What botocore's chain finds for this environment (the shortcut turned off)."""
    for name in list(__import__("os").environ):
        if name.startswith("AWS_") or name == "BOTO_CONFIG":
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(aws_credentials, "_without_botocore", lambda *_: None)
    aws_credentials._CACHE.clear()
    try:
        return resolve_aws_access(None, env)
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("extra", [{}, KEYS, {**KEYS, "AWS_SESSION_TOKEN": "tok", "AWS_DEFAULT_REGION": "eu-west-1"}],
                         ids=["nothing", "keys", "keys, token and region"])
def test_the_shortcut_agrees_with_botocore(tmp_path, monkeypatch, extra):
    env = {"HOME": str(tmp_path), **extra}
    fast = aws_credentials._without_botocore(None, env)
    assert fast is not None and fast == botocore_answer(env, monkeypatch)


def test_a_credentials_file_or_a_profile_goes_to_botocore(tmp_path, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)  # botocore reads the process environment too
    env = {"HOME": str(tmp_path), **KEYS}
    assert aws_credentials._without_botocore("dev", env) is None
    assert aws_credentials._without_botocore(None, {**env, "AWS_PROFILE": "dev"}) is None
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "credentials").write_text("[default]\naws_access_key_id = AKIAFILE\n"
                                                   "aws_secret_access_key = fromfile\n")
    assert aws_credentials._without_botocore(None, env) is None
    aws_credentials._CACHE.clear()
    access = resolve_aws_access(None, {"HOME": str(tmp_path), "AWS_SHARED_CREDENTIALS_FILE":
                                       str(tmp_path / ".aws" / "credentials")})
    assert dict(access.variables)["AWS_ACCESS_KEY_ID"] == "AKIAFILE"
