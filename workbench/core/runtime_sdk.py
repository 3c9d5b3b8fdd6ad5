"""The AWS SDK each Lambda runtime bundles, at the version installed here into the per-runtime SDK folder.

Lambda updates its runtimes' SDK over time and per region (a deployed function can print
boto3.__version__ to see its own); these pins are what the workbench installs, named in the README.
"""

from __future__ import annotations

from .function_config import runtime_family

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
