"""`lambda-workbench invoke FUNCTION --remote`: the same prepared call against the deployed function, through
boto3 with LogType=Tail; the REPORT line read back into the same figures, the run stored in history with
source "remote", so a preset's local and cloud runs can be compared."""

from __future__ import annotations

import base64
import json
import time
from typing import TextIO

from ..core.code_fingerprint import code_snapshot, snapshot_fingerprint
from ..core.invocation_request import PreparedInvocation
from ..core.report_parse import remote_result
from ..core.run_record import RunRecord

PROG = "lambda-workbench invoke"


def remote_client(profile: str | None, region: str | None, endpoint_url: str | None):
    import boto3
    from botocore.config import Config

    session = boto3.Session(profile_name=profile, region_name=region)
    # One attempt, a read timeout past Lambda's 15-minute maximum: a slow function is not retried.
    return session.client("lambda", endpoint_url=endpoint_url,
                          config=Config(retries={"max_attempts": 1}, read_timeout=910, connect_timeout=10))


def invoke_remote(prepared: PreparedInvocation, function_name: str, client, history=None) -> RunRecord:
    """One RequestResponse call with the log tail; raises botocore's errors as they come."""
    started = time.time()
    reply = client.invoke(FunctionName=function_name, Payload=prepared.event, LogType="Tail")
    payload = reply["Payload"].read()
    log = base64.b64decode(reply.get("LogResult", "")).decode("utf-8", errors="replace")
    request_id = reply.get("ResponseMetadata", {}).get("RequestId", "")
    result = remote_result(request_id, payload, reply.get("FunctionError"), log, prepared.config.architecture)
    code = code_snapshot(prepared.config.code_dir)
    record = RunRecord(started_at=started, source="remote", config=prepared.config, event=prepared.event,
                       result=result, log=tuple(log.splitlines()), cold=result.init_duration_ms is not None,
                       cold_reason=None, code_fingerprint=snapshot_fingerprint(code), code_files=code,
                       preset=prepared.preset)
    if history is not None:
        history.record(record)
    return record


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
