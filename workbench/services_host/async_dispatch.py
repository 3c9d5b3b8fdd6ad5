"""Lambda's asynchronous event queue for S3, SNS and EventBridge triggers: one attempt, then retries after
Lambda's delays, then the OnFailure destination or the function's dead-letter queue.

The host keeps the queue (not the Invoke API's Event type) because it must know each attempt's outcome to
retry and to write the destination's invocation record; each attempt is still a call of the Invoke API and
so a run in history with its event source.
"""

from __future__ import annotations

import heapq
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from ..core.triggers.async_rules import (
    AsyncSettings, dead_letter_message, destination_message, invocation_record, step_after_attempt,
)
from .function_invoker import FunctionInvoker, NoInvoker
from .trigger_log import TriggerLog


@dataclass
class AsyncJob:
    key: str
    source: str
    function: str
    event: Any
    settings: AsyncSettings
    function_arn: str
    trace_header: str | None = None
    queued_at: float = field(default_factory=time.time)
    attempt: int = 0


class AsyncDispatcher:
    def __init__(self, invoker: FunctionInvoker, log: TriggerLog, stopping: threading.Event,
                 send: Callable[[str, str, dict | None], None]) -> None:
        """`send(target, body, attributes)` delivers a message to a queue or topic named by logical id, name
        or ARN (destinations and dead-letter queues)."""
        self.invoker, self.log, self.stopping, self.send = invoker, log, stopping, send
        self._heap: list[tuple[float, int, AsyncJob]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self.thread = threading.Thread(target=self._loop, name="async triggers", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def submit(self, job: AsyncJob, delay_s: float = 0.0) -> None:
        with self._wake:
            heapq.heappush(self._heap, (time.time() + delay_s, next(self._order), job))
            self._wake.notify()

    def pending(self) -> int:
        with self._wake:
            return len(self._heap)

    def _loop(self) -> None:
        while not self.stopping.is_set():
            with self._wake:
                if not self._heap or self._heap[0][0] > time.time():
                    timeout = 0.2 if not self._heap else min(0.2, self._heap[0][0] - time.time())
                    self._wake.wait(max(timeout, 0.0))
                    continue
                _, _, job = heapq.heappop(self._heap)
            threading.Thread(target=self._attempt, args=(job,), name=f"async {job.key}", daemon=True).start()

    def _attempt(self, job: AsyncJob) -> None:
        try:
            answer = self.invoker.invoke(job.function, job.event, job.source, job.trace_header)
        except NoInvoker:
            # Nothing runs functions yet: the event waits in the queue, as in Lambda's while throttled.
            self.submit(job, 0.5)
            return
        except OSError as error:
            self.log.add(job.key, job.source, "error", f"the Invoke API did not answer ({error})")
            self.submit(job, 1.0)
            return
        job.attempt += 1
        failed = answer.failed
        step = step_after_attempt(job.attempt, failed, job.queued_at, time.time(), job.settings)
        self.log.add(job.key, job.source, "fired", "succeeded" if not failed else _failure_text(answer),
                     requestId=answer.request_id, attempt=job.attempt, outcome="success" if not failed else "failure",
                     records=[{"id": job.key, "fate": {"done": "processed", "retry": f"retry in {step.delay_s:g} s",
                                                       "discard": f"discarded ({step.condition})"}[step.action]}])
        if step.action == "retry":
            self.submit(job, step.delay_s)
        elif step.action == "discard":
            self.discard(job, step.condition, answer.request_id, answer.function_error, answer.payload)
        elif job.settings.on_success:
            record = invocation_record("Success", job.function_arn, answer.request_id, job.attempt, job.event,
                                       None, _payload(answer.payload), time.time())
            self.send(job.settings.on_success, destination_message(record), None)

    def discard(self, job: AsyncJob, condition: str, request_id: str, function_error: str | None,
                payload: bytes) -> None:
        """The event failed for good: the OnFailure destination gets the invocation record, else the
        dead-letter queue the event itself; with neither it is gone, and the log says so."""
        settings = job.settings
        if settings.on_failure:
            record = invocation_record(condition, job.function_arn, request_id, job.attempt, job.event,
                                       function_error, _payload(payload), time.time())
            self.send(settings.on_failure, destination_message(record), None)
            where = f"sent to the OnFailure destination {settings.on_failure}"
        elif settings.dead_letter_target:
            message = _payload(payload)
            error_message = message.get("errorMessage", "") if isinstance(message, dict) else str(message or "")
            body, attributes = dead_letter_message(job.event, request_id, function_error or condition, error_message)
            self.send(settings.dead_letter_target, body, attributes)
            where = f"sent to the dead-letter queue {settings.dead_letter_target}"
        else:
            where = "dropped (no OnFailure destination or dead-letter queue)"
        self.log.add(job.key, job.source, "discarded", f"{condition}: {where}", requestId=request_id)


def _failure_text(answer) -> str:
    document = _payload(answer.payload)
    message = document.get("errorMessage", "") if isinstance(document, dict) else ""
    return f"failed ({answer.function_error}{': ' + message if message else ''})"


def _payload(payload: bytes | None) -> Any:
    if not payload:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return payload.decode("utf-8", "replace")
