"""File > New Function: a name, a runtime and a handler; the handler's file is created from a starter."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from ..core.function.function_config import CUSTOM_RUNTIMES, NODE_RUNTIMES, PYTHON_RUNTIMES
from ..core.function.function_starters import default_handler
from ..core.function.new_function import code_folder_problem

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # Lambda's function name characters


class NewFunctionDialog(QDialog):
    """Asks for the function; `values()` gives (name, runtime, handler, code folder) once accepted."""

    def __init__(self, parent: QWidget | None = None, taken: set[str] = frozenset()) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Function")
        self._taken = set(taken)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("e.g. OrderConfirmation")
        self.runtime = QComboBox(self)
        self.runtime.addItems([*PYTHON_RUNTIMES, *NODE_RUNTIMES, *CUSTOM_RUNTIMES])
        self.runtime.setCurrentText("python3.12")
        self.handler = QLineEdit(default_handler("python3.12"), self)
        self.folder = QLineEdit(self)
        self.folder.setPlaceholderText("the function's code folder inside the workspace")
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Runtime:", self.runtime)
        form.addRow("Handler:", self.handler)
        form.addRow("Code folder:", self.folder)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # Every field wide enough for its longest text (the folder's hint, a long handler), so nothing reads
        # clipped; the form's fields take the width the dialog gets.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(text) for text in
                     (self.folder.placeholderText(), "lambda_function.lambda_handler", *self._runtimes()))
        for field in (self.name, self.runtime, self.handler, self.folder):
            field.setMinimumWidth(widest + 4 * metrics.averageCharWidth())
        # Room for a two-line problem without the dialog jumping as it appears and goes.
        self.problem.setMinimumHeight(2 * metrics.lineSpacing() + 4)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumSize(self.sizeHint())
        self._handler_edited = False
        self._folder_edited = False
        self.handler.textEdited.connect(lambda _text: setattr(self, "_handler_edited", True))
        self.folder.textEdited.connect(lambda _text: setattr(self, "_folder_edited", True))
        self.runtime.currentTextChanged.connect(self._on_runtime)
        self.name.textChanged.connect(self._on_name)
        self.folder.textChanged.connect(lambda _text: self._check())
        self._check()

    def _runtimes(self) -> list[str]:
        return [self.runtime.itemText(row) for row in range(self.runtime.count())]

    def values(self) -> tuple[str, str, str, str]:
        return self.name.text().strip(), self.runtime.currentText(), self.handler.text().strip(), \
            self.folder.text().strip()

    def _on_runtime(self, runtime: str) -> None:
        if not self._handler_edited:
            self.handler.setText(default_handler(runtime))
        self._check()

    def _on_name(self, name: str) -> None:
        # The code folder follows the name (order_confirmation for OrderConfirmation) until edited.
        if not self._folder_edited:
            self.folder.setText(re.sub(r"(?<!^)(?=[A-Z])", "_", name.strip()).lower().replace("-", "_"))
        self._check()

    def _check(self) -> None:
        name, _runtime, handler, folder = self.values()
        problem = None
        if not _NAME.match(name):
            problem = "A function name has 1 to 64 letters, digits, - or _."
        elif name in self._taken:
            problem = f"{name} already exists in this workspace."
        elif "." not in handler.strip(".") or handler.startswith("."):
            problem = "The handler reads module.function, e.g. lambda_function.lambda_handler."
        else:
            problem = code_folder_problem(folder)
        self.problem.setText(problem or "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)
