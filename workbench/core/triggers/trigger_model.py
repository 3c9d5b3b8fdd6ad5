"""A declared trigger as the services host runs it, and the problems found while reading one.

Defaults and limits are Lambda's (developer guide: "Lambda parameters for Amazon SQS event source
mappings", "... for Amazon DynamoDB event source mappings", CreateEventSourceMapping).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .source_filters import FilterCriteria
from ..vocabulary import RunSource

SOURCES = RunSource.TRIGGERS
# The header with which the services host tells the Invoke API which source a call comes from (the run's
# source in history). Only the workbench sends it; a call without it is a plain served call.
TRIGGER_SOURCE_HEADER = "X-Workbench-Trigger-Source"
POLLED = ("sqs", "dynamodb")

DEFAULT_BATCH_SIZE = {"sqs": 10, "dynamodb": 100}
MAX_BATCH_SIZE = {"sqs": 10_000, "dynamodb": 10_000}
SQS_FIFO_MAX_BATCH = 10
MAX_WINDOW_S = 300
STARTING_POSITIONS = ("LATEST", "TRIM_HORIZON")


@dataclass(frozen=True)
class Where:
    """A place in a configuration file, 1-based."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{Path(self.path).name}:{self.line}:{self.column}"


@dataclass(frozen=True)
class TriggerProblem:
    where: Where
    message: str
    severity: str = "error"
    """"error" (the trigger is not created) or "warning" (created, something not honoured)."""

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Trigger:
    function: str
    name: str
    """The event's name under Events, the mapping's logical id, or `Bucket.LambdaConfigurations[0]`."""
    source: str
    """One of SOURCES."""
    resource: str
    """The bucket, queue, table, topic or event bus: a logical id of the template or a name."""
    where: Where
    resource_arn: str = ""
    """The ARN when the configuration wrote one rather than a reference."""
    enabled: bool = True
    batch_size: int = 0
    window_s: int = 0
    starting_position: str = ""
    bisect_on_error: bool = False
    maximum_retry_attempts: int = -1
    maximum_record_age_s: int = -1
    report_item_failures: bool = False
    filter_criteria: FilterCriteria = field(default_factory=FilterCriteria)
    on_failure: str = ""
    """OnFailure destination of a stream mapping: a queue or topic (logical id, name or ARN)."""
    s3_events: tuple[str, ...] = ()
    s3_prefix: str = ""
    s3_suffix: str = ""
    filter_policy: dict | None = None
    filter_policy_scope: str = "MessageAttributes"
    pattern: dict | None = None
    """EventBridge rule pattern (already checked)."""
    event_bus: str = "default"
    input: str | None = None
    """EventBridge Input: JSON text sent instead of the event."""

    @property
    def polled(self) -> bool:
        return self.source in POLLED

    @property
    def label(self) -> str:
        return f"{self.function}.{self.name} ({self.source}: {self.resource})"


@dataclass(frozen=True)
class AsyncConfig:
    """A function's asynchronous invocation settings (EventInvokeConfig, DeadLetterQueue)."""

    function: str
    maximum_retry_attempts: int = 2
    maximum_event_age_s: int = 6 * 60 * 60
    on_failure: str = ""
    on_success: str = ""
    dead_letter_target: str = ""


@dataclass(frozen=True)
class TriggerSet:
    triggers: tuple[Trigger, ...] = ()
    async_configs: tuple[AsyncConfig, ...] = ()
    problems: tuple[TriggerProblem, ...] = ()

    @property
    def errors(self) -> tuple[TriggerProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[TriggerProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    def for_function(self, function: str) -> tuple[Trigger, ...]:
        return tuple(t for t in self.triggers if t.function == function)

    def async_config(self, function: str) -> AsyncConfig:
        for config in self.async_configs:
            if config.function == function:
                return config
        return AsyncConfig(function)


# Properties per SAM event type: those the workbench honours, and those it reads but does not honour
# (each of the latter is a warning naming it). Anything else is an error: SAM would refuse it too.
HONOURED = {
    "S3": ("Bucket", "Events", "Filter"),
    "SQS": ("Queue", "BatchSize", "MaximumBatchingWindowInSeconds", "Enabled", "FilterCriteria",
            "FunctionResponseTypes"),
    "DynamoDB": ("Stream", "StartingPosition", "BatchSize", "MaximumBatchingWindowInSeconds",
                 "BisectBatchOnFunctionError", "MaximumRetryAttempts", "MaximumRecordAgeInSeconds",
                 "FunctionResponseTypes", "FilterCriteria", "DestinationConfig", "Enabled"),
    "SNS": ("Topic", "FilterPolicy", "FilterPolicyScope", "Region"),
    "EventBridgeRule": ("Pattern", "EventBusName", "Input", "State", "RuleName", "Target"),
    "CloudWatchEvent": ("Pattern", "EventBusName", "Input", "State"),
}
NOT_HONOURED = {
    "S3": (),
    "SQS": ("ScalingConfig", "KmsKeyArn", "MetricsConfig", "ProvisionedPollerConfig"),
    "DynamoDB": ("ParallelizationFactor", "TumblingWindowInSeconds", "StartingPositionTimestamp", "KmsKeyArn",
                 "MetricsConfig"),
    "SNS": ("SqsSubscription", "RedrivePolicy"),
    "EventBridgeRule": ("InputPath", "InputTransformer", "DeadLetterConfig", "RetryPolicy"),
    "CloudWatchEvent": ("InputPath", "InputTransformer"),
}
SOURCE_OF_TYPE = {"S3": "s3", "SQS": "sqs", "DynamoDB": "dynamodb", "SNS": "sns",
                  "EventBridgeRule": "events", "CloudWatchEvent": "events"}

# AWS::Lambda::EventSourceMapping properties (CloudFormation names).
MAPPING_HONOURED = ("FunctionName", "EventSourceArn", "BatchSize", "MaximumBatchingWindowInSeconds", "Enabled",
                    "StartingPosition", "BisectBatchOnFunctionError", "MaximumRetryAttempts",
                    "MaximumRecordAgeInSeconds", "FunctionResponseTypes", "FilterCriteria", "DestinationConfig")
MAPPING_NOT_HONOURED = ("ParallelizationFactor", "TumblingWindowInSeconds", "StartingPositionTimestamp",
                        "ScalingConfig", "KmsKeyArn", "MetricsConfig", "ProvisionedPollerConfig", "Tags",
                        "Queues", "Topics", "SourceAccessConfigurations", "SelfManagedEventSource",
                        "AmazonManagedKafkaEventSourceConfig", "SelfManagedKafkaEventSourceConfig",
                        "DocumentDBEventSourceConfig")

# S3 event types a notification may name (S3 user guide, "Supported event types").
S3_EVENT_TYPES = (
    "s3:TestEvent", "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post",
    "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*",
    "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:*",
    "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete", "s3:ReducedRedundancyLostObject",
    "s3:Replication:*", "s3:Replication:OperationFailedReplication", "s3:Replication:OperationMissedThreshold",
    "s3:Replication:OperationReplicatedAfterThreshold", "s3:Replication:OperationNotTracked",
    "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated",
    "s3:LifecycleTransition", "s3:IntelligentTiering", "s3:ObjectTagging:*", "s3:ObjectTagging:Put",
    "s3:ObjectTagging:Delete", "s3:ObjectAcl:Put",
)
