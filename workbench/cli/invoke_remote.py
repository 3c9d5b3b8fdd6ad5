"""`lambda-workbench invoke FUNCTION --remote`: the same prepared call against the deployed function, through
boto3 with LogType=Tail; the REPORT line read back into the same figures, the run recorded through the run
session with source "remote", so a preset's local and cloud runs can be compared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

import botocore.exceptions

from ..core.function.invocation_request import PreparedInvocation
from ..serve.remote_invoke import invoke_remote, remote_client
from .command_session import command_session
from .invoke import report_document

PROG = "lambda-workbench invoke"


def run_remote(prepared: PreparedInvocation, args, stdout: TextIO, stderr: TextIO, report: TextIO | None,
               history_folder: Path | None = None) -> int:
    """Exit 0 when every call succeeded, 1 when a call failed or AWS refused it. With history_folder, each
    run is recorded in that workspace's history."""
    with command_session(PROG, history_folder, stderr) as session:
        return _call_each(prepared, args, stdout, stderr, report, session)


def _call_each(prepared: PreparedInvocation, args, stdout: TextIO, stderr: TextIO, report: TextIO | None,
               session) -> int:
    name = args.function_name or prepared.config.name
    try:
        client = remote_client(args.profile, args.region, args.endpoint_url, prepared.config.region)
    except botocore.exceptions.BotoCoreError as error:
        stderr.write(f"{PROG}: error: {error}\n")
        return 2
    failed = False
    for _ in range(args.repeat):
        try:
            record = invoke_remote(prepared, name, client)
        except botocore.exceptions.ClientError as error:
            code = error.response.get("Error", {}).get("Code", "error")
            stderr.write(f"{PROG}: {name} on AWS: {code}: {error.response.get('Error', {}).get('Message', '')}\n")
            return 1
        except botocore.exceptions.BotoCoreError as error:
            stderr.write(f"{PROG}: {name} on AWS: {error}\n")
            return 1
        session.record_external(record)
        stderr.write("".join(f"{line}\n" for line in record.log))
        stdout.write(record.result.payload_text().replace("\n", "\\n") + "\n")
        stdout.flush()
        if report is not None:
            report.write(json.dumps({**report_document(record), "remote": True}) + "\n")
        failed = failed or not record.result.succeeded
    return 1 if failed else 0
