"""The Dependencies section of the window: what the selected function's environment is made of (the
interpreter, the manifest and its cache entry, packages, layers, the SDK, deploy parity, the size against
250 MB), a Rebuild button, the progress of a build, and the workspace's AWS access settings."""

from __future__ import annotations

import datetime
import time

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPushButton, QScrollArea, QVBoxLayout, QWidget)

from ..core.workspace.aws_settings import AwsSettings
from ..core.child.environment_report import EnvironmentReport
from ..core.function.function_config import runtime_family

_WARNING_COLOUR = "#b7791f"
_ERROR_COLOUR = "#c53030"


class DependenciesPanel(QScrollArea):
    rebuild_requested = Signal()
    """Rebuild was pressed: discard the function's cache entries and install them again."""
    aws_changed = Signal(object)
    """The AWS settings were applied (an AwsSettings) and should be saved for the workspace."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dependencies_panel")
        self.setWidgetResizable(True)
        # Everything wraps to the panel's width: a narrow window never hides a finding to the right.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)

        header = QHBoxLayout()
        self.title = QLabel("<b>Dependencies</b>", body)
        self.status = QLabel("", body, objectName="build_status")
        self.rebuild_button = QPushButton("Rebuild", body, objectName="rebuild")
        self.rebuild_button.setToolTip("Install the function's dependencies again into a new cache entry; "
                                       "the next run starts cold")
        self.rebuild_button.clicked.connect(self.rebuild_requested)
        header.addWidget(self.title)
        header.addWidget(self.status, 1)
        header.addWidget(self.rebuild_button)
        layout.addLayout(header)

        facts = QFormLayout()
        facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._values: dict[str, QLabel] = {}
        for key, label in (("interpreter", "Interpreter"), ("manifest", "Manifest"), ("entry", "Cache entry"),
                           ("sdk", "Runtime SDK"), ("size", "Size")):
            value = QLabel("", body, objectName=f"dep_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts.addRow(label, value)
            self._values[key] = value
        layout.addLayout(facts)

        self.packages = QListWidget(body, objectName="dep_packages")
        self.packages.setMinimumHeight(90)
        self.packages.setWordWrap(True)
        self.packages.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.packages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(QLabel("Packages, layers and parity findings", body))
        layout.addWidget(self.packages, 1)

        aws = QGroupBox("AWS access (this workspace)", body)
        form = QFormLayout(aws)
        self.profile = QComboBox(aws, objectName="aws_profile")
        self.profile.setEditable(True)
        self.profile.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.profile.setMinimumContentsLength(8)
        self.profile.lineEdit().setPlaceholderText("default chain (environment, AWS_PROFILE, ~/.aws)")
        self.region = QLineEdit(aws, objectName="aws_region")
        self.region.setPlaceholderText("the function's (us-east-1)")
        self.endpoint = QLineEdit(aws, objectName="aws_endpoint")
        self.endpoint.setPlaceholderText("AWS_ENDPOINT_URL, e.g. http://localhost:4566")
        apply = QPushButton("Apply", aws, objectName="aws_apply")
        apply.setToolTip("Save in workbench.json; environments started from now on use it (no secret is stored)")
        apply.clicked.connect(self._apply_aws)
        form.addRow("Profile", self.profile)
        form.addRow("Region", self.region)
        form.addRow("Endpoint URL", self.endpoint)
        form.addRow("", apply)
        layout.addWidget(aws)
        self.setWidget(body)

        self._build_started = 0.0
        self._build_text = ""
        self._tick_timer = QTimer(self, interval=200, timeout=self._tick)
        self._endpoints: tuple[tuple[str, str], ...] = ()

    # --- Public interface ----------------------------------------------------------------------

    def set_report(self, report: EnvironmentReport) -> None:
        self.title.setText(f"<b>Dependencies</b> — {report.function}")
        interpreter = report.interpreter
        values = self._values
        if interpreter is None:
            values["interpreter"].setText("the function's own bootstrap" if runtime_family(report.runtime)
                                          == "provided" else "none found")
            values["interpreter"].setToolTip("")
        else:
            text = f"{interpreter.version} ({interpreter.source}) {_breakable(interpreter.path)}"
            if interpreter.warning:
                text = f"<span style='color:{_WARNING_COLOUR}'>⚠ {text}: not {report.runtime}</span>"
            values["interpreter"].setText(text)
            values["interpreter"].setToolTip(interpreter.warning or "")
        values["manifest"].setText(_breakable(report.manifest) if report.manifest else "none (requirements.txt, pyproject.toml + uv.lock, "
                                   "package.json + lock file)")
        if report.entry is None:
            values["entry"].setText("—")
        else:
            when = (datetime.datetime.fromtimestamp(report.entry_built_at).strftime("built %Y-%m-%d %H:%M")
                    if report.entry_built_at else "not built yet: the next run installs it")
            values["entry"].setText(f"{when}\n{_breakable(report.entry)}")
        values["sdk"].setText(_breakable(report.sdk))
        megabytes = report.size_bytes / 1024 / 1024
        size = f"{megabytes:.1f} MB of 250 MB unzipped (code, dependencies, layers)"
        values["size"].setText(f"<span style='color:{_ERROR_COLOUR}'>{size}: over Lambda's limit</span>"
                               if report.over_limit else size)
        self.packages.clear()
        for package in report.packages:
            self.packages.addItem(f"{package.name} {package.version}")
        for number, layer in enumerate(report.layers, start=1):
            where = layer.content_dir or "not available offline"
            item = QListWidgetItem(f"layer {number}: {layer.name} — {where}")
            if layer.content_dir is None:
                item.setForeground(QColor(_WARNING_COLOUR))
            self.packages.addItem(item)
        for finding in report.findings:
            item = QListWidgetItem(f"⚠ {finding.message}")
            item.setForeground(QColor(_ERROR_COLOUR))
            item.setToolTip(finding.message)
            self.packages.addItem(item)
        if self.packages.count() == 0:
            self.packages.addItem("no packages")

    def set_aws(self, settings: AwsSettings, profiles: list[str]) -> None:
        self.profile.clear()
        self.profile.addItems([""] + profiles)
        self.profile.setCurrentText(settings.profile or "")
        self.region.setText(settings.region or "")
        self._endpoints = settings.endpoints
        self.endpoint.setText(dict(settings.endpoints).get("AWS_ENDPOINT_URL", ""))

    @Slot(str)
    def set_building(self, text: str) -> None:
        """What a build is doing ("" when it is over): shown with its elapsed time."""
        if text and not self._build_text:
            self._build_started = time.monotonic()
        self._build_text = text
        self.rebuild_button.setEnabled(not text)
        if text:
            self._tick_timer.start()
            self._tick()
        else:
            self._tick_timer.stop()
            self.status.setText("")

    def set_build_failed(self, message: str) -> None:
        self.status.setText(f"<span style='color:{_ERROR_COLOUR}'>build failed</span>")
        self.status.setToolTip(message)

    # --- Internals -----------------------------------------------------------------------------

    @Slot()
    def _tick(self) -> None:
        elapsed = time.monotonic() - self._build_started
        self.status.setText(f"<span style='color:{_WARNING_COLOUR}'>{self._build_text} … {elapsed:.0f} s</span>")

    @Slot()
    def _apply_aws(self) -> None:
        endpoints = dict(self._endpoints)
        url = self.endpoint.text().strip()
        if url:
            endpoints["AWS_ENDPOINT_URL"] = url
        else:
            endpoints.pop("AWS_ENDPOINT_URL", None)
        self.aws_changed.emit(AwsSettings(self.profile.currentText().strip() or None,
                                              self.region.text().strip() or None, tuple(sorted(endpoints.items()))))


def _breakable(path: str) -> str:
    """A path that may wrap after each slash (a label wraps only at spaces otherwise)."""
    return path.replace("/", "/\u200b")
