"""Payloads and messages of the failures the platform itself reports (not the runtime)."""

from __future__ import annotations

import json
import re
import signal

MAX_REQUEST_BYTES = 6291456
MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100  # 6291556, RAPID's MaxPayloadSize

# Go's names for signals, which Lambda's "Runtime exited with error: signal: ..." uses.
_SIGNAL_NAMES = {
    signal.SIGABRT: "aborted", signal.SIGALRM: "alarm clock", signal.SIGBUS: "bus error",
    signal.SIGFPE: "floating point exception", signal.SIGHUP: "hangup", signal.SIGILL: "illegal instruction",
    signal.SIGINT: "interrupt", signal.SIGKILL: "killed", signal.SIGPIPE: "broken pipe", signal.SIGQUIT: "quit",
    signal.SIGSEGV: "segmentation fault", signal.SIGTERM: "terminated", signal.SIGTRAP: "trace/breakpoint trap",
    signal.SIGUSR1: "user defined signal 1", signal.SIGUSR2: "user defined signal 2",
    signal.SIGXCPU: "CPU time limit exceeded", signal.SIGXFSZ: "file size limit exceeded",
    signal.SIGSYS: "bad system call",
}


def compact_json(doc: dict) -> bytes:
    """The platform's own payloads are compact JSON (Go's encoding), unlike the Python runtime's."""
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def platform_error(error_type: str, message: str) -> bytes:
    return compact_json({"errorType": error_type, "errorMessage": message})


def runtime_exit_reason(exit_code: int | None, signal_number: int | None) -> str:
    """Lambda's words for how the runtime process ended."""
    if signal_number:
        name = _SIGNAL_NAMES.get(signal_number, f"signal {signal_number}")
        return f"Runtime exited with error: signal: {name}"
    if exit_code:
        return f"Runtime exited with error: exit status {exit_code}"
    return "Runtime exited without providing a reason"


def exit_error_payload(request_id: str, exit_code: int | None, signal_number: int | None) -> bytes:
    return platform_error("Runtime.ExitError",
                          f"RequestId: {request_id} Error: {runtime_exit_reason(exit_code, signal_number)}")


def timeout_payload(request_id: str, timeout_s: float) -> bytes:
    return compact_json({"errorMessage": f"RequestId: {request_id} Error: Task timed out after {timeout_s:.2f} seconds",
                         "errorType": "Sandbox.Timedout"})


def out_of_memory_payload(request_id: str) -> bytes:
    return platform_error("Runtime.OutOfMemory",
                          f"RequestId: {request_id} Error: Runtime exited with error: signal: killed")


def response_too_large_payload(size: int) -> bytes:
    return platform_error("Function.ResponseSizeTooLarge",
                          f"Response payload size ({size} bytes) exceeded maximum allowed payload size "
                          f"({MAX_RESPONSE_BYTES} bytes).")


def request_too_large_message(size: int) -> str:
    return (f"{size} byte payload is too large for the RequestResponse invocation type "
            f"(limit {MAX_REQUEST_BYTES} bytes)")


def stopped_payload(request_id: str) -> bytes:
    return platform_error("Sandbox.Stopped", f"RequestId: {request_id} Error: Invocation stopped by the user")


def start_failure_payload(request_id: str, error_type: str, detail: str) -> bytes:
    return platform_error(error_type, f"RequestId: {request_id} Error: {detail}")


def error_type_of(payload: bytes, fallback: str) -> str:
    """The errorType inside an error payload, else the header value or fallback Lambda would use."""
    try:
        doc = json.loads(payload)
    except (ValueError, RecursionError):
        return fallback
    if isinstance(doc, dict) and isinstance(doc.get("errorType"), str) and doc["errorType"]:
        return doc["errorType"]
    return fallback


_REPORTED_TYPE = re.compile(r"(Runtime|Function)\.[A-Z][a-zA-Z]+")


def reported_error_type(header_value: str, fallback: str = "Runtime.Unknown") -> str:
    """The Error Type INIT_REPORT and REPORT show for a runtime's Lambda-Runtime-Function-Error-Type.

    RAPID keeps the header only if it contains a match for (Runtime|Function).[A-Z][a-zA-Z]+ (unanchored),
    else Runtime.Unknown (RIE fatalerror.go): a KeyError raised at import shows as Runtime.Unknown, while
    the payload keeps the runtime's own errorType.
    """
    return header_value if header_value and _REPORTED_TYPE.search(header_value) else fallback
