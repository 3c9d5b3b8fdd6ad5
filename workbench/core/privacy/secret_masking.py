"""The one masking rule: which values are secrets, and how a copy the workbench shows or keeps hides them.

Secrets are the values of variables whose names look secret (workbench.core.privacy.secret_values.looks_secret:
TOKEN, SECRET, PASSWORD, KEY, ...) and the AWS secret access key and session token the function gets.
The access key ID is not one: AWS calls it an identifier, shown in consoles and CloudTrail, and a function
that prints or returns it must see it as it is.

Masked (MASK in place of the value):
- a secret variable's value wherever the workbench shows or keeps the variable itself: the settings
  table, the history's copy of the configuration (a keyed digest there, secret_values.conceal), the
  configuration documents serve answers;
- a secret value inside text the workbench shows or keeps: every log line of a call (the window's log,
  invoke's and serve's logs, the Invoke API's log tail, the history, reports), and the response as the
  history and `invoke --report-json` keep it (so `history show`, Compare and the History panel show it masked).
Never masked: the response as it reaches the caller, live (invoke's stdout, the Response panel, the Invoke
API, the front door), nor the event the user sent.

Inside text, only a value that could not be ordinary text is looked for (maskable_in_text): 8 characters
or more, of at least two kinds (letters, digits, others), no surrounding spaces; it is masked wherever it
occurs (glued to other text too: a value that distinctive is the secret). A short or common value
("pass", "password", "12345678") is masked as a variable but never rewrites a log line where it might be
an unrelated word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from .secret_values import looks_secret

MASK = "****"
MIN_TEXT_SECRET_LENGTH = 8


def is_secret_variable(name: str) -> bool:
    """Whether a variable's value is a secret, judged by its name."""
    return looks_secret(name)


def mask_variables(variables: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """The variables with every secret value replaced by MASK (an empty value stays empty)."""
    items = variables.items() if isinstance(variables, Mapping) else variables
    return {name: MASK if value and is_secret_variable(name) else value for name, value in items}


def _kinds(value: str) -> int:
    letters = any(c.isalpha() for c in value)
    digits = any(c.isdigit() for c in value)
    others = any(not c.isalnum() for c in value)
    return letters + digits + others


def maskable_in_text(value: str) -> bool:
    """Whether a secret value is distinctive enough to be looked for inside text."""
    return len(value) >= MIN_TEXT_SECRET_LENGTH and _kinds(value) >= 2 and value.strip() == value


def text_secrets(variables: Iterable[tuple[str, str]], credentials: Iterable[str] = ()) -> tuple[str, ...]:
    """The values to look for in a call's text: its secret variables' and the secret credentials it got
    (the secret access key, the session token), those distinctive enough, longest first."""
    values = {value for name, value in variables if value and is_secret_variable(name)}
    values.update(value for value in credentials if value)
    return tuple(sorted((v for v in values if maskable_in_text(v)), key=lambda v: (-len(v), v)))


@functools.lru_cache(maxsize=64)
def _pattern(secrets: tuple[str, ...]) -> re.Pattern:
    # Longest first (text_secrets' order), so a secret containing another is masked whole.
    return re.compile("|".join(re.escape(secret) for secret in secrets))


def mask_text(text: str, secrets: tuple[str, ...]) -> str:
    """text with every whole occurrence of the secrets (from text_secrets) replaced by MASK."""
    if not secrets or not text:
        return text
    return _pattern(secrets).sub(MASK, text)


def mask_bytes(data: bytes, secrets: tuple[str, ...]) -> bytes:
    """mask_text for a payload: bytes that are not UTF-8 are kept as they are."""
    if not secrets or not data:
        return data
    text = data.decode("utf-8", errors="surrogateescape")
    masked = mask_text(text, secrets)
    return data if masked == text else masked.encode("utf-8", errors="surrogateescape")
