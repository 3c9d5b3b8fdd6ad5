"""A triggered run in history: its batch and each record's fate arrive after the run is recorded and are kept on
it; runs of one trace are linked; a history written by the previous schema is migrated and keeps its runs."""

import dataclasses
import sqlite3

from run_records import make_record
from workbench.core.history.history_schema import MIGRATIONS, _statements
from workbench.core.history.history_store import HistoryStore
from workbench.core.triggers.triggered_batch import TriggeredBatch

FIRED = {"seq": 4, "time": 1.0, "kind": "fired", "trigger": "Worker.Jobs", "source": "sqs", "requestId": "r-1",
         "detail": "1 of 2 records failed (ReportBatchItemFailures)", "outcome": "partial", "batch": ["m1", "m2"],
         "records": [{"id": "m1", "fate": "deleted"}, {"id": "m2", "fate": "visible again", "visibleAt": 1700000030.5}]}
ROOT = "1-6540a1b2-0123456789abcdef01234567"


def test_the_fates_arrive_after_the_run_and_are_kept_on_it(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    run_id = store.record(dataclasses.replace(make_record(function="Worker"), source="sqs"))
    assert store.get(run_id).trigger is None
    assert store.set_trigger(run_id, TriggeredBatch.from_log_entry(FIRED))
    kept = store.get(run_id).trigger
    assert kept.trigger == "Worker.Jobs" and kept.batch == ("m1", "m2") and kept.outcome == "partial"
    assert [(r.id, r.fate, r.visible_at) for r in kept.records] == [("m1", "deleted", None),
                                                                   ("m2", "visible again", 1700000030.5)]
    assert kept.lines()[0] == "Triggered by Worker.Jobs (sqs): 1 of 2 records failed (ReportBatchItemFailures)"
    assert not store.set_trigger("nope", kept)


def test_runs_of_one_trace_are_linked_both_ways(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    placed = store.record(dataclasses.replace(make_record(function="PlaceOrder"), source="serve",
                                              trace_id=f"Root={ROOT};Parent=53995c3f42cd8ad8;Sampled=0"))
    confirmed = store.record(dataclasses.replace(make_record(function="OrderConfirmation"), source="dynamodb",
                                                 trace_id=f"Root={ROOT};Parent=0123456789abcdef;Sampled=0;Lineage=a:1"))
    store.record(dataclasses.replace(make_record(function="Other"), source="window",
                                     trace_id="Root=1-6540a1b2-ffffffffffffffffffffffff;Sampled=0"))
    assert [r.function for r in store.linked(placed)] == ["OrderConfirmation"]
    assert [r.id for r in store.linked(confirmed)] == [placed]
    assert store.summary(confirmed).to_json()["traceRoot"] == ROOT


def test_a_history_of_the_previous_schema_is_migrated_with_its_runs(tmp_path):
    path = tmp_path / "h.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
    for migration in MIGRATIONS[:-1]:
        for statement in _statements(migration):
            connection.execute(statement)
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    connection.close()
    store = HistoryStore(path)
    run_id = store.record(make_record())
    assert store.get(run_id).trigger is None and store.linked(run_id) == []
    store.close()
    columns = {row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(run_details)")}
    assert {"trace_id", "trigger"} <= columns
