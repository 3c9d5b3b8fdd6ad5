"""Charts of one function's runs (pyqtgraph): Duration, Billed Duration, Max Memory Used with the memory size
as a line, and cost; cold starts and warm calls marked apart; hovering names the run, clicking selects it."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...core.history.run_chart_data import METRICS, ChartData, ChartSeries

_WARM = "#1f77b4"
_COLD = "#ff7f0e"
_MEMORY_SIZE = "#8c8c8c"
_RING = "#d62728"


class HistoryCharts(QWidget):
    """Plots a ChartData; every point carries its run id."""

    run_selected = Signal(str)
    """A point was clicked: the id of its run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_charts")
        self._data: ChartData | None = None
        self.caption = QLabel("Select a function's run to chart that function's runs.", self)
        self.caption.setObjectName("charts_caption")
        self.caption.setWordWrap(True)
        self.graphics = pg.GraphicsLayoutWidget(self)
        self.graphics.setObjectName("charts_graphics")
        self.plots: dict[str, pg.PlotItem] = {}
        self.rings: dict[str, pg.ScatterPlotItem] = {}
        self._marked: str | None = None
        self._columns = 2
        self.scatters: dict[str, tuple[pg.ScatterPlotItem, pg.ScatterPlotItem]] = {}
        self.memory_line = pg.PlotDataItem()
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.setSpacing(2)
        column.addWidget(self.caption)
        column.addWidget(self.graphics, 1)
        self._build_plots()
        self._apply_palette()

    def set_data(self, data: ChartData, function: str) -> None:
        self._data = data
        runs = len(data.run_ids)
        cold = len(data.series[0].cold) if data.series else 0
        self.caption.setText(f"<b>{function}</b>: last {runs} run{'s' if runs != 1 else ''} "
                             f"(<span style='color:{_COLD}'>▲ cold {cold}</span>, "
                             f"<span style='color:{_WARM}'>● warm {runs - cold}</span>), oldest on the left. "
                             "Hover a point to name its run; click it to select it.")
        for series in data.series:
            self._plot_series(series)
        self.mark_run(self._marked)
        # A step per run: the size holds for the whole run, and changes between two runs.
        xs = [index - 0.5 for index, _ in data.memory_size]
        xs.append(xs[-1] + 1 if xs else 0.5)
        self.memory_line.setData(xs, [size for _, size in data.memory_size], stepMode="center")
        for plot in self.plots.values():
            plot.enableAutoRange()

    def data(self) -> ChartData | None:
        return self._data

    def mark_run(self, run_id: str | None) -> None:
        """Ring the selected run's point on every chart (nothing when it is not charted)."""
        self._marked = run_id
        for key, ring in self.rings.items():
            spots = [(x, y) for x, y, rid in self.point_positions(key) if rid == run_id] if run_id else []
            ring.setData(x=[x for x, _ in spots], y=[y for _, y in spots])

    def marked_run(self) -> str | None:
        return self._marked

    def point_positions(self, key: str) -> list[tuple[float, float, str]]:
        """(x, y, run id) of every point on one chart, warm then cold (for tests and the benchmark)."""
        found = []
        for scatter in self.scatters[key]:
            for point in scatter.points():
                found.append((point.pos().x(), point.pos().y(), point.data()[0]))
        return found

    # --- Qt overrides -----------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        # A wide, low dock (the default, under the editors) gets the four charts in one row; a taller
        # one (floated, or on the side) two by two, so no chart is squeezed to a line.
        self._arrange(4 if event.size().width() > 2.6 * event.size().height() else 2)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()

    # --- Building ---------------------------------------------------------------------------------

    def _build_plots(self) -> None:
        first = None
        for number, (key, title, unit) in enumerate(METRICS):
            plot = self.graphics.addPlot(row=number // 2, col=number % 2)
            plot.setMinimumSize(120, 60)
            plot.setTitle(title, size="9pt")
            plot.setLabel("left", unit)
            plot.showGrid(x=True, y=True, alpha=0.15)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            warm = pg.ScatterPlotItem(symbol="o", size=8, pen=pg.mkPen(None), brush=pg.mkBrush(_WARM),
                                      hoverable=True, hoverSize=12, tip=_tip, name="warm")
            cold = pg.ScatterPlotItem(symbol="t1", size=11, pen=pg.mkPen(None), brush=pg.mkBrush(_COLD),
                                      hoverable=True, hoverSize=15, tip=_tip, name="cold")
            for scatter in (warm, cold):
                scatter.sigClicked.connect(self._on_clicked)
                plot.addItem(scatter)
            ring = pg.ScatterPlotItem(symbol="o", size=18, brush=pg.mkBrush(None), pen=pg.mkPen(_RING, width=2))
            ring.setAcceptHoverEvents(False)
            plot.addItem(ring)
            self.rings[key] = ring
            self.plots[key] = plot
            self.scatters[key] = (warm, cold)
        self.memory_line.setPen(pg.mkPen(_MEMORY_SIZE, width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine))
        self.plots["max_memory_used_mb"].addItem(self.memory_line)
        self.plots["max_memory_used_mb"].setTitle("Max Memory Used (dashed: Memory Size)", size="9pt")

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        layout = self.graphics.ci
        for plot in self.plots.values():
            layout.removeItem(plot)
        for number, plot in enumerate(self.plots.values()):
            layout.addItem(plot, row=number // columns, col=number % columns)
        for column in range(4):
            # Equal widths, whatever the length of each chart's title.
            layout.layout.setColumnStretchFactor(column, 1 if column < columns else 0)

    def _plot_series(self, series: ChartSeries) -> None:
        warm, cold = self.scatters[series.key]
        for scatter, points in ((warm, series.warm), (cold, series.cold)):
            # Each point's data is (run id, hover text): the tip shows the text, a click hands on the id.
            scatter.setData(x=[p.index for p in points], y=[p.value for p in points],
                            data=[(p.run_id, p.label) for p in points])

    def _apply_palette(self) -> None:
        palette = self.palette()
        background = palette.color(QPalette.ColorRole.Base)
        foreground = palette.color(QPalette.ColorRole.Text)
        self.graphics.setBackground(background)
        for plot in self.plots.values():
            plot.titleLabel.setAttr("color", foreground.name())
            plot.titleLabel.setText(plot.titleLabel.text)
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                axis.setPen(pg.mkPen(QColor(foreground)))
                axis.setTextPen(pg.mkPen(QColor(foreground)))

    def _on_clicked(self, _scatter, points, _event=None) -> None:
        if len(points):
            self.run_selected.emit(points[0].data()[0])


def _tip(x, y, data) -> str:
    return data[1]
