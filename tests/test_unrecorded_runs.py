"""No run is lost in silence: a history locked by another program past the wait, or full, keeps the runs
beside it (owner-only files), says which runs and why, and the next start records them."""

import os
import stat
import subprocess
import sys

import pytest

from run_records import make_record
from workbench.core.history.history_store import HISTORY_FOLDER, HistoryStore
from workbench.core.privacy.unrecorded_runs import unrecorded_folder

LOCKER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def history(tmp_path):
    path = tmp_path / HISTORY_FOLDER / "history.sqlite3"
    HistoryStore(path).close()
    return path


@pytest.fixture
def locked(history):
    """Another process holding the history's write lock until the test lets go (locked.release())."""
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(history)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert locker.stdout.readline() == "locked\n"

    def release():
        if locker.poll() is None:
            locker.stdin.close()
            locker.wait(10)
    locker.release = release
    yield locker
    release()


def test_a_locked_history_keeps_the_runs_and_the_next_start_records_them(history, locked):
    notices = []
    store = HistoryStore(history, busy_timeout_s=0.1, on_notice=notices.append)
    run_id = store.record(make_record())
    store.close()
    assert any("History is busy: another program holds its lock" in text for text in notices), notices
    kept = [text for text in notices if run_id in text]
    assert kept and f"kept in {unrecorded_folder(history)}" in kept[-1] and "recorded by the next" in kept[-1]
    files = list(unrecorded_folder(history).iterdir())
    assert [f.name for f in files] == [f"{run_id}.json"]
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(unrecorded_folder(history)).st_mode) == 0o700

    locked.release()
    notices.clear()
    store = HistoryStore(history, on_notice=notices.append)
    try:
        assert [summary.id for summary in store.list()] == [run_id]
        assert any(f"in the history now ({run_id})" in text for text in notices), notices
        assert list(unrecorded_folder(history).iterdir()) == []
    finally:
        store.close()


def test_a_full_history_says_full_not_busy_and_keeps_the_run(history):
    notices = []
    store = HistoryStore(history, on_notice=notices.append)
    pages = store._connection.execute("PRAGMA page_count").fetchone()[0]
    store._connection.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL, as on a full disk
    record = make_record(log_lines=tuple(os.urandom(40).hex() for _ in range(2000)))
    run_id = store.record(record)
    store.close()
    assert any("History cannot be written (database or disk is full)" in text for text in notices), notices
    assert not any("busy" in text for text in notices)
    assert any(run_id in text and "kept in" in text for text in notices), notices
    reopened = HistoryStore(history)
    try:
        assert reopened.get(run_id).log == record.log
    finally:
        reopened.close()


def test_a_writer_stuck_on_the_lock_keeps_its_runs_when_closed(tmp_path, qapp, locked, history):
    """What `invoke` and the window do on leaving: the writer waits a while, then keeps what it could not write."""
    from workbench.engine.history_writer import history_writer_for

    writer = history_writer_for(tmp_path)
    notices = []
    writer.notice.connect(notices.append)
    run_id = writer.record(make_record())
    writer.close(timeout_s=0.5)
    assert any(run_id in text and "not recorded yet" in text and str(unrecorded_folder(history)) in text
               for text in notices), notices
    locked.release()
    writer._thread.join(60)  # its own store gives up on the lock and keeps the run too: one file, same id
    store = HistoryStore(history)
    try:
        assert [summary.id for summary in store.list()] == [run_id]
    finally:
        store.close()
    assert list(unrecorded_folder(history).iterdir()) == []
