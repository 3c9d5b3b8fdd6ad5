"""The file that says a workspace's services host is running, so every command and window on the workspace
joins it instead of starting a second one: .workbench/services/host.json, written by the host once it
listens, removed when it stops. A record whose process is gone is stale (a crash): the next start replaces it."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ..workspace.atomic_write import write_text_atomic

SERVICES_FOLDER = Path(".workbench") / "services"
HOST_FILE = "host.json"
SNAPSHOT_FILE = "state.pickle"


@dataclass(frozen=True)
class HostRecord:
    pid: int
    port: int
    uid: int
    started_at: float
    region: str
    workspace: str

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def services_folder(workspace: Path | str) -> Path:
    return Path(workspace).absolute() / SERVICES_FOLDER


def host_record_path(workspace: Path | str) -> Path:
    return services_folder(workspace) / HOST_FILE


def write_host_record(workspace: Path | str, record: HostRecord) -> None:
    path = host_record_path(workspace)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(asdict(record), indent=2) + "\n")


def read_host_record(workspace: Path | str) -> HostRecord | None:
    """The record, or None when there is none or it is not ours to read (malformed, another user's)."""
    try:
        document = json.loads(host_record_path(workspace).read_text(encoding="utf-8"))
        return HostRecord(**{key: document[key] for key in HostRecord.__dataclass_fields__})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def process_alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped by the process that started it, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def remove_host_record(workspace: Path | str, pid: int) -> None:
    """Remove the record if it is still this process's (a newer host may have replaced it)."""
    record = read_host_record(workspace)
    if record is not None and record.pid == pid:
        try:
            host_record_path(workspace).unlink()
        except OSError:
            pass
