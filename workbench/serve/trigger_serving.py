"""The window's triggers live from launch: while the open workspace declares triggers and its functions' calls
are local, an Invoke API of the window's own run session on a free loopback port is registered with the
workspace's services host (engine/trigger_link.py), so an item written by a run the user started, an object
put, a message sent runs the triggered function in the window, each call a run in its History.

The Serve tab registers its own Invoke API while it serves; when it stops, this one is registered again."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from ..core.services.settings import LOCAL, SettingsError, load_services_settings
from ..core.triggers.trigger_reader import load_triggers
from ..engine.run_session import RunSession
from ..engine.trigger_link import link_triggers, unlink_triggers
from .server import ServeOptions, ServeServer

# Named as the window's AWS side names it (ui/aws/window_aws.py); serve/ does not import ui/.
AT_LAUNCH_VARIABLE = "LAMBDA_WORKBENCH_SERVICES_AT_LAUNCH"


class TriggerServing(QObject):
    notice = Signal(str)
    """A line for the status bar (triggers live, or why they are off)."""

    def __init__(self, session: RunSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.server: ServeServer | None = None
        self.folder: Path | None = None
        self._task: asyncio.Future | None = None

    @Slot(str)
    def follow_workspace(self, folder: str) -> None:
        """Another workspace is open: serve its triggers (or none)."""
        if self.server is None and not _wants_triggers(Path(folder)):
            return  # nothing to start or stop (and no event loop needed)
        self._task = asyncio.ensure_future(self._follow(Path(folder)))

    @Slot()
    def relink(self) -> None:
        """Register this Invoke API again (the Serve tab's stopped and unregistered its own)."""
        if self.server is not None and self.folder is not None:
            self._task = asyncio.ensure_future(self._link(self.folder, self.server))

    async def _follow(self, folder: Path) -> None:
        await self.stop()
        if not _wants_triggers(folder):
            return
        server = ServeServer(folder, ServeOptions("127.0.0.1", 0, 0), session=self._session, parent=self)
        try:
            await server.start()
        except OSError as error:
            self.notice.emit(f"Triggers are off: {error}")
            server.deleteLater()
            return
        self.server, self.folder = server, folder
        await self._link(folder, server)

    async def _link(self, folder: Path, server: ServeServer) -> None:
        try:
            lines = await asyncio.to_thread(link_triggers, folder, None, server.lambda_url)
        except Exception as error:  # noqa: BLE001 - the window goes on; the triggers stay off and say why
            self.notice.emit(f"Triggers are off: {error}")
            return
        if lines:
            self.notice.emit(lines[-1])

    async def stop(self) -> None:
        server, folder, self.server, self.folder = self.server, self.folder, None, None
        if server is None:
            return
        await asyncio.to_thread(unlink_triggers, folder, server.lambda_url)
        await server.stop()
        server.deleteLater()

    @property
    def lambda_url(self) -> str | None:
        return self.server.lambda_url if self.server is not None else None


def _wants_triggers(folder: Path) -> bool:
    # The same switch as the host's start at launch (the test suite opens hundreds of windows without hosts).
    if os.environ.get(AT_LAUNCH_VARIABLE, "1") == "0":
        return False
    try:
        if load_services_settings(folder).calls != LOCAL:
            return False
    except SettingsError:
        return False
    return bool(load_triggers(folder).triggers)
