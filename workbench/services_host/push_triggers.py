"""The push sources: after a successful PutObject/CopyObject/CompleteMultipartUpload/DeleteObject, SNS
Publish or EventBridge PutEvents reaches the local services, build AWS's event for each matching trigger and
queue it for asynchronous invocation; say why a trigger of the same resource did not fire.

The gateway hands each call over on the request's thread; the work happens on this module's thread so the
SDK's answer is not held up.
"""

from __future__ import annotations

import json
import queue
import re
import threading
import uuid
from datetime import datetime, timezone
from urllib.parse import parse_qs

from ..core.triggers.event_filter import match_pattern
from ..core.triggers.push_records import (
    S3Change, SnsNotification, eventbridge_event, s3_event, s3_sequencer,
)
from ..core.triggers.push_records import sns_event
from ..core.triggers.recursion import loop_message, loop_stopped, next_trace_header, trace_root
from ..core.triggers.source_filters import s3_event_selected, s3_key_verdict, sns_message_passes
from ..core.triggers.trigger_model import Trigger
from .async_dispatch import AsyncJob

_S3_EVENTS = {"PutObject": "ObjectCreated:Put", "CopyObject": "ObjectCreated:Copy", "PostObject": "ObjectCreated:Post",
              "CompleteMultipartUpload": "ObjectCreated:CompleteMultipartUpload",
              "DeleteObject": "ObjectRemoved:Delete"}


class PushTriggers:
    def __init__(self, engine) -> None:
        self.engine = engine
        self._work: queue.Queue = queue.Queue()
        self._sequencer = 0
        self.thread = threading.Thread(target=self._loop, name="push triggers", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def after_call(self, call, status: int, request_headers: dict, body: bytes, response_headers: list,
                   response: bytes) -> None:
        """From the gateway, for every SDK call: keep only what can fire a trigger."""
        if call is None or status >= 300:
            return
        api = call.api or call.service
        wanted = (api == "s3" and call.operation in _S3_EVENTS) or (api == "sns" and call.operation == "Publish") \
            or (api == "events" and call.operation == "PutEvents")
        if wanted and self.engine.has_push_triggers(api):
            self._work.put((api, call, dict(request_headers), body, dict(response_headers), response))

    def _loop(self) -> None:
        while not self.engine.stopping.is_set():
            try:
                api, call, headers, body, response_headers, response = self._work.get(timeout=0.2)
            except queue.Empty:
                continue
            try:
                {"s3": self._s3, "sns": self._sns, "events": self._events}[api](
                    call, headers, body, response_headers, response)
            except Exception as error:  # noqa: BLE001 - one bad event must not stop the others
                self.engine.log.add(f"{api}", api, "error", f"{type(error).__name__}: {error}")

    # --- S3

    def _s3(self, call, headers: dict, body: bytes, response_headers: dict, response: bytes) -> None:
        bucket, _, key = call.resource.removeprefix("arn:aws:s3:::").partition("/")
        event_name = _S3_EVENTS[call.operation]
        version = _header(response_headers, "x-amz-version-id")
        if call.operation == "DeleteObject" and _header(response_headers, "x-amz-delete-marker") == "true":
            event_name = "ObjectRemoved:DeleteMarkerCreated"
        size, etag = None, ""
        if event_name.startswith("ObjectCreated"):
            try:
                head = self.engine.clients["s3"].head_object(Bucket=bucket, Key=key,
                                                             **({"VersionId": version} if version else {}))
                size, etag = head["ContentLength"], head.get("ETag", "")
            except Exception:  # noqa: BLE001 - gone again already, or a key moto spells otherwise: the request says
                length = headers.get("x-amz-decoded-content-length") or headers.get("content-length") or "0"
                size, etag = int(length) if length.isdigit() else 0, _header(response_headers, "etag")
        self._sequencer += 1
        change = S3Change(bucket, key, event_name, datetime.now(timezone.utc), s3_sequencer(self._sequencer),
                          size=size, etag=etag, version_id=version or None,
                          principal_id=f"AWS:{call.access_key}" if call.access_key else "AWS:AIDALOCALWORKBENCH",
                          request_id=_header(response_headers, "x-amz-request-id"))
        self._s3_change(change, call.region or self.engine.region, headers.get("x-amzn-trace-id"))

    def fire_object(self, bucket: str, key: str) -> dict:
        """An object already in a bucket sent through the bucket's S3 triggers as if it had just been put
        (ObjectCreated:Put with its size, ETag and version): which triggers it went to, and why not the others."""
        try:
            head = self.engine.clients["s3"].head_object(Bucket=bucket, Key=key)
        except Exception as error:  # noqa: BLE001 - botocore's ClientError: no such bucket or key
            raise KeyError(f"no object `{key}` in bucket {bucket!r} ({error})") from None
        self._sequencer += 1
        change = S3Change(bucket, key, "ObjectCreated:Put", datetime.now(timezone.utc), s3_sequencer(self._sequencer),
                          size=head["ContentLength"], etag=head.get("ETag", ""),
                          version_id=head.get("VersionId") if head.get("VersionId") not in (None, "null") else None,
                          principal_id="AWS:AIDALOCALWORKBENCH", request_id=uuid.uuid4().hex[:16].upper())
        return self._s3_change(change, self.engine.region, None)

    def _s3_change(self, change: S3Change, region: str, trace: str | None) -> dict:
        fired, not_fired = [], []
        for trigger in self.engine.push_triggers("s3"):
            if self.engine.resource_name(trigger) != change.bucket:
                continue
            name = f"{trigger.function}.{trigger.name}"
            if not s3_event_selected(trigger.s3_events, change.event_name):
                why = f"{change.event_name} of `{change.key}` is not among {', '.join(trigger.s3_events)}"
                self._not_fired(trigger, why)
                not_fired.append({"trigger": name, "why": why})
                continue
            verdict = s3_key_verdict(trigger.s3_prefix, trigger.s3_suffix, change.key)
            if not verdict.matched:
                self._not_fired(trigger, f"no rule matches: {verdict.reason}")
                not_fired.append({"trigger": name, "why": f"no rule matches: {verdict.reason}"})
                continue
            self._fire(trigger, "s3", s3_event(change, region, trigger.name), trace)
            fired.append(name)
        return {"fired": fired, "notFired": not_fired}

    # --- SNS

    def _sns(self, call, headers: dict, body: bytes, response_headers: dict, response: bytes) -> None:
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        topic_arn = form.get("TopicArn") or form.get("TargetArn", "")
        found = re.search(rb"<MessageId>([^<]+)</MessageId>", response)
        notification = SnsNotification(topic_arn, form.get("Message", ""), datetime.now(timezone.utc),
                                       message_id=found.group(1).decode() if found else str(uuid.uuid4()),
                                       subject=form.get("Subject"), attributes=_sns_attributes(form))
        for trigger in self.engine.push_triggers("sns"):
            if self.engine.resource_arn(trigger) != topic_arn:
                continue
            verdict = sns_message_passes(trigger.filter_policy, trigger.filter_policy_scope, notification.message,
                                         notification.attributes and {
                                             name: {"Type": a.get("DataType"), "Value": a.get("StringValue")}
                                             for name, a in notification.attributes.items()})
            if not verdict.matched:
                self._not_fired(trigger, verdict.reason)
                continue
            subscription = f"{topic_arn}:{uuid.uuid5(uuid.NAMESPACE_URL, topic_arn + trigger.function)}"
            self._fire(trigger, "sns", sns_event(notification, subscription), headers.get("x-amzn-trace-id"))

    # --- EventBridge

    def _events(self, call, headers: dict, body: bytes, response_headers: dict, response: bytes) -> None:
        entries = json.loads(body or b"{}").get("Entries", [])
        results = json.loads(response or b"{}").get("Entries", [])
        for index, entry in enumerate(entries):
            event_id = results[index].get("EventId", "") if index < len(results) else ""
            if not event_id:
                continue  # PutEvents refused this entry
            try:
                detail = json.loads(entry.get("Detail") or "{}")
            except ValueError:
                continue
            bus = str(entry.get("EventBusName") or "default").rsplit("/", 1)[-1]
            event = eventbridge_event(entry.get("Source", ""), entry.get("DetailType", ""), detail,
                                      datetime.now(timezone.utc), call.region or self.engine.region,
                                      self.engine.account, tuple(entry.get("Resources", [])), event_id)
            for trigger in self.engine.push_triggers("events"):
                if self.engine.resource_name(trigger) != bus:
                    continue
                verdict = match_pattern(trigger.pattern or {}, event)
                if not verdict.matched:
                    self._not_fired(trigger, f"the rule's pattern does not match: {verdict.reason}")
                    continue
                payload = json.loads(trigger.input) if trigger.input is not None else event
                self._fire(trigger, "events", payload, headers.get("x-amzn-trace-id"))

    # --- Common

    def _not_fired(self, trigger: Trigger, why: str) -> None:
        self.engine.log.add(f"{trigger.function}.{trigger.name}", trigger.source, "not fired", why)

    def _fire(self, trigger: Trigger, source: str, event: dict, incoming_trace: str | None) -> None:
        key = f"{trigger.function}.{trigger.name}"
        if self.engine.paused(key):
            self._not_fired(trigger, "the trigger is paused")
            return
        function_arn = self.engine.function_arn(trigger.function)
        # The chain keeps the root of the call that caused the event (the History links their runs by it), as an
        # X-Ray trace does through a traced caller; an event from outside starts a trace of its own.
        root = trace_root(incoming_trace) or f"1-{int(datetime.now().timestamp()):08x}-{uuid.uuid4().hex[:24]}"
        trace, count = next_trace_header(incoming_trace, function_arn, root)
        job = AsyncJob(key, source, trigger.function, event, self.engine.async_settings(trigger.function),
                       function_arn, trace)
        if loop_stopped(count):
            message = loop_message(trigger.function, source, count)
            self.engine.log.add(key, source, "loop stopped", message)
            self.engine.dispatcher.discard(job, "RecursiveInvocationException", "", "RecursiveInvocationException",
                                           json.dumps({"errorMessage": message}).encode())
            return
        self.engine.dispatcher.submit(job)


def _header(headers: dict, name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def _sns_attributes(form: dict) -> dict:
    """MessageAttributes.entry.N.{Name,Value.DataType,Value.StringValue,Value.BinaryValue} of a Publish."""
    attributes = {}
    for key, name in form.items():
        match = re.fullmatch(r"MessageAttributes\.entry\.(\d+)\.Name", key)
        if not match:
            continue
        prefix = f"MessageAttributes.entry.{match.group(1)}.Value."
        value = {"DataType": form.get(prefix + "DataType", "String")}
        for part in ("StringValue", "BinaryValue"):
            if prefix + part in form:
                value[part] = form[prefix + part]
        attributes[name] = value
    return attributes
