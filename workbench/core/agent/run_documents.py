"""A run as an agent reads it: the response or the error (type, message, frames with workspace-relative
paths), the log, every REPORT figure and the cost; and what changed between two runs (Compare's data)."""

from __future__ import annotations

import json
from pathlib import Path

from ..history.history_codec import RunSummary, outcome
from ..function.invocation_result import InvocationResult
from ..history.run_diff import RunDiff
from ..history.run_record import RunRecord
from ..privacy.secret_values import looks_secret
from ..function.stack_frames import find_locations, relative_in, resolve


def payload_value(payload: bytes) -> object:
    """The payload as JSON data, or its text when it is not JSON (a handler may return anything)."""
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to re-encode: its text
        return payload.decode("utf-8", errors="replace")


def error_document(result: InvocationResult, folder: Path) -> dict | None:
    """The error of a failed call: Lambda's errorType and errorMessage, the stack as the runtime wrote it
    (workspace paths relative), and each frame found in it; None for a success."""
    document = result.error_document()
    if document is None:
        return None
    # Python's runtime names the frames "stackTrace"; Node.js's, as on Lambda, "trace" (Error.stack's lines).
    trace = document.get("stackTrace") or document.get("trace") or []
    trace = [str(entry) for entry in trace] if isinstance(trace, list) else [str(trace)]
    message = str(document.get("errorMessage", ""))
    found = frames(trace + [message], folder)
    return {
        "type": result.error_type or str(document.get("errorType", "")),
        "message": relative_in(message, folder),
        "frames": found,
        "raisedAt": raised_at(found, trace),
        "stackTrace": [relative_in(entry, folder) for entry in trace],
        "platformErrorType": result.platform_error_type,
    }


def raised_at(found: list[dict], trace: list[str]) -> dict | None:
    """The frame of the function's own code closest to where the error was raised: a Python traceback
    runs outermost first, a JavaScript stack ("    at f (file:line:column)") innermost first."""
    own = [frame for frame in found if frame["inWorkspace"]]
    if not own:
        return None
    innermost_first = any(entry.lstrip().startswith("at ") for entry in trace)
    return own[0] if innermost_first else own[-1]


def frames(texts: list[str], folder: Path) -> list[dict]:
    """Every code location named in the texts, in their order (as the runtime wrote the trace);
    `inWorkspace` says whether it is the function's own code (a path under the workspace, then written
    relative to it)."""
    found = []
    for text in texts:
        for location in find_locations(text):
            path = resolve(location, folder)
            found.append({
                "file": str(path.relative_to(folder.resolve())) if path is not None else location.path,
                "line": location.line, "column": location.column, "inWorkspace": path is not None,
            })
    return found


def report_figures(result: InvocationResult) -> dict:
    """Every figure of Lambda's REPORT line, by REPORT's names."""
    return {
        "durationMs": round(result.duration_ms, 3), "billedDurationMs": result.billed_duration_ms,
        "initDurationMs": None if result.init_duration_ms is None else round(result.init_duration_ms, 3),
        "memorySizeMB": result.memory_size_mb, "maxMemoryUsedMB": result.max_memory_used_mb,
    }


def run_document(record: RunRecord, run_id: str | None, folder: Path) -> dict:
    """One finished call: what `invoke` returns and `show_run` repeats."""
    result = record.result
    failed = result.error_type is not None
    return {
        "runId": run_id, "function": record.function, "preset": record.preset, "source": record.source,
        "startedAt": record.started_at, "status": outcome(result), "requestId": result.request_id,
        "response": None if failed else payload_value(result.payload),
        "error": error_document(result, folder),
        "logs": [relative_in(line, folder) for line in record.log],
        "report": report_figures(result), "costUSD": result.cost_usd, "architecture": result.architecture,
        "coldStart": record.cold, "coldReason": record.cold_reason,
    }


def stored_run_document(summary: RunSummary, record: RunRecord, folder: Path) -> dict:
    """A run read back from history: the call's document, its event and the configuration it ran with
    (variables whose names look secret only as history keeps them: a digest, never the value)."""
    document = run_document(record, summary.id, folder)
    config = record.config
    document.update({
        "event": payload_value(record.event),
        "config": {"handler": config.handler, "runtime": config.runtime, "memoryMB": config.memory_mb,
                   "timeoutS": config.timeout_s, "architecture": config.architecture,
                   "environment": {name: value for name, value in config.environment}},
        "codeFingerprint": record.code_fingerprint,
    })
    return document


def mask_variables(environment: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Variables as the settings form shows them: a secret-looking name's value masked."""
    return {name: ("********" if looks_secret(name) else value) for name, value in environment}


def diff_document(diff: RunDiff, before_id: str, after_id: str) -> dict:
    """Compare's data: the response path by path, the event, configuration and code that changed, every
    REPORT figure with its delta, and the masked log's unified diff."""
    def changes(items) -> list[dict]:
        return [{"path": c.path, "kind": c.kind, "before": c.before, "after": c.after} for c in items]

    return {
        "before": before_id, "after": after_id, "responsesEqual": diff.responses_equal,
        "responseTextDiffers": diff.response_text_differs,
        "response": changes(diff.response), "event": changes(diff.event), "config": changes(diff.config),
        "code": changes(diff.code),
        # Ids and times new on every call: not differences, named so an agent is not left wondering.
        "idsAndTimes": changes(diff.volatile),
        "figures": [{"name": f.name, "before": f.before, "after": f.after, "delta": f.delta, "unit": f.unit}
                    for f in diff.figures],
        "log": list(diff.log),
    }
