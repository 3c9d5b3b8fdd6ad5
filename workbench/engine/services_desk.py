"""ServicesDesk, the AWS dock's way to the workspace's services host: each question is a ServicesClient call
run on a worker thread of the desk's own (boto3 and the host's control API block for as long as the host
takes), one at a time and in order, answered on the Qt thread through the ServicesReply it returned. Widgets
never speak HTTP and the window never waits."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..core.services.host_record import HostRecord
from .services_client import ServicesClient

NOT_RUNNING = "The local AWS services are not running for this workspace."
# What a widget may ask: ServicesClient's public calls, nothing else (no attribute by name from outside).
OPERATIONS = frozenset({
    "outbox", "calls", "resources", "reset", "buckets", "objects", "get_object", "put_object", "delete_object",
    "tables", "key_names", "items", "put_item", "delete_item", "queues", "send_message", "topics", "publish",
    "event_buses", "put_event", "secrets", "secret_value", "parameters"})
WRITES = frozenset({"reset", "put_object", "delete_object", "put_item", "delete_item", "send_message", "publish",
                    "put_event"})


class ServicesReply(QObject):
    """One question's answer. Signals (exactly one of them, once, on the Qt thread): done(result), or
    failed(message) in words a status bar can show."""

    done = Signal(object)
    """The answer (the client method's result)."""
    failed = Signal(str)
    """Why not (str), in words a status bar can show."""

    def __init__(self, operation: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.operation = operation


class ServicesDesk(QObject):
    """Signals: host_changed(available) when the host it talks to comes or goes; wrote(operation) after a
    call that changed the local services succeeded (views that show what it touched look again)."""

    host_changed = Signal(bool)
    """The host it talks to came (True) or went (False)."""
    wrote = Signal(str)
    """An operation that changed the local services succeeded (its name, str)."""
    _delivered = Signal(object, bool, object)
    """From the worker thread: (ServicesReply, succeeded, result or message)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client: ServicesClient | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="services-desk")
        self._waiting: set[ServicesReply] = set()
        self._closed = False
        self._delivered.connect(self._deliver)

    @property
    def record(self) -> HostRecord | None:
        return self._client.record if self._client is not None else None

    @property
    def available(self) -> bool:
        return self._client is not None

    def set_host(self, record: HostRecord | None) -> None:
        """The host to ask from now on (None: there is none; questions fail with NOT_RUNNING)."""
        if record == self.record:
            return
        self._client = ServicesClient(record) if record is not None else None
        self.host_changed.emit(record is not None)

    def ask(self, operation: str, *args, **kwargs) -> ServicesReply:
        """Run ServicesClient.<operation>(*args, **kwargs) off the Qt thread; its reply (keep it, connect it)."""
        if operation not in OPERATIONS:
            raise ValueError(f"not a services call: {operation}")
        reply = ServicesReply(operation, self)
        self._waiting.add(reply)
        client = self._client
        if client is None or self._closed:
            QTimer.singleShot(0, lambda: self._deliver(reply, False, NOT_RUNNING))
            return reply

        def work() -> None:
            try:
                outcome, succeeded = getattr(client, operation)(*args, **kwargs), True
            except Exception as error:  # noqa: BLE001 - every failure is an answer, never raised into Qt
                outcome, succeeded = failure_words(error, client.record.endpoint), False
            if not self._closed:
                self._delivered.emit(reply, succeeded, outcome)

        self._pool.submit(work)
        return reply

    def close(self) -> None:
        """No more answers; a call in flight finishes on its thread and is dropped."""
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)

    @Slot(object, bool, object)
    def _deliver(self, reply: ServicesReply, succeeded: bool, outcome: object) -> None:
        if reply not in self._waiting:
            return
        self._waiting.discard(reply)
        if succeeded:
            reply.done.emit(outcome)
            if reply.operation in WRITES:
                self.wrote.emit(reply.operation)
        else:
            reply.failed.emit(str(outcome))
        reply.deleteLater()


def failure_words(error: Exception, endpoint: str) -> str:
    """AWS's own error code and message for a refused call; the host's silence named as such."""
    response = getattr(error, "response", None)
    if isinstance(response, dict) and isinstance(response.get("Error"), dict):
        code, message = response["Error"].get("Code", ""), response["Error"].get("Message", "")
        return f"{code}: {message}" if message else str(code or error)
    if isinstance(error, (OSError, ConnectionError)) or type(error).__name__ in ("EndpointConnectionError",
                                                                                 "ConnectionClosedError"):
        return f"The local AWS services at {endpoint} did not answer ({error})."
    return str(error) or type(error).__name__
