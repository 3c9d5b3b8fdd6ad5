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


# Lambda's Node.js runtimes (18 and later) carry the whole AWS SDK for JavaScript v3 ("Building Lambda
# functions with Node.js": the runtime includes the SDK v3); a function imports any client without packaging it.
# Here the clients are installed into the SDK folder as functions import them: the common ones on the first
# need, any other on the first import of it, each once (offline afterwards).
_NODE_IMPORT = re.compile(rb"""['"]@aws-sdk/([a-z0-9][a-z0-9.-]*)['"/]""")
# Clients and their libraries (lib-dynamodb, lib-storage) are released together at one version; the packages
# they depend on (types, middleware, util-*) have version lines of their own: those not installed already
# as a dependency are installed at their newest.
_RELEASED_WITH_CLIENTS = re.compile(r"^(?:client|lib)-")


def node_sdk_major_supported(runtime: str) -> bool:
    return runtime_family(runtime) == "nodejs" and int(runtime[len("nodejs"):].split(".")[0]) >= 18


def node_package_specifier(name: str) -> str:
    """The npm specifier of `@aws-sdk/<name>` at the release the workbench provides."""
    return f"@aws-sdk/{name}@{NODE_SDK_VERSION}" if _RELEASED_WITH_CLIENTS.match(name) else f"@aws-sdk/{name}"


def sdk_install_arguments(runtime: str, extra: frozenset[str] | set[str] = frozenset()) -> list[str] | None:
    """Package specifiers for the runtime's SDK folder (`extra`: further @aws-sdk packages the function
    imports); None when the runtime bundles no SDK."""
    family = runtime_family(runtime)
    if family == "python":
        return list(PYTHON_SDK)
    if node_sdk_major_supported(runtime):
        names = list(NODE_SDK_CLIENTS) + sorted(set(extra) - set(NODE_SDK_CLIENTS))
        return [node_package_specifier(name) for name in names]
    return None


def node_sdk_imports(code_dir: str, max_files: int = 2000) -> frozenset[str]:
    """The @aws-sdk packages (by name without the scope: "client-ses") the Node.js source imports."""
    found: set[str] = set()
    for path in _source_files(code_dir, _SOURCE_SUFFIXES["nodejs"], max_files):
        try:
            with open(path, "rb") as source:
                found.update(name.decode() for name in _NODE_IMPORT.findall(source.read(1_000_000)))
        except OSError:
            continue
    return frozenset(found)


def node_sdk_missing(sdk_dir: str | os.PathLike, names: frozenset[str] | set[str]) -> list[str]:
    """The packages among `names` the SDK folder does not hold yet."""
    base = os.path.join(sdk_dir, "node_modules", "@aws-sdk")
    return sorted(name for name in names if not os.path.isfile(os.path.join(base, name, "package.json")))


def sdk_label(runtime: str) -> str:
    if runtime_family(runtime) == "python":
        return "SDK (" + ", ".join(PYTHON_SDK) + ")"
    return f"SDK (AWS SDK for JavaScript v3 {NODE_SDK_VERSION})"


_SDK_USE = {
    # `from boto3 import ...`, `import boto3`, and boto3 anywhere in an import list (`import json, boto3 as b`).
    "python": re.compile(rb"^[ \t]*(?:from[ \t]+(?:boto3|botocore)\b|import[ \t]+(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?"
                         rb"[ \t]*,[ \t]*)*(?:boto3|botocore)\b)", re.MULTILINE),
    "nodejs": re.compile(rb"""['"](?:@aws-sdk/|aws-sdk['"/])"""),
}
_SOURCE_SUFFIXES = {"python": (".py",), "nodejs": (".js", ".mjs", ".cjs", ".ts")}
_SKIPPED = {".git", ".venv", "node_modules", "__pycache__", ".aws-sam", "events"}


def _source_files(code_dir: str, suffixes: tuple[str, ...], max_files: int):
    seen = 0
    for root, dirs, files in os.walk(code_dir):
        dirs[:] = [d for d in dirs if d not in _SKIPPED]
        for name in files:
            if name.endswith(suffixes):
                seen += 1
                if seen > max_files:
                    return
                yield os.path.join(root, name)


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
