"""The AWS dock: the workspace's local services as the functions left them — buckets and objects, tables and
items, queues, topics, the EventBridge bus, secrets and parameters — and the Outbox of every email sent, its
count on the dock's title. Everything goes through the engine's ServicesDesk; nothing here speaks HTTP."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QDockWidget, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QStackedWidget, QTabWidget, QVBoxLayout, QWidget)

from ...engine.services_desk import ServicesDesk
from .buckets_view import BucketsView
from .event_bus_view import EventBusView
from .outbox_view import OutboxView
from .queues_view import QueuesView
from .run_finder import RunFinder
from .secrets_view import SecretsView
from .tables_view import TablesView
from .topics_view import TopicsView

TITLE = "AWS"


def dock_title(emails: int) -> str:
    """The dock's title (its tab's text when tabified): the Outbox's count as its badge."""
    return f"{TITLE} · ✉ {emails}" if emails else TITLE


class AwsDock(QDockWidget):
    run_requested = Signal(str)
    """Show this run (its id) in History: the run that sent an email or wrote an object."""
    start_requested = Signal()
    """Start the workspace's local services (they are not running)."""
    reset_requested = Signal()
    """Reset the local services to the workspace's seed (the window asks first)."""
    notice = Signal(str)
    """A line for the status bar (str)."""
    send_as_s3_event_requested = Signal(str, str)
    """bucket, key: an object to send through its bucket's S3 triggers."""

    def __init__(self, desk: ServicesDesk, finder: RunFinder, parent: QWidget | None = None) -> None:
        super().__init__(TITLE, parent)
        self.setObjectName("aws_dock")
        self._desk = desk
        self.outbox = OutboxView(desk, finder, self)
        self.buckets = BucketsView(desk, finder, self)
        self.tables = TablesView(desk, self)
        self.queues = QueuesView(desk, self)
        self.topics = TopicsView(desk, self)
        self.event_bus = EventBusView(desk, self)
        self.secrets = SecretsView(desk, self)
        self.tabs = QTabWidget(self, objectName="aws_tabs")
        self.tabs.setDocumentMode(True)
        self.views = [self.outbox, self.buckets, self.tables, self.queues, self.topics, self.event_bus, self.secrets]
        for view, label in zip(self.views, ("Outbox", "S3", "DynamoDB", "SQS", "SNS", "EventBridge",
                                            "Secrets && Parameters")):
            # A short bottom dock (a 700-pixel screen) must not squash a page: it scrolls instead.
            page = QScrollArea(self, widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
            page.setWidget(view)
            self.tabs.addTab(page, label)
            view.notice.connect(self.notice)
        for view in (self.outbox, self.buckets):
            view.run_requested.connect(self.run_requested)
        self.buckets.send_as_s3_event_requested.connect(self.send_as_s3_event_requested)
        self.outbox.count_changed.connect(self._show_count)
        self.tabs.currentChanged.connect(lambda _index: self.refresh_current())
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.clicked.connect(self.refresh_current)
        self.reset_button = QPushButton("Reset…", self)
        self.reset_button.setToolTip("Back to the seed state: the template's resources, the seed/ folder's objects "
                                     "and items; the Outbox emptied")
        self.reset_button.clicked.connect(self.reset_requested)
        self.tabs.setCornerWidget(self._corner(), Qt.Corner.TopRightCorner)
        self.idle_note = QLabel(self, wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter,
                                objectName="aws_idle_note")
        self.start_button = QPushButton("Start Local Services", self)
        self.start_button.clicked.connect(self.start_requested)
        idle = QWidget(self)
        idle_column = QVBoxLayout(idle)
        idle_column.addStretch(1)
        idle_column.addWidget(self.idle_note)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.start_button)
        row.addStretch(1)
        idle_column.addLayout(row)
        idle_column.addStretch(1)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(idle)
        self.pages.addWidget(self.tabs)
        self.setWidget(self.pages)
        desk.host_changed.connect(self._on_host_changed)
        desk.wrote.connect(lambda _operation: self.refresh_current())
        self.visibilityChanged.connect(lambda visible: visible and self.refresh_current())
        self.set_idle("The local AWS services are not running for this workspace.", can_start=True)

    def set_idle(self, text: str, can_start: bool) -> None:
        """Shown instead of the services: why they are not there, and whether Start can help."""
        self.idle_note.setText(text)
        self.start_button.setVisible(can_start)
        if not self._desk.available:
            self.pages.setCurrentIndex(0)

    @property
    def current_view(self) -> QWidget:
        return self.views[self.tabs.currentIndex()]

    def show_page(self, view: QWidget) -> None:
        """The dock in front, on `view`'s page."""
        self.show()
        self.raise_()
        self.tabs.setCurrentIndex(self.views.index(view))

    @Slot()
    def refresh_current(self) -> None:
        """Look again at what the picked page shows (only while the dock is on screen: a hidden one waits)."""
        if self._desk.available and self.isVisible():
            self.current_view.refresh()

    @Slot()
    def after_run(self) -> None:
        """A run may have written or sent something: the Outbox's count, and the page on screen."""
        if self._desk.available:
            if self.current_view is not self.outbox or not self.isVisible():
                self.outbox.refresh()
            self.refresh_current()

    def _corner(self) -> QWidget:
        corner = QWidget(self)
        row = QHBoxLayout(corner)
        row.setContentsMargins(0, 0, 4, 0)
        row.addWidget(self.refresh_button)
        row.addWidget(self.reset_button)
        return corner

    @Slot(bool)
    def _on_host_changed(self, available: bool) -> None:
        self.pages.setCurrentIndex(1 if available else 0)
        if available:
            self.outbox.refresh()
            self.refresh_current()

    @Slot(int)
    def _show_count(self, count: int) -> None:
        self.setWindowTitle(dock_title(count))
        self.tabs.setTabText(0, f"Outbox ({count})" if count else "Outbox")
