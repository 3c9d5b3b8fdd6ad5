"""The one masking rule: which values are secrets, and how a copy the workbench shows or keeps hides them.

Secrets are the values of variables whose names look secret (workbench.core.secret_values.looks_secret:
TOKEN, SECRET, PASSWORD, KEY, ...) and the AWS secret access key and session token the function gets.
The access key ID is not one: AWS calls it an identifier, shown in consoles and CloudTrail, and a function
that prints or returns it must see it as it is.

Masked (MASK in place of the value): where the workbench itself displays or stores a variable's value
(the settings table, the history, the configuration documents serve answers) and in the log lines it
shows and keeps. Never masked: the function's response as it reaches the caller (invoke's stdout, the
Response panel, the Invoke API, the front door).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..secret_values import looks_secret

MASK = "****"


def is_secret_variable(name: str) -> bool:
    """Whether a variable's value is a secret, judged by its name."""
    return looks_secret(name)


def mask_variables(variables: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """The variables with every secret value replaced by MASK (an empty value stays empty)."""
    items = variables.items() if isinstance(variables, Mapping) else variables
    return {name: MASK if value and is_secret_variable(name) else value for name, value in items}
