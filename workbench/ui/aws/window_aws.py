"""The window's side of the local AWS services: the workspace's setting (the toolbar chip, saved in
workbench.json), the run session told where calls go, the services host started in the background at
launch when the workspace uses local services (ServicesHostWatch; the first Run does not wait), and the
AWS dock kept in step with the host and with each run."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from ...core.history.history_store import HistoryStore
from ...core.services.settings import (DEFAULT_REGION, LocalServices, ServicesSettings, SettingsError,
                                       load_services_settings, save_services_settings)
from ...core.services.workspace_resources import uses_local_services
from ...core.workspace.aws_settings import load_aws_settings
from ...engine.run_session import RunSession
from ...engine.services_desk import ServicesDesk
from ...engine.services_watch import ServicesHostWatch
from .aws_chip import AwsChip
from .aws_dock import AwsDock
from .keep_on_account_dialog import KeepOnAccountDialog
from .run_finder import RunFinder

# The suite opens hundreds of windows on workspaces with resources; it starts hosts where a test asks.
AT_LAUNCH_VARIABLE = "LAMBDA_WORKBENCH_SERVICES_AT_LAUNCH"


def confirm_reset(parent: QWidget) -> bool:
    answer = QMessageBox.question(parent, "Reset Local AWS", "Return every local service to the workspace's seed "
                                  "state? Objects, items, messages and emails written since are lost.")
    return answer == QMessageBox.StandardButton.Yes


class WindowAws(QObject):
    notice = Signal(str)
    """A line for the status bar."""

    def __init__(self, session: RunSession, history_store: Callable[[], HistoryStore | None],
                 parent: QWidget | None = None,
                 ask_keep: Callable[[tuple[str, ...]], tuple[str, ...] | None] | None = None,
                 ask_reset: Callable[[], bool] | None = None) -> None:
        """history_store() is the workspace's open history (the dock links what a run did to it);
        ask_keep(current) -> the services to keep on the account, or None (a dialog by default);
        ask_reset() whether to reset (a question by default)."""
        super().__init__(parent)
        self._session = session
        self.desk = ServicesDesk(self)
        self.dock = AwsDock(self.desk, RunFinder(history_store), parent)
        self.chip = AwsChip(parent)
        self._ask_keep = ask_keep or self._keep_with_dialog
        self._ask_reset = ask_reset or (lambda: confirm_reset(self.dock))
        self.folder: Path | None = None
        self.settings = ServicesSettings()
        self.watch: ServicesHostWatch | None = None
        self.chip.settings_requested.connect(self.change_settings)
        self.chip.keep_on_account_requested.connect(self._edit_keep_on_account)
        self.dock.start_requested.connect(self.start_services)
        self.dock.reset_requested.connect(self._reset)
        self.dock.notice.connect(self.notice)
        # What a run wrote or sent shows once it is recorded (the Outbox's count too).
        session.run_recorded.connect(lambda _run_id: self.dock.after_run())

    # --- The workspace

    def set_workspace(self, folder: Path) -> None:
        """Read the workspace's setting, tell the session, and start its host in the background when the
        workspace uses local services."""
        self._stop_watching()
        self.desk.set_host(None)
        self.folder = Path(folder)
        try:
            self.settings = load_services_settings(folder)
        except SettingsError as error:
            # Calls stay local (never to the account on a typo) until the setting is fixed.
            self.settings = ServicesSettings()
            self.notice.emit(str(error))
        self._show_settings()
        self.apply()
        if self.settings.local and uses_local_services(folder) and os.environ.get(AT_LAUNCH_VARIABLE, "1") != "0":
            # After the window is on screen: the watch's thread imports nothing here, but starting it is no
            # part of opening.
            QTimer.singleShot(0, self.start_services)
        else:
            self.dock.set_idle(self._idle_words(), can_start=True)

    def local_services(self) -> LocalServices | None:
        """Where the functions' calls go now: the workspace's services host in local mode, else None."""
        if self.folder is None or not self.settings.local:
            return None
        region = load_aws_settings(self.folder).region or DEFAULT_REGION
        record = self.watch.record if self.watch is not None else None
        return LocalServices(str(self.folder.absolute()), region, self.settings.keep_on_account,
                             record.endpoint if record is not None else None)

    def apply(self) -> None:
        """The session's AWS settings from the workspace's files and this mode (environments start again)."""
        if self.folder is None:
            return
        aws = load_aws_settings(self.folder)
        self._session.set_aws(aws.profile, aws.region, dict(aws.endpoints), self.local_services())

    def close(self) -> None:
        """The window closes: stop watching (the host stays warm for the next window or command)."""
        self._stop_watching()
        self.desk.close()

    # --- The host

    @Slot()
    def start_services(self) -> None:
        if self.folder is None:
            return
        if self.watch is None:
            region = load_aws_settings(self.folder).region or DEFAULT_REGION
            self.watch = ServicesHostWatch(self.folder, region, self)
            self.watch.ready.connect(self._on_ready)
            self.watch.failed.connect(self._on_failed)
        self.dock.set_idle("Starting the local AWS services…", can_start=False)
        self.watch.start()

    @Slot(str)
    def _on_ready(self, endpoint: str) -> None:
        if self.watch is None or self.watch.record is None:
            return
        self.desk.set_host(self.watch.record)
        if self.settings.local:
            # Environments started from now on get the host's endpoint; warm ones keep theirs unless the
            # host came back on another port, when theirs leads nowhere.
            self._session.use_services_endpoint(endpoint)
        self.notice.emit(f"Local AWS services ready at {endpoint}.")

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.desk.set_host(None)
        self.dock.set_idle(f"The local AWS services could not start: {message}", can_start=True)
        self.notice.emit(f"The local AWS services could not start: {message}")

    def _stop_watching(self) -> None:
        if self.watch is not None:
            self.watch.stop_watching()
            self.watch.deleteLater()
            self.watch = None

    # --- The setting

    @Slot(object)
    def change_settings(self, settings: ServicesSettings) -> None:
        if self.folder is None or settings == self.settings:
            return
        try:
            save_services_settings(self.folder, settings)
        except OSError as error:
            self.notice.emit(f"Could not save the AWS setting: {error.strerror or error}")
            self._show_settings()
            return
        switched = settings.calls != self.settings.calls
        self.settings = settings
        self._show_settings()
        self.apply()
        if switched:
            where = ("this workspace's local services" if settings.local else "your AWS account")
            self.notice.emit(f"The functions' AWS calls go to {where} from the next run (saved in workbench.json).")
        if settings.local and self.watch is None and uses_local_services(self.folder):
            self.start_services()
        elif not settings.local and self.watch is None:
            self.dock.set_idle(self._idle_words(), can_start=True)

    @Slot()
    def _edit_keep_on_account(self) -> None:
        services = self._ask_keep(self.settings.keep_on_account)
        if services is not None:
            self.change_settings(replace(self.settings, keep_on_account=tuple(services)))

    def _keep_with_dialog(self, current: tuple[str, ...]) -> tuple[str, ...] | None:
        dialog = KeepOnAccountDialog(current, self.dock)
        return dialog.services if dialog.exec() else None

    @Slot()
    def _reset(self) -> None:
        if not self.desk.available or not self._ask_reset():
            return
        reply = self.desk.ask("reset")
        reply.done.connect(lambda answer: self.notice.emit(
            "Local AWS services back to the seed state." + (f" {len(answer['warnings'])} warning(s): "
                                                            + answer["warnings"][0] if answer.get("warnings") else "")))
        reply.failed.connect(self.notice)

    def _show_settings(self) -> None:
        aws = load_aws_settings(self.folder) if self.folder is not None else None
        self.chip.set_settings(self.settings, aws.profile if aws else None, aws.region if aws else None)

    def _idle_words(self) -> str:
        if not self.settings.local:
            return ("The functions' AWS calls go to your account. The workspace's local services can still be "
                    "started and looked at here.")
        return ("The local AWS services start on the first run that calls AWS, or now. The template's resources "
                "and the seed/ folder are created in them.")
