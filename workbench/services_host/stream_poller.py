"""A DynamoDB Streams event source mapping: each shard read in order, 4 times a second as Lambda polls,
batches called one at a time per shard, retried, bisected or discarded by core.triggers.stream_rules.

The checkpoint (last sequence number done) is kept in .workbench/services/checkpoints.json, written before
the next batch starts, so a host restart resumes after it: a record is never lost; a batch that was being
called when the host stopped is called again (at-least-once, as Lambda: that batch's records are the only
possible duplicates).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from ..core.workspace.atomic_write import write_text_atomic
from ..core.triggers.batch_response import judge_batch_response
from ..core.triggers.batching import decide_batch
from ..core.triggers.poll_records import dynamodb_record
from ..core.triggers.push_records import event_size
from ..core.triggers.source_filters import record_passes
from ..core.triggers.stream_rules import (
    CHECKPOINT, DISCARD, RETRY, FailureContext, StreamBatch, StreamSettings, blocked_description, step_after_call,
    stream_failure_record,
)
from ..core.triggers.recursion import next_trace_header, trace_root
from ..core.triggers.trigger_model import Trigger
from .function_invoker import FunctionInvoker, NoInvoker
from .trigger_log import TriggerLog

POLL_EVERY_S = 0.25  # "Lambda polls shards in your DynamoDB stream for records at a base rate of 4 times per second"
RETRY_PAUSE_S = 0.5


class Checkpoints:
    """Last sequence number done per mapping and shard, on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            self._data = json.loads(path.read_text())
        except (OSError, ValueError):
            self._data = {}

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._data.get(key)

    def clear(self) -> None:
        with self._lock:
            self._data = {}
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass

    def set(self, key: str, sequence_number: str) -> None:
        with self._lock:
            self._data[key] = sequence_number
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.path, json.dumps(self._data, indent=1))


class StreamPoller:
    def __init__(self, trigger: Trigger, table: str, clients, invoker: FunctionInvoker, log: TriggerLog,
                 stopping: threading.Event, paused, checkpoints: Checkpoints, send_failure, function_arn: str,
                 retry_pause_s: float = RETRY_PAUSE_S, causes=None, generation=lambda: 0) -> None:
        """generation(): changes when the workspace's services are reset to the seed (the stream is new)."""
        self.trigger, self.table, self.clients, self.invoker, self.log = trigger, table, clients, invoker, log
        self.stopping, self.paused, self.checkpoints, self.send_failure = stopping, paused, checkpoints, send_failure
        self.function_arn, self.retry_pause_s, self.causes = function_arn, retry_pause_s, causes
        self.generation = generation
        self.key = f"{trigger.function}.{trigger.name}"
        self.settings = StreamSettings(trigger.maximum_retry_attempts, trigger.maximum_record_age_s,
                                       trigger.bisect_on_error, trigger.report_item_failures)
        self.thread = threading.Thread(target=self._loop, name=f"stream {self.key}", daemon=True)
        self._started_at = time.time()

    def start(self) -> None:
        self.thread.start()

    def _loop(self) -> None:
        """Open the table's stream and follow it; again whenever it went away (a reset to the seed makes the
        table and its stream anew) or reading it failed."""
        while not self.stopping.is_set():
            generation = self.generation()
            try:
                opened = self._open()
            except Exception as error:  # noqa: BLE001 - not provisioned yet, or being made again: wait for it
                self.log.set_state(self.key, state="waiting", why=f"table {self.table} is not there "
                                                                   f"({type(error).__name__})")
                self.stopping.wait(0.2)
                continue
            if opened is None:
                return
            if self._follow(*opened, generation):
                self.stopping.wait(1.0)

    def _open(self):
        streams = self.clients["dynamodbstreams"]
        description = self.clients["dynamodb"].describe_table(TableName=self.table)["Table"]
        stream_arn = description.get("LatestStreamArn")
        if not stream_arn:
            self.log.add(self.key, "dynamodb", "error", f"table {self.table} has no stream "
                                                         "(StreamSpecification is missing)")
            return None
        view = description.get("StreamSpecification", {}).get("StreamViewType", "NEW_AND_OLD_IMAGES")
        shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
        checkpoint_key = f"{self.key}|{shard}"
        iterator = self._iterator(streams, stream_arn, shard, self.checkpoints.get(checkpoint_key))
        return streams, stream_arn, view, shard, checkpoint_key, iterator

    def _follow(self, streams, stream_arn: str, view: str, shard: str, checkpoint_key: str, iterator: str,
                generation: int) -> bool:
        """Read until stopped (False) or until the stream must be opened again (True)."""
        pending: list[dict] = []
        first_seen = 0.0
        while not self.stopping.is_set() and generation == self.generation():
            try:
                if self.paused(self.key) or not self.trigger.enabled or self.invoker.endpoint is None:
                    self.log.set_state(self.key, state="paused" if self.paused(self.key) else (
                        "disabled" if not self.trigger.enabled else "waiting"),
                        why="" if self.invoker.endpoint else "no Invoke API is registered")
                    self.stopping.wait(0.2)
                    continue
                answer = streams.get_records(ShardIterator=iterator, Limit=1000)
                iterator = answer.get("NextShardIterator") or iterator
                fresh = [dynamodb_record(r, stream_arn, view) for r in answer.get("Records", [])]
                if fresh and not pending:
                    first_seen = time.time()
                pending.extend(fresh)
                pending = self._filtered(pending, checkpoint_key)
                decision = decide_batch(tuple(event_size(r) for r in pending), self.trigger.batch_size,
                                        self.trigger.window_s, time.time() - first_seen)
                if not decision.take:
                    self.log.set_state(self.key, state="idle" if not pending else "waiting", why="", waiting=len(pending))
                    self.stopping.wait(POLL_EVERY_S)
                    continue
                batch, pending = pending[:decision.take], pending[decision.take:]
                self._process(batch, checkpoint_key, shard, stream_arn)
            except NoInvoker:
                self.stopping.wait(0.2)
            except Exception as error:  # noqa: BLE001 - the mapping keeps reading, as Lambda's does
                self.log.add(self.key, "dynamodb", "error", f"{type(error).__name__}: {error}")
                return True
        return not self.stopping.is_set()

    def _trace(self, records: list[dict]) -> str | None:
        """The trace of the write that caused the batch's first record (known when a run of this workbench
        made it): the triggered run shares its root, and the chain's Lineage goes on."""
        if self.causes is None:
            return None
        for record in records:
            cause = self.causes.cause(self.table, record["dynamodb"].get("Keys") or {})
            root = trace_root(cause)
            if root:
                return next_trace_header(cause, self.function_arn, root)[0]
        return None

    def _iterator(self, streams, stream_arn: str, shard: str, checkpoint: str | None) -> str:
        if checkpoint:
            return streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard, SequenceNumber=checkpoint,
                                              ShardIteratorType="AFTER_SEQUENCE_NUMBER")["ShardIterator"]
        return streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard,
                                          ShardIteratorType=self.trigger.starting_position)["ShardIterator"]

    def _filtered(self, records: list[dict], checkpoint_key: str) -> list[dict]:
        kept, dropped = [], []
        for record in records:
            verdict = record_passes("dynamodb", self.trigger.filter_criteria, record)
            (kept if verdict.matched else dropped).append((record, verdict.reason))
        if dropped:
            # Filtered records are passed over: the iterator advances past them.
            self.log.add(self.key, "dynamodb", "not fired", f"{len(dropped)} record(s) filtered out",
                         records=[{"id": r["dynamodb"]["SequenceNumber"], "fate": "filtered out", "why": why}
                                  for r, why in dropped])
            if not kept:
                self.checkpoints.set(checkpoint_key, dropped[-1][0]["dynamodb"]["SequenceNumber"])
        return [record for record, _ in kept]

    def _process(self, records: list[dict], checkpoint_key: str, shard: str, stream_arn: str) -> None:
        by_number = {r["dynamodb"]["SequenceNumber"]: r for r in records}
        queue = [StreamBatch(tuple(by_number), tuple(float(r["dynamodb"].get("ApproximateCreationDateTime", 0))
                                                     for r in records))]
        blocked_since = 0.0
        while queue and not self.stopping.is_set():
            batch = queue.pop(0)
            batch = StreamBatch(batch.sequence_numbers, batch.arrivals, batch.retries, batch.invoke_count + 1)
            event = {"Records": [by_number[n] for n in batch.sequence_numbers]}
            answer = self.invoker.invoke(self.trigger.function, event, "dynamodb", self._trace(event["Records"]))
            outcome = judge_batch_response("dynamodb", answer.function_error, answer.payload,
                                           batch.sequence_numbers, self.trigger.report_item_failures)
            step = step_after_call(batch, outcome, self.settings, time.time())
            fates = self._fates(batch, step)
            self.log.add(self.key, "dynamodb", "fired", f"{outcome.reason}; {step.reason}",
                         requestId=answer.request_id, outcome=outcome.kind, action=step.action,
                         batch=list(batch.sequence_numbers), records=fates)
            if step.checkpoint:
                self.checkpoints.set(checkpoint_key, step.checkpoint)
            if step.action == DISCARD and self.trigger.on_failure:
                record = stream_failure_record(step.discarded or batch, step.condition,
                                               FailureContext(self.function_arn, answer.request_id or "",
                                                              function_error=answer.function_error),
                                               shard, stream_arn, time.time())
                self.send_failure(self.trigger.on_failure, record)
            if step.action not in (CHECKPOINT, DISCARD):
                queue[:0] = list(step.next_batches)
                if step.action == RETRY:
                    blocked_since = blocked_since or time.time()
                    head = step.next_batches[0]
                    self.log.set_state(self.key, state="blocked",
                                       why=blocked_description(head, blocked_since, time.time()))
                    self.stopping.wait(self.retry_pause_s)
        self.log.set_state(self.key, state="idle", why="")

    @staticmethod
    def _fates(batch: StreamBatch, step) -> list[dict]:
        done_through = int(step.checkpoint) if step.checkpoint else None
        fates = []
        for number in batch.sequence_numbers:
            if step.action == CHECKPOINT:
                fate = "processed"
            elif step.action == DISCARD:
                fate = f"discarded ({step.condition})"
            elif done_through is not None and int(number) <= done_through:
                fate = "processed"
            else:
                fate = {"retry": "retried", "bisect": "bisected"}[step.action]
            fates.append({"id": number, "fate": fate})
        return fates
