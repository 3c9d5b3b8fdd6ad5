"""What `lambda-workbench serve` prints: the endpoints when ready, one line per answered call, the runs' logs."""

from __future__ import annotations

import sys
import time

from ..core.workspace.function_events import load_function_events
from ..core.function.served_call import ServedCall
from .log_output import write_log

_KIND_NAMES = {"rest": "Api, REST, payload 1.0", "http1": "HttpApi, payload 1.0", "http2": "HttpApi, payload 2.0",
               "url": "FunctionUrlConfig"}


def describe_endpoints(server) -> str:
    """The two base URLs first (scripts read them), then the routes and schedules."""
    events = load_function_events(server.caller.folder)
    names = server.caller.workspace().function_names
    lines = [f"Lambda Invoke API: {server.lambda_url}", f"HTTP front door: {server.api_url}",
             f"  functions: {', '.join(names) or '(none)'}  "
             f"(boto3.client('lambda', endpoint_url='{server.lambda_url}'))"]
    for route in events.routes:
        lines.append(f"  {route.method:6} {server.api_url}{route.display_path} -> {route.function} "
                     f"({_KIND_NAMES[route.kind]})")
    if not events.routes:
        lines.append("  no HTTP routes (add Api / HttpApi events or FunctionUrlConfig to a function)")
    for schedule in events.schedules:
        state = "on" if schedule.function in server.schedules.enabled else "off (--schedule to enable)"
        lines.append(f"  schedule {schedule.function}.{schedule.event_name}: {schedule.expression}, {state}")
    if events.schedules:
        lines.append(f"  fire a schedule now: curl -X POST {server.lambda_url}/workbench/schedules/FUNCTION")
    for problem in events.problems:
        lines.append(f"  problem: {problem}")
    lines.append("Ready. Ctrl+C stops and ends every environment.")
    return "\n".join(lines)


def print_call(call: ServedCall) -> None:
    stamp = time.strftime("%H:%M:%S", time.localtime(call.at))
    print(f"{stamp} {call.summary()}", file=sys.stderr, flush=True)


def print_run(outcome) -> None:
    write_log(sys.stderr, outcome.log)
