"""Reading a workspace's triggers: template.yaml `Events` (S3, SQS, DynamoDB, SNS, EventBridgeRule,
CloudWatchEvent), `AWS::Lambda::EventSourceMapping`, a bucket's `NotificationConfiguration`, functions'
`EventInvokeConfig`/`DeadLetterQueue`; or, without a template, workbench.json's `"events"` written as a
template's Events with resources named plainly (`"Queue": "orders"`).

A malformed entry is an error naming file, line and column, and only that trigger is dropped; a property
the workbench reads but does not honour is a warning naming it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.core.workspace.cfn_yaml import MarkedDict, TemplateError, parse_cfn_yaml
from workbench.core.workspace.sam_template import find_template
from workbench.core.workspace.workspace_file import workspace_file_path

from .event_filter import PatternError, parse_pattern
from .source_filters import check_criteria_for, parse_filter_criteria
from .trigger_fields import Fields, resource_reference
from .trigger_model import (
    DEFAULT_BATCH_SIZE, HONOURED, MAPPING_HONOURED, MAPPING_NOT_HONOURED, MAX_BATCH_SIZE, MAX_WINDOW_S,
    NOT_HONOURED, S3_EVENT_TYPES, SOURCE_OF_TYPE, SQS_FIFO_MAX_BATCH, STARTING_POSITIONS, AsyncConfig, Trigger,
    TriggerProblem, TriggerSet, Where,
)

_OTHER_EVENT_TYPES = ("Api", "HttpApi", "Schedule", "ScheduleV2")  # read by core.function_events


class _Invalid(Exception):
    """Raised inside one trigger's reading; its problem is already recorded."""


def load_triggers(folder: str | Path) -> TriggerSet:
    """Every trigger of the workspace in `folder`; never raises for the files' content."""
    folder = Path(folder)
    template = find_template(folder)
    path = template if template is not None else workspace_file_path(folder)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return TriggerSet()
    except (OSError, UnicodeDecodeError) as error:
        return TriggerSet(problems=(TriggerProblem(Where(str(path)), f"cannot be read ({error})"),))
    return read_triggers(text, path, is_template=template is not None)


def read_triggers(text: str, path: str | Path, is_template: bool) -> TriggerSet:
    """The triggers in a template's or workbench.json's text (JSON is read as YAML to keep line numbers)."""
    reader = _Reader(str(path))
    try:
        document = parse_cfn_yaml(text, path)
    except TemplateError as error:
        if is_template:
            return TriggerSet(problems=(TriggerProblem(Where(str(path), error.line, error.column), error.problem),))
        try:
            document = json.loads(text)  # JSON that YAML refuses (tabs): positions are lost, content is not
        except ValueError as json_error:
            return TriggerSet(problems=(TriggerProblem(Where(str(path), json_error.lineno, json_error.colno),
                                                       json_error.msg),))
    if not isinstance(document, dict):
        return TriggerSet()
    if is_template:
        reader.read_template(document)
    else:
        reader.read_workbench_json(document)
    return TriggerSet(tuple(reader.triggers), tuple(reader.async_configs), tuple(reader.problems))


class _Reader:
    def __init__(self, path: str):
        self.path = path
        self.triggers: list[Trigger] = []
        self.async_configs: list[AsyncConfig] = []
        self.problems: list[TriggerProblem] = []
        self.resources: dict = {}
        self.parameters: dict = {}

    # --- Documents -------------------------------------------------------------------------------------

    def read_template(self, document: dict) -> None:
        resources = document.get("Resources")
        self.resources = resources if isinstance(resources, dict) else {}
        parameters = document.get("Parameters")
        self.parameters = parameters if isinstance(parameters, dict) else {}
        for logical_id, resource in self.resources.items():
            if not isinstance(resource, dict):
                continue
            kind = resource.get("Type")
            properties = resource.get("Properties")
            properties = properties if isinstance(properties, dict) else MarkedDict()
            if kind == "AWS::Serverless::Function":
                events = properties.get("Events")
                if isinstance(events, dict):
                    for name, event in events.items():
                        self._guarded(self._read_event, str(logical_id), str(name), event, events)
                self._guarded(self._read_async, str(logical_id), properties)
            elif kind == "AWS::Lambda::EventSourceMapping":
                self._guarded(self._read_mapping, str(logical_id), properties, resource)
            elif kind == "AWS::S3::Bucket" and "NotificationConfiguration" in properties:
                self._guarded(self._read_notifications, str(logical_id), properties)

    def read_workbench_json(self, document: dict) -> None:
        events = document.get("events")
        if not isinstance(events, dict):
            return
        for function, function_events in events.items():
            if not isinstance(function_events, dict):
                continue  # core.function_events reports the shape
            for name, event in function_events.items():
                self._guarded(self._read_event, str(function), str(name), event, function_events)

    def _guarded(self, read, *arguments) -> None:
        try:
            read(*arguments)
        except _Invalid:
            pass

    # --- Problems --------------------------------------------------------------------------------------

    def where(self, mapping: Any, key: str | None = None, at_key: bool = False) -> Where:
        """The position of `key`'s value (or of the key itself), else of the mapping."""
        if isinstance(mapping, MarkedDict):
            if key is None:
                line, column = mapping.start
            else:
                line, column = mapping.key_mark(key) if at_key else mapping.mark_of(key)
            return Where(self.path, line, column)
        return Where(self.path)

    def error(self, mapping: Any, key: str | None, message: str, at_key: bool = False) -> _Invalid:
        self.problems.append(TriggerProblem(self.where(mapping, key, at_key), message))
        return _Invalid()

    def warn(self, mapping: Any, key: str | None, message: str) -> None:
        """A warning names a property, so it points at the property's name."""
        self.problems.append(TriggerProblem(self.where(mapping, key, at_key=True), message, "warning"))

    # --- SAM Events ------------------------------------------------------------------------------------

    def _read_event(self, function: str, name: str, event: Any, parent: Any) -> None:
        place = f"{function}.Events.{name}"
        if not isinstance(event, dict) or not isinstance(event.get("Type"), str):
            raise self.error(parent, name, f"{place}: an event needs a Type")
        kind = event["Type"]
        if kind in _OTHER_EVENT_TYPES:
            return
        if kind not in SOURCE_OF_TYPE:
            self.warn(event, "Type", f"{place}: event type {kind} is not run locally; nothing will trigger it")
            return
        properties = event.get("Properties")
        if not isinstance(properties, dict):
            raise self.error(event, "Properties" if "Properties" in event else None,
                             f"{place}: Properties must be a mapping")
        fields = Fields(self, properties, place)
        fields.check_names(HONOURED[kind], NOT_HONOURED[kind], f"{_article(kind)} {kind} event")
        source = SOURCE_OF_TYPE[kind]
        where = self.where(event)
        if source == "s3":
            self.triggers.append(self._s3(function, name, fields, where))
        elif source == "sns":
            self.triggers.append(self._sns(function, name, fields, where))
        elif source == "events":
            self.triggers.append(self._eventbridge(function, name, fields, where))
        else:
            key = {"sqs": "Queue", "dynamodb": "Stream"}[source]
            logical, arn = resource_reference(fields.required(key), source)
            if not (logical or arn):
                raise fields.invalid(key, f"{key} must name a {source} resource (!GetAtt X.Arn, an ARN or a name)")
            self.triggers.append(self._mapping(function, name, source, logical or arn, arn, fields, where))

    def _s3(self, function: str, name: str, fields: Fields, where: Where) -> Trigger:
        bucket, arn = resource_reference(fields.required("Bucket"), "s3")
        if not bucket:
            raise fields.invalid("Bucket", "Bucket must be !Ref to a bucket (SAM requires one in this template)")
        events = fields.string_list("Events", required=True)
        for item in events:
            if item not in S3_EVENT_TYPES:
                raise fields.invalid("Events", f"{item!r} is not an S3 event type, e.g. s3:ObjectCreated:*")
        prefix, suffix = self._key_rules(fields.get("Filter"), fields, "Filter")
        return Trigger(function, name, "s3", bucket, where, resource_arn=arn, s3_events=tuple(events),
                       s3_prefix=prefix, s3_suffix=suffix)

    def _key_rules(self, value: Any, fields: Fields, key: str) -> tuple[str, str]:
        if value is None:
            return "", ""
        rules = value.get("S3Key", {}).get("Rules") if isinstance(value, dict) and isinstance(
            value.get("S3Key"), dict) else None
        if not isinstance(rules, list):
            raise fields.invalid(key, "Filter is {S3Key: {Rules: [{Name: prefix|suffix, Value: ...}]}}")
        found = {"prefix": "", "suffix": ""}
        for rule in rules:
            rule_name = str(rule.get("Name", "")).lower() if isinstance(rule, dict) else ""
            if rule_name not in found or not isinstance(rule.get("Value"), str):
                raise fields.invalid(key, f"each S3Key rule needs Name prefix or suffix and a Value, not {rule!r}")
            found[rule_name] = rule["Value"]
        return found["prefix"], found["suffix"]

    def _sns(self, function: str, name: str, fields: Fields, where: Where) -> Trigger:
        topic, arn = resource_reference(fields.required("Topic"), "sns")
        if not topic:
            raise fields.invalid("Topic", "Topic must name a topic (!Ref Topic, an ARN or a name)")
        policy = fields.get("FilterPolicy")
        if policy is not None:
            try:
                policy = parse_pattern(policy if isinstance(policy, (dict, str)) else json.dumps(policy))
            except PatternError as error:
                raise fields.invalid("FilterPolicy", f"FilterPolicy: {error}") from None
        scope = fields.choice("FilterPolicyScope", ("MessageAttributes", "MessageBody"), "MessageAttributes")
        return Trigger(function, name, "sns", topic, where, resource_arn=arn, filter_policy=policy,
                       filter_policy_scope=scope)

    def _eventbridge(self, function: str, name: str, fields: Fields, where: Where) -> Trigger:
        try:
            pattern = parse_pattern(fields.required("Pattern"))
        except PatternError as error:
            raise fields.invalid("Pattern", f"Pattern: {error}") from None
        bus, _ = resource_reference(fields.get("EventBusName", "default"), "events")
        raw_input = fields.get("Input")
        if raw_input is not None:
            if not isinstance(raw_input, str):
                raise fields.invalid("Input", "Input is JSON text")
            try:
                json.loads(raw_input)
            except ValueError:
                raise fields.invalid("Input", "Input is not valid JSON") from None
        state = fields.choice("State", ("ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
                              "ENABLED")
        return Trigger(function, name, "events", bus or "default", where, enabled=state != "DISABLED",
                       pattern=pattern, input=raw_input)

    def _mapping(self, function: str, name: str, source: str, resource: str, arn: str, fields: Fields,
                 where: Where) -> Trigger:
        """The settings shared by SQS/DynamoDB events and AWS::Lambda::EventSourceMapping."""
        batch_size = fields.integer("BatchSize", 1, MAX_BATCH_SIZE[source], DEFAULT_BATCH_SIZE[source])
        window = fields.integer("MaximumBatchingWindowInSeconds", 0, MAX_WINDOW_S, 0)
        if source == "sqs":
            # "For a batch size over 10, you must also set the MaximumBatchingWindowInSeconds parameter to at
            # least 1 second" (Lambda developer guide, "Using Lambda with Amazon SQS").
            if batch_size > 10 and window < 1:
                raise fields.invalid("BatchSize", f"BatchSize {batch_size} over 10 needs "
                                                  "MaximumBatchingWindowInSeconds of at least 1")
            if self._fifo_queue(resource) and batch_size > SQS_FIFO_MAX_BATCH:
                raise fields.invalid("BatchSize", f"BatchSize {batch_size}: a FIFO queue allows at most 10")
            if self._fifo_queue(resource) and window:
                raise fields.invalid("MaximumBatchingWindowInSeconds", "a FIFO queue takes no batching window")
            for stream_only in ("StartingPosition", "BisectBatchOnFunctionError", "MaximumRetryAttempts",
                                "MaximumRecordAgeInSeconds", "DestinationConfig"):
                if fields.get(stream_only) is not None:
                    self.warn(fields.mapping, stream_only, f"{fields.place}: {stream_only} does not apply to "
                              "SQS (a queue's RedrivePolicy decides where failed messages go); ignored")
        starting = ""
        if source == "dynamodb":
            starting = fields.choice("StartingPosition", STARTING_POSITIONS, None, required=True)
        responses = fields.string_list("FunctionResponseTypes")
        for item in responses:
            if item != "ReportBatchItemFailures":
                raise fields.invalid("FunctionResponseTypes", f"{item!r}: the only response type is "
                                                              "ReportBatchItemFailures")
        try:
            criteria = parse_filter_criteria(fields.get("FilterCriteria"))
            check_criteria_for(source, criteria)
        except PatternError as error:
            raise fields.invalid("FilterCriteria", f"FilterCriteria: {error}") from None
        return Trigger(
            function, name, source, resource, where, resource_arn=arn,
            enabled=fields.boolean("Enabled", True), batch_size=batch_size, window_s=window,
            starting_position=starting,
            bisect_on_error=fields.boolean("BisectBatchOnFunctionError", False) if source == "dynamodb" else False,
            maximum_retry_attempts=fields.integer("MaximumRetryAttempts", -1, 10_000, -1)
            if source == "dynamodb" else -1,
            maximum_record_age_s=self._record_age(fields) if source == "dynamodb" else -1,
            report_item_failures=bool(responses), filter_criteria=criteria,
            on_failure=fields.destination("DestinationConfig", "OnFailure") if source == "dynamodb" else "",
        )

    def _record_age(self, fields: Fields) -> int:
        age = fields.integer("MaximumRecordAgeInSeconds", -1, 604_800, -1)
        if 0 <= age < 60:
            raise fields.invalid("MaximumRecordAgeInSeconds", "MaximumRecordAgeInSeconds is -1 (infinite) or "
                                                              "60..604800")
        return age

    def _fifo_queue(self, resource: str) -> bool:
        queue = self.resources.get(resource)
        if isinstance(queue, dict) and isinstance(queue.get("Properties"), dict):
            return str(queue["Properties"].get("FifoQueue", "")).lower() == "true"
        return resource.endswith(".fifo")

    # --- CloudFormation resources ----------------------------------------------------------------------

    def _read_mapping(self, logical_id: str, properties: dict, resource: Any) -> None:
        place = f"Resources.{logical_id}"
        if not isinstance(resource.get("Properties"), dict):
            raise self.error(resource, None, f"{place}: an EventSourceMapping needs Properties")
        fields = Fields(self, properties, place)
        fields.check_names(MAPPING_HONOURED, MAPPING_NOT_HONOURED, "an EventSourceMapping")
        function, _ = resource_reference(fields.required("FunctionName"), "lambda")
        if not function:
            raise fields.invalid("FunctionName", "FunctionName must name a function")
        source_value = fields.required("EventSourceArn")
        source = _source_of_reference(source_value, self.resources)
        if source not in ("sqs", "dynamodb"):
            raise fields.invalid("EventSourceArn", "EventSourceArn must be an SQS queue or a DynamoDB stream "
                                                   "(other sources are not run locally)")
        resource_name, arn = resource_reference(source_value, source)
        self.triggers.append(self._mapping(function, logical_id, source, resource_name or arn, arn, fields,
                                           self.where(resource)))

    def _read_notifications(self, bucket: str, properties: dict) -> None:
        configuration = properties["NotificationConfiguration"]
        place = f"Resources.{bucket}.Properties.NotificationConfiguration"
        if not isinstance(configuration, dict):
            raise self.error(properties, "NotificationConfiguration", f"{place} must be a mapping")
        for other in ("QueueConfigurations", "TopicConfigurations", "EventBridgeConfiguration"):
            if other in configuration:
                self.warn(configuration, other, f"{place}.{other}: S3 notifications to queues, topics and "
                                                "EventBridge are not sent locally; only LambdaConfigurations")
        entries = configuration.get("LambdaConfigurations", [])
        if not isinstance(entries, list):
            raise self.error(configuration, "LambdaConfigurations", f"{place}.LambdaConfigurations must be a list")
        for index, entry in enumerate(entries):
            self._guarded(self._read_lambda_configuration, bucket, index, entry, configuration, place)

    def _read_lambda_configuration(self, bucket: str, index: int, entry: Any, parent: Any, place: str) -> None:
        name = f"{bucket}.LambdaConfigurations[{index}]"
        if not isinstance(entry, dict):
            raise self.error(parent, "LambdaConfigurations", f"{place}.LambdaConfigurations[{index}] must be "
                                                             "a mapping")
        fields = Fields(self, entry, f"{place}.LambdaConfigurations[{index}]")
        fields.check_names(("Event", "Function", "Filter"), (), "a LambdaConfiguration")
        function, _ = resource_reference(fields.required("Function"), "lambda")
        event = fields.required("Event")
        if event not in S3_EVENT_TYPES:
            raise fields.invalid("Event", f"{event!r} is not an S3 event type, e.g. s3:ObjectCreated:*")
        prefix, suffix = self._key_rules(fields.get("Filter"), fields, "Filter")
        self.triggers.append(Trigger(function, name, "s3", bucket, self.where(entry), s3_events=(event,),
                                     s3_prefix=prefix, s3_suffix=suffix))

    def _read_async(self, function: str, properties: dict) -> None:
        invoke = properties.get("EventInvokeConfig")
        dead_letter = properties.get("DeadLetterQueue")
        if invoke is None and dead_letter is None:
            return
        retries, age, on_failure, on_success = 2, 6 * 60 * 60, "", ""
        if isinstance(invoke, dict):
            fields = Fields(self, invoke, f"{function}.EventInvokeConfig")
            retries = fields.integer("MaximumRetryAttempts", 0, 2, 2)
            age = fields.integer("MaximumEventAgeInSeconds", 60, 21_600, 6 * 60 * 60)
            on_failure = fields.destination("DestinationConfig", "OnFailure")
            on_success = fields.destination("DestinationConfig", "OnSuccess")
        target = ""
        if isinstance(dead_letter, dict):
            target, arn = resource_reference(dead_letter.get("TargetArn"), "sqs")
            target = target or arn
        self.async_configs.append(AsyncConfig(function, retries, age, on_failure, on_success, target))


def _article(word: str) -> str:
    return "an" if word[0] in "AEIOUS" else "a"  # "an S3", "an SQS", "an SNS" are read letter by letter


def _source_of_reference(value: Any, resources: dict) -> str:
    """Whether an EventSourceArn points at a queue or a stream (by the referenced resource's type)."""
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        target = value["Fn::GetAtt"]
        logical, attribute = (target + [""])[:2] if isinstance(target, list) else (str(target), "")
        kind = resources.get(logical, {}).get("Type") if isinstance(resources.get(logical), dict) else None
        if kind == "AWS::SQS::Queue" or attribute == "Arn" and kind is None:
            return "sqs"
        if kind == "AWS::DynamoDB::Table" or attribute in ("StreamArn", "LatestStreamArn"):
            return "dynamodb"
    if isinstance(value, str):
        if value.startswith("arn:aws:sqs:"):
            return "sqs"
        if value.startswith("arn:aws:dynamodb:") and "/stream/" in value:
            return "dynamodb"
    return ""
