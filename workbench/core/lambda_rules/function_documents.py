"""GetFunctionConfiguration / GetFunction / ListFunctions documents for the served functions, in the shape
the Lambda API returns (API_FunctionConfiguration page), so SDK tools that look a function up before
invoking it (`aws lambda get-function`, `list-functions`) find it. Fields with no local meaning carry
the values a fresh deployment shows (State Active, PackageType Zip, 512 MB ephemeral storage)."""

from __future__ import annotations

import base64
import hashlib
import time

from ..function.code_fingerprint import code_snapshot, snapshot_fingerprint
from ..function.function_config import FunctionConfig


def function_configuration(config: FunctionConfig) -> dict:
    files = code_snapshot(config.code_dir)
    newest = max((file.mtime_ns for file in files), default=0) / 1e9
    # The API's LastModified: ISO 8601 with milliseconds and a +0000 offset.
    modified = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(newest)) + f".{int(newest * 1000) % 1000:03d}+0000"
    digest = base64.b64encode(hashlib.sha256(snapshot_fingerprint(files).encode()).digest()).decode()
    document = {
        "FunctionName": config.name, "FunctionArn": config.function_arn, "Runtime": config.runtime,
        "Role": f"arn:aws:iam::{config.account_id}:role/{config.name}-role", "Handler": config.handler,
        "CodeSize": sum(file.size for file in files), "Description": "", "Timeout": config.timeout_s,
        "MemorySize": config.memory_mb, "LastModified": modified, "CodeSha256": digest, "Version": "$LATEST",
        "TracingConfig": {"Mode": "PassThrough"}, "State": "Active", "LastUpdateStatus": "Successful",
        "PackageType": "Zip", "Architectures": [config.architecture], "EphemeralStorage": {"Size": 512},
    }
    if config.environment:
        document["Environment"] = {"Variables": dict(config.environment)}
    return document
