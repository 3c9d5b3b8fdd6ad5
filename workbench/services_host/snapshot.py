"""Saving and restoring the state of moto's backends across host restarts. moto keeps everything in Python
objects (no persistence of its own), so the host pickles the backends of the services it serves, one pickle
per group of services that share objects (SES v2 keeps a reference to SES v1's backend).

A group is restored on the first request for one of its services, not when the host starts: unpickling a
service imports its moto models, and some are slow to import (SSM's pull in EC2's, about a second), so a host
with saved state is ready as soon as it listens. A group not restored yet is saved again as it was read.

Locks and one nested-defaultdict factory in moto's models are not picklable: they are rebuilt on load
(a fresh lock is what a restarted process would have anyway)."""

from __future__ import annotations

import _thread
import io
import logging
import os
import pickle
import threading
from collections import defaultdict
from pathlib import Path
import sys

# The services whose state is kept, in groups saved and restored together; anything else moto serves works,
# but starts empty after a restart.
GROUPS = {"s3": ("s3",), "dynamodb": ("dynamodb", "dynamodbstreams"), "sqs": ("sqs",), "sns": ("sns",),
          "ses": ("ses", "sesv2"), "events": ("events",), "secretsmanager": ("secretsmanager",), "ssm": ("ssm",),
          "scheduler": ("scheduler",), "kinesis": ("kinesis",), "logs": ("logs",),
          "stepfunctions": ("stepfunctions",), "cognitoidp": ("cognitoidp",)}
KEPT_SERVICES = tuple(service for services in GROUPS.values() for service in services)
GROUP_OF = {service: group for group, services in GROUPS.items() for service in services}
FORMAT = 2
_RLOCK_TYPE = type(threading.RLock())


def _dict_of_dicts() -> defaultdict:
    return defaultdict(dict)


def _plain_defaultdict(items: dict) -> defaultdict:
    return defaultdict(_dict_of_dicts, items)


def _subclass_defaultdict(cls: type, factory, state: dict | None, items: dict) -> defaultdict:
    # A defaultdict subclass whose __init__ takes other arguments (moto's ssm ParameterDict) cannot be
    # rebuilt through its __reduce__; build it without calling __init__.
    rebuilt = defaultdict.__new__(cls)
    rebuilt.default_factory = factory
    if state:
        rebuilt.__dict__.update(state)
    dict.update(rebuilt, items)
    return rebuilt


def _is_lambda(function) -> bool:
    return getattr(function, "__name__", "") == "<lambda>"


class _BackendPickler(pickle.Pickler):
    def reducer_override(self, obj):
        kind = type(obj)
        if kind is _RLOCK_TYPE:
            return threading.RLock, ()
        if kind is threading.Condition:
            # A queue's condition pickled while a receive long-polls holds that waiter's lock: restored, the
            # stale waiter would be "notified" and the next long poll waits its whole time out.
            return threading.Condition, ()
        if kind is _thread.LockType:
            return threading.Lock, ()
        if isinstance(obj, defaultdict):
            factory = obj.default_factory
            if _is_lambda(factory):
                if not isinstance(factory(), defaultdict):
                    raise pickle.PicklingError(f"a defaultdict with an unknown factory {factory!r}")
                factory = _dict_of_dicts
                if kind is defaultdict:
                    return _plain_defaultdict, (dict(obj),)
            if kind is not defaultdict:
                return _subclass_defaultdict, (kind, factory, getattr(obj, "__dict__", None), dict(obj))
        return NotImplemented


def _loaded_backends(services: tuple[str, ...]) -> dict | None:
    """The group's live backends, None when none of its moto models was ever imported (nothing to keep)."""
    if not any(f"moto.{service}.models" in sys.modules for service in services):
        return None
    # Here: moto is first loaded by the host's bind(), not when this module is imported
    from moto.backends import get_backend

    found = {}
    for name in services:
        try:
            found[name] = get_backend(name)
        except Exception:  # noqa: BLE001 - a service this moto does not have (or whose extra is missing)
            continue
    return found


def _dump_group(group: str, backends: dict) -> bytes | None:
    """The group's backends as bytes; None (logged) when they cannot be pickled. Retried when a request changed
    a backend while it was being walked."""
    for _attempt in range(5):
        try:
            return _dumps(backends)
        except RuntimeError:  # dictionary changed size during iteration: a request is writing
            continue
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            logging.getLogger(__name__).warning("not keeping %s across restarts: %s", group, error)
            return None
    return _dumps(backends)


def _dumps(value) -> bytes:
    buffer = io.BytesIO()
    _BackendPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


class SavedState:
    """The host's saved state: the groups not restored yet (as read), restored on their first request."""

    def __init__(self) -> None:
        self.pending: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load(self, path: Path) -> dict | None:
        """Read the snapshot: the host's own state (`extra`), or None when there is no usable one (absent,
        damaged, another format: then the host starts from the seed). The backends wait for their first need."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            state = pickle.loads(data)  # a dict of bytes: no moto class is imported here
            if state.get("format") != FORMAT:
                raise ValueError(f"format {state.get('format')!r}, not {FORMAT}")
        except Exception as error:  # noqa: BLE001 - any damage means: start from the seed
            logging.getLogger(__name__).warning("the saved state %s cannot be read (%s); starting from the seed",
                                                path, error)
            return None
        with self._lock:
            self.pending = dict(state.get("groups", {}))
        return state.get("extra") or {}

    def restore(self, service: str) -> None:
        """Put a service's saved backends in place of moto's, once, before its first request."""
        group = GROUP_OF.get(service)
        if group is None or group not in self.pending:
            return
        with self._lock:
            data = self.pending.get(group)
            if data is None:
                return
            try:
                saved = pickle.loads(data)
            except Exception as error:  # noqa: BLE001 - a moto whose classes changed: this group starts empty
                logging.getLogger(__name__).warning("the saved %s state cannot be read (%s); it starts empty",
                                                    group, error)
                saved = {}
            # Here: moto is first loaded by the host's bind(), not when this module is imported
            from moto.backends import get_backend

            for name, backends in saved.items():
                live = get_backend(name)
                live.clear()
                live.update(backends)
            del self.pending[group]

    def restore_all(self) -> None:
        for group in list(self.pending):
            self.restore(GROUPS[group][0])

    def forget(self) -> None:
        """A reset: what was saved is not wanted any more."""
        with self._lock:
            self.pending.clear()

    def save(self, path: Path, extra: dict) -> None:
        """Write atomically (a crash mid-write keeps the previous snapshot): the groups restored or used since,
        as they are now, and the others as they were read."""
        with self._lock:
            groups = dict(self.pending)
        for group, services in GROUPS.items():
            if group in groups:
                continue
            backends = _loaded_backends(services)
            if backends:
                data = _dump_group(group, backends)
                if data is not None:
                    groups[group] = data
        data = pickle.dumps({"format": FORMAT, "groups": groups, "extra": extra}, protocol=pickle.HIGHEST_PROTOCOL)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(temporary, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)


def reset_backends() -> None:
    """Every service back to empty (moto's own reset, as /moto-api/reset does)."""
    # Here: moto is first loaded by the host's bind(), not when this module is imported
    from moto.moto_api import _internal

    _internal.moto_api_backend.reset()
