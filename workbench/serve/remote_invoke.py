"""Calling the deployed function: the same prepared call through boto3 with LogType=Tail, its REPORT line read
back into the same figures, a RunRecord with source "remote" (for `invoke --remote` and the window's Run on
AWS), which the caller records through its run session (RunSession.record_external) like any run."""

from __future__ import annotations

import base64
import dataclasses
import time

from ..core.function.code_fingerprint import code_snapshot, snapshot_fingerprint
from ..core.function.invocation_request import PreparedInvocation
from ..core.lambda_rules.report_parse import remote_result
from ..core.history.run_record import RunRecord
from ..core.vocabulary import RunSource


def remote_client(profile: str | None, region: str | None, endpoint_url: str | None,
                  default_region: str | None = None):
    """A Lambda client in `region` when one is chosen, else where the user's own tools would go (AWS_REGION,
    AWS_DEFAULT_REGION, the profile's region), else `default_region` (the function's configured region, the
    one its settings show), as the local run picks it; never botocore's "You must specify a region"."""
    # Here, not at the top: boto3 only when a call goes to AWS, not on every start of the window.
    import boto3
    # Here: botocore loads only when a call goes to AWS, not for every `serve`
    from botocore.config import Config

    session = boto3.Session(profile_name=profile, region_name=region)
    if session.region_name is None and default_region:
        session = boto3.Session(profile_name=profile, region_name=default_region)
    # One attempt, a read timeout past Lambda's 15-minute maximum: a slow function is not retried.
    return session.client("lambda", endpoint_url=endpoint_url,
                          config=Config(retries={"max_attempts": 1}, read_timeout=910, connect_timeout=10))


def invoke_remote(prepared: PreparedInvocation, function_name: str, client) -> RunRecord:
    """One RequestResponse call with the log tail; raises botocore's errors as they come. Blocking: the
    window calls it on a worker thread."""
    started = time.time()
    reply = client.invoke(FunctionName=function_name, Payload=prepared.event, LogType="Tail")
    payload = reply["Payload"].read()
    log = base64.b64decode(reply.get("LogResult", "")).decode("utf-8", errors="replace")
    request_id = reply.get("ResponseMetadata", {}).get("RequestId", "")
    result = remote_result(request_id, payload, reply.get("FunctionError"), log, prepared.config.architecture)
    code = code_snapshot(prepared.config.code_dir)
    # The record names the region the call went to (its ARN too), which may differ from the configured one.
    config = dataclasses.replace(prepared.config, region=client.meta.region_name or prepared.config.region)
    return RunRecord(started_at=started, source=RunSource.REMOTE, config=config, event=prepared.event,
                     result=result, log=tuple(log.splitlines()), cold=result.init_duration_ms is not None,
                     cold_reason=None, code_fingerprint=snapshot_fingerprint(code), code_files=code,
                     preset=prepared.preset)
