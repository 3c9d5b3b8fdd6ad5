"""The Logs panel: each function's log stream, appended in batches to a capped view while the full log is kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (QFontDatabase, QFontMetricsF, QGuiApplication, QKeySequence, QPalette, QShortcut,
                           QTextCharFormat, QTextCursor)
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLineEdit, QMenu, QPlainTextEdit, QToolButton,
                               QVBoxLayout, QWidget)

from workbench.core.lambda_rules.log_levels import LEVELS
from workbench.core.text.log_view_text import PLAIN, line_kind, view_text
from workbench.core.function.stack_frames import FOLDED_WARNING, WARNING_MARK, location_at
from workbench.ui.elided_label import ElidedLabel
from workbench.ui.logs.log_fold_area import LogFoldArea
from workbench.ui.logs.log_formats import is_dark, line_formats
from workbench.ui.logs.log_page import LogPage
from workbench.ui.logs.log_search import LogSearch

# Lines kept in the view; the full log lives in a list beside it (see ENVIRONMENT.md, "Streaming").
VIEW_BLOCK_CAP = 5_000
FLUSH_INTERVAL_MS = 40
# Lines inserted per turn of the event loop: inserting 5,000 at once blocks it for about 20 ms.
FLUSH_CHUNK = 2_000


class LogPanel(QWidget):
    """Live log view with search, copy, save and clear; `append_lines` may be called as often as batches come.

    It holds one log per key (a function's name, or a recorded run) and shows one at a time. Each keeps
    its whole log, its runs' folds, and its own search, filter, level and scroll: `show_log` switches
    between them without losing a line, and lines for a log not shown wait for it (`append_to`).
    """

    sig_location_clicked = Signal(str, int, int)
    """A stack frame was clicked: its path (relative to the workspace when inside it), line and column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._prefix = ""                # the workspace folder, written relative in the view
        self._flushing = False
        self._formats: dict[int, QTextCharFormat] = {}
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
            page = self._page_for(key)
            page.lines.extend(lines)
            page.pending.extend(lines)

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
        self._page.lines.extend(lines)
        self._page.pending.extend(lines)
        if not self._flush_timer.isActive():
            self._flush_timer.start(FLUSH_INTERVAL_MS)

    @Slot()
    def clear(self) -> None:
        """Forget the whole log, shown and kept."""
        self._page.lines.clear()
        self._page.pending.clear()
        self._flush_timer.stop()
        self._view.clear()
        self._page.shown = 0
        self._page.follow = True
        self._folds.apply()
        self._finder.refresh()
        self._update_count()

    def set_workspace(self, folder: str | Path) -> None:
        """Show paths inside `folder` relative to it (lines already shown keep theirs)."""
        self._prefix = str(Path(folder).resolve()).rstrip("/") + "/"

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
        """Copy the selected text, or the whole log when nothing is selected."""
        cursor = self._view.textCursor()
        if cursor.hasSelection():
            text = cursor.selectedText().replace("\u2029", "\n").replace("\u2028", "\n")
        else:
            text = self.full_text()
        QGuiApplication.clipboard().setText(text)

    def save_log(self, path: str | Path) -> None:
        Path(path).write_text(self.full_text() + "\n", encoding="utf-8")

    # --- Qt overrides

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._formats:
            self._build_formats()
            for page in self._pages.values():
                page.stale = page is not self._page
            self._show_tail()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Resize:
            self._folds.place()
        if watched is self._view.viewport():
            if event.type() == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton \
                    and not self._view.textCursor().hasSelection():
                self.click_at(event.position().toPoint())
            elif event.type() == QEvent.Type.MouseMove and not event.buttons():
                cursor = self._view.cursorForPosition(event.position().toPoint())
                over = location_at(cursor.block().text(), cursor.positionInBlock()) is not None \
                    or FOLDED_WARNING in cursor.block().text()
                self._view.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over
                                                else Qt.CursorShape.IBeamCursor)
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
        """A click in the view: a stack frame opens its code; the folded runtime notice unfolds."""
        cursor = self._view.cursorForPosition(point)
        block = cursor.block()
        text = block.text()
        location = location_at(text, cursor.positionInBlock())
        if location is not None:
            self.sig_location_clicked.emit(location.path, location.line, location.column)
        elif FOLDED_WARNING in text:
            self._unfold_warning(block.blockNumber())

    def _unfold_warning(self, block_number: int) -> None:
        original = self._page.lines[self._page.first_shown() + block_number]
        block = self._view.document().findBlockByNumber(block_number)
        text = block.text()
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.MoveAnchor,
                            text.index(FOLDED_WARNING))
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, len(FOLDED_WARNING))
        notice = original[original.index(WARNING_MARK):].split("\r")[0]
        cursor.insertText(notice)

    # --- Building

    def _build(self) -> None:
        self._search = QLineEdit(objectName="log_search", placeholderText="Search logs", clearButtonEnabled=True,
                                 minimumWidth=80, maximumWidth=260,
                                 toolTip="Search the log (Ctrl+F): Enter and Shift+Enter step through the matches")
        self._search.installEventFilter(self)
        self._search.textChanged.connect(self._on_search_changed)
        previous = self._tool_button("log_previous", "", "Previous match (Shift+Enter)", lambda: self._step(-1))
        previous.setArrowType(Qt.ArrowType.UpArrow)
        following = self._tool_button("log_next", "", "Next match (Enter)", lambda: self._step(1))
        following.setArrowType(Qt.ArrowType.DownArrow)
        # Both counts grow with the log: elided rather than widening the row, so the splitters beside the log
        # never move as lines arrive (and the row fits the log column of a 1024-pixel window).
        self._match_label = ElidedLabel(objectName="log_match_label", minimum_text="99 of 99")
        self._count_label = ElidedLabel("0 lines", objectName="log_count_label", minimum_text="999 lines",
                                        mode=Qt.TextElideMode.ElideLeft)
        self._count_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # Wrap and Save sit in Copy's menu: the row must fit the log column of a 1024-pixel window.
        copy = self._tool_button("log_copy", "Copy", "Copy the selection, or the whole log when nothing is "
                                 "selected (the arrow: wrap lines, save to a file)", self.copy_to_clipboard)
        copy.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(copy)
        self.wrap_action = menu.addAction("&Wrap Long Lines")
        self.wrap_action.setObjectName("log_wrap")
        self.wrap_action.setCheckable(True)
        # Off by default: wrapped, every [INFO] line of the Python runtime takes two rows.
        self.wrap_action.setChecked(False)
        self.wrap_action.toggled.connect(self._set_wrap)
        menu.addAction("&Save Log to File…", self._ask_save).setObjectName("log_save")
        copy.setMenu(menu)
        self._filter_button = self._tool_button(
            "log_filter", "Filter", "Show only the lines that contain the search text (each run's START stays)",
            self._apply_filter)
        self._filter_button.setCheckable(True)
        self._level = QComboBox(objectName="log_level")
        self._level.addItem("All", None)
        for level in LEVELS:
            self._level.addItem(f"{level}+" if level != "DEBUG" else level, level)
        self._level.setToolTip("Level filter: show lines at this level or more severe (a print counts as INFO)")
        self._level.currentIndexChanged.connect(self._apply_filter)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        # The search box takes the room there is, up to its maximum; the counts go to the right.
        row.addWidget(self._search, 3)
        for widget in (previous, following, self._match_label, self._filter_button, self._level):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self._count_label)
        row.addSpacing(4)
        row.addWidget(copy)
        row.addWidget(self._tool_button("log_clear", "Clear", "Clear the log", self.clear))

        self._view = QPlainTextEdit(objectName="log_view", readOnly=True,
                                    placeholderText="Logs appear here while the function runs.")
        self._view.setUndoRedoEnabled(False)
        self._view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._folds = LogFoldArea(self._view)
        self._finder = LogSearch(self._view, self._search, self._match_label, self._folds, self)
        self._view.installEventFilter(self)
        self._view.viewport().installEventFilter(self)
        self._view.viewport().setMouseTracking(True)
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
        layout.addLayout(row)
        layout.addWidget(self._view, 1)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for keys, step in ((QKeySequence.StandardKey.FindNext, 1), (QKeySequence.StandardKey.FindPrevious, -1)):
            shortcut = QShortcut(QKeySequence(keys), self, lambda step=step: self._step(step))
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _tool_button(self, name: str, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton(self, objectName=name, text=text, toolTip=tip, autoRaise=True)
        button.clicked.connect(slot)
        return button

    def _build_formats(self) -> None:
        """Formats built once per palette, so light and dark themes both stay readable."""
        self._formats = line_formats(self.palette())
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
        batch = self._page.pending[:FLUSH_CHUNK]
        del self._page.pending[:FLUSH_CHUNK]
        first_new = self._page.shown
        cursor = QTextCursor(self._view.document())
        cursor.beginEditBlock()
        self._insert(cursor, batch)
        trimmed = self._trim(cursor)
        removed += trimmed
        cursor.endEditBlock()
        self._folds.new_lines(first_new - trimmed, batch)
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
        self._page.pending = self._page.lines[-VIEW_BLOCK_CAP:]
        self._flush_timer.start(0)

    def _insert(self, cursor: QTextCursor, lines: list[str]) -> None:
        """Insert a batch as runs of same-styled lines: one insertText per run, not per line."""
        cursor.movePosition(QTextCursor.MoveOperation.End)
        run: list[str] = []
        run_kind = PLAIN
        for line in lines:
            kind = line_kind(line)
            if kind != run_kind and run:
                self._insert_run(cursor, run, run_kind)
                run = []
            run_kind = kind
            run.append(view_text(line, self._prefix))
        if run:
            self._insert_run(cursor, run, run_kind)

    def _insert_run(self, cursor: QTextCursor, run: list[str], kind: int) -> None:
        text = "\n".join(run)
        cursor.insertText(text if self._page.shown == 0 else "\n" + text, self._formats[kind])
        self._page.shown += len(run)

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
            self._page.follow = value >= self._view.verticalScrollBar().maximum()
        self._finder.paint()

    @Slot(int, int)
    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        # Resizing and lazy layout change the range too: keep the newest line in sight.
        if self._page.follow and not self._flushing:
            self._view.verticalScrollBar().setValue(maximum)

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
        """The lines the view shows now (collapsed runs and filters applied)."""
        lines, block = [], self._view.document().firstBlock()
        while block.isValid():
            if block.isVisible():
                lines.append(block.text())
            block = block.next()
        return lines

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
