"""JSON as Lambda's Python runtime writes results and reads events (awslambdaric's simplejson settings).

Part of the runtime client (bootstrap.py loads it beside itself, under a private name): it runs inside the
function's process, standard library only, Python 3.9 and later.
"""

import json
import math
import os
import sys

# Runtimes from python3.12 on keep non-ASCII characters in JSON payloads; older ones escape them.
UNESCAPED_RUNTIMES = {"AWS_Lambda_python3.12", "AWS_Lambda_python3.13", "AWS_Lambda_python3.14",
                      "AWS_Lambda_python3.15"}


# --- JSON, as Lambda's marshaller writes it ------------------------------------------------------
# awslambdaric encodes with simplejson, whose defaults differ from the json module's: a Decimal is
# written with its own digits (19.90 stays 19.90, 3 stays 3), anything with an _asdict() method
# (namedtuples) becomes an object, and bytes inside a result are decoded as UTF-8 text.

_FLOAT_REPR = float.__repr__
_INT_REPR = int.__repr__


def _float_text(value):
    if value != value:
        return "NaN"
    if value == math.inf:
        return "Infinity"
    if value == -math.inf:
        return "-Infinity"
    return _FLOAT_REPR(value)


def _is_decimal(obj):
    # Only a function that imported decimal can return a Decimal: the runtime need not import it first.
    decimal = sys.modules.get("decimal")
    return decimal is not None and isinstance(obj, decimal.Decimal)


def _as_dict(obj):
    method = getattr(obj, "_asdict", None)
    if callable(method):
        try:
            return method()
        except TypeError:
            pass
    return None


class _Marshaller:
    """simplejson's encoding with awslambdaric's settings: ", " and ": " separators, NaN allowed."""

    def __init__(self, ensure_ascii):
        self._string = json.encoder.encode_basestring_ascii if ensure_ascii else json.encoder.encode_basestring
        self._markers = set()

    def encode(self, obj):
        parts = []
        self._write(obj, parts)
        return "".join(parts)

    def _write(self, obj, parts):
        if isinstance(obj, str):
            parts.append(self._string(obj))
        elif obj is None:
            parts.append("null")
        elif obj is True:
            parts.append("true")
        elif obj is False:
            parts.append("false")
        elif isinstance(obj, int):
            parts.append(_INT_REPR(obj))
        elif isinstance(obj, float):
            parts.append(_float_text(obj))
        elif isinstance(obj, bytes):
            parts.append(self._string(obj.decode("utf-8")))
        else:
            self._write_other(obj, parts)

    def _write_other(self, obj, parts):
        marker = id(obj)
        if marker in self._markers:
            raise ValueError("Circular reference detected")
        self._markers.add(marker)
        as_dict = _as_dict(obj)
        if as_dict is not None:
            if not isinstance(as_dict, dict):
                raise TypeError("_asdict() must return a dict, not %s" % type(as_dict).__name__)
            self._write_dict(as_dict, parts)
        elif isinstance(obj, (list, tuple)):
            self._write_list(obj, parts)
        elif isinstance(obj, dict):
            self._write_dict(obj, parts)
        elif _is_decimal(obj):
            parts.append("NaN" if obj.is_nan() else str(obj))
        else:
            raise TypeError("Object of type %s is not JSON serializable" % type(obj).__name__)
        self._markers.discard(marker)

    def _write_list(self, items, parts):
        if not items:
            parts.append("[]")
            return
        separator = "["
        for item in items:
            parts.append(separator)
            separator = ", "
            self._write(item, parts)
        parts.append("]")

    def _write_dict(self, mapping, parts):
        if not mapping:
            parts.append("{}")
            return
        separator = "{"
        for key, value in mapping.items():
            if isinstance(key, str):
                pass
            elif isinstance(key, bytes):
                key = key.decode("utf-8")
            elif isinstance(key, float):
                key = _float_text(key)
            elif key is True:
                key = "true"
            elif key is False:
                key = "false"
            elif key is None:
                key = "null"
            elif isinstance(key, int):
                key = _INT_REPR(key)
            else:
                raise TypeError("keys must be str, int, float, bool or None, not %s" % type(key).__name__)
            parts.append(separator)
            separator = ", "
            parts.append(self._string(key))
            parts.append(": ")
            self._write(value, parts)
        parts.append("}")


def to_json(obj):
    ensure_ascii = os.environ.get("AWS_EXECUTION_ENV") not in UNESCAPED_RUNTIMES
    return _Marshaller(ensure_ascii).encode(obj)


# --- Events, as Lambda's unmarshaller reads them -------------------------------------------------
# awslambdaric parses events with simplejson: UTF-8 with an optional BOM, no NaN or Infinity. The json
# module gives the same values. Only a malformed event needs simplejson itself, for its wording: Lambda's
# runtime ships it, and so does any interpreter with awslambdaric installed; elsewhere json's words serve.

def _refuse_constant(name):
    raise ValueError("Expecting value: %s is not JSON" % name)


def _simplejson_reason(body):
    try:
        import simplejson
    except ImportError:
        return None
    try:
        simplejson.loads(body)
    except ValueError as error:
        return str(error)
    return None


def parse_event(body):
    """The event's value, or ValueError with the reason Lambda's runtime would give."""
    try:
        text = body.decode("utf-8")
        return json.loads(text[1:] if text[:1] == "\ufeff" else text, parse_constant=_refuse_constant)
    except ValueError as error:
        raise ValueError(_simplejson_reason(body) or str(error)) from None
