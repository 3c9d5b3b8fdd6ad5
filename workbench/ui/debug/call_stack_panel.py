"""The Call Stack panel: the stopped thread's frames, innermost first; selecting one shows its variables."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ...core.debugging.debug_model import StackFrame

_FRAME = Qt.ItemDataRole.UserRole


class CallStackPanel(QWidget):
    sig_frame_selected = Signal(object)
    """The user (or a stop) selected a frame: its StackFrame."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("call_stack_panel")
        self.thread_label = QLabel(self)
        self.thread_label.setContentsMargins(4, 2, 4, 2)
        self.thread_label.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("call_stack")
        self.tree.setHeaderLabels(["Function", "Where"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setStretchLastSection(True)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.thread_label)
        layout.addWidget(self.tree, 1)
        self.clear("Not debugging. Set a breakpoint in the gutter, then Debug (F9).")

    def clear(self, note: str = "") -> None:
        self.tree.clear()
        self.thread_label.setText(note)

    def set_frames(self, frames: list[StackFrame], thread: str, why: str, folder: str | None = None) -> None:
        """The stopped thread's frames (innermost first); the first is selected."""
        self.tree.blockSignals(True)
        self.tree.clear()
        for frame in frames:
            where = _short_path(frame.path, folder) if frame.path else "(no file)"
            item = QTreeWidgetItem([frame.name, f"{where}:{frame.line}"])
            item.setToolTip(1, f"{frame.path}:{frame.line}")
            item.setData(0, _FRAME, frame)
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
        self.tree.blockSignals(False)
        self.thread_label.setText(f"Stopped ({why}) in thread {thread}")
        if frames:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def frames(self) -> list[StackFrame]:
        return [self.tree.topLevelItem(i).data(0, _FRAME) for i in range(self.tree.topLevelItemCount())]

    def select(self, index: int) -> None:
        self.tree.setCurrentItem(self.tree.topLevelItem(index))

    @Slot(object, object)
    def _on_current_changed(self, current, _previous) -> None:
        if current is not None:
            self.sig_frame_selected.emit(current.data(0, _FRAME))


def _short_path(path: str, folder: str | None) -> str:
    """A workspace file relative to it; another (a dependency's) by its last two parts."""
    if folder:
        try:
            relative = os.path.relpath(path, folder)
            if not relative.startswith(".."):
                return relative
        except ValueError:
            pass
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[-2:])
