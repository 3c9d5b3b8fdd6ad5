"""The workspace's triggers inside the services host: an SQS or DynamoDB Streams poller per mapping, the push
hooks for S3, SNS and EventBridge, the asynchronous queue, and the control API under /_workbench/triggers.

Functions are called through the Invoke API of whatever runs them (the window, `serve`, `services`), which
registers itself with POST /_workbench/triggers/invoker; until then nothing is received or consumed.
"""

from __future__ import annotations

import json
import threading

from ..core.services.host_record import services_folder
from ..core.services.local_access import LOCAL_ACCOUNT_ID
from ..core.triggers.async_rules import AsyncSettings
from ..core.triggers.trigger_fields import resource_reference
from ..core.triggers.trigger_model import Trigger
from ..core.triggers.trigger_reader import load_triggers
from .async_dispatch import AsyncDispatcher, AsyncJob
from .function_invoker import FunctionInvoker
from .push_triggers import PushTriggers
from .run_reporter import RunReporter
from .sqs_poller import SqsPoller
from .stream_poller import Checkpoints, StreamPoller
from .trigger_log import TriggerLog
from .write_causes import WriteCauses


class TriggerEngine:
    def __init__(self, host, invoke_endpoint: str | None = None, async_delay_scale: float = 1.0,
                 stream_retry_pause_s: float = 0.5) -> None:
        self.host, self.clients, self.region, self.account = host, host.clients, host.region, LOCAL_ACCOUNT_ID
        self.async_delay_scale, self.stream_retry_pause_s = async_delay_scale, stream_retry_pause_s
        self.stopping = threading.Event()
        self.invoker = FunctionInvoker(invoke_endpoint)
        self.reporter = RunReporter(lambda: self.invoker.endpoint)
        self.log = TriggerLog(self.reporter.report)
        self.configuration = load_triggers(host.workspace)
        self._paused: set[str] = set()
        self._generation = 0
        """Counts resets to the seed: the stream pollers open the new tables' streams."""
        self._threads: list[threading.Thread] = []
        self.dispatcher = AsyncDispatcher(self.invoker, self.log, self.stopping, self.send)
        self.push = PushTriggers(self)
        self.causes = WriteCauses()
        self.checkpoints = Checkpoints(services_folder(host.workspace) / "checkpoints.json")

    # --- Life

    def start(self) -> None:
        for problem in self.configuration.problems:
            self.host.warnings.append(str(problem))
        for trigger in self.configuration.triggers:
            key = f"{trigger.function}.{trigger.name}"
            self.log.set_state(key, source=trigger.source, resource=trigger.resource, function=trigger.function,
                               state="idle" if trigger.enabled else "disabled")
            if trigger.source == "sqs":
                poller = SqsPoller(trigger, self.resource_name(trigger), self.resource_arn(trigger), self.clients,
                                   self.invoker, self.log, self.stopping, self.paused)
                poller.start()
                self._threads.append(poller.thread)
            elif trigger.source == "dynamodb":
                poller = StreamPoller(trigger, self.resource_name(trigger), self.clients, self.invoker, self.log,
                                      self.stopping, self.paused, self.checkpoints, self.send_failure,
                                      self.function_arn(trigger.function), self.stream_retry_pause_s, self.causes,
                                      lambda: self._generation)
                poller.start()
                self._threads.append(poller.thread)
        self.dispatcher.start()
        self.push.start()
        self.reporter.start()

    def stop(self) -> None:
        self.stopping.set()
        self.reporter.stop()

    def join(self, limit_s: float = 3.0) -> None:
        """Wait (a little) for the pollers to finish the batch they hold, so the state saved at exit says what
        was done; a batch still running then is called again after the restart (at-least-once)."""
        for thread in self._threads:
            thread.join(max(0.0, limit_s / max(len(self._threads), 1)))

    def after_reset(self) -> None:
        """The resources were made anew from the seed: stream positions start over, and the pollers follow
        the new streams (their old iterators would read a stream that no longer exists)."""
        self.checkpoints.clear()
        self._generation += 1

    # --- Used by the pollers and hooks

    def paused(self, key: str) -> bool:
        return key in self._paused

    def has_push_triggers(self, api: str) -> bool:
        return bool(self.push_triggers({"s3": "s3", "sns": "sns", "events": "events"}[api]))

    def push_triggers(self, source: str) -> list[Trigger]:
        return [t for t in self.configuration.triggers if t.source == source and t.enabled]

    def _resource(self, name: str):
        try:
            return self.host.find(name)
        except KeyError:
            return None

    def resource_name(self, trigger: Trigger) -> str:
        found = self._resource(trigger.resource)
        return found.name if found is not None else trigger.resource

    def resource_arn(self, trigger: Trigger) -> str:
        found = self._resource(trigger.resource)
        if found is not None:
            return found.arn
        if trigger.resource_arn:
            return trigger.resource_arn
        service = {"sqs": "sqs", "sns": "sns"}.get(trigger.source, trigger.source)
        return f"arn:aws:{service}:{self.region}:{self.account}:{trigger.resource}"

    def function_arn(self, function: str) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account}:function:{function}"

    def async_settings(self, function: str) -> AsyncSettings:
        config = self.configuration.async_config(function)
        return AsyncSettings(config.maximum_retry_attempts, config.maximum_event_age_s, config.on_failure or None,
                             config.on_success or None, config.dead_letter_target or None, self.async_delay_scale)

    def send(self, target: str, body: str, attributes: dict | None) -> None:
        """A message to a queue or topic (a destination, a dead-letter queue)."""
        found = self._resource(target)
        name, arn = (found.name, found.arn) if found is not None else (resource_reference(target, "sqs")[0], target)
        if ":sns:" in arn or (found is not None and found.type == "AWS::SNS::Topic"):
            self.clients["sns"].publish(TopicArn=arn, Message=body, **(
                {"MessageAttributes": attributes} if attributes else {}))
        else:
            url = self.clients["sqs"].get_queue_url(QueueName=name)["QueueUrl"]
            self.clients["sqs"].send_message(QueueUrl=url, MessageBody=body, **(
                {"MessageAttributes": attributes} if attributes else {}))

    def send_failure(self, target: str, record: dict) -> None:
        self.send(target, json.dumps(record, separators=(",", ":")), None)

    # --- Control API

    def control(self, method: str, action: str, query: dict, request: dict):
        if method == "GET" and action == "triggers":
            return self.describe(int(query.get("since", 0)))
        if method == "POST" and action == "triggers/invoker":
            # The process that runs the functions; its --retry-delay-scale shortens async retries here too.
            self.invoker.register(request.get("endpoint"))
            if isinstance(request.get("asyncDelayScale"), (int, float)):
                self.async_delay_scale = float(request["asyncDelayScale"])
            return {"invoker": self.invoker.endpoint, "asyncDelayScale": self.async_delay_scale}
        if method == "POST" and action == "triggers/pause":
            key = str(request.get("trigger", ""))
            self._trigger(key)
            (self._paused.add if request.get("paused", True) else self._paused.discard)(key)
            return {"trigger": key, "paused": key in self._paused}
        if method == "POST" and action == "triggers/fire-object":
            # An object already in a bucket sent as an S3 event (the AWS dock's "Send as S3 Event").
            return self.push.fire_object(str(request.get("bucket", "")), str(request.get("key", "")))
        if method == "POST" and action == "triggers/fire":
            return self.fire_by_hand(str(request.get("trigger", "")), request.get("event"))
        raise KeyError(f"no control action {method} {action}")

    def _trigger(self, key: str) -> Trigger:
        for trigger in self.configuration.triggers:
            if f"{trigger.function}.{trigger.name}" == key:
                return trigger
        known = ", ".join(f"{t.function}.{t.name}" for t in self.configuration.triggers) or "none"
        raise KeyError(f"no trigger {key!r} (the workspace's triggers: {known})")

    def fire_by_hand(self, key: str, event) -> dict:
        """Send a given event through a trigger as its source would (asynchronously for S3, SNS, EventBridge;
        a batch call for SQS and streams), recorded like any triggered call."""
        trigger = self._trigger(key)
        if not isinstance(event, dict):
            raise ValueError("fire needs the event as a JSON object")
        if trigger.source in ("sqs", "dynamodb"):
            answer = self.invoker.invoke(trigger.function, event, trigger.source)
            self.log.add(key, trigger.source, "fired", "fired by hand", requestId=answer.request_id,
                         outcome="failure" if answer.failed else "success")
            return {"requestId": answer.request_id, "functionError": answer.function_error}
        job = AsyncJob(key, trigger.source, trigger.function, event, self.async_settings(trigger.function),
                       self.function_arn(trigger.function))
        self.dispatcher.submit(job)
        return {"queued": True}

    def describe(self, since: int = 0) -> dict:
        snapshot = self.log.snapshot(since)
        triggers = []
        for trigger in self.configuration.triggers:
            key = f"{trigger.function}.{trigger.name}"
            triggers.append({"trigger": key, "function": trigger.function, "source": trigger.source,
                             "resource": trigger.resource, "enabled": trigger.enabled, "paused": key in self._paused,
                             "where": str(trigger.where), **snapshot["triggers"].get(key, {})})
        return {"invoker": self.invoker.endpoint, "triggers": triggers, "entries": snapshot["entries"],
                "asyncPending": self.dispatcher.pending(),
                "problems": [str(problem) for problem in self.configuration.problems]}
