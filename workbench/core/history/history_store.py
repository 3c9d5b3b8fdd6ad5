"""The workspace's run history: one SQLite database per workspace, written by the window and the command line.

Where it lives: `<workspace>/.workbench/history.sqlite3` (the folder carries a `.gitignore` of `*`), so the
window and a `lambda-workbench` command in another terminal or in CI find the same runs from the folder
alone; a workspace that cannot be written falls back to the user's data folder, keyed by the workspace path.

Rules: WAL with a busy timeout and retries, so two processes write at once; the newest MAX_RUNS runs and
at most MAX_BYTES are kept (oldest dropped first); a damaged database is moved aside with a notice and a
new one started; a run that cannot be written yet (the file locked by someone else) is kept in memory
and written with the next one, so no run of this process is lost.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import secrets
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from ..provenance.sweep_groups import SWEEP_MODES, SWEEPS_ALL, SWEEPS_GROUPED, SWEEPS_NONE, SweepBrief
from ..privacy.private_files import private_file, private_folder, tighten_folder_files
from ..privacy.unrecorded_runs import keep_unrecorded, kept_runs, unrecorded_folder
from ..triggers.triggered_batch import TriggeredBatch
from .history_codec import (DETAIL_COLUMNS, OUTCOMES, SUMMARY_COLUMNS, RunSummary, detail_values,
                            record_from_rows, stored_size, summary_from_row, summary_values)
from .history_schema import SCHEMA_VERSION, migrate, schema_version
from .run_record import RunRecord

HISTORY_FOLDER = ".workbench"
HISTORY_FILE = "history.sqlite3"
MAX_RUNS = 100_000
MAX_BYTES = 500 * 1024 * 1024
BUSY_TIMEOUT_S = 5.0
_RETRIES = 3
_ID_ALPHABET = "0123456789abcdef"
_ID_LENGTH = 8
# Runs looked through for a request id (run_details.request_id has no index: the newest are what is asked for).
RECENT_REQUESTS = 20_000
_SUMMARY_SELECT = f"SELECT id, {', '.join(SUMMARY_COLUMNS)} FROM runs"


class RunNotFound(LookupError):
    """No run has that id (or id prefix), or more than one does."""


def history_path(workspace_folder: str | Path) -> Path:
    """Where a workspace's history lives (see the module docstring for why)."""
    folder = Path(workspace_folder).resolve()
    local = folder / HISTORY_FOLDER
    if local.is_dir() and os.access(local, os.W_OK) or not local.exists() and os.access(folder, os.W_OK):
        return local / HISTORY_FILE
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    key = hashlib.sha256(str(folder).encode("utf-8")).hexdigest()[:16]
    return data_home / "lambda-workbench" / "history" / f"{folder.name}-{key}.sqlite3"


class HistoryStore:
    """Runs of one workspace. Not thread-safe: one store per thread (the window and the CLI each have one)."""

    def __init__(self, path: str | Path, *, max_runs: int = MAX_RUNS, max_bytes: int = MAX_BYTES,
                 busy_timeout_s: float = BUSY_TIMEOUT_S, on_notice: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        self.max_runs = max_runs
        self.max_bytes = max_bytes
        self.busy_timeout_s = busy_timeout_s
        self.notices: list[str] = []
        """What went wrong with the database file and what was done about it, oldest first."""
        self._on_notice = on_notice
        self._pending: list[tuple[str, RunRecord]] = []
        self._connection: sqlite3.Connection | None = None
        self._closed = False
        self._secret_key = b""
        self._last_failure = ""
        self._open()

    @classmethod
    def for_workspace(cls, workspace_folder: str | Path, **options) -> HistoryStore:
        return cls(history_path(workspace_folder), **options)

    # --- Writing ----------------------------------------------------------------------------------

    def record(self, record: RunRecord, run_id: str | None = None) -> str:
        """Store one run (under run_id, from new_run_id(), when given); returns its id at once, even when
        the file is busy (it is then written later)."""
        run_id = run_id or new_run_id()
        self._pending.append((run_id, record))
        self.flush()
        return run_id

    def record_many(self, items: list[tuple[str, RunRecord]]) -> None:
        """Store several runs (id, record) in one transaction: much cheaper per run than one by one."""
        self._pending.extend(items)
        self.flush()

    def flush(self) -> bool:
        """Write the runs kept in memory, in one transaction; True when none is left waiting."""
        if not self._pending:
            return True
        waiting = list(self._pending)
        try:
            self._with_retries(lambda: self._insert(waiting))
        except sqlite3.OperationalError as error:
            self._last_failure = failure_reason(error)
            self._notice(f"{self._last_failure}; {len(self._pending)} run(s) kept in memory and written with the "
                         "next run.")
            return False
        del self._pending[:len(waiting)]
        return True

    def set_trigger(self, run_id: str, trigger: TriggeredBatch) -> bool:
        """Keep a triggered run's batch and its records' fates (known once the services host has judged the
        call's answer, after the run was recorded). False when the run is not in the history."""
        for index, (pending_id, record) in enumerate(self._pending):
            if pending_id == run_id:
                self._pending[index] = (run_id, dataclasses.replace(record, trigger=trigger))
                return True

        def update() -> int:
            with self._connection:
                return self._connection.execute(
                    "UPDATE run_details SET trigger = ? WHERE seq = (SELECT seq FROM runs WHERE id = ?)",
                    (trigger.dumps(), run_id)).rowcount
        return bool(self._with_retries(update))

    def keep_pending(self) -> list[str]:
        """Runs still waiting, written beside the history (privacy/unrecorded_runs.py) for whoever opens it
        next to record; says which and why. Returns their ids."""
        if not self._pending or str(self.path) == ":memory:":
            return []
        items, self._pending = self._pending, []
        # The history's key when it was read; else a key of the moment: the stand-ins still hide the values.
        key = self._secret_key or secrets.token_bytes(32)
        text = keep_unrecorded(unrecorded_folder(self.path), self._rows(items, key),
                               self._last_failure or "the history could not be written")
        self._notice(text)
        return [run_id for run_id, _record in items]

    def delete(self, run_id: str) -> bool:
        """Remove one run (an id or an unambiguous prefix); False when there was none."""
        self._pending = [(rid, rec) for rid, rec in self._pending if rid != run_id]
        try:
            full_id = self.resolve(run_id)
        except RunNotFound:
            return False

        def remove() -> None:
            with self._connection:
                self._connection.execute("DELETE FROM runs WHERE id = ?", (full_id,))
        self._with_retries(remove)
        return True

    def close(self) -> None:
        if not self.flush():
            self.keep_pending()
        self._closed = True
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # --- Reading ----------------------------------------------------------------------------------

    def list(self, function: str | None = None, outcome: str | None = None, *, limit: int = 100,
             offset: int = 0, sweeps: str = SWEEPS_ALL) -> list[RunSummary]:
        """Runs newest first, optionally of one function and/or one outcome (success, error, timeout); a
        memory sweep's calls all, one row per sweep, or none (core/provenance/sweep_groups.py)."""
        where, params = _filters(function, outcome, sweeps)
        rows = self._read(lambda c: c.execute(f"{_SUMMARY_SELECT}{where} ORDER BY seq DESC LIMIT ? OFFSET ?",
                                              (*params, limit, offset)).fetchall())
        return [summary_from_row(row) for row in rows]

    def run_of_request(self, request_id: str) -> str | None:
        """The id of the run that had this request id (a triggered batch named by the host), newest first among
        the last RECENT_REQUESTS runs; None when there is none."""
        row = self._read(lambda c: c.execute(
            "SELECT runs.id FROM run_details JOIN runs ON runs.seq = run_details.seq WHERE run_details.request_id = ? "
            "AND run_details.seq > (SELECT COALESCE(MAX(seq), 0) FROM runs) - ? ORDER BY run_details.seq DESC LIMIT 1",
            (request_id, RECENT_REQUESTS)).fetchone())
        return row[0] if row else None

    def linked(self, run_id: str) -> list[RunSummary]:
        """The other runs of the run's trace (the run whose write triggered it, the runs it triggered), oldest
        first."""
        root = self.summary(run_id).trace_root
        if not root:
            return []
        rows = self._read(lambda c: c.execute(f"{_SUMMARY_SELECT} WHERE trace_root = ? AND id != ? ORDER BY seq",
                                              (root, self.resolve(run_id))).fetchall())
        return [summary_from_row(row) for row in rows]

    def count(self, function: str | None = None, outcome: str | None = None, *, sweeps: str = SWEEPS_ALL) -> int:
        if function is None and outcome is None and sweeps == SWEEPS_ALL:
            return self._read(lambda c: c.execute("SELECT runs FROM totals").fetchone()[0])
        where, params = _filters(function, outcome, sweeps)
        return self._read(lambda c: c.execute(f"SELECT COUNT(*) FROM runs{where}", params).fetchone()[0])

    def sweep_briefs(self, sweeps: list[str]) -> dict[str, SweepBrief]:
        """What each sweep's calls add up to (calls, failures, sizes, cost), by sweep id."""
        wanted = sorted(set(sweeps))
        if not wanted:
            return {}
        rows = self._read(lambda c: c.execute(
            "SELECT sweep, COUNT(*), SUM(outcome != 'success'), MIN(memory_mb), MAX(memory_mb), "
            f"COUNT(DISTINCT memory_mb), SUM(cost_usd) FROM runs WHERE sweep IN ({', '.join('?' * len(wanted))}) "
            "GROUP BY sweep", wanted).fetchall())
        return {row[0]: SweepBrief(*row) for row in rows}

    def version(self) -> tuple[int, int]:
        """Changes whenever a run is recorded or deleted, by this process or another (newest seq, count)."""
        return self._read(lambda c: c.execute(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM runs), runs FROM totals").fetchone())

    def functions(self) -> list[str]:
        """Names of the functions that have runs, for the function filter."""
        return [row[0] for row in self._read(
            lambda c: c.execute("SELECT DISTINCT function FROM runs ORDER BY function").fetchall())]

    def summary(self, run_id: str) -> RunSummary:
        full_id = self.resolve(run_id)
        return summary_from_row(self._read(lambda c: c.execute(f"{_SUMMARY_SELECT} WHERE id = ?",
                                                               (full_id,)).fetchone()))

    def get(self, run_id: str) -> RunRecord:
        """The whole run (an id or an unambiguous prefix); RunNotFound when there is none."""
        for rid, record in self._pending:
            if rid == run_id:
                return record
        full_id = self.resolve(run_id)

        def read(connection: sqlite3.Connection):
            summary = connection.execute(f"SELECT id, {', '.join(SUMMARY_COLUMNS)}, seq FROM runs WHERE id = ?",
                                         (full_id,)).fetchone()
            details = connection.execute(f"SELECT {', '.join(DETAIL_COLUMNS)} FROM run_details WHERE seq = ?",
                                         (summary[-1],)).fetchone()
            return summary[:-1], details
        summary, details = self._read(read)
        return record_from_rows(summary, details)

    def resolve(self, run_id: str) -> str:
        """The full id of the one run whose id starts with run_id (as git takes a short commit id)."""
        wanted = run_id.strip().lower()
        if not wanted or any(ch not in _ID_ALPHABET for ch in wanted):
            raise RunNotFound(f"{run_id!r} is not a run id (run ids are {_ID_LENGTH} hex digits)")
        rows = self._read(lambda c: c.execute("SELECT id FROM runs WHERE id >= ? AND id < ? LIMIT 2",
                                              (wanted, wanted + "g")).fetchall())
        if not rows:
            raise RunNotFound(f"no run {run_id} in {self.path}")
        if len(rows) > 1:
            raise RunNotFound(f"run id {run_id} is ambiguous: give more digits")
        return rows[0][0]

    def previous(self, run_id: str, *, succeeded: bool = False) -> str | None:
        """The run of the same function just before this one (or the last success before it), if any."""
        full_id = self.resolve(run_id)
        success = " AND outcome = 'success'" if succeeded else ""
        row = self._read(lambda c: c.execute(
            "SELECT id FROM runs WHERE function = (SELECT function FROM runs WHERE id = ?) "
            f"AND seq < (SELECT seq FROM runs WHERE id = ?){success} ORDER BY seq DESC LIMIT 1",
            (full_id, full_id)).fetchone())
        return row[0] if row else None

    # --- Opening, recovery ------------------------------------------------------------------------

    def _open(self) -> None:
        self._open_file()
        if str(self.path) != ":memory:":
            self._record_kept_runs()

    def _record_kept_runs(self) -> None:
        """Record the runs an earlier process could not (kept beside the history), then drop their files."""
        folder = unrecorded_folder(self.path)
        runs, problems = kept_runs(folder)
        for problem in problems:
            self._notice(problem)
        if not runs:
            return
        try:
            self._with_retries(lambda: self._insert_rows([(r.run_id, r.summary, r.details) for r in runs],
                                                         skip_present=True))
        except sqlite3.Error as error:
            self._notice(f"{len(runs)} run(s) kept in {folder} are still not recorded ({error}); a later start "
                         "will try again.")
            return
        for run in runs:
            try:
                run.path.unlink()
            except OSError:
                pass
        self._notice(f"{len(runs)} run(s) that could not be recorded before are in the history now "
                     f"({', '.join(run.run_id for run in runs)}).")

    def _open_file(self) -> None:
        try:
            self._prepare_folder()
            try:
                self._with_retries(self._connect, recover=False)
            except sqlite3.DatabaseError as error:
                # Damaged, or locked for longer than the retries wait: set it aside, start a new file.
                self._move_aside(error)
                self._connect()
        except (sqlite3.Error, OSError) as error:
            self._notice(f"History cannot be kept in {self.path} ({error}); this window's runs are kept "
                         "in memory only.")
            self.path = Path(":memory:")
            self._connection = None
            self._connect()

    def _prepare_folder(self) -> None:
        # Owner-only: the folder 0700, every file in it 0600 (core/privacy/private_files.py).
        folder = self.path.parent
        if folder.name == HISTORY_FOLDER:
            private_folder(folder)
        else:
            folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if folder.name == HISTORY_FOLDER and not ignore.exists():
            ignore.write_text("# Lambda Workbench's run history: private to this machine.\n*\n", encoding="utf-8")
        if folder.name == HISTORY_FOLDER:
            tighten_folder_files(folder)

    def _connect(self) -> None:
        if self._connection is not None:
            self._connection.close()
        if str(self.path) != ":memory:":
            private_file(self.path)  # SQLite gives its -wal and -shm files this file's mode
        connection = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None)
        self._connection = connection
        connection.execute("PRAGMA journal_mode = WAL")
        # Safe with WAL (a power cut may lose the last run, never the file) and much faster per run.
        connection.execute("PRAGMA synchronous = NORMAL")
        version = schema_version(connection)
        if version > SCHEMA_VERSION:
            # A newer Lambda Workbench wrote this file; leave it whole for that version.
            connection.close()
            newer = self.path
            self.path = self.path.with_name(f"{self.path.stem}.v{SCHEMA_VERSION}{self.path.suffix}")
            self._notice(f"{newer} was written by a newer Lambda Workbench (history schema {version}); "
                         f"this version keeps its runs in {self.path.name}.")
            self._connection = None
            return self._connect()
        migrate(connection)
        self._secret_key = self._load_secret_key(connection)

    def _load_secret_key(self, connection: sqlite3.Connection) -> bytes:
        row = connection.execute("SELECT value FROM settings WHERE name = 'secret_key'").fetchone()
        if row:
            return bytes(row[0])
        connection.execute("INSERT OR IGNORE INTO settings VALUES ('secret_key', ?)", (secrets.token_bytes(32),))
        return bytes(connection.execute("SELECT value FROM settings WHERE name = 'secret_key'").fetchone()[0])

    def _move_aside(self, error: sqlite3.DatabaseError) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                os.replace(source, f"{aside}{suffix}")
        self._notice(f"History database {self.path} could not be used ({error}); moved it aside to "
                     f"{aside.name} and started a new one.")

    def _notice(self, text: str) -> None:
        self.notices.append(text)
        if self._on_notice is not None:
            self._on_notice(text)

    # --- Statements -------------------------------------------------------------------------------

    def _rows(self, items: list[tuple[str, RunRecord]], key: bytes) -> list[tuple[str, tuple, tuple]]:
        return [(run_id, summary_values(record), detail_values(record, key)) for run_id, record in items]

    def _insert(self, items: list[tuple[str, RunRecord]]) -> None:
        self._insert_rows(self._rows(items, self._secret_key))

    def _insert_rows(self, rows: list[tuple[str, tuple, tuple]], skip_present: bool = False) -> None:
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            for run_id, summary, details in rows:
                if skip_present and connection.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone():
                    continue
                cursor = connection.execute(
                    f"INSERT INTO runs (id, {', '.join(SUMMARY_COLUMNS)}, stored_bytes) "
                    f"VALUES ({', '.join('?' * (len(SUMMARY_COLUMNS) + 2))})",
                    (run_id, *summary, stored_size(details)))
                connection.execute(f"INSERT INTO run_details (seq, {', '.join(DETAIL_COLUMNS)}) "
                                   f"VALUES ({', '.join('?' * (len(DETAIL_COLUMNS) + 1))})",
                                   (cursor.lastrowid, *details))
            pruned = self._apply_retention(connection)
            connection.execute("COMMIT")
        except BaseException:
            # SQLite has rolled back already after some errors (SQLITE_FULL): a second ROLLBACK would raise
            # and hide the real error.
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        if pruned:
            connection.execute("PRAGMA incremental_vacuum")

    def _apply_retention(self, connection: sqlite3.Connection) -> int:
        """Drop the oldest runs beyond MAX_RUNS or MAX_BYTES; how many went."""
        runs, size = connection.execute("SELECT runs, bytes FROM totals").fetchone()
        dropped = 0
        while runs > 1 and (runs > self.max_runs or size > self.max_bytes):
            # Over the count: exactly the excess; over the size: a few at a time until it fits.
            batch = runs - self.max_runs if runs > self.max_runs else max(1, min(100, runs // 100))
            connection.execute("DELETE FROM runs WHERE seq IN (SELECT seq FROM runs ORDER BY seq LIMIT ?)",
                               (batch,))
            dropped += batch
            runs, size = connection.execute("SELECT runs, bytes FROM totals").fetchone()
        return dropped

    def _read(self, query):
        return self._with_retries(lambda: query(self._connection))

    def _with_retries(self, action, *, recover: bool = True):
        """Run a statement; busy: wait and try again; damaged: move the file aside and start anew."""
        for attempt in range(_RETRIES):
            try:
                if self._connection is None:
                    if self._closed:
                        raise sqlite3.ProgrammingError(f"the history {self.path} is closed")
                    self._connect()
                return action()
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise
                if attempt == _RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
            except sqlite3.DatabaseError as error:
                if not recover or not _is_damage(error):
                    raise
                self._move_aside(error)
                self._connect()
        raise AssertionError("unreachable")


def _filters(function: str | None, outcome: str | None, sweeps: str = SWEEPS_ALL,
             table: str = "runs") -> tuple[str, tuple]:
    clauses, params = [], []
    if function is not None:
        clauses.append(f"{table}.function = ?")
        params.append(function)
    if outcome is not None:
        if outcome not in OUTCOMES:
            raise ValueError(f"status {outcome!r}: expected one of {', '.join(OUTCOMES)}")
        clauses.append(f"{table}.outcome = ?")
        params.append(outcome)
    if sweeps == SWEEPS_NONE:
        clauses.append(f"{table}.sweep IS NULL")
    elif sweeps == SWEEPS_GROUPED:
        # A sweep's latest call among those the other filters keep stands for the sweep.
        inner, inner_params = _filters(function, outcome, SWEEPS_ALL, "r2")
        join = " AND " if inner else " WHERE "
        clauses.append(f"({table}.sweep IS NULL OR {table}.seq = (SELECT MAX(r2.seq) FROM runs AS r2{inner}"
                       f"{join}r2.sweep = {table}.sweep))")
        params.extend(inner_params)
    elif sweeps != SWEEPS_ALL:
        raise ValueError(f"sweeps {sweeps!r}: expected one of {', '.join(SWEEP_MODES)}")
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def new_run_id() -> str:
    return secrets.token_hex(_ID_LENGTH // 2)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    name = getattr(error, "sqlite_errorname", "")
    return name in ("SQLITE_BUSY", "SQLITE_LOCKED") or "locked" in str(error) or "busy" in str(error)


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    name = getattr(error, "sqlite_errorname", "")
    return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in str(error) or \
        "not a database" in str(error)


def failure_reason(error: sqlite3.Error) -> str:
    """Why the history could not take a run, in the user's words: busy is not full."""
    if _is_busy(error):
        return f"History is busy: another program holds its lock ({error})"
    return f"History cannot be written ({error})"


def keep_unrecorded_records(history_file: Path, items: list[tuple[str, RunRecord]], reason: str) -> str:
    """Keep runs beside a history this process cannot reach in time (its writer is stuck on the lock), for a
    later start to record; secrets concealed under a key of the moment. The line saying so."""
    key = secrets.token_bytes(32)
    rows = [(run_id, summary_values(record), detail_values(record, key)) for run_id, record in items]
    return keep_unrecorded(unrecorded_folder(Path(history_file)), rows, reason)
