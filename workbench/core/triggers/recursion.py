"""Recursive loop detection: counting how often one chain of events has invoked the same function.

"Lambda uses an AWS X-Ray trace header primitive called "Lineage" to track the number of times a function
has been invoked with an event. When your function code sends an event using a supported AWS SDK version,
Lambda increments the counter in the lineage header. If your function is then invoked with the same
triggering event more than 16 times, Lambda stops the next invocation for that event" (AWS Compute Blog,
"Detecting and stopping recursive loops in AWS Lambda functions", 2023; Lambda developer guide, "Lambda
recursive loop detection"; S3 joined SQS and SNS in 2024). For asynchronous invocations the stopped event
goes to the dead-letter queue or on-failure destination.

The SDK inside the function copies `_X_AMZN_TRACE_ID` into each request's `X-Amzn-Trace-Id` header
(botocore's `add_recursion_detection_header`), so the services host reads the lineage of the write that
caused an event. Lineage entries here are `<function hash>:<count>`, joined by `|`; only the workbench
reads them.
"""

from __future__ import annotations

import hashlib

LOOP_LIMIT = 16


def function_hash(function_arn: str) -> str:
    return hashlib.sha256(function_arn.encode()).hexdigest()[:8]


def lineage_counts(trace_header: str | None) -> dict[str, int]:
    """The lineage entries of an X-Amzn-Trace-Id header ({} when it has none or is malformed)."""
    counts: dict[str, int] = {}
    for part in (trace_header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name != "Lineage":
            continue
        for entry in value.split("|"):
            key, _, count = entry.partition(":")
            if key and count.isdigit():
                counts[key] = int(count)
    return counts


def invocation_count(trace_header: str | None, function_arn: str) -> int:
    """How many times this chain has already invoked the function."""
    return lineage_counts(trace_header).get(function_hash(function_arn), 0)


def trace_root(trace_header: str | None) -> str | None:
    """The X-Ray root of a trace header (`1-5759e988-bd862e3fe1be46a994272793`): the runs of one chain share it."""
    for part in (trace_header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == "Root" and value:
            return value
    return None


def next_trace_header(trace_header: str | None, function_arn: str, root: str) -> tuple[str, int]:
    """The trace header for the next invocation of `function_arn` in the chain, and its count.

    `root` is the X-Ray root of the new call (`1-5759e988-bd862e3fe1be46a994272793`); the lineage of the
    incoming header is carried over with this function's counter one higher.
    """
    counts = lineage_counts(trace_header)
    key = function_hash(function_arn)
    counts[key] = counts.get(key, 0) + 1
    lineage = "|".join(f"{k}:{v}" for k, v in counts.items())
    return f"Root={root};Parent={root[-16:]};Sampled=0;Lineage={lineage}", counts[key]


def loop_stopped(count: int) -> bool:
    """Whether the invocation numbered `count` in the chain is the one Lambda stops (the 17th)."""
    return count > LOOP_LIMIT


def loop_message(function_name: str, source: str, count: int) -> str:
    return (f"recursive loop stopped: {function_name} was invoked {count - 1} times by one chain of "
            f"{source} events (Lambda stops after {LOOP_LIMIT})")
