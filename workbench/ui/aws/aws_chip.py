"""The toolbar chip that says where the functions' AWS calls go — "AWS: local", or "AWS: account (profile,
region)" — and switches it: its menu picks local or account, the services kept on the account in local
mode, and whether SES refuses unverified senders as a new account's sandbox does."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from ...core.services.settings import ACCOUNT, LOCAL, ServicesSettings


def chip_text(settings: ServicesSettings, profile: str | None, region: str | None) -> str:
    if settings.local:
        return "AWS: local" + (f" (+{len(settings.keep_on_account)} on account)" if settings.keep_on_account else "")
    return f"AWS: account ({profile or 'default'}, {region})" if region else f"AWS: account ({profile or 'default'})"


def chip_tip(settings: ServicesSettings) -> str:
    if settings.local:
        kept = ", ".join(settings.keep_on_account)
        return ("The functions' AWS calls go to this workspace's local services (nothing leaves the machine)"
                + (f"; {kept} stay on your account" if kept else "") + ". Click to change.")
    return "The functions' AWS calls go to your AWS account with your credentials. Click to change."


class AwsChip(QToolButton):
    settings_requested = Signal(object)
    """The user chose other settings (a core.services.settings.ServicesSettings) for the workspace."""
    keep_on_account_requested = Signal()
    """Edit the services kept on the account (the window asks which)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aws_chip")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setAutoRaise(False)
        self._settings = ServicesSettings()
        self._full_text = ""
        self._watched: QWidget | None = None
        menu = QMenu(self)
        group = QActionGroup(self)
        self.local_action = QAction("Local services (this machine)", group, checkable=True)
        self.account_action = QAction("AWS account (your credentials)", group, checkable=True)
        self.local_action.triggered.connect(lambda: self._request(calls=LOCAL))
        self.account_action.triggered.connect(lambda: self._request(calls=ACCOUNT))
        menu.addAction(self.local_action)
        menu.addAction(self.account_action)
        menu.addSeparator()
        self.keep_action = menu.addAction("Services Kept on the Account…")
        self.keep_action.setToolTip("In local mode, these services' calls still go to your account (e.g. "
                                    "bedrock-runtime)")
        self.keep_action.triggered.connect(self.keep_on_account_requested)
        self.sandbox_action = QAction("Reproduce the SES Sandbox", menu, checkable=True)
        self.sandbox_action.setToolTip("Sends from an address not verified first are refused with MessageRejected, "
                                       "as on a new AWS account")
        self.sandbox_action.triggered.connect(lambda checked: self._request(ses_sandbox=checked))
        menu.addAction(self.sandbox_action)
        self.setMenu(menu)
        self.set_settings(ServicesSettings(), None, None)

    @property
    def settings(self) -> ServicesSettings:
        return self._settings

    def set_settings(self, settings: ServicesSettings, profile: str | None, region: str | None) -> None:
        self._settings = settings
        self._full_text = chip_text(settings, profile, region)
        self.setToolTip(self._full_text + ". " + chip_tip(settings))
        self._fit()
        self.local_action.setChecked(settings.local)
        self.account_action.setChecked(not settings.local)
        self.sandbox_action.setChecked(settings.ses_sandbox)
        self.keep_action.setText(f"Services Kept on the Account ({len(settings.keep_on_account)})…"
                                 if settings.keep_on_account else "Services Kept on the Account…")

    @property
    def full_text(self) -> str:
        return self._full_text

    # --- Qt overrides

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.parentWidget() is not self._watched:
            self._watched = self.parentWidget()
            self._watched.installEventFilter(self)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._watched and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    # --- Internals

    def _fit(self) -> None:
        """The whole text where the toolbar has room; elided (whole in the tooltip) where it has not, so the
        run badge beside it is never pushed out of a narrow window."""
        bar = self.parentWidget()
        metrics = self.fontMetrics()
        padding = self.sizeHint().width() - metrics.horizontalAdvance(self.text())
        room = metrics.horizontalAdvance(self._full_text) + padding
        if bar is not None and bar.isVisible():
            room = bar.width() - (bar.sizeHint().width() - self.sizeHint().width())
        text = self._full_text
        if metrics.horizontalAdvance(text) + padding > room:
            least = metrics.horizontalAdvance("AWS: acc…")
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(room - padding, least))
        if text != self.text():
            self.setText(text)

    def _request(self, **changes) -> None:
        self.settings_requested.emit(replace(self._settings, **changes))
