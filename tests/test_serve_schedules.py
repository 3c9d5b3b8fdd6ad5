"""Schedule and ScheduleV2 events while serving: off by default, on per function, fired once by hand."""

import asyncio
import json
import shutil
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from serve_helpers import start_serve
from test_serve_invoke_api import wait_for

FIXTURES = Path(__file__).parent / "fixtures" / "python"

TEMPLATE = """
Globals:
  Function:
    Runtime: python3.12
    CodeUri: code
Resources:
  Nightly:
    Type: AWS::Serverless::Function
    Properties:
      Handler: record_event.handler
      Environment:
        Variables:
          MARKS: {nightly}
      Events:
        EveryFive:
          Type: Schedule
          Properties:
            Schedule: rate(5 minutes)
  Weekly:
    Type: AWS::Serverless::Function
    Properties:
      Handler: record_event.handler
      Environment:
        Variables:
          MARKS: {weekly}
      Events:
        Digest:
          Type: Schedule
          Properties:
            Schedule: rate(7 days)
        Report:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: cron(0 9 ? * MON *)
            Input: '{{"report": "weekly"}}'
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Handler: record_event.handler
      Environment:
        Variables:
          MARKS: {other}
      Events:
        Often:
          Type: Schedule
          Properties:
            Schedule: rate(1 minute)
"""


@pytest.fixture
def workspace(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "code", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "template.yaml").write_text(TEMPLATE.format(nightly=tmp_path / "nightly.jsonl",
                                                            weekly=tmp_path / "weekly.jsonl",
                                                            other=tmp_path / "other.jsonl"))
    return tmp_path


def lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_schedule_fires_once_by_hand_with_the_scheduled_event(workspace):
    """POST /workbench/schedules/FUNCTION fires its first schedule now; ?event= picks another one."""
    server = start_serve(workspace)
    try:
        with urllib.request.urlopen(urllib.request.Request(
                f"{server.lambda_url}/workbench/schedules/Nightly", method="POST"), timeout=30) as reply:
            assert reply.status == 202
        assert wait_for(lambda: len(lines(workspace / "nightly.jsonl")) == 1)
        (event,) = lines(workspace / "nightly.jsonl")
        assert event["detail-type"] == "Scheduled Event" and event["source"] == "aws.events"
        assert event["resources"] == ["arn:aws:events:us-east-1:123456789012:rule/Nightly-EveryFive"]
        urllib.request.urlopen(urllib.request.Request(
            f"{server.lambda_url}/workbench/schedules/Weekly?event=Report", method="POST"), timeout=30)
        assert wait_for(lambda: lines(workspace / "weekly.jsonl") == [{"report": "weekly"}])
        assert not (workspace / "other.jsonl").exists()  # off by default: nothing fired on its own
    finally:
        assert server.stop() == 0


FIRST_FIRES = ["2026-12-07T08:55:00Z", "2026-12-07T09:00:00Z", "2026-12-07T09:05:00Z"]


def test_enabled_schedules_fire_on_time_and_disabled_ones_never(qapp, workspace):
    """With a clock that runs fast: Nightly (enabled) fires every five minutes of schedule time; the others never."""
    import qasync

    from workbench.serve.server import ServeOptions, ServeServer

    clock = {"now": datetime(2026, 12, 7, 8, 50, tzinfo=timezone.utc)}

    async def fast_sleep(seconds):
        clock["now"] += timedelta(seconds=seconds)
        await asyncio.sleep(0.01)

    async def scenario():
        server = ServeServer(workspace, ServeOptions(lambda_port=0, api_port=0))
        server.schedules.now = lambda: clock["now"]
        server.schedules.sleep = fast_sleep
        await server.start()
        try:
            server.schedules.set_enabled("Nightly", True)
            # Calls run in several environments at once and may finish in any order: wait for the first
            # three fire times themselves, not merely for four lines.
            for _ in range(3000):
                recorded = {event.get("time") for event in lines(workspace / "nightly.jsonl")}
                if len(recorded) >= 4 and set(FIRST_FIRES) <= recorded:
                    break
                await asyncio.sleep(0.01)
            server.schedules.set_enabled("Nightly", False)
            # Runs finish in any order across environments: let every fired one finish before looking.
            for _ in range(3000):
                if server.events.pending == 0:
                    break
                await asyncio.sleep(0.01)
        finally:
            await server.stop()

    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(scenario())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    events = lines(workspace / "nightly.jsonl")
    assert len(events) >= 4
    times = sorted(event["time"] for event in events if "time" in event)
    assert times[:3] == FIRST_FIRES
    assert not (workspace / "other.jsonl").exists()
    assert not (workspace / "weekly.jsonl").exists()
