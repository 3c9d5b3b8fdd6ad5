"""Preferences and window state, typed, behind one facade over an injected QSettings."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class AppSettings:
    """Only preferences, window state and recent workspaces live here; function settings live in the workspace."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    # --- Workspaces ----------------------------------------------------------------------------

    def recent_workspaces(self) -> list[str]:
        value = self._settings.value("workspaces/recent", [])
        # QSettings returns a bare string for a one-item list on some backends.
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(item) for item in items if item]

    def last_workspace(self) -> str | None:
        recent = self.recent_workspaces()
        return recent[0] if recent else None

    def remember_workspace(self, folder: str) -> None:
        recent = [folder] + [f for f in self.recent_workspaces() if f != folder]
        self._settings.setValue("workspaces/recent", recent[:MAX_RECENT])

    def forget_recent_workspaces(self) -> None:
        """Clear Recent Workspaces: all but the newest, the one open, which the next launch reopens."""
        self._settings.setValue("workspaces/recent", self.recent_workspaces()[:1])

    def last_function(self, folder: str) -> str | None:
        value = self._settings.value(f"functions/{_key(folder)}")
        return str(value) if value else None

    def remember_function(self, folder: str, name: str) -> None:
        self._settings.setValue(f"functions/{_key(folder)}", name)

    def last_preset(self, folder: str, function_name: str) -> str | None:
        value = self._settings.value(f"presets/{_key(folder)}|{function_name}")
        return str(value) if value else None

    def remember_preset(self, folder: str, function_name: str, preset_name: str) -> None:
        self._settings.setValue(f"presets/{_key(folder)}|{function_name}", preset_name)

    # --- Window --------------------------------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def splitter_state(self, name: str) -> QByteArray | None:
        return self._bytes(f"window/splitter/{name}")

    def save_window(self, geometry: QByteArray, state: QByteArray, splitters: dict[str, QByteArray]) -> None:
        self._settings.setValue("window/geometry", geometry)
        self._settings.setValue("window/state", state)
        for name, value in splitters.items():
            self._settings.setValue(f"window/splitter/{name}", value)

    def theme(self) -> str:
        value = str(self._settings.value("view/theme", "system"))
        return value if value in ("system", "light", "dark") else "system"

    def set_theme(self, theme: str) -> None:
        if theme == "system":
            self._settings.remove("view/theme")
        else:
            self._settings.setValue("view/theme", theme)

    def sync(self) -> None:
        self._settings.sync()


def _key(folder: str) -> str:
    # QSettings keys treat '/' as nesting; a folder path must be one key.
    return folder.replace("/", "|")
