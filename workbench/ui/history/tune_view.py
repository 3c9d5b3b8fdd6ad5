"""The Tune view: one preset at each memory size, as a chart (pyqtgraph) and a table, with the fastest,
cheapest and balanced sizes named, every figure labelled a local estimate. Each warm p50 carries its
confidence interval, and no size is named fastest within the noise."""

from __future__ import annotations

import numpy
import pyqtgraph
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from ...core.lambda_rules.billing import format_cost
from ...core.function.invocation_request import PreparedInvocation
from ...core.tuning.memory_sweep import DEFAULT_RUNS, DEFAULT_SIZES, ESTIMATE_NOTE, SizeFigures, parse_sizes, recommend
from ...core.tuning.tune_report import cpu_note, interval_text, size_labels, speed_verdict
from ...engine.suite_run import Starter
from ...engine.tune_run import TuneRun
from ..testing.case_results_model import failure_colour

COLUMNS = ("Memory", "Warm p50", "p50 interval", "Warm p90", "Cold p50", "Init p50", "Warm cost x86_64",
           "Warm cost arm64", "")


class TuneView(QDialog):
    """Signals: sweep_finished(list[SizeFigures]) when a sweep ends (stopped or not)."""

    sweep_finished = Signal(object)
    """The sweep ended: every size's figures (list[SizeFigures])."""

    def __init__(self, prepared: PreparedInvocation, starter: Starter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tune_view")
        self.setWindowTitle(f"Tune memory — {prepared.config.name} · {prepared.preset or 'event'}")
        self.prepared = prepared
        self.run: TuneRun | None = None
        self.figures: list[SizeFigures] = []
        self._starter = starter
        self._results = []
        self._build()
        self.resize(980, 620)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Sizes (MB):", self))
        self.sizes_field = QLineEdit(",".join(map(str, DEFAULT_SIZES)), self)
        controls.addWidget(self.sizes_field, 1)
        controls.addWidget(QLabel("Calls per size:", self))
        self.runs_field = QSpinBox(self)
        self.runs_field.setRange(1, 1000)
        self.runs_field.setValue(DEFAULT_RUNS)
        controls.addWidget(self.runs_field)
        self.start_button = QPushButton("Start", self)
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        controls.addWidget(self.start_button)
        controls.addWidget(self.stop_button)
        layout.addLayout(controls)
        self.note_label = QLabel(ESTIMATE_NOTE, self)
        self.note_label.setWordWrap(True)
        self.note_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.note_label)
        self.verdict_label = QLabel("", self)
        self.verdict_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.verdict_label)
        self.speed_label = QLabel("", self, objectName="tune_speed_verdict")
        self.speed_label.setWordWrap(True)
        layout.addWidget(self.speed_label)

        dark = QGuiApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
        self.chart = pyqtgraph.GraphicsLayoutWidget(self)
        self.chart.setBackground(QGuiApplication.palette().color(QPalette.ColorRole.Base))
        self.duration_plot = self.chart.addPlot(row=0, col=0, title="Warm Duration by memory size (local estimate)")
        self.cost_plot = self.chart.addPlot(row=0, col=1, title="Cost per million warm calls (local estimate)")
        # Legends under the plots, never over the lines; each lists only what the plot shows.
        self.duration_legend = pyqtgraph.LegendItem(colCount=3)
        self.cost_legend = pyqtgraph.LegendItem(colCount=2)
        self.chart.addItem(self.duration_legend, row=1, col=0)
        self.chart.addItem(self.cost_legend, row=1, col=1)
        for plot, unit in ((self.duration_plot, "Duration, ms"), (self.cost_plot, "USD per million calls")):
            # Sizes sit at even steps (0, 1, 2, ...), labelled with their MB: 128 and 256 never collide.
            plot.setLabel("bottom", "memory size, MB")
            plot.setLabel("left", unit)
            plot.getAxis("bottom").enableAutoSIPrefix(False)
            plot.showGrid(x=False, y=True, alpha=0.25)
            plot.setMouseEnabled(x=False, y=False)
        self.cost_plot.getAxis("left").enableAutoSIPrefix(False)
        self.duration_plot.getAxis("left").enableAutoSIPrefix(False)
        colours = ("#64b5f6", "#ffb74d") if dark else ("#1565c0", "#e65100")
        self._p50 = self.duration_plot.plot([], [], pen=pyqtgraph.mkPen(colours[0], width=2), symbol="o",
                                            symbolBrush=colours[0])
        self._interval = pyqtgraph.ErrorBarItem(x=numpy.array([]), y=numpy.array([]), pen=pyqtgraph.mkPen(colours[0], width=1), beam=0.15)
        self.duration_plot.addItem(self._interval)
        self._p90 = self.duration_plot.plot([], [], pen=pyqtgraph.mkPen(colours[1], width=2, style=Qt.PenStyle.DashLine),
                                            symbol="t", symbolBrush=colours[1])
        self._failed = self.duration_plot.plot([], [], pen=None, symbol="x", symbolSize=14,
                                               symbolBrush=failure_colour(), symbolPen=failure_colour())
        self._x86 = self.cost_plot.plot([], [], pen=pyqtgraph.mkPen(colours[0], width=2), symbol="o",
                                        symbolBrush=colours[0])
        self._arm = self.cost_plot.plot([], [], pen=pyqtgraph.mkPen(colours[1], width=2), symbol="s",
                                        symbolBrush=colours[1])
        self.duration_legend.addItem(self._p50, "warm p50 (bars: its interval)")
        self.duration_legend.addItem(self._p90, "warm p90")
        self.cost_legend.addItem(self._x86, "x86_64")
        self.cost_legend.addItem(self._arm, "arm64")

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("tune_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == len(COLUMNS) - 1
                                        else QHeaderView.ResizeMode.ResizeToContents)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.table)
        splitter.setSizes([320, 220])
        layout.addWidget(splitter, 1)

    # --- Running -----------------------------------------------------------------------------------

    def start(self) -> TuneRun | None:
        if self.run is not None and self.run.running:
            return None
        try:
            sizes = parse_sizes(self.sizes_field.text())
        except ValueError as error:
            self._set_verdict(f"Not started: {error}", failed=True)
            return None
        self.figures, self._results = [], []
        self.table.setRowCount(0)
        self._redraw()
        self._set_verdict(f"Running {self.runs_field.value()} calls at each of {len(sizes)} sizes…", failed=False)
        self.note_label.setText(ESTIMATE_NOTE)
        self.speed_label.clear()
        run = TuneRun(self.prepared, sizes, self.runs_field.value(), self._starter, parent=self)
        self.run = run
        run.call_finished.connect(self._on_call)
        run.size_finished.connect(self._on_size)
        run.finished.connect(self._on_finished)
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        run.start()
        return run

    def stop(self) -> None:
        if self.run is not None:
            self.run.cancel()

    def _on_call(self, _size: int, sweep_run) -> None:
        self._results.append(sweep_run.result)

    def _on_size(self, figures: SizeFigures) -> None:
        self.figures.append(figures)
        self._redraw()

    def _on_finished(self, figures: list) -> None:
        self.figures = list(figures)
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        recommendation = self._redraw()
        named = [f"{label} {size} MB" for label, size in (("fastest", recommendation.fastest),
                                                          ("cheapest", recommendation.cheapest),
                                                          ("balanced", recommendation.balanced)) if size]
        if recommendation.fastest_within_noise:
            named.insert(0, "no size clearly fastest")
        self.speed_label.setText(speed_verdict(recommendation, self.figures))
        prefix = "Stopped. " if self.run is not None and self.run.cancelled else ""
        self._set_verdict(prefix + ("Local estimate: " + ", ".join(named) if named else "No size ran without failing."),
                          failed=not named)
        self.note_label.setText(recommendation.note)
        if not recommendation.speed_estimated:
            self.note_label.setStyleSheet(f"color: {failure_colour().name()};")
        self.sweep_finished.emit(list(self.figures))

    # --- Drawing -----------------------------------------------------------------------------------

    def _redraw(self):
        architecture = self.prepared.config.architecture
        recommendation = recommend(self.figures, architecture, cpu_note(self._results))
        good = [f for f in self.figures if f.failed is None and f.p50_ms is not None]
        place = self.positions()
        self._p50.setData([place[f.memory_mb] for f in good], [f.p50_ms for f in good])
        spans = [f for f in good if f.p50_interval is not None]
        # ErrorBarItem does arithmetic on its data: numpy arrays, not lists.
        self._interval.setData(x=numpy.array([place[f.memory_mb] for f in spans], dtype=float),
                               y=numpy.array([f.p50_ms for f in spans], dtype=float),
                               top=numpy.array([f.p50_interval.high - f.p50_ms for f in spans], dtype=float),
                               bottom=numpy.array([f.p50_ms - f.p50_interval.low for f in spans], dtype=float))
        self._p90.setData([place[f.memory_mb] for f in good], [f.p90_ms for f in good])
        failed = [f for f in self.figures if f.failed is not None]
        self._failed.setData([place[f.memory_mb] for f in failed], [0.0] * len(failed))
        # "failed" is listed only when a size failed.
        self.duration_legend.removeItem(self._failed)
        if failed:
            self.duration_legend.addItem(self._failed, "failed")
        # Per million calls, as the Summary shows cost: readable numbers instead of 8e-06.
        self._x86.setData([place[f.memory_mb] for f in good], [f.avg_cost_usd["x86_64"] * 1e6 for f in good])
        self._arm.setData([place[f.memory_mb] for f in good], [f.avg_cost_usd["arm64"] * 1e6 for f in good])
        ticks = [[(position, str(memory)) for memory, position in place.items()]]
        for plot in (self.duration_plot, self.cost_plot):
            plot.getAxis("bottom").setTicks(ticks if self.figures else None)
            if self.figures:
                plot.setXRange(-0.4, len(place) - 0.6, padding=0)
        self.table.setRowCount(len(self.figures))
        for row, item in enumerate(self.figures):
            labels = size_labels(recommendation, item.memory_mb)
            if recommendation.fastest_within_noise and item.memory_mb in recommendation.fastest_within_noise \
                    and len(recommendation.fastest_within_noise) > 1:
                labels = [*labels, "as fast (within the noise)"]
            cells = [f"{item.memory_mb} MB", _ms(item.p50_ms), interval_text(item), _ms(item.p90_ms),
                     _ms(item.cold_p50_ms),
                     _ms(item.cold_init_p50_ms), format_cost(item.avg_cost_usd["x86_64"]),
                     format_cost(item.avg_cost_usd["arm64"]),
                     f"failed: {item.failed} (skipped)" if item.failed else ", ".join(labels)]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column < len(cells) - 1:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if item.failed:
                    cell.setForeground(failure_colour())
                self.table.setItem(row, column, cell)
        return recommendation

    def positions(self) -> dict[int, int]:
        """Each measured size's place on the charts' x axis, in order of size."""
        return {memory: index for index, memory in enumerate(sorted(f.memory_mb for f in self.figures))}

    def _set_verdict(self, text: str, failed: bool) -> None:
        self.verdict_label.setText(text)
        colour = f"color: {failure_colour().name()}; " if failed else ""
        self.verdict_label.setStyleSheet(colour + "font-weight: bold;")

    # --- Qt overrides ------------------------------------------------------------------------------

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.stop()
        super().closeEvent(event)


def _ms(value: float | None) -> str:
    return f"{value:.2f} ms" if value is not None else "—"
