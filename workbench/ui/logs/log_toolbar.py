"""The row above the log: search with its steps and match count, Filter, level, the line count, Copy (with its
menu: wrap, raw lines, JSON columns, save) and Clear. It fits the log column of a 1024-pixel window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget

from workbench.core.lambda_rules.log_levels import LEVELS
from workbench.ui.elided_label import ElidedLabel


class LogToolbar(QWidget):
    """The widgets of the row; the panel connects them (its slots are passed in, the row owns no behaviour)."""

    def __init__(self, parent: QWidget, *, step, copy, clear, apply_filter, ask_save) -> None:
        super().__init__(parent)
        self.search = QLineEdit(objectName="log_search", placeholderText="Search logs", clearButtonEnabled=True,
                                minimumWidth=44, maximumWidth=260,
                                toolTip="Search the log (Ctrl+F): Enter and Shift+Enter step through the matches")
        previous = self._tool_button("log_previous", "", "Previous match (Shift+Enter)", lambda: step(-1))
        previous.setArrowType(Qt.ArrowType.UpArrow)
        following = self._tool_button("log_next", "", "Next match (Enter)", lambda: step(1))
        following.setArrowType(Qt.ArrowType.DownArrow)
        # Both counts grow with the log: elided rather than widening the row, so the splitters beside the log
        # never move as lines arrive (and the row fits the log column of a 1024-pixel window).
        self.match_label = ElidedLabel(objectName="log_match_label", minimum_text="9 of 9")
        self.count_label = ElidedLabel("0 lines", objectName="log_count_label", minimum_text="99 lines",
                                       mode=Qt.TextElideMode.ElideLeft)
        self.count_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # Wrap, Raw, Columns and Save sit in Copy's menu: the row must fit the log column of a 1024-pixel window.
        copy_button = self._tool_button("log_copy", "Copy", "Copy the selected lines as the function wrote them, "
                                        "or the whole log when nothing is selected (the arrow: wrap, raw lines, "
                                        "JSON columns, save to a file)", copy)
        copy_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(copy_button)
        self.wrap_action = menu.addAction("&Wrap Long Lines")
        self.wrap_action.setObjectName("log_wrap")
        self.wrap_action.setCheckable(True)
        # On by default: read lines are short, and a REPORT cut at the edge hides its figures.
        self.wrap_action.setChecked(True)
        self.raw_action = menu.addAction("Show &Raw Lines")
        self.raw_action.setObjectName("log_raw")
        self.raw_action.setCheckable(True)
        self.raw_action.setToolTip("Each line exactly as the runtime wrote it (timestamps and request ids in full)")
        self.records_action = menu.addAction("JSON Records in &Columns")
        self.records_action.setCheckable(True)
        menu.addAction("&Save Log to File…", ask_save).setObjectName("log_save")
        copy_button.setMenu(menu)
        self.filter_button = self._tool_button(
            "log_filter", "Filter", "Show only the lines that contain the search text, as the runtime wrote them "
            "(each run's START stays)", apply_filter)
        self.filter_button.setCheckable(True)
        self.level = QComboBox(objectName="log_level")
        self.level.addItem("All", None)
        for level in LEVELS:
            self.level.addItem(f"{level}+" if level != "DEBUG" else level, level)
        self.level.setToolTip("Level filter: show lines at this level or more severe (a print counts as INFO)")
        self.level.currentIndexChanged.connect(apply_filter)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        # The search box takes the room there is, up to its maximum; the counts go to the right.
        row.addWidget(self.search, 3)
        for widget in (previous, following, self.match_label, self.filter_button, self.level):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.count_label)
        row.addSpacing(4)
        row.addWidget(copy_button)
        row.addWidget(self._tool_button("log_clear", "Clear", "Clear the log", clear))

    def _tool_button(self, name: str, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton(self, objectName=name, text=text, toolTip=tip, autoRaise=True)
        button.clicked.connect(slot)
        return button
