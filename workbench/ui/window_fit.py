"""How the window's panes share its room, by its size, until the user arranges them (or a saved arrangement
is restored): on a small screen the code and the log get the room and History waits behind Ctrl+Shift+H;
on a large one History opens tall enough to read. Side columns keep their width; the code editor and the
log give way or grow as the window does. Nothing here resizes the window itself."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer

# Below this height History starts closed: open, it would leave the code editor a handful of lines.
HISTORY_OPEN_FROM_HEIGHT = 860


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, value)))


class WindowFit(QObject):
    """Watches the window's size and sets the splitters from it, until a splitter is moved by hand."""

    def __init__(self, window, panes) -> None:
        super().__init__(window)
        self._window, self._panes = window, panes
        self.active = True
        self._tall: bool | None = None  # whether History was last set for a tall window
        self._history_managed = True
        # Once the user shows or hides History, it is theirs.
        window.history.toggleViewAction().triggered.connect(self._leave_history)
        # Compare and Charts need more rows than the run list: the dock grows for them and gives it back.
        window.history.tabs.currentChanged.connect(lambda _index: self._size_history())
        for splitter in panes.splitters():
            splitter.splitterMoved.connect(self._stop)
        # Side columns keep their width as the window changes; the code editor, the log and the rows give way.
        panes.main_splitter.setStretchFactor(0, 0)
        panes.main_splitter.setStretchFactor(1, 1)
        panes.centre_splitter.setStretchFactor(0, 1)
        panes.centre_splitter.setStretchFactor(1, 0)
        panes.bottom_splitter.setStretchFactor(0, 1)
        panes.bottom_splitter.setStretchFactor(1, 0)
        panes.right_splitter.setStretchFactor(0, 3)
        panes.right_splitter.setStretchFactor(1, 2)
        window.installEventFilter(self)
        self.fit()

    def restored(self) -> None:
        """The user's own arrangement was restored: it stays."""
        self._stop()

    def fit(self) -> None:
        width, height = self._window.width(), self._window.height()
        panes = self._panes
        left = _clamp(width * 0.2, 220, 340)
        panes.main_splitter.setSizes([left, width - left])
        event = _clamp(width * 0.28, 280, 460)
        panes.centre_splitter.setSizes([width - left - event, event])
        results = _clamp(width * 0.3, 300, 560)
        panes.bottom_splitter.setSizes([width - left - results, results])
        panes.left_splitter.setSizes([int(height * 0.3), int(height * 0.7)])
        history, tall = self._window.history, height >= HISTORY_OPEN_FROM_HEIGHT
        if self._history_managed and tall != self._tall:
            # The bottom docks share one place (History in front, the AWS dock tabbed beside it): on a short
            # screen both start closed, so the code and the log keep the height.
            history.setVisible(tall)
            self._window.aws.dock.setVisible(tall)
            self._window.triggers.dock.setVisible(tall)
            if tall:
                history.raise_()
            self._tall = tall
        # Opened on a small screen, History takes a quarter (five rows): the code keeps the rest.
        self._size_history()
        # Editors above, log and results below: the editors a little more, the log enough to read a run.
        panes.right_splitter.setSizes([int(height * 0.55), int(height * 0.45)])

    def _leave_history(self, shown: bool = False) -> None:
        self._history_managed = False
        if shown:
            # Opened by hand: the share the window's height gives it, not whatever the dock area held last.
            QTimer.singleShot(0, self._size_history)

    def _size_history(self) -> None:
        history, height = self._window.history, self._window.height()
        if history.isHidden() or history.isFloating():
            return
        tall = height >= HISTORY_OPEN_FROM_HEIGHT
        if history.tabs.currentIndex() == 0:  # the run list
            share = 0.32 if tall else 0.25
        else:
            share = 0.4 if tall else 0.45
        self._window.resizeDocks([history], [int(height * share)], Qt.Orientation.Vertical)

    def _stop(self, *_args) -> None:
        if self.active:
            self.active = False
            self._window.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._window and event.type() == QEvent.Type.Resize and self.active:
            self.fit()
        return super().eventFilter(watched, event)
