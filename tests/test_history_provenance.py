"""History keeps who called a run and which sweep it was part of: stored, read back, migrated from the schema
before, and a sweep listed as one row (or left out of the charts) when asked."""

import dataclasses
import sqlite3

from run_records import make_record
from workbench.core.history.history_schema import MIGRATIONS, SCHEMA_VERSION, _statements
from workbench.core.history.history_store import HistoryStore
from workbench.core.provenance.run_origin import caller_name, invoke_api_origin, route_origin, schedule_origin
from workbench.core.provenance.sweep_groups import SWEEPS_GROUPED, SWEEPS_NONE


def test_origin_words():
    """The words History shows for a call without a preset."""
    assert route_origin("post", "/orders") == "POST /orders"
    assert invoke_api_origin("Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux") == "Invoke API · Boto3/1.35.0"
    assert invoke_api_origin("aws-cli/2.17.0 Python/3.11", "Event") == "Invoke API (Event) · aws-cli/2.17.0"
    assert invoke_api_origin(None) == "Invoke API"
    assert len(caller_name("x" * 500)) == 48 and caller_name("a\x00b/1") == "ab/1"
    assert schedule_origin("Nightly") == "schedule Nightly"


def test_origin_and_sweep_come_back_with_the_run(tmp_path):
    store = HistoryStore.for_workspace(tmp_path)
    record = dataclasses.replace(make_record(preset=None), origin="POST /orders", sweep="ab12cd34ef56")
    run_id = store.record(record)
    assert store.get(run_id).origin == "POST /orders" and store.get(run_id).sweep == "ab12cd34ef56"
    assert store.summary(run_id).origin == "POST /orders"
    store.close()


def test_a_sweep_is_one_row_in_the_list_and_out_of_the_charts(tmp_path):
    """Two runs of the function's own and a sweep of 3 sizes x 2 calls: the list grouped shows 3 rows (the sweep
    once, as its latest call, with what its calls add up to); without sweeps, 2; all of them, 8."""
    store = HistoryStore.for_workspace(tmp_path)
    store.record(make_record(started_at=1.0))
    for number, size in enumerate((128, 128, 512, 512, 1024, 1024)):
        store.record(dataclasses.replace(make_record(memory_mb=size, started_at=2.0 + number, preset="big-order",
                                                     error_type="Boom" if number == 3 else None),
                                         sweep="sweep-1", source="tune"))
    store.record(make_record(started_at=10.0))
    assert store.count() == 8 and len(store.list()) == 8
    grouped = store.list(sweeps=SWEEPS_GROUPED)
    assert store.count(sweeps=SWEEPS_GROUPED) == 3 and len(grouped) == 3
    assert [run.sweep for run in grouped] == [None, "sweep-1", None]
    assert grouped[1].memory_size_mb == 1024  # the latest call stands for the sweep
    assert [run.sweep for run in store.list("OrderConfirmation", sweeps=SWEEPS_NONE)] == [None, None]
    assert store.count("OrderConfirmation", "error", sweeps=SWEEPS_GROUPED) == 1
    brief = store.sweep_briefs(["sweep-1"])["sweep-1"]
    assert (brief.calls, brief.failed, brief.sizes, brief.smallest_mb, brief.largest_mb) == (6, 1, 3, 128, 1024)
    assert brief.label == "(sweep) 6 calls" and brief.memory == "128–1024 MB" and brief.status == "1 of 6 failed"
    store.close()


def test_a_run_of_the_schema_before_reads_back_without_origin(tmp_path):
    """A history of the schema before (no origin, no sweep columns) with a run in it: it is migrated on
    opening, and the run reads back with neither."""
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    # Version 3: before origin and sweep (4) and before the trigger's trace (5).
    for script in MIGRATIONS[:3]:
        for statement in _statements(script):
            connection.execute(statement)
    connection.execute("PRAGMA user_version = 3")
    connection.execute("INSERT INTO settings VALUES ('secret_key', ?)", (b"k" * 32,))
    connection.close()
    # The run goes in with the columns of version 3: today's codec without origin, sweep and trace_root, and
    # without the details' trace_id and trigger.
    from workbench.core.history import history_codec

    record = make_record()
    summary = history_codec.summary_values(record)[:-3]
    details = history_codec.detail_values(record, b"k" * 32)[:-2]
    columns = history_codec.SUMMARY_COLUMNS[:-3]
    detail_columns = history_codec.DETAIL_COLUMNS[:-2]
    connection = sqlite3.connect(path, isolation_level=None)
    cursor = connection.execute(f"INSERT INTO runs (id, {', '.join(columns)}, stored_bytes) "
                                f"VALUES ({', '.join('?' * (len(columns) + 2))})", ("0123abcd", *summary, 1))
    connection.execute(f"INSERT INTO run_details (seq, {', '.join(detail_columns)}) "
                       f"VALUES ({', '.join('?' * (len(detail_columns) + 1))})",
                       (cursor.lastrowid, *details))
    connection.close()
    store = HistoryStore(path)
    assert {row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(runs)")} >= {"origin", "sweep"}
    back = store.get("0123abcd")
    assert back.origin is None and back.sweep is None and back.result.request_id == record.result.request_id
    assert len(store.list(sweeps=SWEEPS_GROUPED)) == 1
    store.close()
