"""The window's view of the services host's triggers: polls `GET /_workbench/triggers` off the Qt thread and
hands each answer over as a signal; pause and fire-by-hand go the same way. Speaks HTTP so widgets don't."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from .services_host import control, find_host

POLL_EVERY_MS = 500


class TriggersWatch(QObject):
    snapshot = Signal(dict)
    """The host's answer: {"invoker", "triggers": [...], "entries": [...new ones...], "problems": [...]}."""
    unavailable = Signal(str)
    """No host runs for the workspace (or it did not answer): why, in words."""
    notice = Signal(str)
    """What a request by hand did (fired to which triggers, why not), for the status bar."""

    def __init__(self, workspace: Path | str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = Path(workspace)
        self._since = 0
        self._busy = threading.Lock()
        self._timer = QTimer(self, interval=POLL_EVERY_MS)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()
        self.poll()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def poll(self) -> None:
        if not self._busy.acquire(blocking=False):
            return  # the previous answer is still on its way
        threading.Thread(target=self._fetch, name="triggers watch", daemon=True).start()

    def _fetch(self) -> None:
        try:
            record = find_host(self.workspace)
            if record is None:
                self.unavailable.emit("The workspace's local services are not running.")
                return
            answer = control(record, "GET", "triggers", query=f"since={self._since}", timeout=5.0)
            if answer.get("entries"):
                self._since = answer["entries"][-1]["seq"]
            self.snapshot.emit(answer)
        except (OSError, ValueError, KeyError) as error:
            self.unavailable.emit(f"The services host did not answer ({error}).")
        finally:
            self._busy.release()

    @Slot(str, bool)
    def set_paused(self, trigger: str, paused: bool) -> None:
        threading.Thread(target=self._post, args=("triggers/pause", {"trigger": trigger, "paused": paused}),
                         daemon=True).start()

    @Slot(str, str)
    def fire_object(self, bucket: str, key: str) -> None:
        """Send an object already in a bucket through the bucket's S3 triggers, as a put would."""
        threading.Thread(target=self._post, args=("triggers/fire-object", {"bucket": bucket, "key": key}),
                         daemon=True).start()

    def _post(self, action: str, body: dict) -> None:
        record = find_host(self.workspace)
        if record is None:
            self.notice.emit("The workspace's local services are not running.")
            return
        try:
            answer = control(record, "POST", action, body)
        except (OSError, ValueError, KeyError) as error:
            self.unavailable.emit(f"The services host refused {action} ({error}).")
            self.notice.emit(f"Not sent: {error}")
        else:
            if action == "triggers/fire-object":
                self.notice.emit(fired_words(body["bucket"], body["key"], answer))
        self.poll()


def fired_words(bucket: str, key: str, answer: dict) -> str:
    fired = answer.get("fired") or []
    refused = "; ".join(f"{n['trigger']}: {n['why']}" for n in answer.get("notFired") or [])
    if fired:
        return f"`{key}` sent as an S3 event to {', '.join(fired)}" + (f" (not {refused})" if refused else "")
    if refused:
        return f"`{key}` fired no trigger: {refused}"
    return f"Bucket {bucket} has no S3 trigger"
