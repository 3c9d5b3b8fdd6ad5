"""The function settings form: handler, runtime, memory, timeout, architecture, interpreter, logging
controls and environment variables, checked against Lambda's own rules as the user types."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from workbench.core.child.process_variables import environment_problems
from workbench.core.function.function_config import ARCHITECTURES, RUNTIMES, FunctionConfig, validate_config
from workbench.core.privacy.secret_values import looks_secret
from workbench.ui.elided_label import ElidedLabel
from workbench.ui.logging_fields import LOGGING_FIELDS, LoggingFields

MASK = "••••••"
ValueRole = Qt.ItemDataRole.UserRole
_FIELDS = ("handler", "runtime", "memory_mb", "timeout_s", "architecture", "interpreter", "environment")
_NAME, _VALUE, _FROM = 0, 1, 2
_NAME_WIDTH, _FROM_WIDTH = 125, 100


class FunctionSettings(QWidget):
    """Edits one FunctionConfig. Invalid input stays on screen with Lambda's message, never clamped."""

    sig_config_changed = Signal(object)
    """The user changed a setting and the result is a valid FunctionConfig (sent once per distinct config)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._base = FunctionConfig(name="", handler="", runtime=RUNTIMES[0], code_dir="")
        self._last_config: FunctionConfig | None = None
        self._updating = False

        self._handler = QLineEdit(objectName="handler", placeholderText="module.function")
        self._runtime = QComboBox(objectName="runtime")
        self._memory = QSpinBox(objectName="memory", suffix=" MB")
        self._timeout = QSpinBox(objectName="timeout", suffix=" s")
        # Wider than Lambda's ranges on purpose: a typed 20000 stays visible and is refused in
        # Lambda's words, where a spin box limited to 10240 would swallow the keystroke unexplained.
        self._memory.setRange(0, 999_999)
        self._timeout.setRange(0, 99_999)
        self._architecture = QComboBox(objectName="architecture")
        self._architecture.addItems(ARCHITECTURES)
        self._interpreter = QLineEdit(objectName="interpreter", placeholderText="default")
        self._interpreter.setToolTip("Python or Node executable for this function; empty for the default")
        self._scale_cpu = QCheckBox("Scaled to memory", objectName="scale_cpu")
        self._scale_cpu.setToolTip(
            "Lambda's share of the memory size: CPU in proportion to memory (1,769 MB = one vCPU; 128 MB gets "
            "7% of one), so Duration and cost are Lambda's. Off: this machine's full CPU.")

        self._env = QTableWidget(0, 3, objectName="environment")
        self._env.setHorizontalHeaderLabels(["Name", "Value", "From"])
        header = self._env.horizontalHeader()
        header.setSectionResizeMode(_NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(_VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(_FROM, QHeaderView.ResizeMode.Interactive)
        self._env.setColumnWidth(_NAME, _NAME_WIDTH)
        self._env.setColumnWidth(_FROM, _FROM_WIDTH)
        # A narrow column (a 1024-pixel window) shares its width out instead of squeezing Value to nothing.
        self._env.viewport().installEventFilter(self)
        self._env_origins: dict[str, str] = {}
        # One line per variable; long values and origins are elided, whole in the tooltip and editor.
        self._env.setWordWrap(False)
        self._env.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._env.verticalHeader().setVisible(False)
        self._env.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Two rows at least, and it scrolls: with more, the column would not fit a 700-pixel-high screen.
        self._env.setMinimumHeight(self._env.verticalHeader().defaultSectionSize() * 2)
        self._add_row = QPushButton("Add", objectName="add_variable")
        self._remove_row = QPushButton("Remove", objectName="remove_variable")
        self._show_secrets = QCheckBox("Show secrets", objectName="show_secrets")
        self._show_secrets.setToolTip(
            "Values of variables named like TOKEN, SECRET, PASSWORD or KEY are hidden")

        self._problems = QLabel(objectName="problems", wordWrap=True)
        self._problems.setStyleSheet("color: #c62828;")
        self._problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._problems.hide()
        self._logging = LoggingFields(self)

        self._origins: dict[str, QLabel] = {}
        self._editors = dict(zip(_FIELDS, (self._handler, self._runtime, self._memory, self._timeout,
                                           self._architecture, self._interpreter, self._env)))
        self._editors.update(self._logging.editors)
        self._tooltips = {field: editor.toolTip() for field, editor in self._editors.items()}
        self._build_layout()
        self._connect()

    def _build_layout(self) -> None:
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        # Ten rows since the logging settings came: tight rows keep the window within a 700-pixel screen.
        grid.setVerticalSpacing(2)
        labels = ("Handler", "Runtime", "Memory", "Timeout", "Architecture", "Interpreter")
        for row, (field, text) in enumerate(zip(_FIELDS, labels)):
            editor = self._editors[field]
            grid.addWidget(QLabel(f"{text}:", buddy=editor), row, 0)
            if isinstance(editor, QSpinBox):
                editor.setMinimumWidth(editor.fontMetrics().horizontalAdvance("0000000 MB") + 40)
                grid.addWidget(editor, row, 1, Qt.AlignmentFlag.AlignLeft)
            else:
                grid.addWidget(editor, row, 1)
            grid.addWidget(self._origin_label(field), row, 2)
        grid.addWidget(QLabel("CPU:", buddy=self._scale_cpu), len(labels), 0)
        # No origin beside it: it may take that column too, and so does not widen the editors' one.
        grid.addWidget(self._scale_cpu, len(labels), 1, 1, 2)
        for row, field in enumerate(LOGGING_FIELDS, start=len(labels) + 1):
            grid.addWidget(self._logging.labels[field], row, 0)
            grid.addWidget(self._logging.editors[field], row, 1)
            grid.addWidget(self._origin_label(field), row, 2)

        env_title = QLabel("Environment variables")
        bold = QFont(env_title.font())
        bold.setBold(True)
        env_title.setFont(bold)
        env_header = QHBoxLayout()
        env_header.addWidget(env_title)
        env_header.addWidget(self._origin_label("environment"))
        env_header.addStretch(1)
        env_header.addWidget(self._show_secrets)
        buttons = QHBoxLayout()
        buttons.addWidget(self._add_row)
        buttons.addWidget(self._remove_row)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addSpacing(8)
        layout.addLayout(env_header)
        layout.addWidget(self._env, 1)
        layout.addLayout(buttons)
        layout.addWidget(self._problems)

    def _origin_label(self, field: str) -> QLabel:
        # Elided where the column is narrow, so a long template path never squeezes the editors nor widens
        # the window; the tooltip has it whole.
        label = ElidedLabel(objectName=f"origin_{field}", minimum_text="Globals…", mode=Qt.TextElideMode.ElideRight)
        label.setStyleSheet("color: palette(placeholder-text);")
        label.hide()
        self._origins[field] = label
        return label

    def _connect(self) -> None:
        self._handler.textChanged.connect(self._on_edited)
        # A long handler does not fit a narrow column: the whole of it is in the tooltip.
        self._handler.textChanged.connect(lambda text: self._handler.setToolTip(text))
        self._interpreter.textChanged.connect(self._on_edited)
        self._runtime.currentIndexChanged.connect(self._on_edited)
        self._architecture.currentIndexChanged.connect(self._on_edited)
        self._memory.valueChanged.connect(self._on_edited)
        self._timeout.valueChanged.connect(self._on_edited)
        self._scale_cpu.toggled.connect(self._on_edited)
        self._env.itemChanged.connect(self._on_item_changed)
        self._add_row.clicked.connect(self._on_add_row)
        self._remove_row.clicked.connect(self._on_remove_row)
        self._show_secrets.toggled.connect(self._on_show_secrets)
        self._logging.sig_edited.connect(self._on_logging_edited)

    # Public interface

    def set_config(self, config: FunctionConfig) -> None:
        """Show `config`; this is not an edit, so nothing is signalled."""
        self._updating = True
        try:
            if config.name != self._base.name:
                # Another function's secrets start hidden again, whatever was shown for the last one.
                self._show_secrets.setChecked(False)
            self._base = config
            self._handler.setText(config.handler)
            # A handler longer than the field shows its start (the module), not its tail.
            self._handler.setCursorPosition(0)
            self._runtime.clear()
            self._runtime.addItems(RUNTIMES)
            if config.runtime not in RUNTIMES:
                self._runtime.addItem(config.runtime)  # shown, and reported as a problem
            self._runtime.setCurrentText(config.runtime)
            self._memory.setValue(config.memory_mb)
            self._timeout.setValue(config.timeout_s)
            if self._architecture.findText(config.architecture) < 0:
                self._architecture.addItem(config.architecture)
            self._architecture.setCurrentText(config.architecture)
            self._interpreter.setText(config.interpreter or "")
            self._interpreter.setCursorPosition(0)
            self._scale_cpu.setChecked(config.scale_cpu)
            self._logging.show_config(config)
            self._env.setRowCount(0)
            for name, value in config.environment:
                self._append_row(name, value)
        finally:
            self._updating = False
        self._last_config = config
        self._show_logging_origins()
        self._show_problems()

    def config(self) -> FunctionConfig:
        """The edited config; raises ValueError listing the problems when Lambda would refuse it."""
        problems = self.problems()
        if problems:
            raise ValueError("\n".join(problems))
        return self._current()

    def problems(self) -> list[str]:
        """Everything Lambda would refuse in the form as it stands, in Lambda's words where it has them."""
        config = self._current()
        return [p.message for p in validate_config(config)] + self._environment_problems()

    def set_origins(self, origins: dict[str, str]) -> None:
        """Say where each setting comes from, by FunctionConfig field: {"memory_mb": "Globals.Function"}."""
        for field, label in self._origins.items():
            origin = origins.get(field, "")
            label.setText(origin)
            label.setToolTip(f"Set in {origin}" if origin else "")
            label.setVisible(bool(origin))
            said = "\n".join(text for text in (self._tooltips[field], f"Set in {origin}") if text)
            self._editors[field].setToolTip(said if origin else self._tooltips[field])
        self._show_logging_origins()
        self._env_origins = {key[4:]: value for key, value in origins.items() if key.startswith("env:")}
        # The From column only earns its room when some value came from somewhere else.
        self._env.setColumnHidden(_FROM, not self._env_origins)
        self._share_columns()
        for row in range(self._env.rowCount()):
            self._render_origin(row)

    def variable_origin(self, name: str) -> str:
        """Where the variable's value came from, as the From column shows it ("" when unknown)."""
        return self._env_origins.get(name, "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._env.viewport() and event.type() == QEvent.Type.Resize:
            self._share_columns()
        return super().eventFilter(watched, event)

    # Protected interface

    def _share_columns(self) -> None:
        """Name and From at their usual widths when there is room, else at shares of it, Value keeping the most."""
        room = self._env.viewport().width()
        with_from = not self._env.isColumnHidden(_FROM)
        usual = _NAME_WIDTH + (_FROM_WIDTH if with_from else 0)
        scale = min(1.0, room * 0.6 / usual) if room > 0 else 1.0
        self._env.setColumnWidth(_NAME, int(_NAME_WIDTH * scale))
        if with_from:
            self._env.setColumnWidth(_FROM, int(_FROM_WIDTH * scale))


    def _current(self) -> FunctionConfig:
        return dataclasses.replace(
            self._base,
            handler=self._handler.text().strip(),
            runtime=self._runtime.currentText(),
            memory_mb=self._memory.value(),
            timeout_s=self._timeout.value(),
            architecture=self._architecture.currentText(),
            environment=tuple(self._rows()),
            interpreter=self._interpreter.text().strip() or None,
            scale_cpu=self._scale_cpu.isChecked(),
            **self._logging.values(),
        )

    def _rows(self) -> list[tuple[str, str]]:
        rows = []
        for row in range(self._env.rowCount()):
            name, value = self._env.item(row, _NAME), self._env.item(row, _VALUE)
            rows.append((name.text() if name else "", (value.data(ValueRole) or "") if value else ""))
        return rows

    def _environment_problems(self) -> list[str]:
        return [problem.message for problem in environment_problems(self._rows())]

    def _append_row(self, name: str, value: str) -> None:
        row = self._env.rowCount()
        self._env.insertRow(row)
        name_item = QTableWidgetItem(name)
        name_item.setToolTip(name)  # a long name is elided in the narrow column
        self._env.setItem(row, _NAME, name_item)
        value_item = QTableWidgetItem()
        value_item.setData(ValueRole, value)
        self._env.setItem(row, _VALUE, value_item)
        self._render_value(row)
        self._render_origin(row)

    def _render_origin(self, row: int) -> None:
        name = self._env.item(row, _NAME)
        origin = self._env_origins.get(name.text() if name else "", "")
        item = QTableWidgetItem(origin)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        item.setToolTip(f"Set in {origin}" if origin else "Set here")
        was_updating, self._updating = self._updating, True
        try:
            self._env.setItem(row, _FROM, item)
        finally:
            self._updating = was_updating

    def _render_value(self, row: int) -> None:
        """Show the real value, or the mask for a secret while secrets are hidden (then it is not editable:
        editing the mask would save the dots as the value)."""
        name, item = self._env.item(row, _NAME), self._env.item(row, _VALUE)
        if item is None:
            return
        value = item.data(ValueRole) or ""
        # An empty value has nothing to hide, and must stay editable so a new secret can be typed in.
        secret = looks_secret(name.text() if name else "")
        hidden = bool(value) and secret and not self._show_secrets.isChecked()
        was_updating, self._updating = self._updating, True
        try:
            item.setText(MASK if hidden else value)
            flags = item.flags()
            editable = Qt.ItemFlag.ItemIsEditable
            item.setFlags(flags & ~editable if hidden else flags | editable)
            item.setToolTip("Hidden: turn on Show secrets to see or edit it" if hidden else value)
        finally:
            self._updating = was_updating

    def _show_problems(self) -> list[str]:
        problems = self.problems()
        self._problems.setText("\n".join(problems))
        self._problems.setVisible(bool(problems))
        return problems

    @Slot()
    def _on_edited(self) -> None:
        if self._updating:
            return
        if not self._show_problems():
            config = self._current()
            if config != self._last_config:
                self._last_config = config
                self.sig_config_changed.emit(config)

    def _show_logging_origins(self) -> None:
        """A logging row's origin shows with its row (the level rows hide in Text format)."""
        for field in LOGGING_FIELDS:
            label = self._origins[field]
            label.setVisible(bool(label.text()) and self._logging.row_shown(field))

    @Slot()
    def _on_logging_edited(self) -> None:
        self._show_logging_origins()
        self._on_edited()

    @Slot(QTableWidgetItem)
    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._updating:
            return
        if item.column() == _VALUE:
            item.setData(ValueRole, item.text())
        elif item.column() == _NAME:
            self._updating = True  # a tooltip is item data too: setting it signals itemChanged again
            try:
                item.setToolTip(item.text())
            finally:
                self._updating = False
        self._render_value(item.row())
        self._on_edited()

    @Slot()
    def _on_add_row(self) -> None:
        self._append_row("", "")
        row = self._env.rowCount() - 1
        self._env.setCurrentCell(row, _NAME)
        self._env.editItem(self._env.item(row, _NAME))
        self._on_edited()

    @Slot()
    def _on_remove_row(self) -> None:
        rows = sorted({index.row() for index in self._env.selectedIndexes()} or {self._env.currentRow()})
        for row in reversed([r for r in rows if r >= 0]):
            self._env.removeRow(row)
        self._on_edited()

    @Slot(bool)
    def _on_show_secrets(self, _shown: bool) -> None:
        for row in range(self._env.rowCount()):
            self._render_value(row)
