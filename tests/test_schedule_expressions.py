"""EventBridge schedule expressions: what is accepted, when each fires, the event sent."""

import json
from datetime import datetime, timezone

import pytest

from workbench.core.lambda_rules.schedule_expressions import ScheduleError, parse_schedule, schedule_payload, scheduled_event

AT = datetime(2026, 12, 1, 21, 30, 15, tzinfo=timezone.utc)  # a Tuesday


def test_rate_expressions_and_their_singular_rule():
    assert parse_schedule("rate(5 minutes)").next_after(AT) == datetime(2026, 12, 1, 21, 35, 15, tzinfo=timezone.utc)
    assert parse_schedule("rate(1 hour)").interval_s == 3600
    for bad in ("rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(5 weeks)"):
        with pytest.raises(ScheduleError):
            parse_schedule(bad)


def test_cron_counts_days_of_week_from_sunday_as_1():
    """cron(0 10 ? * 2 *) is every Monday at 10:00 UTC (2 = MON in EventBridge, 1 in Unix cron)."""
    assert parse_schedule("cron(0 10 ? * 2 *)").next_after(AT) == datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
    assert parse_schedule("cron(0 10 ? * MON-FRI *)").next_after(AT) == datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)
    assert parse_schedule("cron(15 12 * * ? *)").next_after(AT) == datetime(2026, 12, 2, 12, 15, tzinfo=timezone.utc)
    assert parse_schedule("cron(0/15 * * * ? *)").next_after(AT) == datetime(2026, 12, 1, 21, 45, tzinfo=timezone.utc)


def test_cron_year_field_and_its_end():
    assert parse_schedule("cron(0 0 1 1 ? 2028)").next_after(AT) == datetime(2028, 1, 1, tzinfo=timezone.utc)
    assert parse_schedule("cron(0 0 1 1 ? 2020)").next_after(AT) is None


def test_cron_needs_six_fields_and_one_question_mark():
    with pytest.raises(ScheduleError, match="six fields"):
        parse_schedule("cron(0 10 * * ?)")
    with pytest.raises(ScheduleError, match="exactly one of day-of-month and day-of-week"):
        parse_schedule("cron(0 10 * * * *)")
    with pytest.raises(ScheduleError):
        parse_schedule("every day")


def test_the_scheduled_event_and_the_input_override():
    event = scheduled_event("Fn-Nightly", "us-east-1", "123456789012", AT)
    assert event["detail-type"] == "Scheduled Event" and event["source"] == "aws.events"
    assert event["time"] == "2026-12-01T21:30:15Z" and event["detail"] == {}
    assert event["resources"] == ["arn:aws:events:us-east-1:123456789012:rule/Fn-Nightly"]
    assert json.loads(schedule_payload("r", None, "us-east-1", "1", AT))["version"] == "0"
    assert schedule_payload("r", '{"job": 1}', "us-east-1", "1", AT) == b'{"job": 1}'
