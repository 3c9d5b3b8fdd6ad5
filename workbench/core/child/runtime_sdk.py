"""The AWS SDK each Lambda runtime bundles, at the version installed here into the per-runtime SDK folder.

Lambda updates its runtimes' SDK over time and per region (a deployed function can print
boto3.__version__ to see its own); these pins are what the workbench installs, named in the README.
"""

from __future__ import annotations

import os
import re

from ..function.function_config import runtime_family

PYTHON_SDK = ("boto3==1.40.4", "botocore==1.40.4", "simplejson==3.20.1")
# The AWS SDK for JavaScript v3 is modular; the clients most functions import, at one release.
NODE_SDK_VERSION = "3.896.0"
NODE_SDK_CLIENTS = ("client-s3", "client-dynamodb", "lib-dynamodb", "client-sqs", "client-sns",
                    "client-lambda", "client-secrets-manager", "client-ssm", "client-eventbridge")


def sdk_install_arguments(runtime: str) -> list[str] | None:
    """Package specifiers for the runtime's SDK folder; None when the runtime bundles no SDK."""
    family = runtime_family(runtime)
    if family == "python":
        return list(PYTHON_SDK)
    if family == "nodejs" and int(runtime[len("nodejs"):].split(".")[0]) >= 18:
        return [f"@aws-sdk/{client}@{NODE_SDK_VERSION}" for client in NODE_SDK_CLIENTS]
    return None


def sdk_label(runtime: str) -> str:
    if runtime_family(runtime) == "python":
        return "SDK (" + ", ".join(PYTHON_SDK) + ")"
    return f"SDK (AWS SDK for JavaScript v3 {NODE_SDK_VERSION})"


_SDK_USE = {
    "python": re.compile(rb"^\s*(?:import|from)\s+(?:boto3|botocore)\b", re.MULTILINE),
    "nodejs": re.compile(rb"""['"](?:@aws-sdk/|aws-sdk['"/])"""),
}
_SOURCE_SUFFIXES = {"python": (".py",), "nodejs": (".js", ".mjs", ".cjs", ".ts")}
_SKIPPED = {".git", ".venv", "node_modules", "__pycache__", ".aws-sam", "events"}


def code_uses_sdk(code_dir: str, runtime: str, max_files: int = 2000) -> bool:
    """Whether the function's own source imports the runtime's SDK: the first need for installing it."""
    family = runtime_family(runtime)
    pattern, suffixes = _SDK_USE.get(family), _SOURCE_SUFFIXES.get(family, ())
    if pattern is None:
        return False
    seen = 0
    for root, dirs, files in os.walk(code_dir):
        dirs[:] = [d for d in dirs if d not in _SKIPPED]
        for name in files:
            if not name.endswith(suffixes):
                continue
            seen += 1
            if seen > max_files:
                return True  # too big to read on every start: assume it does
            try:
                with open(os.path.join(root, name), "rb") as source:
                    if pattern.search(source.read(1_000_000)):
                        return True
            except OSError:
                continue
    return False
