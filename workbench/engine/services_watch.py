"""ServicesHostWatch, the QObject the window keeps: starts the workspace's services host in the background at
launch (importing moto takes a second; the window must not wait) and starts it again when it dies (its state
is what it last saved)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.services.host_record import HostRecord, process_alive
from .services_host import start_host


class ServicesHostWatch(QObject):
    """Signals: ready(endpoint) once the host answers, failed(message) when it cannot start."""

    ready = Signal(str)
    """The host answers at this endpoint (str)."""
    failed = Signal(str)
    """The host could not start (why, str)."""

    def __init__(self, workspace: Path | str, region: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.region = Path(workspace), region
        self.record: HostRecord | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._check)
        self._starting = False
        self._started.connect(self._on_started)

    _started = Signal(object)
    """From the starting thread: the HostRecord, or the error."""

    def start(self) -> None:
        if self._starting:
            return
        self._starting = True

        def work() -> None:
            try:
                outcome: object = start_host(self.workspace, region=self.region)
            except Exception as error:  # noqa: BLE001 - reported as a signal, never raised into Qt
                outcome = str(error)
            try:
                self._started.emit(outcome)
            except RuntimeError:
                pass  # the watch was deleted meanwhile (its window closed): nobody is left to tell

        threading.Thread(target=work, name="services-host-start", daemon=True).start()

    def _on_started(self, outcome: object) -> None:
        self._starting = False
        if isinstance(outcome, HostRecord):
            self.record = outcome
            self._timer.start()
            self.ready.emit(outcome.endpoint)
        else:
            self.failed.emit(str(outcome))

    def _check(self) -> None:
        if self.record is not None and not process_alive(self.record.pid):
            self.record = None
            self._timer.stop()
            self.start()

    def stop_watching(self) -> None:
        """Leave the host running (warm for the next window or command): only stop watching it."""
        self._timer.stop()
