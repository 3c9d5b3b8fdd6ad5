"""Compare and `history diff`: ids and timestamps new on every call are not differences unless asked."""

import json
import subprocess
import sys

from PySide6.QtWidgets import QCheckBox, QLabel

from run_records import make_record
from workbench.core.history.history_store import HistoryStore
from workbench.core.history.run_diff import CHANGED, Change, diff_runs, diff_text, is_volatile


def _response(request_id, at, epoch, total="59.99"):
    body = {"requestId": request_id, "receivedAt": at, "total": total,
            "trace": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}
    return {"statusCode": 200, "body": json.dumps(body), "requestContext": {"requestTimeEpoch": epoch,
                                                                             "requestTime": "06/Dec/2026:16:50:07 +0000"}}


FIRST = _response("6f1c2b0e-1a2b-4c3d-8e9f-001122334455", "2026-12-06T16:50:07.290Z", 1796575807290)
SECOND = dict(_response("a81bc81b-dead-4e5d-abff-90865d1e13b1", "2026-12-06T16:51:11.004Z", 1796575871004),
              requestContext={"requestTimeEpoch": 1796575871004, "requestTime": "06/Dec/2026:16:51:11 +0000"})


def test_two_runs_differing_only_in_ids_and_times_are_equal():
    """requestId, ISO and API Gateway times, trace ids and requestTimeEpoch set apart; the verdict is equal."""
    diff = diff_runs(make_record(response=FIRST), make_record(response=SECOND))
    assert diff.responses_equal and diff.response == ()
    assert {change.path for change in diff.volatile} == {
        "body.requestId", "body.receivedAt", "requestContext.requestTimeEpoch", "requestContext.requestTime"}
    text = diff_text(diff)
    assert text[1] == "  equal" and text[2].startswith("  (4 ids and times differ, not counted: ")


def test_asked_for_the_ids_and_times_count():
    diff = diff_runs(make_record(response=FIRST), make_record(response=SECOND), include_volatile=True)
    assert not diff.responses_equal and len(diff.response) == 4 and diff.volatile == ()


def test_a_real_change_beside_the_ids_is_still_a_difference():
    """total changed: that one path differs; an orderId that is not a UUID is never set apart."""
    changed = dict(SECOND, body=json.dumps(dict(json.loads(SECOND["body"]), total="61.00", orderId="B-2")))
    before = dict(FIRST, body=json.dumps(dict(json.loads(FIRST["body"]), orderId="B-1")))
    diff = diff_runs(make_record(response=before), make_record(response=changed))
    assert [change.path for change in diff.response] == ["body.orderId", "body.total"]


def test_what_counts_as_an_id_or_a_time():
    assert is_volatile(Change("createdAt", CHANGED, "1", "2"))
    assert is_volatile(Change("expires_at", CHANGED, "1700000000", "1700000100"))
    assert not is_volatile(Change("count", CHANGED, "1", "2"))
    assert not is_volatile(Change("update", CHANGED, "1", "2"))
    assert not is_volatile(Change("id", CHANGED, '"A-1"', '"A-2"'))
    assert not is_volatile(Change("requestId", CHANGED, '"6f1c2b0e-1a2b-4c3d-8e9f-001122334455"', "null"))


def test_history_diff_exits_0_for_ids_only_and_1_with_all(tmp_path):
    """As a command: exit 0 and a note naming them; --all counts them and exits 1."""
    store = HistoryStore.for_workspace(tmp_path)
    first, second = store.record(make_record(response=FIRST)), store.record(make_record(response=SECOND))
    store.close()

    def diff(*extra):
        return subprocess.run([sys.executable, "-m", "workbench", "history", "diff", first, second,
                               "--workspace", str(tmp_path), *extra], capture_output=True, text=True, timeout=60)

    plain = diff()
    assert plain.returncode == 0, plain.stderr
    assert "  equal" in plain.stdout.splitlines() and "ids and times differ, not counted" in plain.stdout
    everything = diff("--all")
    assert everything.returncode == 1 and "~ body.requestId:" in everything.stdout


def test_compare_view_says_equal_and_counts_them_when_asked(qtbot):
    """The verdict reads equal, naming the ids; the 'Count ids and times' box puts them in the table."""
    from workbench.core.history.history_codec import summary_from_row, summary_values
    from workbench.ui.history.compare_view import CompareView

    view = CompareView()
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.show()
    before, after = make_record(response=FIRST), make_record(response=SECOND)
    view.show_diff(diff_runs(before, after), summary_from_row(("aaaa1111", *summary_values(before))),
                   summary_from_row(("bbbb2222", *summary_values(after))))
    verdict = view.findChild(QLabel, "compare_verdict").text()
    assert verdict.startswith("Responses are equal (4 ids or times differ: ")
    box = view.findChild(QCheckBox, "compare_count_volatile")
    assert box.isVisible() and not box.isChecked()
    assert view.response_table.rowCount() == 1  # "The responses are equal."
    box.setChecked(True)
    assert view.findChild(QLabel, "compare_verdict").text().startswith("Responses differ at 4 paths")
    assert view.response_table.rowCount() == 4
