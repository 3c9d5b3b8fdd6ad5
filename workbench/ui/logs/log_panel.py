"""The Logs panel: each function's log stream, appended in batches to a capped view while the full log is kept."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase, QFontMetricsF, QGuiApplication, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import QFileDialog, QPlainTextEdit, QVBoxLayout, QWidget

from workbench.core.log_reading.run_groups import run_began
from workbench.ui.logs.log_fold_area import LogFoldArea
from workbench.ui.logs.log_formats import is_dark, line_formats
from workbench.ui.logs.log_page import LogPage
from workbench.ui.logs.log_pointer import LogPointer
from workbench.ui.logs.log_records_view import LogRecordsView
from workbench.ui.logs.log_search import LogSearch
from workbench.ui.logs.log_toolbar import LogToolbar
from workbench.ui.logs.log_writer import LogWriter

# Lines kept in the view; the full log lives in a list beside it (see ENVIRONMENT.md, "Streaming").
VIEW_BLOCK_CAP = 5_000
FLUSH_INTERVAL_MS = 40
# Lines inserted per turn of the event loop: inserting 5,000 at once blocks it for about 20 ms.
FLUSH_CHUNK = 2_000


# How far from the newest line the view may be and still count as following it.
FOLLOW_SLACK_LINES = 2


class LogPanel(QWidget):
    """Live log view with search, copy, save and clear; `append_lines` may be called as often as batches come.

    Lines read as a person reads them (level, short time, message; core/log_reading), one block per line;
    Copy, Save and the Filter use the lines exactly as written, and Show Raw Lines shows them so.

    It holds one log per key (a function's name, or a recorded run) and shows one at a time. Each keeps
    its whole log, its runs' folds, and its own search, filter, level and scroll: `show_log` switches
    between them without losing a line, and lines for a log not shown wait for it (`append_to`).
    """

    sig_location_clicked = Signal(str, int, int)
    """A stack frame was clicked: its path (relative to the workspace when inside it), line and column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._writer = LogWriter()
        self._flushing = False
        self._flush_timer = QTimer(self, singleShot=True)
        self._flush_timer.timeout.connect(self._flush)
        self._build()
        self._build_formats()

    # --- Public interface

    def show_log(self, key: str) -> None:
        """Show `key`'s log (a function's name, say) as it was left; an empty one the first time."""
        if key == self._key:
            return
        self._leave_page()
        self._key, self._page = key, self._page_for(key)
        self._enter_page()

    def current_log(self) -> str:
        """The key of the log on screen."""
        return self._key

    def append_to(self, key: str, lines: list[str]) -> None:
        """Queue log events for `key`'s log, on screen or not."""
        if key == self._key:
            self.append_lines(lines)
        elif lines:
            self._page_for(key).receive(lines)

    def begin_run(self, key: str) -> None:
        """A run of `key` begins: its first line, whatever it is (build output, an init error), opens its group."""
        page = self._page_for(key)
        page.groups = run_began(page.groups)

    def follow_run(self, run) -> None:
        """Write a run's lines (an engine Run's `log_lines`) to its function's log, as one group."""
        self.begin_run(run.config.name)
        run.log_lines.connect(partial(self.append_to, run.config.name))

    def clear_log(self, key: str) -> None:
        """Forget `key`'s whole log."""
        if key == self._key:
            self.clear()
        elif (page := self._pages.pop(key, None)) is not None:
            page.forget()

    def forget_logs(self) -> None:
        """Forget every log (another workspace is open): an empty one stays on screen."""
        for key in [key for key in self._pages if key != self._key]:
            self._pages.pop(key).forget()
        self.clear()

    def log_text(self, key: str) -> str:
        """Every line `key`'s log received, as full_text gives the one on screen."""
        page = self._pages.get(key)
        return _joined(page.lines) if page is not None else ""

    @Slot(list)
    def append_lines(self, lines: list[str]) -> None:
        """Queue log events (no trailing newline) for the log on screen; they reach the view on the next flush."""
        if not lines:
            return
        self._page.receive(lines)
        if not self._flush_timer.isActive():
            self._flush_timer.start(FLUSH_INTERVAL_MS)

    @Slot()
    def clear(self) -> None:
        """Forget the whole log, shown and kept."""
        self._page.clear()
        self._flush_timer.stop()
        self._view.clear()
        self._folds.apply()
        self._finder.refresh()
        self._update_count()

    def set_workspace(self, folder: str | Path) -> None:
        """Show paths inside `folder` relative to it (lines already shown keep theirs)."""
        self._writer.prefix = str(Path(folder).resolve()).rstrip("/") + "/"

    def full_text(self) -> str:
        """Every line the log on screen received, including those the capped view no longer shows."""
        return _joined(self._page.lines)

    def line_count(self) -> int:
        return len(self._page.lines)

    def is_caught_up(self) -> bool:
        """True when every line received has reached the view (nothing waits for a flush)."""
        return not self._page.pending

    def is_following(self) -> bool:
        """True while the view sticks to the newest line (the user has not scrolled up)."""
        return self._page.follow

    @Slot()
    def focus_search(self) -> None:
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    @Slot()
    def copy_to_clipboard(self) -> None:
        """Copy the selected lines as the runtime wrote them, or the whole log when nothing is selected.

        A selection inside one line (a word, an id) is copied as selected.
        """
        cursor = self._view.textCursor()
        if not cursor.hasSelection():
            text = self.full_text()
        else:
            document = self._view.document()
            first = document.findBlock(cursor.selectionStart())
            last = document.findBlock(cursor.selectionEnd())
            whole = cursor.selectionStart() == first.position() and cursor.selectionEnd() >= last.position() \
                + last.length() - 1
            if first == last and not whole:
                text = cursor.selectedText().replace("\u2029", "\n").replace("\u2028", "\n")
            else:
                offset = self._page.first_shown()
                numbers = range(first.blockNumber(), last.blockNumber() + 1)
                text = _joined([self._page.lines[offset + number] for number in numbers
                                if document.findBlockByNumber(number).isVisible()])
        QGuiApplication.clipboard().setText(text)

    def save_log(self, path: str | Path) -> None:
        Path(path).write_text(self.full_text() + "\n", encoding="utf-8")

    # --- Qt overrides

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._writer.formats:
            self._build_formats()
            self._redraw_all()

    def _redraw_all(self) -> None:
        """Redraw the log on screen now and every other one when next shown (palette or raw lines changed)."""
        for page in self._pages.values():
            page.stale = page is not self._page
        self._show_tail()

    def _raw_line(self, block_number: int) -> str:
        """The line a block of the view shows, exactly as written."""
        index = self._page.first_shown() + block_number
        if 0 <= index < len(self._page.lines):
            return self._page.lines[index]
        return self._view.document().findBlockByNumber(block_number).text()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Resize:
            self._folds.place()
        # QLineEdit reports Enter without its modifiers, so Shift+Enter is caught here.
        if watched is self._search and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._step(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self._search.clear()
                self._view.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
        return super().eventFilter(watched, event)

    def click_at(self, point: QPoint) -> None:
        """A click in the view at `point` (log_pointer.py says what it does)."""
        self._pointer.click_at(point)

    # --- Building

    def _build(self) -> None:
        toolbar = LogToolbar(self, step=self._step, copy=self.copy_to_clipboard, clear=self.clear,
                         apply_filter=self._apply_filter, ask_save=self._ask_save)
        self._search, self._match_label = toolbar.search, toolbar.match_label
        self._count_label, self._filter_button, self._level = toolbar.count_label, toolbar.filter_button, toolbar.level
        self.wrap_action, self.raw_action = toolbar.wrap_action, toolbar.raw_action
        self.records_action = toolbar.records_action
        self._search.installEventFilter(self)
        self._search.textChanged.connect(self._on_search_changed)
        self.wrap_action.toggled.connect(self._set_wrap)
        self.raw_action.toggled.connect(self._set_raw)
        self.records_action.toggled.connect(self._show_records)

        self._view = QPlainTextEdit(objectName="log_view", readOnly=True,
                                    placeholderText="Logs appear here while the function runs.")
        self._view.setUndoRedoEnabled(False)
        self._view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._folds = LogFoldArea(self._view, self._raw_line)
        self._finder = LogSearch(self._view, self._search, self._match_label, self._folds, self)
        self._view.installEventFilter(self)
        self._pointer = LogPointer(self._view, self._raw_line, self.sig_location_clicked.emit)
        self._view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self._view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        # REPORT's TAB-separated fields read best with short, even tab stops.
        self._tab_stop = QFontMetricsF(self._view.font()).horizontalAdvance(" " * 4)
        self._pages: dict[str, LogPage] = {}
        self._key = ""
        self._page = self._page_for(self._key)
        self._view.setDocument(self._page.document)
        bar = self._view.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(toolbar)
        layout.addWidget(self._view, 1)
        self._records = LogRecordsView(self)
        layout.addWidget(self._records, 1)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for keys, step in ((QKeySequence.StandardKey.FindNext, 1), (QKeySequence.StandardKey.FindPrevious, -1)):
            shortcut = QShortcut(QKeySequence(keys), self, lambda step=step: self._step(step))
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _build_formats(self) -> None:
        """Formats built once per palette, so light and dark themes both stay readable."""
        self._writer.formats = line_formats(self.palette())
        self._finder.set_colours(is_dark(self.palette()))

    # --- Pages

    def _page_for(self, key: str) -> LogPage:
        if key not in self._pages:
            self._pages[key] = LogPage(self, self._view.font(), self._tab_stop)
        return self._pages[key]

    def _leave_page(self) -> None:
        """Keep what the log on screen was showing, to restore it when it is shown again."""
        page = self._page
        page.search = self._search.text()
        page.filter_on = self._filter_button.isChecked()
        page.level_index = self._level.currentIndex()
        page.folds = self._folds.state()
        page.current_match = self._finder.current
        page.scroll = (self._view.verticalScrollBar().value(), self._view.horizontalScrollBar().value())

    def _enter_page(self) -> None:
        page = self._page
        self._flushing = True  # swapping documents moves the scroll bar; it must not switch following off
        self._finder.forget()
        self._view.setDocument(page.document)
        self._folds.restore(page.folds)
        for widget in (self._search, self._filter_button, self._level):
            widget.blockSignals(True)
        self._search.setText(page.search)
        self._filter_button.setChecked(page.filter_on)
        self._level.setCurrentIndex(page.level_index)
        for widget in (self._search, self._filter_button, self._level):
            widget.blockSignals(False)
        self._flushing = False
        if page.stale:
            page.stale = False
            self._show_tail()
        vertical, horizontal = self._view.verticalScrollBar(), self._view.horizontalScrollBar()
        vertical.setValue(vertical.maximum() if page.follow else page.scroll[0])
        horizontal.setValue(page.scroll[1])
        self._finder.current = page.current_match
        self._finder.refresh()
        self._update_count()
        self._folds.place()
        if page.pending:
            self._flush_timer.start(0)

    # --- Streaming

    @Slot()
    def _flush(self) -> None:
        """Move pending lines into the view, at most FLUSH_CHUNK per turn of the event loop."""
        if not self._page.pending:
            return
        bar = self._view.verticalScrollBar()
        value = bar.value()
        self._flushing = True  # our own edits move the scroll bar; they must not switch following off
        removed = 0
        if len(self._page.pending) > VIEW_BLOCK_CAP:
            # A flood: every line now in the view would be dropped, so start again from the newest lines.
            # They stay in the full log.
            del self._page.pending[:-VIEW_BLOCK_CAP]
            removed, self._page.shown = self._page.shown, 0
            self._view.clear()
        first_index = len(self._page.lines) - len(self._page.pending)
        batch = self._page.pending[:FLUSH_CHUNK]
        del self._page.pending[:FLUSH_CHUNK]
        first_new = self._page.shown
        cursor = QTextCursor(self._view.document())
        cursor.beginEditBlock()
        self._writer.insert(self._page, cursor, batch)
        trimmed = self._trim(cursor)
        removed += trimmed
        cursor.endEditBlock()
        heads = [index for index in range(len(batch)) if first_index + index in self._page.heads]
        self._folds.new_lines(first_new - trimmed, len(batch), heads)
        bar.setValue(bar.maximum() if self._page.follow else max(0, value - removed))
        self._flushing = False
        self._update_count()
        if self._page.pending:
            self._flush_timer.start(0)
        self._finder.lines_added()

    def _show_tail(self) -> None:
        """Rebuild the view from the full log (after a palette change, say)."""
        self._view.clear()
        self._page.shown = 0
        self._page.run_request_id = ""
        self._page.pending = self._page.lines[-VIEW_BLOCK_CAP:]
        self._flush_timer.start(0)

    def _trim(self, cursor: QTextCursor) -> int:
        excess = self._page.shown - VIEW_BLOCK_CAP
        if excess <= 0:
            return 0
        # setPosition, not movePosition(NextBlock, n): moving block by block lays each one out.
        cursor.setPosition(0)
        cursor.setPosition(cursor.document().findBlockByNumber(excess).position(), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._page.shown -= excess
        return excess

    def _update_count(self) -> None:
        total = len(self._page.lines) - len(self._page.pending)
        self._records.sync(self._page.lines, total)
        if self._page.shown < total:
            self._count_label.setText(f"last {self._page.shown:,} of {total:,} lines")
            self._count_label.setToolTip(f"The view keeps the newest {VIEW_BLOCK_CAP:,} lines; "
                                         f"Copy and Save take all {total:,}.")
        else:
            self._count_label.setText("1 line" if total == 1 else f"{total:,} lines")
            self._count_label.setToolTip("")

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        if not self._flushing:
            # A couple of lines' slack: when the view drops its oldest lines at its cap, the value moves a line or
            # two before the range follows, which is not the user scrolling up.
            self._page.follow = value >= self._view.verticalScrollBar().maximum() - FOLLOW_SLACK_LINES
        self._finder.paint()

    @Slot(int, int)
    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        # Resizing and lazy layout change the range too: keep the newest line in sight.
        if self._page.follow and not self._flushing:
            self._view.verticalScrollBar().setValue(maximum)

    def _show_records(self, on: bool) -> None:
        self._view.setVisible(not on)
        self._records.setVisible(on)
        self._update_count()

    @Slot(bool)
    def _set_raw(self, raw: bool) -> None:
        self._writer.raw = raw
        self._redraw_all()

    @Slot(bool)
    def _set_wrap(self, wrap: bool) -> None:
        self._view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if wrap
                                   else QPlainTextEdit.LineWrapMode.NoWrap)
        # Unwrapped, the view starts at the left edge, where every line begins.
        self._view.horizontalScrollBar().setValue(0)

    @Slot()
    def _apply_filter(self) -> None:
        self._folds.set_level(self._level.currentData())
        self._folds.set_filter(self._search.text() if self._filter_button.isChecked() else "")

    def folds(self) -> LogFoldArea:
        return self._folds

    def visible_lines(self) -> list[str]:
        """The lines the view shows now (collapsed runs and filters applied), as the runtime wrote them."""
        return [self._raw_line(number) for number, _text in self._visible_blocks()]

    def visible_text(self) -> list[str]:
        """What the view shows now, line by line, as one reads it."""
        return [text for _number, text in self._visible_blocks()]

    def _visible_blocks(self):
        block = self._view.document().firstBlock()
        while block.isValid():
            if block.isVisible():
                yield block.blockNumber(), block.text()
            block = block.next()

    @Slot()
    def _ask_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save log", "lambda.log", "Log files (*.log *.txt);;All files (*)")
        if path:
            self.save_log(path)

    # --- Search

    @Slot(str)
    def _on_search_changed(self, _text: str) -> None:
        if self._filter_button.isChecked():
            self._apply_filter()
        self._finder.restart()

    def _step(self, step: int) -> None:
        self._finder.step(step)


def _joined(lines: list[str]) -> str:
    return "\n".join(line.rstrip("\r").replace("\r\n", "\n").replace("\r", "\n") if "\r" in line else line
                     for line in lines)
