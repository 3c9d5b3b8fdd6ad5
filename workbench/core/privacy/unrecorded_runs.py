"""Runs the history could not take yet (its file locked by another program for longer than the wait, a
full disk), kept as files beside it so they are recorded later instead of lost.

Each run is one owner-only JSON file in `<history file>.unrecorded/`, holding the rows the history would
have written (secrets already concealed and masked, as there). Whoever opens the history next and can
write to it moves them in and removes the files.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .private_files import FILE_MODE, private_folder
from ..history.history_codec import DETAIL_COLUMNS, DETAIL_DEFAULTS, SUMMARY_COLUMNS

SUFFIX = ".unrecorded"


def unrecorded_folder(history_file: Path) -> Path:
    return history_file.with_name(history_file.name + SUFFIX)


@dataclass(frozen=True)
class KeptRun:
    path: Path
    run_id: str
    summary: tuple
    """The runs table's values after the id (history_codec.SUMMARY_COLUMNS)."""
    details: tuple
    """The run_details table's values (history_codec.DETAIL_COLUMNS)."""


def _encode(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(value):
    if isinstance(value, dict) and set(value) == {"b64"}:
        return base64.b64decode(value["b64"])
    return value


def keep_run(folder: Path, run_id: str, summary: tuple, details: tuple) -> Path:
    """Write one run's rows to the folder (created owner-only); raises OSError when it cannot (a full disk)."""
    private_folder(folder)
    path = folder / f"{run_id}.json"
    temporary = folder / f".{run_id}.{os.getpid()}.tmp"
    document = {"id": run_id, "summary": [_encode(v) for v in summary], "details": [_encode(v) for v in details]}
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as f:
            json.dump(document, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    return path


def kept_runs(folder: Path) -> tuple[list[KeptRun], list[str]]:
    """The runs waiting in the folder, oldest first, and a line for each file that cannot be read."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return [], []
    runs, problems = [], []
    for name in names:
        if not name.endswith(".json") or name.startswith("."):
            continue
        path = folder / name
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            runs.append(KeptRun(path, str(document["id"]),
                                _padded_summary(tuple(_decode(v) for v in document["summary"])),
                                _padded(tuple(_decode(v) for v in document["details"]))))
        except (OSError, ValueError, KeyError, TypeError) as error:
            problems.append(f"{path}: not a kept run ({error})")
    runs.sort(key=lambda run: (run.summary[0] if run.summary else 0, run.run_id))
    return runs, problems


def keep_unrecorded(folder: Path, rows: list[tuple[str, tuple, tuple]], reason: str) -> str:
    """Keep each (run id, summary, details) in the folder; the line that tells the user which runs were not
    recorded, why, and where they wait (or that they could not be kept either, and are lost)."""
    kept, lost, failure = [], [], None
    for run_id, summary, details in rows:
        try:
            keep_run(folder, run_id, summary, details)
            kept.append(run_id)
        except OSError as error:
            lost.append(run_id)
            failure = error
    parts = []
    if kept:
        parts.append(f"{reason}: run(s) {', '.join(kept)} not recorded yet; kept in {folder} and recorded by the "
                     "next command or window that can write the history")
    if lost:
        parts.append(f"{reason}: run(s) {', '.join(lost)} not recorded and could not be kept in {folder} either "
                     f"({failure.strerror or failure}): they are lost")
    return "; ".join(parts)


def _padded_summary(summary: tuple) -> tuple:
    """A run kept by an earlier version has fewer summary columns: the later ones (origin, sweep, trace_root)
    are NULL."""
    return summary + (None,) * (len(SUMMARY_COLUMNS) - len(summary))


def _padded(details: tuple) -> tuple:
    """A run kept by an earlier version has fewer detail columns: the later ones (history_schema's added
    columns) take their defaults for it."""
    return details + tuple(DETAIL_DEFAULTS.get(name) for name in DETAIL_COLUMNS[len(details):])
