"""The log's reading rule on what the real runtimes write: level, short time and message first, the request id
only where it is not the run's, nothing of the message lost; and which lines open a run's group."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.log_reading.line_reading import read_line
from workbench.core.log_reading.run_groups import GroupState, group_heads, is_run_report, run_began, \
    start_request_id

FIXTURE = Path(__file__).parent / "fixtures" / "log_reading"
FUNCTIONS = ("PyText", "PyJson", "NodeText", "NodeJson")


@pytest.fixture(scope="module")
def runtime_logs(tmp_path_factory):
    """Each function's log (stderr of `invoke`, lines as the runtime wrote them) after a failing call."""
    folder = tmp_path_factory.mktemp("log_reading") / "workspace"
    shutil.copytree(FIXTURE, folder)
    logs = {}
    for name in FUNCTIONS:
        ran = subprocess.run([sys.executable, "-m", "workbench", "invoke", name, "--workspace", str(folder),
                              "-e", str(folder / "fail.json")], capture_output=True, text=True, timeout=60)
        assert ran.returncode == 1, ran.stderr
        logs[name] = ran.stderr.splitlines()
    return logs


def read_all(lines):
    request_id, read = "", []
    for line in lines:
        request_id = start_request_id(line) or request_id
        read.append(read_line(line, request_id))
    return read


@pytest.mark.parametrize("name", FUNCTIONS)
def test_logger_lines_read_level_time_message_and_drop_the_runs_own_request_id(runtime_logs, name):
    """INFO and WARN lines read `LEVEL HH:MM:SS… message`; the request id is said once, by START."""
    read = read_all(runtime_logs[name])
    request_id = next(filter(None, map(start_request_id, runtime_logs[name])))
    info = next(line for line in read if "Order 42 accepted" in line)
    warn = next(line for line in read if "Stock low" in line)
    assert info.startswith("INFO  ") and warn.startswith("WARN  ")
    assert re.fullmatch(r"INFO  \d\d:\d\d:\d\d(\.\d{3})? Order 42 accepted", info)
    starts = [line for line in read if line.startswith("START RequestId: ")]
    # In JSON format platform.initStart comes first on a cold start; START is the first line naming the request.
    assert sum(request_id in line for line in read) == 1 and starts[0].startswith(f"START RequestId: {request_id}")


@pytest.mark.parametrize("name", FUNCTIONS)
def test_the_error_reads_its_type_message_and_frames(runtime_logs, name):
    """The handler's error: ERROR, its type and message, then its frames (still clickable paths and lines)."""
    read = read_all(runtime_logs[name])
    error = next(line for line in read if "bad order" in line and line.startswith("ERROR"))
    assert "Error: bad order" in error
    frames = "\n".join(read)
    assert ("app.py\", line 9, in handler" in frames) if name.startswith("Py") else ("index.mjs:5:25" in frames)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_report_reads_every_figure_without_the_request_id(runtime_logs, name):
    """REPORT (text or the JSON platform.report) keeps Duration, Billed Duration, Memory Size, Max Memory Used."""
    raw = next(line for line in runtime_logs[name] if is_run_report(line))
    report = read_line(raw)
    assert report.startswith("REPORT Duration: ")
    for figure in ("Billed Duration: ", "Memory Size: 128 MB", "Max Memory Used: ", "Init Duration: "):
        assert figure in report
    request_id = next(filter(None, map(start_request_id, runtime_logs[name])))
    assert request_id not in report


def test_python_logger_time_is_short_and_utc_as_written():
    """The short time is the line's own UTC clock time to the millisecond; a foreign request id keeps a tag."""
    line = "[INFO]\t2026-12-06T16:50:07.290Z\t66ea61a7-70a7-4bac-b2dc-5a0000000000\tfine"
    assert read_line(line, "66ea61a7-70a7-4bac-b2dc-5a0000000000") == "INFO  16:50:07.290 fine"
    assert read_line(line, "another") == "INFO  16:50:07.290 [66ea61a7] fine"


def test_lines_in_no_known_shape_read_as_written():
    """Prints, JSON the function printed, and our own lines stay exactly as they were."""
    for line in ("plain print", '{"orderId": 42}', "[build] installing 1 package", "[workbench] Cold start: x",
                 "{not json}"):
        assert read_line(line) == line


def test_json_record_keeps_its_extra_keys_after_the_message():
    """A structured record's own keys are not lost in reading."""
    line = '{"timestamp": "2026-12-06T18:11:47Z", "level": "INFO", "message": "paid", "logger": "orders", ' \
           '"requestId": "r1", "orderId": 42}'
    assert read_line(line, "r1") == 'INFO  18:11:47 paid  logger="orders" orderId=42'


def test_a_runs_own_output_before_start_opens_its_group():
    """Build output and a credentials warning before START belong to the run that caused them."""
    first = ["START RequestId: a Version: $LATEST", "hello", "END RequestId: a", "REPORT RequestId: a\tDuration: 1 ms\t"]
    second = ["[build] installing 1 package", "[build] done in 6.8 s", "[workbench] No AWS credentials",
              "START RequestId: b Version: $LATEST", "END RequestId: b", "REPORT RequestId: b\tDuration: 1 ms\t"]
    heads, state = group_heads(first, run_began(GroupState()))
    assert heads == [0]
    heads, state = group_heads(second[:2], run_began(state))
    assert heads == [0]
    heads, state = group_heads(second[2:], state)
    assert heads == [] and state == GroupState()


def test_without_run_marks_each_start_opens_a_group():
    """A log read back (a recorded one, the CLI's) is grouped at each START, text or JSON."""
    lines = ["START RequestId: a Version: $LATEST", "x", '{"time":"t","type":"platform.start","record":'
             '{"requestId":"b","version":"$LATEST"}}', "y"]
    assert group_heads(lines)[0] == [0, 2]
    assert start_request_id(lines[2]) == "b"
