"""Keeps the Dependencies panel and the runtime marker in step with the selected function: its report
after selection and after each run, a build's progress, Rebuild, and the workspace's AWS settings."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from ..core.child.aws_credentials import available_profiles
from ..core.workspace.aws_settings import AwsSettings, load_aws_settings, save_aws_settings
from ..core.function.function_config import FunctionConfig
from ..core.child.built_environment import BuildFailure
from ..engine.run_session import RunSession
from .dependencies_panel import DependenciesPanel
from .logs.log_panel import LogPanel
from .run_toolbar import RunToolbar
from ..core.vocabulary import EnvironmentState


class EnvironmentSection(QObject):
    notice = Signal(str)
    """A line for the status bar."""

    def __init__(self, panel: DependenciesPanel, toolbar: RunToolbar, log_panel: LogPanel, session: RunSession,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._panel, self._toolbar, self._log, self._session = panel, toolbar, log_panel, session
        self._folder: Path | None = None
        self._config: FunctionConfig | None = None
        self._build = None
        self.local_services = lambda: None
        """Where local-mode calls go (the window's WindowAws.local_services): None for the account."""
        panel.rebuild_requested.connect(self.rebuild)
        panel.aws_changed.connect(self._save_aws)
        session.environment_building.connect(self._on_building)

    def set_workspace(self, folder: Path) -> None:
        self._folder = folder
        settings = load_aws_settings(folder)
        self._session.set_aws(settings.profile, settings.region, dict(settings.endpoints), self.local_services())
        self._panel.set_aws(settings, available_profiles(dict(os.environ)))

    def set_function(self, config: FunctionConfig) -> None:
        self._config = config
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        if self._config is None:
            return
        report = self._session.describe_environment(self._config)
        self._panel.set_report(report)
        interpreter = report.interpreter
        self._toolbar.set_interpreter_warning(interpreter.warning if interpreter else None,
                                              interpreter.version if interpreter else "")

    @Slot()
    def rebuild(self) -> None:
        if self._config is None or self._build is not None:
            return
        self._build = build = self._session.rebuild_environment(self._config)
        name = self._config.name
        # To the function's own log, whichever the panel shows while the build goes on.
        self._log.append_to(name, [f"--- rebuilding {name}'s environment ---"])
        build.output.connect(partial(self._log.append_to, name))
        build.progress.connect(self._panel.set_building)
        build.finished.connect(self._on_rebuilt)

    @Slot(object)
    def _on_rebuilt(self, outcome) -> None:
        self._build = None
        self._panel.set_building("")
        if isinstance(outcome, BuildFailure):
            self._panel.set_build_failed(outcome.message)
            self.notice.emit(f"Rebuild failed: {outcome.message.splitlines()[0]}")
        else:
            self.notice.emit("Environment rebuilt; the next run starts cold.")
        self.refresh()

    @Slot(str, str)
    def _on_building(self, name: str, text: str) -> None:
        if self._config is not None and name == self._config.name:
            self._panel.set_building(text)
            if text:
                # The call waits for its environment: Stop cancels the install.
                self._toolbar.set_environment_state(EnvironmentState.BUILDING)
                self._toolbar.stop_action.setEnabled(True)
                self.notice.emit(f"{name}: {text}…")
            else:
                self.refresh()

    @Slot(object)
    def _save_aws(self, settings: AwsSettings) -> None:
        if self._folder is None:
            return
        try:
            save_aws_settings(self._folder, settings)
        except OSError as error:
            self.notice.emit(f"Could not save the AWS settings: {error.strerror or error}")
            return
        self._session.set_aws(settings.profile, settings.region, dict(settings.endpoints), self.local_services())
        self.notice.emit("AWS settings saved; environments start again with them.")
