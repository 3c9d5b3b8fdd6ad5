"""One log the Logs panel can show (a function's runs, or a recorded run): kept whole, with how it was last shown."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QTextDocument, QTextOption
from PySide6.QtWidgets import QPlainTextDocumentLayout

from workbench.core.log_reading.run_groups import GroupState, group_heads
from workbench.ui.logs.log_fold_area import FoldState


class LogPage:
    """A log's lines, its view document, and the search, filter, level and scroll it was left at.

    The panel shows one page at a time. Lines for a page that is not shown are kept, and wait in
    `pending` until it is: a run goes on writing to its function's log whatever the window shows.
    """

    def __init__(self, owner: QObject, font: QFont, tab_stop: float) -> None:
        # Owned by the panel, not the view: the view deletes a document it owns when another replaces it.
        self.document = QTextDocument(owner)
        self.document.setDocumentLayout(QPlainTextDocumentLayout(self.document))
        self.document.setUndoRedoEnabled(False)
        self.document.setDefaultFont(font)
        option = QTextOption(self.document.defaultTextOption())
        option.setTabStopDistance(tab_stop)
        self.document.setDefaultTextOption(option)
        self.lines: list[str] = []      # the full log, one event per item
        self.pending: list[str] = []    # received, not yet in the document
        self.shown = 0                  # events in the document
        self.follow = True              # stick to the newest line; off once the user scrolls up
        self.search = ""
        self.filter_on = False
        self.level_index = 0            # in the level box: 0 is All
        self.folds = FoldState()
        self.current_match = -1
        self.scroll = (0, 0)            # the vertical and horizontal scroll bars when it was last shown
        self.stale = False              # drawn with another palette's colours: rebuilt when next shown
        self.heads: set[int] = set()    # indexes in `lines` that open a run's group
        self.groups = GroupState()
        self.run_request_id = ""        # the request id of the run being written to the document

    def receive(self, lines: list[str]) -> None:
        """Keep `lines` (to be shown on the next flush) and note which open a run's group."""
        heads, self.groups = group_heads(lines, self.groups)
        self.heads.update(len(self.lines) + index for index in heads)
        self.lines.extend(lines)
        self.pending.extend(lines)

    def first_shown(self) -> int:
        """The index in `lines` of the document's first block."""
        return len(self.lines) - len(self.pending) - self.shown

    def clear(self) -> None:
        self.lines.clear()
        self.pending.clear()
        self.heads.clear()
        self.shown = 0
        self.follow = True
        self.run_request_id = ""

    def forget(self) -> None:
        self.document.deleteLater()
