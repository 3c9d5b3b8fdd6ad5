"""EventBridge schedule expressions (rate and cron) and the event a scheduled rule sends.

Rules from the EventBridge user guide ("Schedule expressions for rules", eb-scheduled-rule-pattern.html)
and EventBridge Scheduler's "Schedule types" page:
* `rate(value unit)`: a positive whole number; unit minute|minutes|hour|hours|day|days, singular only for 1
  ("rate(1 minutes)" and "rate(5 minute)" are refused).
* `cron(minutes hours day-of-month month day-of-week year)`: six fields, UTC; one of day-of-month and
  day-of-week must be `?`; day-of-week counts 1-7 from SUN (or SUN-SAT), unlike Unix cron's 0-6. The
  field grammar (lists, ranges, steps, L, W, #) is evaluated by the cronsim library after the
  day-of-week numbers are moved to Unix's count; the year field is checked here.
The scheduled event is the "Scheduled Event" document (events/cloudwatch/scheduled-event in SAM's
generate-event; LAMBDA.md §8): version "0", source "aws.events", resources = the rule's ARN.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cronsim import CronSim, CronSimError

_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_CRON = re.compile(r"^cron\((.*)\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_DAY_NAMES = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")


class ScheduleError(ValueError):
    """An expression EventBridge would refuse; the message says which part and why."""


@dataclass(frozen=True)
class Schedule:
    expression: str
    interval_s: float | None = None
    """For rate(): the period."""
    cron_fields: str | None = None
    """For cron(): the five Unix-style fields cronsim evaluates."""
    years: str = "*"

    def next_after(self, moment: datetime) -> datetime | None:
        """The first firing strictly after `moment` (UTC); None when the years have all passed."""
        if self.interval_s is not None:
            return moment + timedelta(seconds=self.interval_s)
        for candidate in CronSim(self.cron_fields, moment.astimezone(timezone.utc).replace(second=0, microsecond=0)):
            if candidate <= moment:
                continue
            if _year_matches(self.years, candidate.year):
                return candidate
            if candidate.year > 2199:
                return None
        return None


def parse_schedule(expression: str) -> Schedule:
    expression = expression.strip()
    if match := _RATE.match(expression):
        value, unit = int(match[1]), match[2]
        if value <= 0:
            raise ScheduleError(f"{expression}: the rate must be a positive whole number")
        if (value == 1) != (not unit.endswith("s")):
            raise ScheduleError(f"{expression}: write '1 {unit.rstrip('s')}' for one and "
                                f"'{value} {unit.rstrip('s')}s' for more (EventBridge refuses the other)")
        return Schedule(expression, interval_s=value * _UNIT_SECONDS[unit.rstrip("s")])
    if match := _CRON.match(expression):
        fields = match[1].split()
        if len(fields) != 6:
            raise ScheduleError(f"{expression}: cron() takes six fields (minutes hours day-of-month month "
                                f"day-of-week year), found {len(fields)}")
        minutes, hours, day_of_month, month, day_of_week, years = fields
        if (day_of_month == "?") == (day_of_week == "?"):
            raise ScheduleError(f"{expression}: exactly one of day-of-month and day-of-week must be '?'")
        unix = " ".join([minutes, hours, "*" if day_of_month == "?" else day_of_month, month,
                         "*" if day_of_week == "?" else _unix_day_of_week(day_of_week)])
        try:
            CronSim(unix, datetime.now(timezone.utc))
            _year_matches(years, 2000)
        except (CronSimError, ValueError) as error:
            raise ScheduleError(f"{expression}: {error}") from None
        return Schedule(expression, cron_fields=unix, years=years)
    raise ScheduleError(f"{expression!r} is neither rate(value unit) nor cron(six fields)")


def _unix_day_of_week(field: str) -> str:
    """AWS counts 1 (SUN) to 7 (SAT); Unix cron 0 (SUN) to 6."""
    def shift(match: re.Match) -> str:
        return str(int(match[0]) - 1)
    names = {name: str(index) for index, name in enumerate(_DAY_NAMES)}
    field = re.sub(r"(?<![#/\d])[1-7](?!\d)", shift, field.upper())
    return re.sub("|".join(_DAY_NAMES), lambda m: names[m[0]], field)


def _year_matches(field: str, year: int) -> bool:
    if field == "*":
        return True
    for part in field.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part == "*":
            low, high = 1970, 2199
        elif "-" in part:
            low, high = (int(x) for x in part.split("-", 1))
        else:
            low = high = int(part)
            if step != 1:
                high = 2199
        if low <= year <= high and (year - low) % step == 0:
            return True
    return False


def scheduled_event(rule_name: str, region: str, account_id: str, at: datetime) -> dict:
    """The document EventBridge sends a function when its rule fires."""
    return {
        "version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event", "source": "aws.events",
        "account": account_id, "time": at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region, "resources": [f"arn:aws:events:{region}:{account_id}:rule/{rule_name}"],
        "detail": {},
    }


def schedule_payload(rule_name: str, raw_input: str | None, region: str, account_id: str, at: datetime) -> bytes:
    """What the function receives: the Input property when given (as written), else the scheduled event."""
    if raw_input is not None:
        return raw_input.encode("utf-8")
    return json.dumps(scheduled_event(rule_name, region, account_id, at)).encode("utf-8")
