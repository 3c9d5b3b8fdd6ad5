"""Which call wrote a table's item, so the stream record it produced carries that call's trace: the run the
stream triggers shares the X-Ray root of the run whose PutItem caused it (the way the History links the two),
with the chain's Lineage carried on. The gateway hands over every successful DynamoDB write; the stream poller
asks by the record's Keys."""

from __future__ import annotations

import json
import threading
from collections import deque

_WRITES = {"PutItem": "Item", "UpdateItem": "Key", "DeleteItem": "Key"}
KEPT_PER_TABLE = 1000


class WriteCauses:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_table: dict[str, deque] = {}

    def after_call(self, call, status: int, headers: dict, body: bytes) -> None:
        if call is None or status >= 300 or (call.api or call.service) != "dynamodb":
            return
        trace = _header(headers, "X-Amzn-Trace-Id")
        if not trace:
            return
        try:
            document = json.loads(body or b"{}")
        except ValueError:
            return
        writes = []
        if call.operation in _WRITES:
            writes.append((document.get("TableName", ""), document.get(_WRITES[call.operation]) or {}))
        elif call.operation == "BatchWriteItem":
            for table, requests in (document.get("RequestItems") or {}).items():
                for request in requests:
                    put, delete = request.get("PutRequest"), request.get("DeleteRequest")
                    writes.append((table, (put or {}).get("Item") or (delete or {}).get("Key") or {}))
        elif call.operation == "TransactWriteItems":
            for item in document.get("TransactItems") or ():
                for kind, field in (("Put", "Item"), ("Update", "Key"), ("Delete", "Key")):
                    if kind in item:
                        writes.append((item[kind].get("TableName", ""), item[kind].get(field) or {}))
        with self._lock:
            for table, attributes in writes:
                name = table.rsplit("/", 1)[-1]  # a table ARN names the table last
                self._by_table.setdefault(name, deque(maxlen=KEPT_PER_TABLE)).append((attributes, trace))

    def cause(self, table: str, keys: dict) -> str | None:
        """The trace header of the latest write of the item with these Keys (DynamoDB JSON), if one was seen."""
        with self._lock:
            for attributes, trace in reversed(self._by_table.get(table, ())):
                if keys and all(attributes.get(name) == value for name, value in keys.items()):
                    return trace
        return None


def _header(headers: dict, name: str) -> str | None:
    lowered = name.lower()
    return next((value for key, value in headers.items() if key.lower() == lowered), None)
