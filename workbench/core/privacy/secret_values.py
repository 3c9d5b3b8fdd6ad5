"""Which variable values are secrets (judged by the variable's name), and how a stored copy hides them.

One rule for the whole app: the settings form masks these values on screen, the history never stores
them in clear.
"""

from __future__ import annotations

import hashlib
import hmac

SECRET_MARKERS = ("TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL")
# What a stored secret looks like: a marker and a short keyed digest, so Compare can still tell
# "changed" from "unchanged" without the value being recoverable from the database alone.
CONCEALED_PREFIX = "••• hidden "


def looks_secret(name: str) -> bool:
    """Whether a variable's value is a secret, judged by its name (API_KEY, DB_PASSWORD...)."""
    upper = name.upper()
    return any(marker in upper for marker in SECRET_MARKERS)


def conceal(value: str, key: bytes) -> str:
    """A stand-in for a secret value: equal values give equal stand-ins under the same key.

    The digest is cut to 8 hex digits on purpose: enough to notice a change between two runs, too
    short to confirm a guessed password with any confidence.
    """
    if not value:
        return value
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:8]
    return f"{CONCEALED_PREFIX}{digest}"


def is_concealed(value: str) -> bool:
    return value.startswith(CONCEALED_PREFIX)


def conceal_environment(environment: tuple[tuple[str, str], ...], key: bytes) -> tuple[tuple[str, str], ...]:
    """The variables with every secret-looking value replaced by its stand-in."""
    return tuple((name, conceal(value, key) if looks_secret(name) else value) for name, value in environment)


def restore_environment(stored: tuple[tuple[str, str], ...],
                        current: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """A stored run's variables with each hidden secret taken from the function's current settings.

    Running a past run again needs real values; the stored one is only a stand-in. A secret the function
    no longer has is dropped rather than sent as the stand-in text.
    """
    restored = []
    for name, value in stored:
        if is_concealed(value):
            if name in current:
                restored.append((name, current[name]))
            continue
        restored.append((name, value))
    return tuple(restored)
