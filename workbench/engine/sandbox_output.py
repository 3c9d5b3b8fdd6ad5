"""What an execution environment writes, on its way to the log: stdout and the telemetry descriptor's framed
records read as they come, Lambda's level filters applied (LoggingConfig), lines batched for the window, and
what a thawed environment writes before its call's START held until just after it, as on Lambda."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..core.logging_config.platform_records import PlatformLog
from ..core.telemetry.frames import FrameDecoder
from ..core.text.line_splitter import LineSplitter
from .environment_group import EXEC_FAILURE
from .runtime_process import RuntimeProcess

# Log lines are handed on in batches at most this often (a chatty handler does not flood the window).
LOG_FLUSH_MS = 30


class SandboxOutput(QObject):
    lines = Signal(list)
    """A batch of log lines (list[str]), in order."""

    def __init__(self, platform: PlatformLog, initialised: Callable[[], bool], parent: QObject | None = None) -> None:
        """initialised() says whether the runtime has finished init (before it, a launcher's exec failure is
        Lambda's Runtime.InvalidEntrypoint, not a log line)."""
        super().__init__(parent)
        self._platform, self._initialised = platform, initialised
        self._splitter = LineSplitter()
        self._frames = FrameDecoder()
        self._pending: list[str] = []
        self._timer = QTimer(self, singleShot=True, interval=LOG_FLUSH_MS, timeout=self.flush)
        # Set when a call thawed the environment: what its threads write from then on is the call's (after
        # START), as on Lambda; those lines are held and emitted right after START.
        self._hold = False
        self._held: list[str] = []
        self.exec_failure: str | None = None
        """Lambda's words for a runtime the launcher could not exec ("fork/exec PROGRAM: reason")."""

    @property
    def holding(self) -> bool:
        return self._hold

    def hold_until_start(self) -> None:
        """A call thawed the environment: what it writes from now on follows the call's START."""
        self._hold = True

    def read(self, process: RuntimeProcess | None) -> None:
        if process is not None:
            self.queue(self._splitter.feed(process.read()), from_runtime=True)
            self.queue([record.text for record in self._frames.feed(process.read_telemetry())], from_runtime=True)

    def drain(self, process: RuntimeProcess | None, final: bool = False) -> None:
        """Pull everything the runtime has written so far, so it lands before START/END/REPORT."""
        self.read(process)
        if final:
            self.queue(self._splitter.flush(), from_runtime=True)

    def queue(self, lines: list[str], from_runtime: bool = False) -> None:
        if lines and not self._initialised():
            failed = [line for line in lines if EXEC_FAILURE.match(line)]
            if failed:
                match = EXEC_FAILURE.match(failed[-1])
                self.exec_failure = f"fork/exec {match['program']}: {match['reason'].lower()}"
                lines = [line for line in lines if line not in failed]
        if from_runtime:
            lines = self._platform.application_lines(lines)
        if lines and self._hold:
            self._held.extend(lines)  # written since the thaw: the next call's, after its START
        elif lines:
            self._pending.extend(lines)
            if not self._timer.isActive():
                self._timer.start()

    def emit_start(self, request_id: str) -> None:
        """START, then what the environment wrote since a call thawed it (held until now)."""
        held, self._held = self._held, []
        self._hold = False
        self.emit_now([*self._platform.start(request_id), *held])

    def emit_now(self, lines: list[str]) -> None:
        self._pending.extend(lines)
        self.flush()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def flush(self) -> None:
        self._timer.stop()
        if self._pending:
            batch, self._pending = self._pending, []
            self.lines.emit(batch)
