"""An SQS event source mapping, as Lambda runs one: receive, batch, filter, call, delete what succeeded.

Messages a call did not finish stay hidden for the queue's visibility timeout and then return (SQS's own
rule), so a function that always fails does not spin; the queue's RedrivePolicy moves a message to its
dead-letter queue after `maxReceiveCount` receives (moto applies it on receive, as SQS does). One batch is
in flight per mapping at a time (Lambda starts up to five for a standard queue; order within a FIFO
message group is kept either way).
"""

from __future__ import annotations

import json
import threading
import time

from ..core.triggers.batch_response import judge_batch_response
from ..core.triggers.batching import decide_batch
from ..core.triggers.poll_records import sqs_record
from ..core.triggers.push_records import event_size
from ..core.triggers.source_filters import record_passes
from ..core.triggers.sqs_rules import DELETED, FILTERED, effective_visibility_timeout, message_fates
from ..core.triggers.trigger_model import Trigger
from .function_invoker import FunctionInvoker, NoInvoker
from .trigger_log import TriggerLog

IDLE_WAIT_S = 1  # long-poll wait while the queue is empty: stops promptly, costs nothing


class SqsPoller:
    def __init__(self, trigger: Trigger, queue_name: str, queue_arn: str, clients, invoker: FunctionInvoker,
                 log: TriggerLog, stopping: threading.Event, paused) -> None:
        self.trigger, self.queue_name, self.queue_arn = trigger, queue_name, queue_arn
        self.clients, self.invoker, self.log, self.stopping, self.paused = clients, invoker, log, stopping, paused
        self.key = f"{trigger.function}.{trigger.name}"
        self._queue_url = ""
        self.thread = threading.Thread(target=self._loop, name=f"sqs {self.key}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                if self.paused(self.key) or not self.trigger.enabled:
                    self.log.set_state(self.key, state="paused" if self.trigger.enabled else "disabled", why="")
                    self.stopping.wait(0.2)
                    continue
                if self.invoker.endpoint is None:
                    # Receiving now would hide messages and count receives with nobody to call.
                    self.log.set_state(self.key, state="waiting", why="no Invoke API is registered")
                    self.stopping.wait(0.2)
                    continue
                self._cycle()
            except NoInvoker:
                self.stopping.wait(0.2)
            except Exception as error:  # noqa: BLE001 - a mapping keeps polling, as Lambda's does
                self.log.add(self.key, "sqs", "error", f"{type(error).__name__}: {error}")
                self.stopping.wait(1.0)

    def _url(self) -> str:
        if not self._queue_url:
            self._queue_url = self.clients["sqs"].get_queue_url(QueueName=self.queue_name)["QueueUrl"]
        return self._queue_url

    def _receive(self, count: int, wait_s: int) -> list[dict]:
        answer = self.clients["sqs"].receive_message(
            QueueUrl=self._url(), MaxNumberOfMessages=max(1, min(10, count)), WaitTimeSeconds=wait_s,
            AttributeNames=["All"], MessageAttributeNames=["All"], MessageSystemAttributeNames=["All"])
        return answer.get("Messages", [])

    def _cycle(self) -> None:
        """Gather one batch (full, window over, or no window and nothing more waiting) and run it; a batch
        larger than 6 MB runs as several calls."""
        trigger = self.trigger
        batch: list[tuple[dict, float]] = []
        first = 0.0
        while not self.stopping.is_set() and len(batch) < trigger.batch_size:
            wait = IDLE_WAIT_S
            if batch:
                remaining = trigger.window_s - (time.time() - first)
                if trigger.window_s <= 0 or remaining <= 0:
                    if trigger.window_s <= 0 and len(batch) % 10 == 0:
                        wait = 0  # a full receive: more may be waiting right now
                    else:
                        break
                else:
                    wait = min(IDLE_WAIT_S, int(remaining))
            got = self._receive(trigger.batch_size - len(batch), wait)
            if self.stopping.is_set() or self.invoker.endpoint is None or self.paused(self.key):
                # Stopping, paused, or nobody to call any more: what this long poll caught was not consumed.
                self._release([message for message, _ in batch] + got)
                return
            now = time.time()
            if got and not batch:
                first = now
            batch.extend((message, now) for message in got)
            if not batch:
                self.log.set_state(self.key, state="idle", why="")
                return
            if not got:
                if trigger.window_s <= 0:
                    break
                self.stopping.wait(0.02)
        while batch:
            take = decide_batch(tuple(event_size(sqs_record(m, self.queue_arn)) for m, _ in batch),
                                trigger.batch_size, 0, 0).take
            self._run_batch(batch[:take])
            batch = batch[take:]

    def _run_batch(self, batch: list[tuple[dict, float]]) -> None:
        trigger = self.trigger
        sqs = self.clients["sqs"]
        records, passed, fates = [], [], []
        for message, received_at in batch:
            record = sqs_record(message, self.queue_arn)
            verdict = record_passes("sqs", trigger.filter_criteria, record)
            if verdict.matched:
                records.append(record)
                passed.append((message, received_at))
            else:
                # "If an Amazon SQS message doesn't satisfy your filter criteria, Lambda automatically removes
                # the message from the queue" (Lambda developer guide, "Lambda event filtering").
                sqs.delete_message(QueueUrl=self._url(), ReceiptHandle=message["ReceiptHandle"])
                fates.append({"id": message["MessageId"], "fate": FILTERED, "why": verdict.reason})
        if fates:
            self.log.add(self.key, "sqs", "not fired", f"{len(fates)} message(s) filtered out", records=fates)
        if not records:
            return
        ids = tuple(r["messageId"] for r in records)
        self.log.set_state(self.key, state="running", why="", waiting=0, batch=len(records))
        started = time.time()
        try:
            timeout = self._visibility([m for m, _ in passed])
            answer = self.invoker.invoke(trigger.function, {"Records": records}, "sqs")
        except (NoInvoker, OSError):
            # Nobody could run the function (unregistered meanwhile, or gone): the messages were not
            # consumed, so they are visible again at once rather than after the visibility timeout.
            self._release([m for m, _ in passed])
            raise
        outcome = judge_batch_response("sqs", answer.function_error, answer.payload, ids,
                                       trigger.report_item_failures)
        results = message_fates(ids, outcome, min(at for _, at in passed), timeout)
        deletes = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                   for i, ((m, _), fate) in enumerate(zip(passed, results)) if fate.fate == DELETED]
        for start in range(0, len(deletes), 10):
            sqs.delete_message_batch(QueueUrl=self._url(), Entries=deletes[start:start + 10])
        self.log.add(self.key, "sqs", "fired", outcome.reason, requestId=answer.request_id, outcome=outcome.kind,
                     started=started, batch=list(ids),
                     records=[{"id": f.message_id, "fate": f.fate, **({"visibleAt": f.visible_at}
                                                                      if f.visible_at else {})} for f in results])
        self.log.set_state(self.key, state="idle", why="", last=outcome.kind)

    def _release(self, messages: list[dict]) -> None:
        entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                   for i, m in enumerate(messages)]
        for start in range(0, len(entries), 10):
            self.clients["sqs"].change_message_visibility_batch(QueueUrl=self._url(), Entries=entries[start:start + 10])

    def _visibility(self, messages: list[dict]) -> int:
        """The queue's visibility timeout, or Lambda's effective one when window + timeout exceed it (the
        batch's messages are then kept hidden that long)."""
        attributes = self.clients["sqs"].get_queue_attributes(QueueUrl=self._url(),
                                                              AttributeNames=["VisibilityTimeout"])["Attributes"]
        queue_timeout = int(attributes.get("VisibilityTimeout", 30))
        try:
            function_timeout = int(self.invoker.configuration(self.trigger.function).get("Timeout", 3))
        except (OSError, ValueError, json.JSONDecodeError):
            function_timeout = 3
        effective = effective_visibility_timeout(queue_timeout, self.trigger.window_s, function_timeout)
        if effective != queue_timeout:
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": effective}
                       for i, m in enumerate(messages)]
            for start in range(0, len(entries), 10):
                self.clients["sqs"].change_message_visibility_batch(QueueUrl=self._url(),
                                                                    Entries=entries[start:start + 10])
        return effective
