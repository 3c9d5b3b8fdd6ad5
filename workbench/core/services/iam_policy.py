"""The least-privilege IAM policy a function's recorded AWS calls need: each call's IAM action on the
resource it touched, statements grouped by the same set of actions. A draft to copy into the template's
Policies, read before use: it holds only what the runs did."""

from __future__ import annotations

import json
from collections.abc import Iterable

from .api_calls import AwsCall

# Operations whose IAM action is not "<service>:<Operation>" (Service Authorization Reference, Amazon S3:
# "Actions defined by Amazon S3", e.g. ListObjectsV2 needs s3:ListBucket; HeadObject needs s3:GetObject).
_S3_ACTIONS = {
    "ListObjects": "ListBucket", "ListObjectsV2": "ListBucket", "HeadBucket": "ListBucket",
    "ListObjectVersions": "ListBucketVersions", "HeadObject": "GetObject", "ListBuckets": "ListAllMyBuckets",
    "DeleteObjects": "DeleteObject", "CopyObject": "PutObject", "CreateMultipartUpload": "PutObject",
    "UploadPart": "PutObject", "CompleteMultipartUpload": "PutObject", "UploadPartCopy": "PutObject",
    "AbortMultipartUpload": "AbortMultipartUpload", "ListParts": "ListMultipartUploadParts",
    "GetObjectAttributes": "GetObject",
}
# Calls an SDK makes that need no permission of their own (GetQueueUrl does need sqs:GetQueueUrl).
_WILDCARD_RESOURCE = {"s3:ListAllMyBuckets", "sqs:ListQueues", "sns:ListTopics", "secretsmanager:ListSecrets",
                      "dynamodb:ListTables", "ssm:DescribeParameters", "events:ListEventBuses"}


def iam_action(call: AwsCall) -> str | None:
    """The action a call needs; None for what is not an API operation (an unmatched REST path)."""
    if " " in call.operation:
        return None
    if call.service == "s3":
        return "s3:" + _S3_ACTIONS.get(call.operation, call.operation)
    return f"{call.service}:{call.operation}"


def _resource_for(call: AwsCall, action: str) -> str:
    if action in _WILDCARD_RESOURCE or not call.resource:
        return "*"
    if action == "s3:ListBucket" and call.resource.startswith("arn:aws:s3:::"):
        return call.resource.split("/", 1)[0]  # ListBucket is granted on the bucket, not its objects
    return call.resource


def draft_policy(calls: Iterable[AwsCall]) -> dict:
    """{"Version": "2012-10-17", "Statement": [...]}: Allow statements, stable order (sorted)."""
    by_resource: dict[str, set[str]] = {}
    for call in calls:
        action = iam_action(call)
        if action is None:
            continue
        by_resource.setdefault(_resource_for(call, action), set()).add(action)
    by_actions: dict[tuple[str, ...], list[str]] = {}
    for resource, actions in by_resource.items():
        by_actions.setdefault(tuple(sorted(actions)), []).append(resource)
    statements = []
    for actions, resources in sorted(by_actions.items(), key=lambda item: (sorted(item[1]), item[0])):
        statements.append({"Effect": "Allow",
                           "Action": actions[0] if len(actions) == 1 else list(actions),
                           "Resource": sorted(resources)[0] if len(resources) == 1 else sorted(resources)})
    return {"Version": "2012-10-17", "Statement": statements}


def policy_text(calls: Iterable[AwsCall]) -> str:
    return json.dumps(draft_policy(calls), indent=2)
