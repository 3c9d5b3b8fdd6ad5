"""The history database's tables and the migrations between schema versions (PRAGMA user_version).

Each migration takes the database from version N-1 to N inside one transaction; a database is never
migrated down (a newer app's file is left alone, see history_store).
"""

from __future__ import annotations

import sqlite3

_V1 = """
CREATE TABLE runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    started_at REAL NOT NULL,
    function TEXT NOT NULL,
    source TEXT NOT NULL,
    preset TEXT,
    outcome TEXT NOT NULL,
    error_type TEXT,
    duration_ms REAL NOT NULL,
    billed_ms INTEGER NOT NULL,
    init_ms REAL,
    memory_mb INTEGER NOT NULL,
    max_memory_mb INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    cold INTEGER NOT NULL,
    cold_reason TEXT,
    stored_bytes INTEGER NOT NULL
);
CREATE INDEX runs_by_function ON runs (function, seq);
CREATE INDEX runs_by_outcome ON runs (outcome, seq);
CREATE INDEX runs_by_function_outcome ON runs (function, outcome, seq);
CREATE TABLE run_details (
    seq INTEGER PRIMARY KEY,
    request_id TEXT NOT NULL,
    status TEXT NOT NULL,
    platform_error_type TEXT,
    architecture TEXT NOT NULL,
    config TEXT NOT NULL,
    event BLOB NOT NULL,
    payload BLOB NOT NULL,
    log BLOB NOT NULL,
    log_truncated INTEGER NOT NULL,
    code_fingerprint TEXT NOT NULL,
    code_files TEXT NOT NULL,
    environment_key TEXT
);
-- Counted by triggers, so the retention rule never has to scan 100,000 rows after each run.
CREATE TABLE totals (only INTEGER PRIMARY KEY CHECK (only = 0), runs INTEGER NOT NULL, bytes INTEGER NOT NULL);
INSERT INTO totals VALUES (0, 0, 0);
CREATE TRIGGER run_added AFTER INSERT ON runs BEGIN
    UPDATE totals SET runs = runs + 1, bytes = bytes + NEW.stored_bytes;
END;
CREATE TRIGGER run_removed AFTER DELETE ON runs BEGIN
    UPDATE totals SET runs = runs - 1, bytes = bytes - OLD.stored_bytes;
    DELETE FROM run_details WHERE seq = OLD.seq;
END;
CREATE TABLE settings (name TEXT PRIMARY KEY, value BLOB NOT NULL);
"""

# The AWS calls a run made to the workspace's local services (JSON list of core.services AwsCall documents).
_V2 = """
ALTER TABLE run_details ADD COLUMN aws_calls TEXT NOT NULL DEFAULT '[]';
"""

# A streamed response: its Content-Type, its pieces' arrival ([[ms, bytes], ...]) and how it ended (JSON, NULL
# for a call that did not stream); the bytes of a stream that failed part-way, which the payload (the error)
# does not hold.
_V3 = """
ALTER TABLE run_details ADD COLUMN stream TEXT;
ALTER TABLE run_details ADD COLUMN stream_body BLOB;
"""

# Where a call without a preset came from, in words (`POST /orders`, `Invoke API · Boto3/1.35.0`, `schedule
# Nightly`), and the sweep a run belonged to (one id for every call of one memory sweep), so History shows a
# sweep as one row and its charts leave sweeps out unless asked.
_V4 = """
ALTER TABLE runs ADD COLUMN origin TEXT;
ALTER TABLE runs ADD COLUMN sweep TEXT;
CREATE INDEX runs_by_sweep ON runs (sweep, seq);
"""

# The call's X-Amzn-Trace-Id (a triggered run shares its Root with the run whose write caused it), and for a
# triggered run its batch and each record's fate (JSON of core.triggers.triggered_batch.TriggeredBatch), which
# the services host sends once it has judged the call's answer.
_V5 = """
ALTER TABLE run_details ADD COLUMN trace_id TEXT;
ALTER TABLE run_details ADD COLUMN trigger TEXT;
ALTER TABLE runs ADD COLUMN trace_root TEXT;
CREATE INDEX runs_by_trace ON runs (trace_root);
"""

# MIGRATIONS[n] takes version n to n + 1.
MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA user_version").fetchone()[0]


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the database up to SCHEMA_VERSION; the caller has checked it is not newer."""
    version = schema_version(connection)
    if version == SCHEMA_VERSION:
        return
    if version == 0:
        # Must be set before the first table exists; lets retention give space back a little at a time.
        connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have migrated while this one waited for the write lock.
        version = schema_version(connection)
        for step in range(version, SCHEMA_VERSION):
            for statement in _statements(MIGRATIONS[step]):
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows where triggers end)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements
