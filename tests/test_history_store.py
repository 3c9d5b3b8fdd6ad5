"""The run history: every run comes back whole, secrets never in clear, two processes at once, damage survived."""

import dataclasses
import secrets
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from run_records import CONFIG, make_record
from workbench.core.history.history_codec import LOG_CUT_MARKER, MAX_LOG_BYTES
from workbench.core.history.history_store import HISTORY_FOLDER, HistoryStore, RunNotFound, history_path
from workbench.core.history.history_schema import SCHEMA_VERSION
from workbench.core.function.invocation_result import Status
from workbench.core.privacy.secret_values import is_concealed, restore_environment

TESTS = Path(__file__).parent


@pytest.fixture
def store(tmp_path):
    instance = HistoryStore.for_workspace(tmp_path)
    yield instance
    instance.close()


def test_a_run_comes_back_whole(store):
    """Everything a run had is read back: config, event bytes, figures, payload, log, cold reason, files."""
    record = make_record(init_ms=104.25, cold_reason="code changed: app.py", log_lines=("a", "ünïcode ✓", ""),
                         event=b'{"total": 19.90, "big": 1e400}')
    run_id = store.record(record)
    back = store.get(run_id)
    expected_env = (("TABLE", "orders"), ("API_TOKEN", back.config.env_dict()["API_TOKEN"]))
    assert back == dataclasses.replace(record, config=dataclasses.replace(record.config, environment=expected_env))
    assert back.event == b'{"total": 19.90, "big": 1e400}'
    assert back.result.init_duration_ms == 104.25 and back.cold_reason == "code changed: app.py"
    assert back.environment_key == "py312-abc" and back.code_files[0].path == "app.py"


def test_secret_values_are_never_written_in_clear(store):
    """The secret-looking variable's value appears nowhere in the database files; equal values match."""
    first = store.record(make_record())
    second = store.record(make_record())
    changed = store.record(make_record(config=dataclasses.replace(
        CONFIG, environment=(("TABLE", "orders"), ("API_TOKEN", "another-token")))))
    store.close()
    on_disk = b"".join(p.read_bytes() for p in store.path.parent.glob("history.sqlite3*"))
    assert b"tok-9f8e7d6c5b4a" not in on_disk and b"another-token" not in on_disk
    assert b"orders" in on_disk
    reopened = HistoryStore(store.path)
    hidden = [reopened.get(i).config.env_dict()["API_TOKEN"] for i in (first, second, changed)]
    assert all(is_concealed(value) for value in hidden)
    assert hidden[0] == hidden[1] != hidden[2]
    # Running it again takes the secret from the function's current settings.
    restored = restore_environment(reopened.get(first).config.environment, {"API_TOKEN": "current"})
    assert dict(restored) == {"TABLE": "orders", "API_TOKEN": "current"}
    reopened.close()


def test_list_is_newest_first_filtered_and_paged(store):
    """Filters by function and status; limit/offset page through; count agrees."""
    ids = []
    for n in range(30):
        ids.append(store.record(make_record(
            function="A" if n % 3 else "B", started_at=1000.0 + n,
            error_type="ValueError" if n % 5 == 0 else None,
            status=Status.TIMEOUT if n == 7 else Status.SUCCESS)))
    everything = store.list(limit=100)
    assert [r.id for r in everything] == ids[::-1]
    assert store.count() == 30
    assert [r.id for r in store.list(limit=10, offset=10)] == ids[::-1][10:20]
    b_runs = store.list("B", limit=100)
    assert {r.function for r in b_runs} == {"B"} and len(b_runs) == store.count("B") == 10
    failed = store.list(outcome="error", limit=100)
    assert [r.id for r in failed] == [ids[n] for n in (25, 20, 15, 10, 5, 0)]
    assert [r.id for r in store.list(outcome="timeout")] == [ids[7]]
    assert store.count("A", "error") == 4
    assert store.functions() == ["A", "B"]
    with pytest.raises(ValueError, match="status 'broken'"):
        store.list(outcome="broken")


def test_ids_are_short_and_found_by_prefix(store):
    """Ids are 8 hex digits; a unique prefix finds the run, a bad one says why."""
    run_id = store.record(make_record())
    assert len(run_id) == 8 and int(run_id, 16) >= 0
    assert store.resolve(run_id[:3]) == run_id
    assert store.summary(run_id[:5]).id == run_id
    with pytest.raises(RunNotFound, match="not a run id"):
        store.get("zz-top")
    with pytest.raises(RunNotFound, match="no run"):
        store.get("0123456789")


def test_delete_and_previous(store):
    """Deleting removes the run and its details; previous finds the run before, or the last success."""
    good = store.record(make_record(started_at=1))
    other = store.record(make_record(function="Other", started_at=2))
    bad = store.record(make_record(started_at=3, error_type="KeyError"))
    last = store.record(make_record(started_at=4))
    assert store.previous(last) == bad
    assert store.previous(last, succeeded=True) == good
    assert store.previous(good) is None and store.previous(other) is None
    assert store.delete(bad) is True and store.delete(bad) is False
    assert store.previous(last) == good and store.count() == 3
    details = store._connection.execute("SELECT COUNT(*) FROM run_details").fetchone()[0]
    assert details == 3


def test_retention_keeps_the_newest_runs(tmp_path):
    """Over the run limit or the size limit, the oldest runs go first."""
    store = HistoryStore(tmp_path / "h.sqlite3", max_runs=5)
    ids = [store.record(make_record(started_at=n)) for n in range(8)]
    assert [r.id for r in store.list()] == ids[::-1][:5]
    store.close()
    sized = HistoryStore(tmp_path / "s.sqlite3", max_bytes=30_000)
    # Random text: the log is stored compressed, and the limit counts what is stored.
    big = [sized.record(make_record(log_lines=(secrets.token_hex(4500),), started_at=n)) for n in range(10)]
    kept = [r.id for r in sized.list()]
    assert 1 <= len(kept) < 10 and kept == big[::-1][:len(kept)]
    assert sized._connection.execute("SELECT bytes FROM totals").fetchone()[0] <= 30_000
    sized.close()


def test_a_huge_log_is_kept_cut_with_a_marker(store):
    """A log over 5 MB keeps its head (START) and tail (END, REPORT) with a marker saying what was left out."""
    lines = tuple(f"line {n} " + "y" * 90 for n in range(70_000))
    run_id = store.record(make_record(log_lines=lines))
    log = store.get(run_id).log
    assert log[0].startswith("START RequestId:") and log[-1].startswith("REPORT RequestId:")
    markers = [line for line in log if line.startswith("[Lambda Workbench:")]
    assert len(markers) == 1 and "log lines" in markers[0] and "left out here" in markers[0]
    assert LOG_CUT_MARKER.split("{")[0] in markers[0]
    assert sum(len(line) + 1 for line in log) <= MAX_LOG_BYTES + 1000


def test_a_damaged_database_is_moved_aside_and_a_new_one_made(tmp_path):
    """Garbage where the database should be: a notice, the file kept aside, and runs recorded again."""
    path = history_path(tmp_path)
    path.parent.mkdir()
    path.write_bytes(b"this is not sqlite at all" * 100)
    notices = []
    store = HistoryStore(path, on_notice=notices.append)
    run_id = store.record(make_record())
    assert store.get(run_id).result.status is Status.SUCCESS
    assert len(notices) == 1 and "moved it aside" in notices[0]
    aside = list(path.parent.glob("history.sqlite3.broken-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not sqlite")
    store.close()


def test_damage_found_while_open_keeps_the_run(tmp_path):
    """The file is overwritten under a live store: the next run still lands, in a new database."""
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.record(make_record())
    store.close()
    (tmp_path / "h.sqlite3").write_bytes(b"\0garbage" * 4096)
    reopened = HistoryStore(tmp_path / "h.sqlite3")
    run_id = reopened.record(make_record(preset="after-damage"))
    assert reopened.get(run_id).preset == "after-damage" and reopened.count() == 1
    assert any("moved it aside" in notice for notice in reopened.notices)
    reopened.close()


def test_a_busy_database_keeps_the_run_in_memory_until_it_is_free(tmp_path):
    """Another program holds the write lock: record still returns an id, get finds it, the next run writes both."""
    path = tmp_path / "h.sqlite3"
    HistoryStore(path).close()
    store = HistoryStore(path, busy_timeout_s=0.05)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    waiting = store.record(make_record(preset="while-locked"))
    assert store.get(waiting).preset == "while-locked"
    assert any("kept in memory" in notice for notice in store.notices)
    holder.execute("ROLLBACK")
    holder.close()
    store.record(make_record(preset="after"))
    assert [r.preset for r in store.list()] == ["after", "while-locked"]
    store.close()


def test_a_newer_schema_is_left_alone(tmp_path):
    """A file from a newer version is not migrated down or overwritten; runs go to a file of our version."""
    path = tmp_path / "h.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    store = HistoryStore(path)
    store.record(make_record())
    assert store.path.name == f"h.v{SCHEMA_VERSION}.sqlite3" and "newer Lambda Workbench" in store.notices[0]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 99
    store.close()


def test_history_lives_in_a_git_ignored_folder_of_the_workspace(tmp_path):
    """The database sits in .workbench/ with a .gitignore that keeps it out of commits."""
    store = HistoryStore.for_workspace(tmp_path)
    assert store.path == tmp_path.resolve() / HISTORY_FOLDER / "history.sqlite3"
    assert "*" in (tmp_path / HISTORY_FOLDER / ".gitignore").read_text().splitlines()
    store.close()


def test_a_read_only_workspace_keeps_history_in_the_data_folder(tmp_path, monkeypatch):
    """Where the workspace cannot be written, the user's data folder holds its history, keyed by path."""
    workspace = tmp_path / "ro"
    workspace.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr("os.access", lambda path, mode: not str(path).startswith(str(workspace)))
    path = history_path(workspace)
    assert path.parent == tmp_path / "data" / "lambda-workbench" / "history" and path.name.startswith("ro-")


_WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from run_records import make_record
    from workbench.core.history.history_store import HistoryStore
    store = HistoryStore({path!r})
    for n in range({count}):
        store.record(make_record(preset=sys.argv[1], log_lines=("x" * 2000,) * 5))
    assert store.flush() and not store.notices, store.notices
    store.close()
""")


def test_two_processes_and_this_one_write_at_once(tmp_path):
    """Two other processes and this one record runs at the same time: no error, no run lost."""
    path = tmp_path / "h.sqlite3"
    script = _WRITER.format(tests=str(TESTS), path=str(path), count=150)
    writers = [subprocess.Popen([sys.executable, "-c", script, name], stderr=subprocess.PIPE)
               for name in ("first", "second")]
    store = HistoryStore(path)
    for _ in range(150):
        store.record(make_record(preset="here"))
    for writer in writers:
        _, err = writer.communicate(timeout=50)
        assert writer.returncode == 0, err.decode()
    assert store.notices == []
    assert store.count() == 450
    by_preset = {p: len([r for r in store.list(limit=1000) if r.preset == p]) for p in ("first", "second", "here")}
    assert by_preset == {"first": 150, "second": 150, "here": 150}
    store.close()


def test_recording_does_not_change_the_code_fingerprint(tmp_path):
    """The history folder inside a code folder is not code: writing a run never makes the next one cold."""
    from workbench.core.function.code_fingerprint import code_fingerprint

    (tmp_path / "app.py").write_text("def handler(e, c):\n    return 1\n")
    before = code_fingerprint(str(tmp_path))
    store = HistoryStore.for_workspace(tmp_path)
    store.record(make_record())
    store.close()
    assert code_fingerprint(str(tmp_path)) == before


def test_version_changes_with_runs_from_another_connection(tmp_path):
    """version() moves when another store records or deletes, so a window can notice runs made elsewhere."""
    path = tmp_path / "h.sqlite3"
    window, terminal = HistoryStore(path), HistoryStore(path)
    before = window.version()
    run_id = terminal.record(make_record())
    after = window.version()
    assert after != before
    kept = terminal.record(make_record())
    terminal.delete(run_id)
    assert window.version() != after and window.version()[1] == 1
    assert window.summary(kept).id == kept
    window.close()
    terminal.close()


def test_a_closed_store_does_not_open_the_file_again(tmp_path):
    """After close, reading says the store is closed instead of quietly reconnecting."""
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.close()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        store.count()
