"""Running a memory sweep: one preset, N calls at each memory size (the first cold), through the run session.

A size whose call fails (out of memory, timeout, an error) is marked and the sweep moves on; Stop keeps
every figure measured so far.
"""

from __future__ import annotations

import dataclasses
import uuid

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.function.invocation_request import PreparedInvocation
from ..core.tuning.memory_sweep import SizeFigures, SweepRun, size_figures
from .suite_run import Starter, finished_result
from ..core.vocabulary import ErrorType


class TuneRun(QObject):
    """Signals: size_started(int), call_finished(int, SweepRun), size_finished(SizeFigures), then
    finished(list[SizeFigures]) once (stopped or not)."""

    size_started = Signal(int)
    call_finished = Signal(int, object)
    size_finished = Signal(object)
    finished = Signal(object)

    def __init__(self, prepared: PreparedInvocation, sizes: tuple[int, ...], runs: int, starter: Starter,
                 cold_runs: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.prepared = prepared
        self.sizes = tuple(sizes)
        self.runs = max(1, runs)
        self.cold_runs = max(1, min(cold_runs, self.runs))
        self.figures: list[SizeFigures] = []
        self.cancelled = False
        self.sweep_id = uuid.uuid4().hex[:12]
        """Every call of this sweep carries it into history, so History shows the sweep as one row."""
        self._starter = starter
        self._index = 0
        self._calls: list[SweepRun] = []
        self._current = None
        self._done = False

    @property
    def running(self) -> bool:
        return not self._done

    def start(self) -> None:
        QTimer.singleShot(0, self._next)

    def cancel(self) -> None:
        if self._done:
            return
        self.cancelled = True
        if self._current is not None:
            self._current.cancel()
        else:
            QTimer.singleShot(0, self._next)

    def _next(self) -> None:
        if self._done or self._current is not None:
            return
        if self.cancelled or self._index >= len(self.sizes):
            return self._finish()
        size = self.sizes[self._index]
        if not self._calls:
            self.size_started.emit(size)
        config = dataclasses.replace(self.prepared.config, memory_mb=size)
        prepared = dataclasses.replace(self.prepared, config=config, sweep=self.sweep_id)
        # The first calls of a size start cold (a new memory size is a new environment anyway).
        cold = len(self._calls) < self.cold_runs
        call = self._starter(prepared, cold)
        self._current = call
        # A bound slot, not a lambda holding self: no reference cycle through the call (see SuiteRun).
        call.finished.connect(self._on_finished)

    def _on_finished(self, payload) -> None:
        self._current = None
        size = self.sizes[self._index]
        result = finished_result(payload)
        cold = bool(getattr(payload, "cold", result.cold))
        if self.cancelled and result.error_type == ErrorType.STOPPED:
            # The call Stop ended says nothing about the size.
            return self._finish()
        run = SweepRun(result, cold)
        self._calls.append(run)
        self.call_finished.emit(size, run)
        if not result.succeeded or len(self._calls) >= self.runs:
            self._close_size(size)
        QTimer.singleShot(0, self._next)

    def _close_size(self, size: int) -> None:
        figures = size_figures(size, self._calls)
        self.figures.append(figures)
        self._calls = []
        self._index += 1
        self.size_finished.emit(figures)

    def _finish(self) -> None:
        if self._done:
            return
        if self._calls:
            # Stopped part-way through a size: what it measured is kept (its run count says how much).
            self._close_size(self.sizes[self._index])
        self._done = True
        self.finished.emit(list(self.figures))
