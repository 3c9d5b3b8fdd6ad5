"""Compare two runs: structural response diff, masked log diff, figure deltas, configuration and code changes."""

import dataclasses
import json

from run_records import CONFIG, make_record
from workbench.core.history.run_diff import (ADDED, CHANGED, REMOVED, Change, diff_json, diff_runs, diff_text,
                                     mask_log_line)
from workbench.core.history.run_record import CodeFile


def _api_response(total: str, items: list) -> dict:
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"total": total, "items": items})}


def test_a_changed_value_inside_an_api_gateway_body_is_named_by_its_path():
    """The body string holds JSON: the diff looks inside it (body.total), as a user reads the response."""
    before = make_record(response=_api_response("59.99", ["a", "b"]))
    after = make_record(response=_api_response("61.00", ["a", "b", "c"]))
    diff = diff_runs(before, after)
    assert diff.response == (Change("body.items[2]", ADDED, after='"c"'),
                             Change("body.total", CHANGED, '"59.99"', '"61.00"'))
    assert not diff.responses_equal
    assert 'body.total: "59.99" → "61.00"' in "\n".join(diff_text(diff))


def test_numbers_are_compared_by_value_and_shown_as_written():
    """19.90 stays 19.90 in the diff, 1e400 is not Infinity, and a removed key shows its old value."""
    changes = diff_json(b'{"price": 19.90, "huge": 1e400, "gone": {"x": 1}}', b'{"price": 19.95, "huge": 1e400}')
    assert changes == (Change("gone", REMOVED, before='{"x": 1}'), Change("price", CHANGED, "19.90", "19.95"))
    assert diff_json(b'{"a": 1.0}', b'{"a": 1.00}') == ()


def test_same_json_written_differently_is_equal_but_noticed():
    """Key order and spacing do not make responses differ; the text difference is still reported."""
    before = make_record(response={"a": 1, "b": 2})
    after = dataclasses.replace(before, result=dataclasses.replace(before.result, payload=b'{"b":2,"a":1}'))
    diff = diff_runs(before, after)
    assert diff.responses_equal and diff.response_text_differs
    assert "  same JSON value, written differently" in diff_text(diff)


def test_non_json_responses_and_a_new_error():
    """Plain text is compared as a whole; a run that now fails shows its error payload's paths."""
    assert diff_json(b"plain", b"plain") == ()
    assert diff_json(b"plain", b"other") == (Change("", CHANGED, "'plain'", "'other'"),)
    diff = diff_runs(make_record(), make_record(error_type="KeyError"))
    assert {change.path for change in diff.response} >= {"errorType", "statusCode"}


def test_log_diff_masks_request_ids_and_times():
    """Two runs that printed the same lines differ only where the output did."""
    before = make_record(log_lines=("[INFO]\t2026-12-01T10:00:00.123Z\tdone", "total 59.99"))
    after = make_record(log_lines=("[INFO]\t2026-12-01T11:22:33.456Z\tdone", "total 61.00"), duration_ms=99.0)
    log = diff_runs(before, after).log
    removed = [line for line in log if line.startswith("-") and not line.startswith("---")]
    added = [line for line in log if line.startswith("+") and not line.startswith("+++")]
    assert removed == ["-total 59.99"] and added == ["+total 61.00"]
    assert diff_runs(before, make_record(log_lines=before.log[1:-2])).log == ()
    assert mask_log_line("START RequestId: 8f5c5b1e-36a4-4c0a-9a34-9e1b6a1f1a2b Version: $LATEST") == \
        "START RequestId: <request-id> Version: $LATEST"


def test_figures_have_deltas():
    """Duration, billed, memory and cost deltas read as a user expects (+ and − with a percentage)."""
    diff = diff_runs(make_record(duration_ms=10.0, max_memory_mb=40),
                     make_record(duration_ms=15.0, max_memory_mb=38, init_ms=120.0))
    by_name = {figure.name: figure for figure in diff.figures}
    assert by_name["Duration"].delta == 5.0
    assert by_name["Duration"].text() == "Duration: 10 ms → 15 ms (+5 ms, +50%)"
    assert by_name["Max Memory Used"].text() == "Max Memory Used: 40 MB → 38 MB (−2 MB, -5%)"
    assert by_name["Init Duration"].text() == "Init Duration: — → 120 ms"
    assert by_name["Billed Duration"].after == 135


def test_configuration_and_code_changes():
    """A new memory size, a changed variable, a changed secret (hidden) and an edited file are all named."""
    before = make_record()
    config = dataclasses.replace(CONFIG, memory_mb=512, environment=(
        ("TABLE", "orders-v2"), ("API_TOKEN", "••• hidden 11111111"), ("DEBUG", "1")))
    after = make_record(memory_mb=512, config=config,
                        code_files=(CodeFile("app.py", 140, 2), CodeFile("util.py", 10, 2)))
    before = dataclasses.replace(before, config=dataclasses.replace(before.config, environment=(
        ("TABLE", "orders"), ("API_TOKEN", "••• hidden 22222222"))))
    diff = diff_runs(before, after)
    assert diff.config == (
        Change("memory_mb", CHANGED, "256", "512"),
        Change("environment.API_TOKEN", CHANGED, "(hidden)", "(hidden)"),
        Change("environment.DEBUG", ADDED, after='"1"'),
        Change("environment.TABLE", CHANGED, '"orders"', '"orders-v2"'),
    )
    assert diff.code == (Change("app.py", CHANGED, "120 bytes", "140 bytes"),
                         Change("util.py", ADDED, after="10 bytes"))
    text = "\n".join(diff_text(diff, "aaaa", "bbbb"))
    assert "Response (aaaa → bbbb):\n  equal" in text and "~ app.py: 120 bytes → 140 bytes" in text
