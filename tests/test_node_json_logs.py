"""The Node.js runtime's log records under LoggingConfig, as Amazon's Node.js runtime client writes them
(LAMBDA.md §6.2): JSON shapes, level names, level filtering, and one event per console call."""

import json
import re
import shutil
import textwrap

import pytest

from node_functions import needs_node, node_function
from workbench.resources import runtime_path

pytestmark = needs_node

TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
HANDLER = textwrap.dedent("""\
    console.log('loaded at init');

    exports.handler = async () => {
      console.trace('trace line');
      console.debug('debug line');
      console.info('info line');
      console.log('log line');
      console.warn('warn line');
      console.error('error line');
      console.fatal('fatal line');
      console.log({ order: 'ORD-1', items: [1, 2] });
      console.log('first\\nsecond');
      console.error('failed with', new Error('logged error'), 'and more');
      const typed = new TypeError('bad type');
      typed.code = 'E_TYPE';
      console.error(typed);
      console.log('count: %d', 3);
      return 'ok';
    };
    """)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "logs.js").write_text(HANDLER)
    return tmp_path


def _records(ran):
    """The function's own JSON records (not the platform's), each with its raw line."""
    return [(json.loads(line), line) for line in ran.lines if line.startswith('{"timestamp"')]


@pytest.mark.parametrize("runtime, init_id", [("nodejs20.x", None), ("nodejs24.x", "-")])
def test_json_records_have_the_clients_shape(folder, invoke, runtime, init_id):
    """timestamp (ms, Z), level, requestId, message in that order, compact; objects stay JSON; an Error alone
    is the message as {errorType, errorMessage, stackTrace, own fields}; beside others, its fields join the record."""
    ran = invoke(node_function(folder, "logs.handler", runtime, log_format="JSON", application_log_level="TRACE"))
    rid = ran.result.request_id
    records = _records(ran)
    for record, line in records:
        assert TIMESTAMP.fullmatch(record["timestamp"])
        assert line == json.dumps(record, separators=(",", ":"), ensure_ascii=False)  # JSON.stringify's form
    init = records[0][0]
    # Before the first call the request id is undefined (left out) up to Node.js 22, "-" from 24.
    assert list(init) == ["timestamp", "level", "message"] if init_id is None else \
        ["timestamp", "level", "requestId", "message"]
    assert init.get("requestId") == init_id and init["message"] == "loaded at init"
    calls = [record for record, _ in records[1:]]
    assert all(list(record)[:4] == ["timestamp", "level", "requestId", "message"] for record in calls)
    assert all(record["requestId"] == rid for record in calls)
    assert [(r["level"], r["message"]) for r in calls[:9]] == [
        ("TRACE", "trace line"), ("DEBUG", "debug line"), ("INFO", "info line"), ("INFO", "log line"),
        ("WARN", "warn line"), ("ERROR", "error line"), ("FATAL", "fatal line"),
        ("INFO", {"order": "ORD-1", "items": [1, 2]}), ("INFO", "first\nsecond")]
    several = calls[9]
    assert several["level"] == "ERROR"
    assert several["message"].startswith("failed with Error: logged error\n    at ")
    assert several["message"].endswith(" and more")
    assert (several["errorType"], several["errorMessage"]) == ("Error", "logged error")
    assert several["stackTrace"][0] == "Error: logged error" and several["stackTrace"][1].startswith("    at ")
    alone = calls[10]["message"]
    assert list(alone) == ["errorType", "errorMessage", "stackTrace", "code"]
    assert (alone["errorType"], alone["errorMessage"], alone["code"]) == ("TypeError", "bad type", "E_TYPE")
    assert alone["stackTrace"][0] == "TypeError: bad type"
    assert calls[11]["message"] == "count: 3"


@pytest.mark.parametrize("level, shown", [
    ("", {"INFO", "WARN", "ERROR", "FATAL"}),   # JSON without a level: Lambda's default, INFO
    ("WARN", {"WARN", "ERROR", "FATAL"}),
    ("FATAL", {"FATAL"}),
])
def test_application_log_level_filters_the_console(folder, invoke, level, shown):
    ran = invoke(node_function(folder, "logs.handler", log_format="JSON", application_log_level=level))
    assert {record["level"] for record, _ in _records(ran)} == shown
    assert ran.result.payload == b'"ok"'


def test_a_multi_line_message_is_one_event_in_text_format(folder, invoke):
    """With the telemetry descriptor a console call is one framed record: its newlines stay inside the entry."""
    ran = invoke(node_function(folder, "logs.handler"))
    entries = [line for line in ran.lines if "\tINFO\tfirst" in line]
    assert len(entries) == 1 and entries[0].endswith("\tINFO\tfirst\nsecond")
    error = next(line for line in ran.lines if "\tERROR\tfailed with Error: logged error\n    at " in line)
    assert error.endswith(" and more")
    assert not any(line.startswith("second") or line.startswith("    at ") for line in ran.lines)


def test_without_the_descriptor_newlines_become_carriage_returns(folder, invoke):
    """Started where Lambda gives no descriptor, each console call is one stdout line, newlines as \\r."""
    (folder / "bootstrap").write_text(
        "#!/bin/sh\nunset _LAMBDA_TELEMETRY_LOG_FD\nexport AWS_EXECUTION_ENV=AWS_Lambda_nodejs20.x\n"
        f'exec "{shutil.which("node")}" "{runtime_path("node", "bootstrap.mjs")}"\n')
    (folder / "bootstrap").chmod(0o755)
    ran = invoke(node_function(folder, "logs.handler", "provided.al2023"))
    assert ran.result.payload == b'"ok"'
    assert any(line.endswith("\tINFO\tfirst\rsecond") for line in ran.lines)
    assert not any("\n" in line for line in ran.lines)
