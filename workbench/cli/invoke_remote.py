"""`lambda-workbench invoke FUNCTION --remote`: the same prepared call against the deployed function, through
boto3 with LogType=Tail; the REPORT line read back into the same figures, the run stored in history with
source "remote", so a preset's local and cloud runs can be compared."""

from __future__ import annotations

import json
from typing import TextIO

from ..core.function.invocation_request import PreparedInvocation
from ..serve.remote_invoke import invoke_remote, remote_client

PROG = "lambda-workbench invoke"


def run_remote(prepared: PreparedInvocation, args, stdout: TextIO, stderr: TextIO, report: TextIO | None,
               history=None) -> int:
    """Exit 0 when every call succeeded, 1 when a call failed or AWS refused it."""
    import botocore.exceptions

    from .invoke import report_document

    name = args.function_name or prepared.config.name
    try:
        client = remote_client(args.profile, args.region, args.endpoint_url)
    except botocore.exceptions.BotoCoreError as error:
        stderr.write(f"{PROG}: error: {error}\n")
        return 2
    failed = False
    for _ in range(args.repeat):
        try:
            record = invoke_remote(prepared, name, client, history)
        except botocore.exceptions.ClientError as error:
            code = error.response.get("Error", {}).get("Code", "error")
            stderr.write(f"{PROG}: {name} on AWS: {code}: {error.response.get('Error', {}).get('Message', '')}\n")
            return 1
        except botocore.exceptions.BotoCoreError as error:
            stderr.write(f"{PROG}: {name} on AWS: {error}\n")
            return 1
        stderr.write("".join(f"{line}\n" for line in record.log))
        stdout.write(record.result.payload_text().replace("\n", "\\n") + "\n")
        stdout.flush()
        if report is not None:
            report.write(json.dumps({**report_document(record), "remote": True}) + "\n")
        failed = failed or not record.result.succeeded
    return 1 if failed else 0
