"""What a triggered run was given and what became of it: the trigger that fired, the batch's records, and each
record's fate (deleted, visible again at a time, retried, bisected, sent to the dead-letter queue or the
OnFailure destination, discarded). The services host decides the fates once the call has answered and tells
the process that ran the call, which keeps them on the run in history (`history show RUN --json`, the Summary).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

# The host's trigger log entry fields kept on the run (its sequence number and kind are the log's own).
_ENTRY_FIELDS = ("trigger", "source", "detail", "outcome", "action", "attempt", "batch", "records")


@dataclass(frozen=True)
class RecordFate:
    """One record of the batch: its id (SQS messageId, stream SequenceNumber, the trigger for one async event)
    and what the trigger did with it."""

    id: str
    fate: str
    visible_at: float | None = None
    """SQS: when the message is visible again (Unix seconds), for a message the call did not finish."""
    why: str = ""

    def words(self) -> str:
        when = f" at {time.strftime('%H:%M:%S', time.localtime(self.visible_at))}" if self.visible_at else ""
        because = f" ({self.why})" if self.why else ""
        return f"{self.fate}{when}{because}"


@dataclass(frozen=True)
class TriggeredBatch:
    trigger: str
    """"Function.EventName" as the template names it."""
    source: str
    detail: str = ""
    """How the host judged the call ("2 of 3 records failed (ReportBatchItemFailures)", ...)."""
    outcome: str = ""
    action: str = ""
    """Streams: what the shard does next (checkpoint, retry, bisect, ...)."""
    attempt: int = 0
    """Asynchronous sources: which attempt this run was (1, 2, 3)."""
    batch: tuple[str, ...] = ()
    records: tuple[RecordFate, ...] = ()

    @classmethod
    def from_log_entry(cls, entry: dict) -> "TriggeredBatch":
        """From a "fired" entry of the host's trigger log (GET /_workbench/triggers), or from to_json()."""
        records = []
        for item in entry.get("records") or ():
            if isinstance(item, dict):
                visible = item.get("visibleAt")
                records.append(RecordFate(str(item.get("id", "")), str(item.get("fate", "")),
                                          float(visible) if isinstance(visible, (int, float)) else None,
                                          str(item.get("why", "") or "")))
        attempt = entry.get("attempt")
        return cls(str(entry.get("trigger", "")), str(entry.get("source", "")), str(entry.get("detail", "") or ""),
                   str(entry.get("outcome", "") or ""), str(entry.get("action", "") or ""),
                   attempt if isinstance(attempt, int) else 0,
                   tuple(str(i) for i in entry.get("batch") or ()), tuple(records))

    def to_json(self) -> dict:
        return {"trigger": self.trigger, "source": self.source, "detail": self.detail, "outcome": self.outcome,
                "action": self.action, "attempt": self.attempt, "batch": list(self.batch),
                "records": [{"id": r.id, "fate": r.fate, **({"visibleAt": r.visible_at} if r.visible_at else {}),
                             **({"why": r.why} if r.why else {})} for r in self.records]}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), separators=(",", ":"))

    @classmethod
    def loads(cls, text: str | None) -> "TriggeredBatch | None":
        if not text:
            return None
        try:
            document = json.loads(text)
        except ValueError:
            return None
        return cls.from_log_entry(document) if isinstance(document, dict) else None

    def lines(self) -> list[str]:
        """The batch in words, for the Summary and `history show`."""
        head = f"Triggered by {self.trigger} ({self.source})"
        if self.attempt:
            head += f", attempt {self.attempt}"
        lines = [head + (f": {self.detail}" if self.detail else "")]
        if self.action:
            lines.append(f"Next: {self.action}")
        for record in self.records:
            lines.append(f"  {record.id}: {record.words()}")
        return lines


def log_entry_fields(entry: dict) -> dict:
    """The part of a trigger log entry the run keeps."""
    return {name: entry[name] for name in _ENTRY_FIELDS if name in entry}
