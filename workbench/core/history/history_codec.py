"""How a RunRecord becomes the history's rows and back: pure functions, no database.

The list columns (what the History panel and `lambda-workbench history` show) are kept apart from the
details (event, payload, log, configuration) so that listing 100,000 runs never reads a log.
"""

from __future__ import annotations

import dataclasses
import json
import zlib
from dataclasses import dataclass

from ..services.api_calls import AwsCall
from ..function.function_config import FunctionConfig, LayerRef
from ..function.invocation_result import InvocationResult, Status
from .run_record import CodeFile, RunRecord
from ..privacy.secret_masking import mask_bytes, mask_text, text_secrets
from ..privacy.secret_values import conceal_environment
from ..streaming.streamed_response import StreamedResponse
from ..triggers.triggered_batch import TriggeredBatch

# A log bigger than this is kept as its head and tail with a marker line between them: the START line
# and the handler's first output, and the END/REPORT lines and the error that ended it.
MAX_LOG_BYTES = 5 * 1024 * 1024
_LOG_HEAD_BYTES = 4 * 1024 * 1024
_LOG_TAIL_BYTES = MAX_LOG_BYTES - _LOG_HEAD_BYTES
LOG_CUT_MARKER = "[Lambda Workbench: {lines:,} log lines ({size}) left out here. History keeps the first 4 MB " \
                 "and the last 1 MB of a run's log.]"

SUCCESS, ERROR, TIMEOUT = "success", "error", "timeout"
OUTCOMES = (SUCCESS, ERROR, TIMEOUT)


def outcome(result: InvocationResult) -> str:
    """What the run's Status column says: success, error (function or platform error) or timeout."""
    if result.status is Status.TIMEOUT:
        return TIMEOUT
    return SUCCESS if result.succeeded else ERROR


@dataclass(frozen=True)
class RunSummary:
    """One row of the history list: the figures, without the event, payload or log."""

    id: str
    started_at: float
    function: str
    source: str
    preset: str | None
    outcome: str
    error_type: str | None
    duration_ms: float
    billed_duration_ms: int
    init_duration_ms: float | None
    memory_size_mb: int
    max_memory_used_mb: int
    cost_usd: float
    cold: bool
    cold_reason: str | None
    origin: str | None = None
    """Who called, where no preset says it (RunRecord.origin)."""
    sweep: str | None = None
    """The memory sweep this run belonged to (RunRecord.sweep)."""
    trace_root: str | None = None
    """The X-Ray root of the call's trace: runs of one chain (a run and those its writes triggered) share it."""

    @property
    def succeeded(self) -> bool:
        return self.outcome == SUCCESS

    def to_json(self) -> dict:
        """The object `lambda-workbench history --json` prints for this run (REPORT's names, camelCase)."""
        return {
            "id": self.id, "startedAt": self.started_at, "function": self.function, "source": self.source,
            "preset": self.preset, "status": self.outcome, "errorType": self.error_type,
            "durationMs": self.duration_ms, "billedDurationMs": self.billed_duration_ms,
            "initDurationMs": self.init_duration_ms, "memorySizeMB": self.memory_size_mb,
            "maxMemoryUsedMB": self.max_memory_used_mb, "costUSD": self.cost_usd, "coldStart": self.cold,
            "coldReason": self.cold_reason, "origin": self.origin, "sweep": self.sweep,
            "traceRoot": self.trace_root,
        }


# Column order of the runs table after `seq` and `id` (history_schema creates it).
SUMMARY_COLUMNS = ("started_at", "function", "source", "preset", "outcome", "error_type", "duration_ms",
                   "billed_ms", "init_ms", "memory_mb", "max_memory_mb", "cost_usd", "cold", "cold_reason",
                   "origin", "sweep", "trace_root")
DETAIL_COLUMNS = ("request_id", "status", "platform_error_type", "architecture", "config", "event", "payload",
                  "log", "log_truncated", "code_fingerprint", "code_files", "environment_key", "aws_calls",
                  "stream", "stream_body", "trace_id", "trigger")
# What a column added by a later schema version holds for a run written before it (None when not named).
DETAIL_DEFAULTS = {"aws_calls": "[]"}


def summary_from_row(row: tuple) -> RunSummary:
    """A RunSummary from (id, *SUMMARY_COLUMNS)."""
    (run_id, started_at, function, source, preset, outcome_, error_type, duration, billed, init, memory,
     max_memory, cost, cold, cold_reason, origin, sweep, trace_root) = row
    return RunSummary(run_id, started_at, function, source, preset, outcome_, error_type, duration, billed,
                      init, memory, max_memory, cost, bool(cold), cold_reason, origin, sweep, trace_root)


def summary_values(record: RunRecord) -> tuple:
    result = record.result
    return (record.started_at, record.function, record.source, record.preset, outcome(result),
            result.error_type, result.duration_ms, result.billed_duration_ms, result.init_duration_ms,
            result.memory_size_mb, result.max_memory_used_mb, result.cost_usd, int(record.cold),
            record.cold_reason, record.origin, record.sweep, record.trace_root)


def detail_values(record: RunRecord, secret_key: bytes) -> tuple:
    """The details row; secret-looking variables are replaced by stand-ins, and secret values in the
    response and the log by the mask (core/privacy/secret_masking.py), before anything is written."""
    result = record.result
    secrets = text_secrets(record.config.environment, record.secrets)
    log_lines, truncated = keep_log(tuple(mask_text(line, secrets) for line in record.log) if secrets else record.log)
    config = dataclasses.replace(record.config,
                                 environment=conceal_environment(record.config.environment, secret_key))
    return (result.request_id, result.status.value, result.platform_error_type, result.architecture,
            json.dumps(_config_document(config)), record.event, mask_bytes(result.payload, secrets),
            zlib.compress(json.dumps(list(log_lines)).encode("utf-8"), 1), int(truncated),
            record.code_fingerprint,
            json.dumps([[f.path, f.size, f.mtime_ns] for f in record.code_files]), record.environment_key,
            json.dumps([call.to_json() for call in record.aws_calls]), *_stream_values(result, secrets),
            record.trace_id, record.trigger.dumps() if record.trigger is not None else None)


def _stream_values(result: InvocationResult, secrets: tuple[str, ...]) -> tuple:
    """The stream column (its timings, JSON) and the bytes of a stream that failed part-way (a clean
    stream's bytes are the payload already)."""
    stream = result.stream
    if stream is None:
        return None, None
    failed_body = mask_bytes(stream.body, secrets) if stream.error_type is not None else None
    return json.dumps(stream.to_json()), failed_body


def stored_size(values: tuple) -> int:
    """Bytes a details row takes, for the retention rule."""
    return sum(len(v) for v in values if isinstance(v, (bytes, str)))


def record_from_rows(summary: tuple, details: tuple) -> RunRecord:
    """The RunRecord back from (id, *SUMMARY_COLUMNS) and DETAIL_COLUMNS."""
    brief = summary_from_row(summary)
    (request_id, status, platform_error_type, architecture, config_json, event, payload, log_blob,
     _truncated, fingerprint, code_files_json, environment_key, aws_calls_json, stream_json, stream_body,
     trace_id, trigger_json) = details
    stream = None
    if stream_json:
        document = json.loads(stream_json)
        stream = StreamedResponse.from_json(document, bytes(payload) if stream_body is None else bytes(stream_body))
    result = InvocationResult(
        request_id=request_id, status=Status(status), payload=bytes(payload), error_type=brief.error_type,
        platform_error_type=platform_error_type, duration_ms=brief.duration_ms,
        billed_duration_ms=brief.billed_duration_ms, init_duration_ms=brief.init_duration_ms,
        memory_size_mb=brief.memory_size_mb, max_memory_used_mb=brief.max_memory_used_mb,
        architecture=architecture, cost_usd=brief.cost_usd, stream=stream)
    return RunRecord(
        started_at=brief.started_at, source=brief.source, config=config_from_json(config_json),
        event=bytes(event), result=result, log=tuple(json.loads(zlib.decompress(log_blob))),
        cold=brief.cold, cold_reason=brief.cold_reason, code_fingerprint=fingerprint,
        code_files=tuple(CodeFile(path, size, mtime) for path, size, mtime in json.loads(code_files_json)),
        preset=brief.preset, environment_key=environment_key,
        aws_calls=tuple(AwsCall.from_wire(item) for item in json.loads(aws_calls_json or "[]")),
        origin=brief.origin, sweep=brief.sweep, trace_id=trace_id, trigger=TriggeredBatch.loads(trigger_json))


def _config_document(config: FunctionConfig) -> dict:
    """The configuration as JSON-ready data, as dataclasses.asdict gives it, without its deep copies
    (a quarter of the time a run takes to write)."""
    document = {field.name: getattr(config, field.name) for field in dataclasses.fields(config)}
    document["layers"] = [dataclasses.asdict(layer) for layer in config.layers]
    return document


def config_from_json(text: str) -> FunctionConfig:
    """A stored configuration; fields a later version added or dropped do not break reading old runs."""
    data = json.loads(text)
    known = {f.name for f in dataclasses.fields(FunctionConfig)}
    data = {key: value for key, value in data.items() if key in known}
    data["environment"] = tuple((name, value) for name, value in data.get("environment", ()))
    data["layers"] = tuple(LayerRef(**layer) if isinstance(layer, dict) else LayerRef(*layer)
                           for layer in data.get("layers", ()))
    return FunctionConfig(**data)


def keep_log(lines: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The log as history keeps it, and whether it was cut (over MAX_LOG_BYTES)."""
    sizes = [len(line.encode("utf-8")) + 1 for line in lines]
    total = sum(sizes)
    if total <= MAX_LOG_BYTES:
        return tuple(lines), False
    head_end, used = 0, 0
    while head_end < len(lines) and used + sizes[head_end] <= _LOG_HEAD_BYTES:
        used += sizes[head_end]
        head_end += 1
    tail_start, used = len(lines), 0
    while tail_start > head_end and used + sizes[tail_start - 1] <= _LOG_TAIL_BYTES:
        used += sizes[tail_start - 1]
        tail_start -= 1
    left_out = sum(sizes[head_end:tail_start])
    marker = LOG_CUT_MARKER.format(lines=tail_start - head_end, size=f"{left_out / 1024 / 1024:.1f} MB")
    return tuple(lines[:head_end]) + (marker,) + tuple(lines[tail_start:]), True
