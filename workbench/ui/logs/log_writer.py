"""Writes log lines into a page's document as a person reads them (core/log_reading), or raw on request: one
insertText per run of same-styled lines, each line one block, so block n is always the page's line n."""

from __future__ import annotations

from PySide6.QtGui import QTextCharFormat, QTextCursor

from workbench.core.log_reading.line_reading import read_line
from workbench.core.log_reading.run_groups import start_request_id
from workbench.core.text.log_view_text import PLAIN, line_kind, view_text
from workbench.ui.logs.log_page import LogPage


class LogWriter:
    """The panel's one way of turning lines into blocks; `raw` shows the stream exactly as written."""

    def __init__(self) -> None:
        self.formats: dict[int, QTextCharFormat] = {}
        self.prefix = ""   # the workspace folder, written relative in the view
        self.raw = False

    def shown_text(self, page: LogPage, line: str) -> str:
        """The block text of `line` (which must be the page's next line: a START changes the run's id)."""
        request_id = start_request_id(line)
        if request_id is not None:
            page.run_request_id = request_id
        return view_text(line if self.raw else read_line(line, page.run_request_id), self.prefix)

    def insert(self, page: LogPage, cursor: QTextCursor, lines: list[str]) -> None:
        """Append `lines` at the document's end, styled by kind (read from the raw line)."""
        cursor.movePosition(QTextCursor.MoveOperation.End)
        run: list[str] = []
        run_kind = PLAIN
        for line in lines:
            kind = line_kind(line)
            if kind != run_kind and run:
                self._insert_run(page, cursor, run, run_kind)
                run = []
            run_kind = kind
            run.append(self.shown_text(page, line))
        if run:
            self._insert_run(page, cursor, run, run_kind)

    def _insert_run(self, page: LogPage, cursor: QTextCursor, run: list[str], kind: int) -> None:
        text = "\n".join(run)
        cursor.insertText(text if page.shown == 0 else "\n" + text, self.formats[kind])
        page.shown += len(run)
