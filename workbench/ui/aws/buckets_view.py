"""S3 in the AWS dock: the buckets, the objects of the one picked (with the run that wrote each, where a
run did), and the picked object shown; files dropped on the list are uploaded, Download saves one."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QListWidget, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ...engine.services_desk import ServicesDesk
from .email_view import when
from .object_viewer import ObjectViewer
from .run_finder import RunFinder

RUN_ROLE = Qt.ItemDataRole.UserRole


def size_text(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


class BucketsView(QWidget):
    run_requested = Signal(str)
    """Show this run (its id) in History."""
    notice = Signal(str)
    """A line for the status bar (str)."""
    send_as_s3_event_requested = Signal(str, str)
    """bucket, key: send the object through the bucket's S3 triggers as if it had just been put."""

    def __init__(self, desk: ServicesDesk, finder: RunFinder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk, self._finder = desk, finder
        self._objects: list[dict] = []
        self.buckets = QListWidget(self, objectName="bucket_list")
        self.buckets.currentTextChanged.connect(self._load_objects)
        self.objects = QTableWidget(0, 4, self, objectName="object_table")
        self.objects.setHorizontalHeaderLabels(["Key", "Size", "Modified", "Written by"])
        self.objects.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.objects.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.objects.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.objects.verticalHeader().hide()
        header = self.objects.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.objects.currentCellChanged.connect(lambda row, *_: self._open(row))
        self.objects.cellDoubleClicked.connect(self._follow_run)
        self.objects.setToolTip("Drop files here to upload them to the bucket")
        self.setAcceptDrops(True)
        self.viewer = ObjectViewer(self)
        self.upload_button = QPushButton("Upload…", self)
        self.download_button = QPushButton("Download…", self, enabled=False)
        self.delete_button = QPushButton("Delete", self, enabled=False)
        self.send_button = QPushButton("Send as S3 Event", self, enabled=False, objectName="send_as_s3_event_button")
        self.send_button.setToolTip("Fire the bucket's S3 triggers with this object (ObjectCreated:Put), as a put would")
        self.send_button.clicked.connect(self._send_as_event)
        self.upload_button.clicked.connect(self._choose_upload)
        self.download_button.clicked.connect(self._download)
        self.delete_button.clicked.connect(self._delete)
        middle = QWidget(self)
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.objects, 1)
        buttons = QHBoxLayout()
        for button in (self.upload_button, self.download_button, self.delete_button, self.send_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        for widget in (self.buckets, middle, self.viewer):
            splitter.addWidget(widget)
        splitter.setSizes([160, 460, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    @property
    def bucket(self) -> str | None:
        item = self.buckets.currentItem()
        return item.text() if item is not None else None

    @Slot()
    def refresh(self) -> None:
        reply = self._desk.ask("buckets")
        reply.done.connect(self._set_buckets)
        reply.failed.connect(self.notice)

    def upload(self, paths: list[Path]) -> None:
        """Put each file in the picked bucket under its file name."""
        bucket = self.bucket
        if bucket is None:
            self.notice.emit("Pick a bucket to upload into.")
            return
        for path in paths:
            try:
                content = path.read_bytes()
            except OSError as error:
                self.notice.emit(f"Could not read {path}: {error.strerror or error}")
                continue
            content_type = mimetypes.guess_type(path.name)[0]
            reply = self._desk.ask("put_object", bucket, path.name, content, content_type)
            reply.done.connect(lambda _r, name=path.name: (self.notice.emit(f"Uploaded {name} to {bucket}."),
                                                            self._load_objects(bucket, select=name)))
            reply.failed.connect(self.notice)

    # --- Qt overrides

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self.bucket is not None and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        files = [path for path in paths if path.is_file()]
        if files:
            event.acceptProposedAction()
            self.upload(files)

    # --- Internals

    def _set_buckets(self, names: list) -> None:
        current = self.bucket
        self.buckets.blockSignals(True)
        self.buckets.clear()
        self.buckets.addItems(names)
        self.buckets.blockSignals(False)
        if names:
            self.buckets.setCurrentRow(names.index(current) if current in names else 0)
        else:
            self._set_objects(None, [], None)
            self.viewer.show_note("No bucket: the template's AWS::S3::Bucket resources appear here.")

    @Slot(str)
    def _load_objects(self, bucket: str, select: str | None = None) -> None:
        if not bucket:
            return
        reply = self._desk.ask("objects", bucket)
        reply.done.connect(lambda objects: self._set_objects(bucket, objects, select))
        reply.failed.connect(self.notice)

    def _set_objects(self, bucket: str | None, objects: list, select: str | None) -> None:
        if bucket != self.bucket:
            return  # an answer for a bucket no longer picked
        picked = select or self._current_key()
        self._objects = sorted(objects, key=lambda o: o["key"])
        self.objects.setRowCount(len(self._objects))
        for row, found in enumerate(self._objects):
            run = self._finder.writer_of(bucket, found["key"], found["lastModified"])
            cells = [found["key"], size_text(found["size"]), when(found["lastModified"]),
                     f"{run.function} {run.run_id[:8]}" if run else ""]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip("Double-click to show this run in History" if column == 3 and run else text)
                if run is not None:
                    item.setData(RUN_ROLE, run.run_id)
                self.objects.setItem(row, column, item)
        keys = [o["key"] for o in self._objects]
        if picked in keys:
            self.objects.setCurrentCell(keys.index(picked), 0)
            self._open(keys.index(picked))
        elif not keys:
            self.viewer.show_note("The bucket is empty: drop files here to upload them.")
        self._update_buttons()

    def _current_key(self) -> str | None:
        row = self.objects.currentRow()
        return self._objects[row]["key"] if 0 <= row < len(self._objects) else None

    def _update_buttons(self) -> None:
        picked = self._current_key() is not None
        self.download_button.setEnabled(picked)
        self.delete_button.setEnabled(picked)
        self.send_button.setEnabled(picked)

    def _send_as_event(self) -> None:
        key = self._current_key()
        if key is not None and self.bucket is not None:
            self.send_as_s3_event_requested.emit(self.bucket, key)

    def _open(self, row: int) -> None:
        self._update_buttons()
        if not 0 <= row < len(self._objects) or self.bucket is None:
            return
        bucket, key = self.bucket, self._objects[row]["key"]
        reply = self._desk.ask("get_object", bucket, key)
        reply.done.connect(lambda answer: key == self._current_key() and self.viewer.show_content(key, *answer))
        reply.failed.connect(self.notice)

    def _follow_run(self, row: int, _column: int) -> None:
        item = self.objects.item(row, 3)
        if item is not None and item.data(RUN_ROLE):
            self.run_requested.emit(item.data(RUN_ROLE))

    @Slot()
    def _choose_upload(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Upload to " + (self.bucket or "the bucket"))
        if names:
            self.upload([Path(name) for name in names])

    @Slot()
    def _download(self) -> None:
        bucket, key = self.bucket, self._current_key()
        if bucket is None or key is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "Download " + key, key.rsplit("/", 1)[-1])
        if not target:
            return
        reply = self._desk.ask("get_object", bucket, key)
        reply.done.connect(lambda answer: self._write(Path(target), answer[0]))
        reply.failed.connect(self.notice)

    def _write(self, target: Path, content: bytes) -> None:
        try:
            target.write_bytes(content)
        except OSError as error:
            self.notice.emit(f"Could not save {target}: {error.strerror or error}")
            return
        self.notice.emit(f"Saved {target}.")

    @Slot()
    def _delete(self) -> None:
        bucket, key = self.bucket, self._current_key()
        if bucket is None or key is None:
            return
        reply = self._desk.ask("delete_object", bucket, key)
        reply.done.connect(lambda _r: self._load_objects(bucket))
        reply.failed.connect(self.notice)
