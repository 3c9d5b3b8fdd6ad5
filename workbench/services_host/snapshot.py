"""Saving and restoring the state of moto's backends across host restarts. moto keeps everything in Python
objects (no persistence of its own), so the host pickles the backends of the services it serves, all in one
pickle so objects shared between services (SES v2 keeps a reference to SES v1's backend) stay shared.

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

# The services whose state is kept; anything else moto serves works, but starts empty after a restart.
KEPT_SERVICES = ("s3", "dynamodb", "dynamodbstreams", "sqs", "sns", "ses", "sesv2", "events", "secretsmanager",
                 "ssm", "scheduler", "kinesis", "logs", "stepfunctions", "cognitoidp")
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


def _backends() -> dict:
    from moto.backends import get_backend

    found = {}
    for name in KEPT_SERVICES:
        try:
            found[name] = get_backend(name)
        except Exception:  # noqa: BLE001 - a service this moto does not have (or whose extra is missing)
            continue
    return found


def dump_state(extra: dict) -> bytes:
    """The backends and the host's own state (`extra`: the Outbox, ...) as bytes. A service whose objects
    cannot be pickled is left out (logged) rather than losing every other service's state. Retried when a
    request changed a backend while it was being walked."""
    backends = _backends()
    for _attempt in range(5):
        try:
            return _dumps({"backends": backends, "extra": extra})
        except RuntimeError:  # dictionary changed size during iteration: a request is writing
            continue
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            bad = [name for name in backends if not _picklable(backends[name])]
            logging.getLogger(__name__).warning("not keeping %s across restarts: %s", ", ".join(bad), error)
            backends = {name: value for name, value in backends.items() if name not in bad}
    return _dumps({"backends": backends, "extra": extra})


def _dumps(value) -> bytes:
    buffer = io.BytesIO()
    _BackendPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _picklable(value) -> bool:
    try:
        _dumps(value)
        return True
    except Exception:  # noqa: BLE001
        return False


def save_state(path: Path, extra: dict) -> None:
    """Write atomically: a crash mid-write keeps the previous snapshot."""
    data = dump_state(extra)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def load_state(path: Path) -> dict | None:
    """Put the saved backends in place of moto's; the host's own state, or None when there is no usable
    snapshot (absent, damaged, or from a moto whose classes changed: then the host starts from the seed)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        state = pickle.loads(data)
    except Exception as error:  # noqa: BLE001 - any damage means: start from the seed
        logging.getLogger(__name__).warning("the saved state %s cannot be read (%s); starting from the seed",
                                            path, error)
        return None
    from moto.backends import get_backend

    for name, saved in state.get("backends", {}).items():
        live = get_backend(name)
        live.clear()
        live.update(saved)
    return state.get("extra") or {}


def reset_backends() -> None:
    """Every service back to empty (moto's own reset, as /moto-api/reset does)."""
    from moto.moto_api import _internal

    _internal.moto_api_backend.reset()
