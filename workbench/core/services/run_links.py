"""Which recorded run wrote an object or sent an email: the run that was going on at that moment and whose
recorded AWS calls include that operation on that resource. The history keeps each run's calls (awsCalls)
and its times; the Outbox and S3 keep when a thing was sent or written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .api_calls import AwsCall

# A run's recorded start is taken before its environment starts (and may wait for an install); the host
# stamps a send when it answers. This much either side still counts as during the run.
SLACK_S = 2.0
SENDS = frozenset({("ses", "SendEmail"), ("ses", "SendRawEmail"), ("ses", "SendTemplatedEmail"),
                   ("ses", "SendBulkTemplatedEmail"), ("ses", "SendBulkEmail")})
OBJECT_WRITES = frozenset({"PutObject", "CopyObject", "CompleteMultipartUpload", "UploadPart"})


@dataclass(frozen=True)
class RunSpan:
    """A recorded run as far as linking needs it."""

    run_id: str
    function: str
    started_at: float
    ended_at: float
    calls: tuple[AwsCall, ...] = ()


def spans_around(moment: float, runs: Iterable[tuple[str, str, float, float]]) -> list[tuple[str, str, float, float]]:
    """Of (run id, function, started at, seconds it lasted), those going on at `moment` give or take SLACK_S."""
    return [run for run in runs if run[2] - SLACK_S <= moment <= run[2] + run[3] + SLACK_S]


def run_that_sent(mail: dict, spans: Iterable[RunSpan]) -> RunSpan | None:
    """The run that sent an Outbox email: during it, and it called an SES send (from the same address when
    the call names one)."""
    moment, sender = float(mail.get("time", 0.0)), _address(str(mail.get("from", "")))

    def sent_it(call: AwsCall) -> bool:
        if (call.service, call.operation) not in SENDS or call.error:
            return False
        return not call.resource or not sender or call.resource.endswith("/" + sender)

    return _closest(moment, [span for span in spans if any(sent_it(call) for call in span.calls)])


def run_that_wrote(bucket: str, key: str, moment: float, spans: Iterable[RunSpan]) -> RunSpan | None:
    """The run that wrote s3://bucket/key at `moment` (its last modification)."""
    arn = f"arn:aws:s3:::{bucket}/{key}"
    return _closest(moment, [span for span in spans if any(
        call.service == "s3" and call.operation in OBJECT_WRITES and call.resource == arn and not call.error
        for call in span.calls)])


def _closest(moment: float, spans: list[RunSpan]) -> RunSpan | None:
    during = [span for span in spans if span.started_at - SLACK_S <= moment <= span.ended_at + SLACK_S]
    if not during:
        return None
    return min(during, key=lambda span: abs(moment - (span.started_at + span.ended_at) / 2))


def _address(source: str) -> str:
    """The address of "Name <a@example.com>"."""
    if "<" in source and ">" in source:
        return source[source.index("<") + 1:source.index(">")].strip()
    return source.strip()
