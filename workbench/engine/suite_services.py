"""A test run's hold on the workspace's local AWS (Qt-free): each case starts from the seed state unless its
expectation opts out, and after the run the host is asked for what the expectation's side effects name
(emails sent since the case started, objects, items, the messages of a queue).

Only in local mode: in account mode the suite gets no SuiteServices, so nothing is reset on AWS."""

from __future__ import annotations

import os
import time
from pathlib import Path

from ..core.expectations.expectation import Expectation
from ..core.expectations.side_effects import ObservedEffects, item_key
from ..core.services.host_record import SNAPSHOT_FILE, services_folder
from .services_host import find_host
from .services_client import ServicesClient
from .services_host import control
from urllib.parse import quote


class SuiteServices:
    def __init__(self, workspace: Path | str) -> None:
        self.workspace = Path(workspace)

    def before_case(self, expectation: Expectation | None) -> float:
        """Back to the seed unless the case opts out; the time the case starts (emails after it are its own)."""
        if expectation is None or expectation.from_seed:
            self.reset_to_seed()
        return time.time()

    def reset_to_seed(self) -> None:
        record = find_host(self.workspace)
        if record is not None:
            ServicesClient(record).reset()
            return
        # No host runs: the next one starts from the seed when there is no saved state to restore.
        try:
            os.unlink(services_folder(self.workspace) / SNAPSHOT_FILE)
        except FileNotFoundError:
            pass

    def observe(self, expectation: Expectation | None, since: float) -> ObservedEffects | None:
        """What the host holds that the expectation's side effects name; None when it names none."""
        effects = expectation.side_effects if expectation is not None else None
        if effects is None:
            return None
        record = find_host(self.workspace)
        if record is None:  # nothing was called: no email sent, nothing written
            return ObservedEffects(problems=tuple(
                f"{r.kind}: the local services never started (the function made no AWS call)"
                for r in effects.requirements if r.kind != "emails"))

        client = ServicesClient(record)
        names = {r["logicalId"]: r["name"] for r in client.resources()["resources"]}
        emails = tuple(mail for mail in client.outbox() if mail.get("time", 0) >= since - 0.001)
        emails = tuple(sorted(emails, key=lambda mail: mail.get("time", 0)))
        objects, items, messages, problems = [], [], [], []
        for requirement in effects.requirements:
            if requirement.kind == "objects":
                bucket, key = str(requirement.get("bucket")), str(requirement.get("key"))
                objects.append(((bucket, key), _object(client, names.get(bucket, bucket), key)))
            elif requirement.kind == "items":
                table, key = str(requirement.get("table")), requirement.get("key")
                items.append(((table, item_key(key)), _item(client, names.get(table, table), key, problems)))
            elif requirement.kind == "messages":
                queue = str(requirement.get("queue"))
                messages.append((queue, _messages(client, names.get(queue, queue))))
        return ObservedEffects(emails, tuple(objects), tuple(items), tuple(messages), tuple(problems))


def _object(client, bucket: str, key: str) -> bytes | None:
    try:
        return client.get_object(bucket, key)[0]
    except Exception:  # noqa: BLE001 - NoSuchKey, NoSuchBucket: not there
        return None


def _item(client, table: str, key: dict, problems: list[str]) -> dict | None:
    try:
        found = client.items(table, limit=100_000)
    except Exception as error:  # noqa: BLE001 - ResourceNotFoundException
        problems.append(f"items: no table {table!r} ({getattr(error, 'response', {}).get('Error', {}).get('Code', error)})")
        return None
    return next((item for item in found if all(item.get(name) == value for name, value in key.items())), None)


def _messages(client, queue: str) -> tuple[str, ...] | None:
    """The bodies of every message in the queue, read from the host without receiving them (a receive would
    hide them and count as a delivery)."""
    try:
        return tuple(control(client.record, "GET", "messages", query=f"queue={_quote(queue)}"))
    except KeyError:
        return None


def _quote(text: str) -> str:
    return quote(text, safe="")
