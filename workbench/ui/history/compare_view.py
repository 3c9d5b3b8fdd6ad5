"""Compare two recorded runs side by side: what changed in the response, the figures, the configuration,
the code and the log (a RunDiff from core, shown; nothing is computed here)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QSplitter, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ...core.history.history_codec import RunSummary
from ...core.history.run_diff import ADDED, REMOVED, Change, RunDiff, counting_volatile
from .history_model import time_text

_KIND_TEXT = {ADDED: "added", REMOVED: "removed"}


class CompareView(QWidget):
    """Shows one RunDiff: a title naming both runs, then Response / Figures / Configuration & Code / Log tabs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compare_view")
        self._diff: RunDiff | None = None
        self.title = QLabel("Select a run and choose <b>Compare with Previous</b> or <b>Compare with Last "
                            "Success</b>, or select two runs and choose <b>Compare Selected</b>.", self)
        self.title.setObjectName("compare_title")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.verdict = QLabel(self, objectName="compare_verdict")
        self.verdict.setWordWrap(True)
        # Ids and times new on every call are not differences unless asked for.
        self.count_volatile = QCheckBox("Count ids and times", self, objectName="compare_count_volatile")
        self.count_volatile.setToolTip("Count request ids, trace ids and timestamps that differ (new on every "
                                       "call) as differences")
        self.count_volatile.toggled.connect(self._show_again)
        self._runs: tuple[RunSummary, RunSummary] | None = None
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.response_table = _change_table(self, "compare_response")
        self.figures_table = QTableWidget(0, 4, self, objectName="compare_figures")
        self.figures_table.setHorizontalHeaderLabels(["Figure", "Before", "After", "Change"])
        _style_table(self.figures_table)
        # Four short columns: they share the width, so the Change column is never cut.
        self.figures_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.settings_table = _change_table(self, "compare_settings")
        self.log_view = QPlainTextEdit(self, objectName="compare_log")
        self.log_view.setReadOnly(True)
        self.log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.log_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        for part in (self.response_table, self.figures_table, self.settings_table, self.log_view):
            part.setMinimumHeight(40)  # the dock must fit under the editors on a small screen
        self.tabs.addTab(self.response_table, "Response")
        self.tabs.addTab(self.settings_table, "Event, Configuration && Code")
        self.tabs.addTab(self.log_view, "Log")
        # The figures are always in view beside whichever part is open: six rows, read at a glance.
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.figures_table)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        column = QVBoxLayout(self)
        column.setContentsMargins(2, 2, 2, 2)
        column.setSpacing(2)
        column.addWidget(self.title)
        verdict_row = QHBoxLayout()
        verdict_row.addWidget(self.verdict, 1)
        verdict_row.addWidget(self.count_volatile)
        column.addLayout(verdict_row)
        column.addWidget(self.splitter, 1)
        self.verdict.hide()
        self.count_volatile.hide()

    def show_diff(self, diff: RunDiff, before: RunSummary, after: RunSummary) -> None:
        self._diff, self._runs = diff, (before, after)
        self.count_volatile.setVisible(bool(diff.volatile) or self.count_volatile.isChecked())
        if self.count_volatile.isChecked():
            diff = counting_volatile(diff)
        self.title.setText(f"<b>{_name(before)}</b> &nbsp;→&nbsp; <b>{_name(after)}</b>")
        self.verdict.show()
        if diff.responses_equal:
            verdict = "Responses are equal" + (" (same JSON, written differently)" if diff.response_text_differs
                                                and not diff.response_volatile else "")
            if diff.response_volatile:
                count = len(diff.response_volatile)
                verdict += f" ({count} id{'s' if count != 1 else ''} or time{'s' if count != 1 else ''} differ: " \
                           f"{', '.join(c.path for c in diff.response_volatile[:3])}{', …' if count > 3 else ''})"
        else:
            verdict = f"Responses differ at {len(diff.response)} path{'s' if len(diff.response) != 1 else ''}"
        changed = [title for title, items in (("event", diff.event), ("configuration", diff.config),
                                               ("code", diff.code)) if items]
        verdict += "; changed: " + ", ".join(changed) if changed else "; event, configuration and code unchanged"
        self.verdict.setText(verdict + ".")
        _fill_changes(self.response_table, diff.response, "The responses are equal.")
        _fill_changes(self.settings_table, tuple(_prefixed("event", c) for c in diff.event)
                      + tuple(_prefixed("config", c) for c in diff.config)
                      + tuple(_prefixed("code", c) for c in diff.code),
                      "Same event, configuration and code files.")
        self._fill_figures(diff)
        self._fill_log(diff.log)

    def diff(self) -> RunDiff | None:
        return self._diff

    def _show_again(self) -> None:
        if self._diff is not None and self._runs is not None:
            self.show_diff(self._diff, *self._runs)

    # --- Qt overrides -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._diff is not None:
            self._fill_log(self._diff.log)

    # --- Filling ----------------------------------------------------------------------------------

    def _fill_figures(self, diff: RunDiff) -> None:
        table = self.figures_table
        table.setRowCount(len(diff.figures))
        for row, figure in enumerate(diff.figures):
            before, _, rest = figure.text().partition(": ")[2].partition(" → ")
            after, _, change = rest.partition(" (")
            for column, text in enumerate((figure.name, before, after, change.rstrip(")") or "—")):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, column, item)

    def _fill_log(self, lines: tuple[str, ...]) -> None:
        self.log_view.clear()
        if not lines:
            self.log_view.setPlainText("The logs print the same lines (request ids, times and REPORT figures "
                                       "masked).")
            return
        light = self.palette().color(QPalette.ColorRole.Base).lightness() > 127
        added, removed, hunk = (QTextCharFormat() for _ in range(3))
        added.setForeground(QColor("#1b7f3b" if light else "#7ee787"))
        removed.setForeground(QColor("#c62828" if light else "#ff7b72"))
        hunk.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        hunk.setFontWeight(QFont.Weight.Bold)
        cursor = QTextCursor(self.log_view.document())
        plain = QTextCharFormat()
        for number, line in enumerate(lines):
            style = (hunk if line.startswith(("@@", "---", "+++")) else added if line.startswith("+")
                     else removed if line.startswith("-") else plain)
            cursor.insertText(("\n" if number else "") + line, style)
        self.log_view.moveCursor(QTextCursor.MoveOperation.Start)


def _name(run: RunSummary) -> str:
    preset = f" · {run.preset}" if run.preset else ""
    return f"{run.id} ({time_text(run.started_at)}{preset}, {run.outcome})"


def _prefixed(prefix: str, change: Change) -> Change:
    return Change(f"{prefix}: {change.path}" if change.path else prefix, change.kind, change.before, change.after)


def _style_table(table: QTableWidget) -> None:
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)


def _change_table(parent: QWidget, name: str) -> QTableWidget:
    table = QTableWidget(0, 4, parent, objectName=name)
    table.setHorizontalHeaderLabels(["Path", "Change", "Before", "After"])
    _style_table(table)
    header = table.horizontalHeader()
    header.resizeSection(0, 190)
    header.resizeSection(1, 70)
    # Before and After share what is left, so both values are seen side by side.
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    return table


def _fill_changes(table: QTableWidget, changes: tuple[Change, ...], empty: str) -> None:
    table.setRowCount(max(1, len(changes)))
    if not changes:
        table.setSpan(0, 0, 1, table.columnCount())
        table.setItem(0, 0, QTableWidgetItem(empty))
        return
    table.clearSpans()
    for row, change in enumerate(changes):
        cells = (change.path or "(whole response)", _KIND_TEXT.get(change.kind, "changed"),
                 change.before or "", change.after or "")
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(row, column, item)
