"""`lambda-workbench test`: the sample passes out of the box, failures fail the build with JUnit that CI
reads, broken files stop everything with file, line and column, --update records."""

import io
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest
from junitparser import JUnitXml

from workbench.cli import test as cli_test
from workbench.resources import resource_path


@pytest.fixture
def sample(tmp_path):
    target = tmp_path / "sample"
    shutil.copytree(resource_path("sample_workspace"), target, ignore=shutil.ignore_patterns("__pycache__", ".workbench"))
    return target


def run_cli(qapp, *argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli_test.main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_sample_passes_out_of_the_box_and_junit_reads_back(qapp, sample, tmp_path):
    """Every preset of the sample's functions and every scenario of its story passes; the JUnit file has one
    case per preset (classname = function) and per scenario (classname = scenario)."""
    junit, report = tmp_path / "junit.xml", tmp_path / "report.json"
    code, out, err = run_cli(qapp, "--workspace", str(sample), "--junit", str(junit), "--json", str(report))
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[-1].startswith("17 passed, 0 failed in ")
    assert sum(line.startswith("PASS  ") for line in lines) == 17
    assert "OrderConfirmation missing-email" in out
    # Read back twice: by the library CI plugins use, and as plain XML.
    xml = JUnitXml.fromfile(str(junit))
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (17, 0, 0, 0)
    root = ElementTree.parse(junit).getroot()
    cases = root.findall("./testsuite/testcase")
    assert sorted((c.get("classname"), c.get("name")) for c in cases) == sorted(
        [(f, p) for f in ("OrderConfirmation", "OrderConfirmationNode", "OrderConfirmationJava")
         for p in ("big-order", "missing-email", "new-order", "empty")]
        + [("PlaceOrder", "new-order"), ("PlaceOrder", "empty"), ("scenario", "place-order"),
           ("scenario", "upload-order"), ("scenario", "upload-elsewhere")])
    story = next(c for c in cases if c.get("name") == "place-order")
    assert "--- OrderConfirmation from dynamodb ---" in story.find("system-out").text
    missing = next(c for c in cases if c.get("classname") == "OrderConfirmation" and c.get("name") == "missing-email")
    assert "Missing required field 'customer.email'" in missing.find("system-out").text
    document = json.loads(report.read_text())
    assert (document["passed"], document["failed"]) == (17, 0)
    first = document["cases"][0]
    assert first["cold"] is True and first["durationMs"] > 0 and first["costUSD"] > 0
    assert all(case["cold"] is False for case in document["cases"][1:4])  # warm per function


def test_a_failing_case_exits_1_and_junit_names_the_first_difference(qapp, sample, tmp_path):
    expectation = sample / "events" / "OrderConfirmation" / "new-order.expect.yaml"
    expectation.write_text(expectation.read_text().replace('"total": "59.99"', '"total": "60.00"'))
    junit = tmp_path / "junit.xml"
    code, out, _err = run_cli(qapp, "--workspace", str(sample), "--function", "OrderConfirmation", "--junit", str(junit))
    assert code == 1
    fail = next(line for line in out.splitlines() if line.startswith("FAIL"))
    assert "OrderConfirmation new-order" in fail and "response $.body: text differs at character " in fail
    assert '\\"total\\": \\"60.00\\"' in fail and '\\"total\\": \\"59.99\\"' in fail
    # The function's four presets, and the scenario in which it runs (the order placed, then confirmed).
    assert out.splitlines()[-1].startswith("4 passed, 1 failed")
    assert "PASS  scenario place-order" in out
    xml = JUnitXml.fromfile(str(junit))
    assert (xml.tests, xml.failures) == (5, 1)
    failed = next(c for c in ElementTree.parse(junit).getroot().iter("testcase") if c.find("failure") is not None)
    assert failed.get("name") == "new-order" and failed.get("classname") == "OrderConfirmation"
    assert failed.find("failure").get("message").startswith("response $.body: text differs at character ")
    assert "START RequestId:" in failed.find("system-out").text and "REPORT RequestId:" in failed.find("system-out").text


def test_a_preset_without_expectation_passes_on_success_and_fails_on_error(qapp, sample):
    for path in (sample / "events").rglob("*.expect.yaml"):
        path.unlink()
    code, out, _err = run_cli(qapp, "--workspace", str(sample), "--function", "OrderConfirmation")
    assert code == 1
    results = {line.split()[2]: line.split()[0] for line in out.splitlines() if line[:4] in ("PASS", "FAIL")}
    assert results == {"big-order": "PASS", "new-order": "PASS", "missing-email": "FAIL", "empty": "FAIL",
                       "place-order": "PASS"}
    assert "expected success (no expectation file), got ValueError: Missing required field" in out


def test_a_broken_expectation_file_is_named_with_line_and_column_and_nothing_runs(qapp, sample, tmp_path):
    broken = sample / "events" / "OrderConfirmation" / "big-order.expect.yaml"
    broken.write_text("outcome: success\nassert:\n  - path: $.statusCode\n    equal: 200\n")
    junit = tmp_path / "junit.xml"
    code, out, err = run_cli(qapp, "--workspace", str(sample), "--junit", str(junit))
    assert code == 2
    assert out == "" and not junit.exists()
    assert "events/OrderConfirmation/big-order.expect.yaml:4:5: unknown key 'equal'" in err
    assert "did you mean 'equals'?" in err and "nothing was run" in err


def test_a_broken_preset_is_named_with_line_and_column_and_nothing_runs(qapp, sample):
    (sample / "events" / "OrderConfirmationNode" / "new-order.json").write_text('{\n  "order_id": "X",\n}\n')
    code, out, err = run_cli(qapp, "--workspace", str(sample))
    assert code == 2 and out == ""
    assert "events/OrderConfirmationNode/new-order.json:3:1: preset is not valid JSON" in err


def test_bad_usage_exits_2(qapp, sample):
    assert run_cli(qapp, "--workspace", str(sample), "--function", "Nope")[0] == 2
    code, _out, err = run_cli(qapp, "--workspace", str(sample), "--preset", "zzz*")
    assert code == 2 and "matches no preset" in err
    assert run_cli(qapp, "--workspace", str(sample / "missing"))[0] == 2
    assert run_cli(qapp, "--bogus")[0] == 2


def test_filters_and_cold(qapp, sample, tmp_path):
    """--function and --preset choose the cases; --cold gives each case a new environment."""
    report = tmp_path / "r.json"
    code, out, _err = run_cli(qapp, "--workspace", str(sample), "--function", "OrderConfirmation",
                              "--preset", "*-order", "--cold", "--json", str(report))
    assert code == 0
    cases = json.loads(report.read_text())["cases"]
    # The glob takes the scenario place-order too: OrderConfirmation is one of its runs.
    assert [(c["function"], c["preset"]) for c in cases] == [("OrderConfirmation", "big-order"),
                                                             ("OrderConfirmation", "new-order"),
                                                             ("scenario", "place-order")]
    assert all(c["cold"] and c["initDurationMs"] > 0 for c in cases[:2])


def test_update_records_what_is_missing_or_failing_and_leaves_passing_files_alone(qapp, sample):
    events = sample / "events"
    passing = events / "OrderConfirmation" / "missing-email.expect.yaml"
    before = passing.read_text()
    failing = events / "OrderConfirmation" / "big-order.expect.yaml"
    failing.write_text(failing.read_text().replace("equals: 200", "equals: 201"))
    (events / "OrderConfirmation" / "new-order.expect.yaml").unlink()
    assert run_cli(qapp, "--workspace", str(sample), "--function", "OrderConfirmation")[0] == 1
    code, out, _err = run_cli(qapp, "--workspace", str(sample), "--function", "OrderConfirmation", "--update")
    assert code == 0, out
    assert "big-order" in out and "expectation updated" in out and "expectation recorded" in out
    assert passing.read_text() == before
    assert "equals: 200" in failing.read_text() and "# 330 items" in failing.read_text()
    assert (events / "OrderConfirmation" / "new-order.expect.yaml").is_file()
    assert run_cli(qapp, "--workspace", str(sample), "--function", "OrderConfirmation")[0] == 0


def test_the_installed_command_exits_with_the_status(sample):
    """The real entry point, as CI calls it."""
    ok = subprocess.run([sys.executable, "-m", "workbench", "test", "--workspace", str(sample)],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (sample / "events" / "OrderConfirmation" / "missing-email.expect.yaml").write_text("outcome: success\n")
    failed = subprocess.run([sys.executable, "-m", "workbench", "test", "--workspace", str(sample)],
                            capture_output=True, text=True, timeout=60)
    assert failed.returncode == 1
    assert "FAIL  OrderConfirmation missing-email" in failed.stdout


def test_every_case_is_recorded_in_history_as_a_test_run(qapp, sample):
    """Each case goes through the run session, which records its RunRecord in the workspace's history."""
    from workbench.core.history.history_store import HistoryStore

    def recorded():
        store = HistoryStore.for_workspace(sample)
        try:
            return [store.get(summary.id) for summary in store.list(limit=100)]
        finally:
            store.close()

    code, _out, _err = run_cli(qapp, "--workspace", str(sample), "--function", "OrderConfirmation")
    assert code == 0
    runs = recorded()
    cases = [r for r in runs if r.source == "test"]
    assert sorted(r.preset for r in cases) == ["big-order", "empty", "missing-email", "new-order"]
    assert all(r.function == "OrderConfirmation" for r in cases)
    # The scenario's runs are recorded as what they were: the served call and the run the stream made, linked.
    story = sorted((r.function, r.source) for r in runs if r.source != "test")
    assert story == [("OrderConfirmation", "dynamodb"), ("PlaceOrder", "serve")]
    assert len({r.trace_root for r in runs if r.source != "test"}) == 1
    assert run_cli(qapp, "--workspace", str(sample), "--no-history")[0] == 0 and len(recorded()) == 6


def test_a_per_function_expectation_for_an_unknown_function_is_named(qapp, sample):
    shared = sample / "events" / "empty.expect.yaml"
    shared.write_text(shared.read_text().replace("  OrderConfirmationNode:", "  OrderConfirmationNod:"))
    code, out, err = run_cli(qapp, "--workspace", str(sample))
    assert code == 2 and out == ""
    assert "events/empty.expect.yaml:8:3: functions: no function 'OrderConfirmationNod' in this workspace" in err


def test_a_damaged_history_is_a_warning_under_the_commands_own_name(qapp, sample):
    """A history file that is not a database: `test` says so as itself, sets the file aside, and still runs."""
    from workbench.core.history.history_store import history_path

    path = history_path(sample)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not sqlite" * 100)
    code, out, err = run_cli(qapp, "--workspace", str(sample), "--function", "OrderConfirmation")
    assert code == 0, out + err
    warnings = [line for line in err.splitlines() if "moved it aside" in line]
    assert warnings and all(line.startswith("lambda-workbench test: warning: ") for line in warnings), err
