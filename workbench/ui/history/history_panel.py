"""The History list: every recorded run of the workspace, newest first, filterable, with the run actions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QMenu,
                               QTableView, QToolButton, QVBoxLayout, QWidget)

from ...core.history.history_codec import OUTCOMES
from ...core.history.history_store import HistoryStore
from .history_model import HistoryTableModel, RunIdRole

_ALL = "All functions"
_ANY = "Any status"


class HistoryPanel(QWidget):
    """Lists runs and offers Run again, Save event as preset, Copy as command, Compare and Delete.

    It reads and deletes through the store; everything that touches the rest of the window is a signal.
    """

    sig_run_selected = Signal(str)
    """The user selected one run (its id): show it in the usual panels, marked as a past run."""
    sig_run_again_requested = Signal(str)
    """Run this run's event with its configuration again."""
    sig_save_event_requested = Signal(str)
    """Save this run's event as a new preset."""
    sig_copy_command_requested = Signal(str)
    """Put the `lambda-workbench invoke` line that repeats this run on the clipboard."""
    sig_compare_requested = Signal(str, str)
    """Compare two runs: (before, after)."""
    sig_notice = Signal(str)
    """One line for the status bar."""
    sig_sweep_calls_toggled = Signal(bool)
    """Sweep calls was ticked (a sweep's calls one by one, in the list and the charts) or unticked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_panel")
        self.model = HistoryTableModel(self)
        self._restoring = False
        self._build()

    # --- Public interface -------------------------------------------------------------------------

    def set_store(self, store: HistoryStore | None) -> None:
        self.model.set_store(store)
        self._reload_functions()
        self._update_count()

    def refresh(self) -> None:
        """Read the store again (a run was recorded), keeping the selected run selected."""
        selected = self.selected_ids()
        self._reload_functions()
        self.model.refresh()
        # Selecting again is not the user choosing a run: the panels keep showing the latest run.
        self._restoring = True
        try:
            for run_id in selected:
                self._select(run_id, QItemSelectionModel.SelectionFlag.Select)
        finally:
            self._restoring = False
        self._update_count()

    def set_function_filter(self, function: str | None) -> None:
        """Show one function's runs (None: every function's)."""
        self.function_filter.setCurrentText(function or _ALL)

    def selected_ids(self) -> list[str]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.summary(row).id for row in rows]

    def select_run(self, run_id: str) -> bool:
        """Select one run (fetching pages until it is found); False when it is not in the list."""
        while self.model.row_of(run_id) is None and self.model.canFetchMore():
            self.model.fetchMore()
        return self._select(run_id, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def compare_with_previous(self, succeeded: bool = False) -> None:
        """Compare the selected run with the run before it (or the last success before it)."""
        ids = self.selected_ids()
        store = self.model.store
        if len(ids) != 1 or store is None:
            return
        before = store.previous(ids[0], succeeded=succeeded)
        if before is None:
            self.sig_notice.emit("No earlier successful run of this function." if succeeded
                                 else "No earlier run of this function.")
            return
        self.sig_compare_requested.emit(before, ids[0])

    # --- Building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.function_filter = QComboBox(self, objectName="history_function_filter")
        self.function_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.function_filter.addItem(_ALL)
        self.status_filter = QComboBox(self, objectName="history_status_filter")
        self.status_filter.addItems([_ANY, *OUTCOMES])
        self.count_label = QLabel(self, objectName="history_count")
        self.sweep_calls = QCheckBox("Sweep calls", self, objectName="history_sweep_calls")
        self.sweep_calls.setToolTip("List a memory sweep's calls one by one, and chart them; unticked, each "
                                    "sweep is one row and the charts show the function's other runs")
        self.table = QTableView(self, objectName="history_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # Fixed widths that fit the longest usual text (a cost to the tenth of a micro-dollar); Function
        # takes what is left, so nothing is cut at 1024 pixels wide.
        widths = {0: 80, 2: 150, 3: 150, 4: 86, 5: 70, 6: 100, 7: 112, 8: 52, 9: 64}
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        # Small enough that the dock fits under the editors on a 700-pixel-high screen.
        self.table.setMinimumHeight(self.fontMetrics().height() * 3)

        self.run_again_action = QAction("Run Again", self, objectName="history_run_again")
        self.run_again_action.setToolTip("Run this run's event with its configuration again")
        self.save_event_action = QAction("Save Event as Preset…", self)
        self.copy_command_action = QAction("Copy as Command", self)
        self.copy_command_action.setToolTip("Copy the `lambda-workbench invoke` line that repeats this run")
        self.compare_action = QAction("Compare Selected", self)
        self.compare_action.setToolTip("Compare the two selected runs (select two with Ctrl+click)")
        self.compare_previous_action = QAction("Previous", self)
        self.compare_previous_action.setToolTip("Compare the selected run with the run of its function before it")
        self.compare_success_action = QAction("Last Success", self)
        self.compare_success_action.setToolTip("Compare the selected run with its function's last success before it")
        self.delete_action = QAction("Delete", self, objectName="history_delete")
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.delete_action)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.function_filter)
        top.addWidget(self.status_filter)
        top.addWidget(self.sweep_calls)
        top.addWidget(self.count_label, 1)
        run_again = QToolButton(self)
        run_again.setDefaultAction(self.run_again_action)
        top.addWidget(run_again)
        top.addSpacing(8)
        top.addWidget(QLabel("Compare with:", self))
        for action in (self.compare_previous_action, self.compare_success_action):
            button = QToolButton(self)
            button.setDefaultAction(action)
            top.addWidget(button)
        more = QToolButton(self, objectName="history_more")
        more.setText("More")
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(more)
        for action in (self.compare_action, self.save_event_action, self.copy_command_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        more.setMenu(menu)
        top.addWidget(more)
        column = QVBoxLayout(self)
        column.setContentsMargins(2, 2, 2, 2)
        column.setSpacing(2)
        column.addLayout(top)
        column.addWidget(self.table, 1)

        self.function_filter.currentTextChanged.connect(self._apply_filter)
        self.status_filter.currentTextChanged.connect(self._apply_filter)
        self.sweep_calls.toggled.connect(self._on_sweep_calls)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.customContextMenuRequested.connect(self._show_menu)
        self.run_again_action.triggered.connect(lambda: self._emit_single(self.sig_run_again_requested))
        self.save_event_action.triggered.connect(lambda: self._emit_single(self.sig_save_event_requested))
        self.copy_command_action.triggered.connect(lambda: self._emit_single(self.sig_copy_command_requested))
        self.compare_action.triggered.connect(self._compare_selected)
        self.compare_previous_action.triggered.connect(lambda: self.compare_with_previous(False))
        self.compare_success_action.triggered.connect(lambda: self.compare_with_previous(True))
        self.delete_action.triggered.connect(self.delete_selected)
        self.model.modelReset.connect(self._update_count)
        self._update_actions()

    # --- Slots ------------------------------------------------------------------------------------

    @Slot()
    def delete_selected(self) -> None:
        store = self.model.store
        ids = self.selected_ids()
        if store is None or not ids:
            return
        for run_id in ids:
            store.delete(run_id)
        self.model.refresh()
        self._reload_functions()
        self.sig_notice.emit(f"Deleted {len(ids)} run{'s' if len(ids) > 1 else ''} from the history.")

    @Slot()
    def _apply_filter(self, _text: str = "") -> None:
        function = self.function_filter.currentText()
        status = self.status_filter.currentText()
        self.model.set_filter(None if function in (_ALL, "") else function, None if status == _ANY else status)
        self._update_count()

    @Slot(bool)
    def _on_sweep_calls(self, shown: bool) -> None:
        self.model.set_sweep_runs(shown)
        self._update_count()
        self.sig_sweep_calls_toggled.emit(shown)

    def _reload_functions(self) -> None:
        store = self.model.store
        current = self.function_filter.currentText()
        names = store.functions() if store else []
        self.function_filter.blockSignals(True)
        self.function_filter.clear()
        self.function_filter.addItems([_ALL, *names])
        if current in names:
            self.function_filter.setCurrentText(current)
        self.function_filter.blockSignals(False)

    def _update_count(self) -> None:
        total = self.model.total()
        self.count_label.setText(f"{total:,} run{'' if total == 1 else 's'}")
        self._update_actions()

    def _update_actions(self) -> None:
        count = len(self.selected_ids()) if self.table.selectionModel() else 0
        for action in (self.run_again_action, self.save_event_action, self.copy_command_action,
                       self.compare_previous_action, self.compare_success_action):
            action.setEnabled(count == 1)
        self.compare_action.setEnabled(count == 2)
        self.delete_action.setEnabled(count >= 1)

    @Slot()
    def _on_selection_changed(self) -> None:
        self._update_actions()
        if self._restoring:
            return
        ids = self.selected_ids()
        current = self.table.currentIndex()
        if len(ids) == 1:
            self.sig_run_selected.emit(ids[0])
        elif current.isValid() and self.table.selectionModel().isRowSelected(current.row(), QModelIndex()):
            self.sig_run_selected.emit(self.model.data(current, RunIdRole))

    def _compare_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 2:
            # The list is newest first: the lower row is the earlier run.
            self.sig_compare_requested.emit(ids[1], ids[0])

    def _emit_single(self, signal) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            signal.emit(ids[0])

    def _show_menu(self, position) -> None:
        menu = QMenu(self)
        for action in (self.run_again_action, self.save_event_action, self.copy_command_action, None):
            menu.addSeparator() if action is None else menu.addAction(action)
        menu.addAction("Compare with Previous", self.compare_previous_action.trigger).setEnabled(
            self.compare_previous_action.isEnabled())
        menu.addAction("Compare with Last Success", self.compare_success_action.trigger).setEnabled(
            self.compare_success_action.isEnabled())
        menu.addAction(self.compare_action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _select(self, run_id: str, flag) -> bool:
        row = self.model.row_of(run_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(index, flag | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True
