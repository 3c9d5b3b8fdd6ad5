"""The history is its owner's alone: the .workbench folder 0700, every file in it 0600 whatever the umask
(older, world-readable ones tightened when opened), so another user (uid 65534) can read nothing of it."""

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from run_records import make_record
from workbench.core.history.history_store import HISTORY_FOLDER, HistoryStore

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="switching to another user (uid 65534) needs root")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_history_is_owner_only_with_its_wal_and_shm(tmp_path, open_umask):
    folder = tmp_path / HISTORY_FOLDER
    store = HistoryStore(folder / "history.sqlite3")
    try:
        store.record(make_record())
        files = sorted(p.name for p in folder.iterdir())
        assert {"history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm", ".gitignore"} <= set(files)
        assert mode(folder) == 0o700
        assert {name: mode(folder / name) for name in files} == {name: 0o600 for name in files}
    finally:
        store.close()


def test_an_older_world_readable_history_is_tightened_when_opened(tmp_path, open_umask):
    folder = tmp_path / HISTORY_FOLDER
    HistoryStore(folder / "history.sqlite3").close()
    os.chmod(folder, 0o755)
    for path in folder.iterdir():
        os.chmod(path, 0o644)
    (folder / "history.sqlite3.broken-20260101-000000").write_bytes(b"old runs")
    os.chmod(folder / "history.sqlite3.broken-20260101-000000", 0o644)
    HistoryStore(folder / "history.sqlite3").close()
    assert mode(folder) == 0o700
    assert all(mode(path) == 0o600 for path in folder.iterdir()), [(p.name, oct(mode(p))) for p in folder.iterdir()]


def test_a_damaged_history_moved_aside_starts_a_new_owner_only_one(tmp_path, open_umask):
    folder = tmp_path / HISTORY_FOLDER
    folder.mkdir()
    (folder / "history.sqlite3").write_bytes(b"this is not a database, it is long enough to be read" * 100)
    store = HistoryStore(folder / "history.sqlite3")
    try:
        store.record(make_record())
        assert store.notices and "moved it aside" in store.notices[0]
        assert all(mode(path) == 0o600 for path in folder.iterdir())
    finally:
        store.close()


READER = """
import os, sys
os.setgroups([]); os.setgid(65534); os.setuid(65534)
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as f:
            print("read", len(f.read()), path)
    except OSError as error:
        print("refused", type(error).__name__, path)
"""


@needs_root
def test_another_user_reads_nothing(open_umask):
    # A workspace everyone may enter, as a home folder often is (pytest's own tmp_path is not: 0700).
    workspace = Path(tempfile.mkdtemp(prefix="workbench-privacy-", dir="/tmp"))
    try:
        os.chmod(workspace, 0o755)
        folder = workspace / HISTORY_FOLDER
        store = HistoryStore(folder / "history.sqlite3")
        try:
            store.record(make_record())
            paths = [str(p) for p in folder.iterdir()] + [str(folder / "history.sqlite3")]
            done = subprocess.run([sys.executable, "-c", READER, *paths], capture_output=True, text=True,
                                  timeout=30)
        finally:
            store.close()
    finally:
        shutil.rmtree(workspace)
    lines = done.stdout.splitlines()
    assert len(lines) == len(paths) and all(line.startswith("refused PermissionError") for line in lines), done
