"""The Summary panel: one invocation's REPORT figures, memory against the size, and what the call costs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette, QResizeEvent
from PySide6.QtWidgets import (QBoxLayout, QFormLayout, QFrame, QHBoxLayout, QLabel, QProgressBar, QScrollArea,
                               QSizePolicy, QVBoxLayout, QWidget)

from collections.abc import Sequence

from workbench.core.lambda_rules.billing import (GB_SECOND_PRICE_USD, LOG_PRICE_NOTE, REQUEST_PRICE_USD, format_cost,
                                                 invocation_cost_usd, log_ingestion_bytes, log_ingestion_cost_usd)
from workbench.core.debugging.pause_clock import paused_figure
from workbench.core.function.invocation_result import InvocationResult, Status
from workbench.ui.aws.run_aws_calls import RunAwsCalls
from workbench.ui.run_origin import RunOrigin
from workbench.ui.elided_label import ElidedLabel

NONE = "—"
# Below this width the two columns stack.
TWO_COLUMN_WIDTH = 560
# From this width on, every caption has the widest one's width.
ALIGNED_CAPTIONS_WIDTH = 330
# Memory use from this share of the size on is drawn as a warning.
MEMORY_WARNING_SHARE = 0.9


def status_text(result: InvocationResult) -> str:
    """Succeeded, Failed: <error type>, or Timed out."""
    if result.status is Status.TIMEOUT:
        return "Timed out"
    if result.succeeded:
        return "Succeeded"
    error_type = result.error_type or result.platform_error_type
    return f"Failed: {error_type}" if error_type else "Failed"


def call_cost_usd(result: InvocationResult) -> float | None:
    """The result's own cost, or one worked out from its figures; None for an architecture without a price."""
    if result.cost_usd:
        return result.cost_usd
    if result.architecture not in GB_SECOND_PRICE_USD:
        return None
    return invocation_cost_usd(result.memory_size_mb, result.billed_duration_ms, result.architecture)


class SummaryPanel(QWidget):
    """Request id, status, durations, memory and cost of the last invocation, as a tidy form."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: dict[str, QLabel] = {}
        self._captions: list[QLabel] = []
        self._memory: tuple[int, int] | None = None   # (used, size) in MB, to recolour on a palette change
        self._build()
        self.clear()

    # --- Public interface

    @Slot()
    def clear(self) -> None:
        """No invocation yet: every figure blank."""
        for label in self._values.values():
            label.setText(NONE)
            label.setToolTip("")
        self._set_status_colour(None)
        self._paused_form.setRowVisible(self._values["paused"], False)
        self._init_note.clear()
        self._memory_bar.setRange(0, 1)
        self._memory_bar.setValue(0)
        self._memory_bar.setFormat("")
        self._memory_bar.setPalette(self.palette())
        self._memory = None
        self.aws_calls.show_calls(())
        self.origin.show_origin()

    def show_origin(self, trigger=None, linked=()) -> None:
        """A past run's trigger (its batch and the records' fates) and the runs of its trace."""
        self.origin.show_origin(trigger, linked)

    @Slot(object)
    def show_aws_calls(self, calls) -> None:
        """The run's AWS calls to the local services (its RunRecord's aws_calls), under the figures."""
        self.aws_calls.show_calls(calls)

    @Slot(object)
    def show_result(self, result: InvocationResult, log: Sequence[str] | None = None) -> None:
        """The result's figures; with its log lines (START … REPORT), also what CloudWatch Logs would charge
        to ingest them."""
        values = self._values
        values["request_id"].setText(result.request_id or NONE)
        values["status"].setText(status_text(result))
        self._set_status_colour(result)
        values["duration"].setText(f"{result.duration_ms:.2f} ms")
        # A debugged call: the time stopped in the debugger, which Duration (and the timeout) leave out.
        values["paused"].setText(paused_figure(result.paused_ms) if result.paused_ms else NONE)
        values["paused"].setToolTip("Stopped in the debugger: left out of Duration, as the timeout leaves it out")
        self._paused_form.setRowVisible(values["paused"], bool(result.paused_ms))
        values["billed_duration"].setText(f"{result.billed_duration_ms} ms")
        values["billed_duration"].setToolTip("Duration plus Init Duration, rounded up to the millisecond"
                                             if result.cold else "Duration rounded up to the millisecond")
        if result.init_duration_ms is None:
            values["init_duration"].setText(NONE)
            self._init_note.setText("warm")
        else:
            values["init_duration"].setText(f"{result.init_duration_ms:.2f} ms")
            self._init_note.setText("cold start")
        values["memory_size"].setText(f"{result.memory_size_mb} MB")
        values["max_memory_used"].setText(f"{result.max_memory_used_mb} MB")
        self._show_memory(result.max_memory_used_mb, result.memory_size_mb)
        cost = call_cost_usd(result)
        values["cost"].setText(NONE if cost is None else format_cost(cost))
        values["cost_per_million"].setText(NONE if cost is None else format_cost(cost * 1_000_000))
        price = GB_SECOND_PRICE_USD.get(result.architecture)
        tip = ("us-east-1 prices: " + (f"${price} per GB-second, " if price else "")
               + f"${REQUEST_PRICE_USD * 1_000_000:.2f} per million requests")
        values["cost"].setToolTip(tip)
        values["cost_per_million"].setToolTip("A million calls like this one. " + tip)
        values["architecture"].setText(result.architecture)
        self._show_log_cost(log)
        self._show_containment(result)

    # --- Qt overrides

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = event.size().width() < TWO_COLUMN_WIDTH
        self._columns.setDirection(QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight)
        # Stacked, the figures line up under one caption width, where that leaves the figures room enough.
        aligned = event.size().width() >= ALIGNED_CAPTIONS_WIDTH
        caption_width = max(caption.sizeHint().width() for caption in self._captions) if aligned else 0
        for caption in self._captions:
            caption.setMinimumWidth(caption_width)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_status_result"):
            self._set_status_colour(self._status_result)
            if self._memory is not None:
                self._show_memory(*self._memory)

    # --- Building

    def _build(self) -> None:
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        left, right = self._form(), self._form()
        self._add_row(left, "request_id", "Request ID").setFont(fixed)
        status = self._add_row(left, "status", "Status")
        bold = status.font()
        bold.setWeight(QFont.Weight.DemiBold)
        status.setFont(bold)
        self._add_row(left, "duration", "Duration")
        self._add_row(left, "paused", "Paused (debugger)")
        self._paused_form = left
        self._add_row(left, "billed_duration", "Billed Duration")
        self._init_note = ElidedLabel(objectName="summary_init_note", minimum_text="cold")
        self._init_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._add_row(left, "init_duration", "Init Duration", self._init_note)
        self._add_row(left, "cpu", "CPU")
        self._add_row(left, "containment", "Environment")
        self._add_row(right, "memory_size", "Memory Size")
        self._memory_bar = QProgressBar(objectName="summary_memory_bar", textVisible=True, maximumHeight=16)
        self._memory_bar.setMinimumWidth(50)
        # The share is written beside the bar, not on it: text over the filled part is hard to read.
        self._memory_bar.setTextVisible(False)
        self._memory_share = ElidedLabel(objectName="summary_memory_share", minimum_text="100%")
        memory = QWidget()
        memory_row = QHBoxLayout(memory)
        memory_row.setContentsMargins(0, 0, 0, 0)
        memory_row.addWidget(self._memory_bar, 1)
        memory_row.addWidget(self._memory_share)
        self._add_row(right, "max_memory_used", "Max Memory Used", memory, stretch=True)
        self._add_row(right, "cost", "Cost of this call")
        self._add_row(right, "cost_per_million", "Cost per 1M calls")
        self._add_row(right, "log_cost", "Logs per call")
        self._add_row(right, "log_cost_per_million", "Logs per 1M calls")
        self._add_row(right, "architecture", "Architecture")

        self._columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._columns.setSpacing(24)
        self._columns.addLayout(left, 1)
        self._columns.addLayout(right, 1)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(8, 8, 8, 8)
        content_layout.addLayout(self._columns)
        self.origin = RunOrigin(content)
        content_layout.addWidget(self.origin)
        self.aws_calls = RunAwsCalls(content)
        content_layout.addWidget(self.aws_calls)
        content_layout.addStretch(1)
        # A short bottom dock must not squash the rows: they scroll instead.
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    @staticmethod
    def _form() -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        # In a narrow Summary a row whose figures do not fit beside their name goes under it, never clipped.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        return form

    def _add_row(self, form: QFormLayout, key: str, caption: str, extra: QWidget | None = None,
                 stretch: bool = False) -> QLabel:
        # Elided in a narrow Summary (a 1024-pixel window) rather than scrolled out of sight; whole in the tooltip.
        value = ElidedLabel(NONE, objectName=f"summary_{key}", minimum_text="0.00 ms")
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._values[key] = value
        name = QLabel(caption)
        name.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._captions.append(name)
        if extra is None:
            form.addRow(name, value)
            return value
        row = QHBoxLayout()
        row.setSpacing(8)
        # The figure keeps its width; what follows it (a note, the memory bar) gives way first.
        value.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        row.addWidget(value)
        row.addWidget(extra, 1 if stretch else 0)
        if not stretch:
            row.addStretch(1)
        form.addRow(name, row)
        return value

    def _show_log_cost(self, log: Sequence[str] | None) -> None:
        """The log's CloudWatch Logs ingestion charge beside the compute cost: for a chatty small function
        it is the larger one."""
        per_call, per_million = self._values["log_cost"], self._values["log_cost_per_million"]
        if log is None:
            per_call.setText(NONE)
            per_million.setText(NONE)
            per_call.setToolTip("")
            per_million.setToolTip("")
            return
        cost = log_ingestion_cost_usd(log)
        per_call.setText(format_cost(cost))
        per_million.setText(format_cost(cost * 1_000_000))
        tip = (f"{len(log)} log lines, {log_ingestion_bytes(log):,} bytes with CloudWatch's 26 bytes per "
               f"event. {LOG_PRICE_NOTE}.")
        per_call.setToolTip(tip)
        per_million.setToolTip("A million calls logging like this one. " + tip)

    def _show_containment(self, result: InvocationResult) -> None:
        """What CPU the call had and what held its environment; missing guarantees in amber, listed."""
        containment = result.containment
        cpu, held = self._values["cpu"], self._values["containment"]
        palette = self.palette()
        if containment is None:
            cpu.setText(NONE)
            cpu.setToolTip("")
            held.setText(NONE)
            held.setToolTip("")
        else:
            cpu.setText(containment.cpu_text())
            cpu.setToolTip(containment.cpu_explanation())
            if containment.missing:
                # Short enough for the narrow Summary of a 1024-pixel window; the tooltip has the list.
                count = len(containment.missing)
                where = "no cgroup" if not containment.has_cgroup else containment.mechanism
                held.setText(f"{where}: {count} missing")
                palette.setColor(QPalette.ColorRole.WindowText, self._colours()[2])
                lines = [f"Why: {containment.reason}"] if containment.reason else []
                held.setToolTip("\n".join(lines + [f"• {item}" for item in containment.missing]))
            else:
                held.setText(containment.mechanism)
                held.setToolTip("Its own cgroup: the memory limit, CPU share, freeze, process limit and kill "
                                "hold for every process the function starts, as on Lambda.")
        held.setPalette(palette)

    # --- Colours

    def _colours(self) -> tuple[QColor, QColor, QColor]:
        """Green, red and amber that read well on this palette."""
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        if dark:
            return QColor("#56d364"), QColor("#ff7b72"), QColor("#e3b341")
        return QColor("#1a7f37"), QColor("#c62828"), QColor("#9a6700")

    def _set_status_colour(self, result: InvocationResult | None) -> None:
        self._status_result = result
        label = self._values["status"]
        palette = self.palette()
        if result is not None:
            green, red, _ = self._colours()
            palette.setColor(QPalette.ColorRole.WindowText, green if result.succeeded else red)
        label.setPalette(palette)

    def _show_memory(self, used_mb: int, size_mb: int) -> None:
        self._memory = (used_mb, size_mb)
        self._memory_bar.setRange(0, max(size_mb, 1))
        self._memory_bar.setValue(min(used_mb, max(size_mb, 1)))
        share = used_mb / size_mb if size_mb else 0.0
        self._memory_bar.setFormat(f"{share:.0%} of {size_mb} MB")
        self._memory_bar.setToolTip(self._memory_bar.text())
        self._memory_share.setText(self._memory_bar.text() if size_mb and used_mb else "")
        palette = self.palette()
        if share >= MEMORY_WARNING_SHARE:
            colour = self._colours()[1 if share >= 1 else 2]
            palette.setColor(QPalette.ColorRole.Highlight, colour)
            # The percentage is drawn over the bar: dark text on the light amber and red of dark themes.
            palette.setColor(QPalette.ColorRole.HighlightedText,
                             QColor("#1f1f1f") if colour.lightness() > 140 else QColor("#ffffff"))
        self._memory_bar.setPalette(palette)
