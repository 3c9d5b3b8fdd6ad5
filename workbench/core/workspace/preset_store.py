"""Event presets as plain JSON files in a workspace: events/<name>.json (shared) and
events/<FunctionName>/<name>.json (one function's), listed tolerantly and written atomically."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from workbench.core.workspace.atomic_write import remove_stale_temp_files, write_text_atomic
from workbench.core.text.json_check import check_json

EVENTS_DIR = "events"
EXTENSION = ".json"
SHARED = "shared"
FUNCTION = "function"
MAX_NAME_LENGTH = 100
# Characters Windows refuses in file names; a preset shared in git must check out everywhere.
RESERVED_CHARACTERS = '<>:"|?*'
WINDOWS_DEVICE_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"COM{i}" for i in range(1, 10)] + [f"LPT{i}" for i in range(1, 10)])


class PresetError(ValueError):
    """A preset could not be read, saved, renamed or deleted; the message names the file."""

    def __init__(self, message: str, path: Path | None = None):
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Preset:
    """One event file. `problem` is set (and `text` is the raw content) when the file does not parse."""

    name: str
    path: Path
    scope: str  # SHARED or FUNCTION
    text: str
    problem: str | None = None

    @property
    def is_broken(self) -> bool:
        return self.problem is not None


def check_preset_name(name: str) -> str | None:
    """Why `name` cannot name a preset file, or None when it can."""
    if not name or not name.strip():
        return "A preset name cannot be empty."
    if name != name.strip():
        return "A preset name cannot start or end with a space."
    if "/" in name or "\\" in name:
        return "A preset name cannot contain / or \\."
    if ".." in name:
        return "A preset name cannot contain '..'."
    if name.startswith("."):
        return "A preset name cannot start with a dot (the file would be hidden)."
    if name.endswith("."):
        return "A preset name cannot end with a dot."
    # Format characters include the bidi overrides that make a name read differently than it sorts;
    # the zero-width joiner stays allowed because emoji sequences need it.
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch != "\u200d" for ch in name):
        return "A preset name cannot contain control characters."
    bad = sorted({ch for ch in name if ch in RESERVED_CHARACTERS})
    if bad:
        return f"A preset name cannot contain {' '.join(bad)} (not allowed in file names on Windows)."
    if name.lower().endswith(EXTENSION):
        return "Leave out the .json extension: it is added for you."
    # The file name limit is 255 bytes, and a non-ASCII character takes up to 4 of them.
    if len(name) > MAX_NAME_LENGTH or len((name + EXTENSION).encode("utf-8")) > 255:
        return f"A preset name can be at most {MAX_NAME_LENGTH} characters long."
    if name.split(".")[0].upper() in WINDOWS_DEVICE_NAMES:
        return f"'{name}' is a reserved device name on Windows."
    return None


def json_problem(text: str) -> str | None:
    """'line L, column C: message' when `text` is not strict JSON, else None.

    The event editor uses the same check, so a preset is broken exactly when its text would be
    shown as broken there (NaN, for one, parses in Python but not in Node or the Lambda console).
    """
    problem = check_json(text)
    return str(problem) if problem else None


class PresetStore:
    """The presets of one workspace folder. Every method reads the disk afresh: the files are the truth."""

    def __init__(self, workspace_dir: Path | str):
        self._events = Path(workspace_dir) / EVENTS_DIR

    @property
    def events_dir(self) -> Path:
        return self._events

    def list(self, function_name: str | None) -> list[Preset]:
        """The function's own presets, then the shared ones, each group sorted by name."""
        own = self._list_dir(self._function_dir(function_name), FUNCTION) if function_name else []
        return own + self._list_dir(self._events, SHARED)

    def read(self, name: str, function_name: str | None = None) -> Preset:
        """The function's preset `name`, or the shared one when `function_name` is None."""
        path = self._path(name, function_name)
        if not path.is_file():
            raise PresetError(f"{path}: no such preset.", path)
        return _load(path, FUNCTION if function_name else SHARED)

    def save(self, name: str, text: str, function_name: str | None = None,
             overwrite_broken: bool = False) -> Preset:
        """Write `text` (which must be valid JSON) as the preset, replacing a valid one of that name.

        A file of that name that does not parse is only replaced with `overwrite_broken`,
        so that a hand-edited file with a typo is never lost without the user saying so.
        """
        path = self._path(name, function_name)
        problem = json_problem(text)
        if problem:
            raise PresetError(f"{path.name} was not saved: the event is not valid JSON ({problem}).", path)
        scope = FUNCTION if function_name else SHARED
        if path.is_file() and not overwrite_broken:
            existing = _load(path, scope)
            if existing.is_broken:
                raise PresetError(f"{path} does not parse ({existing.problem}); it was left as it is "
                                  "rather than replaced.", path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, text)
        except OSError as exc:
            raise PresetError(f"{path} could not be written: {exc.strerror or exc}.", path) from exc
        return Preset(name, path, scope, text)

    def rename(self, preset: Preset, new_name: str) -> Preset:
        """Give the preset a new name in the same folder; never replaces another preset."""
        problem = check_preset_name(new_name)
        if problem:
            raise PresetError(f"{preset.path} was not renamed to '{new_name}': {problem}", preset.path)
        target = preset.path.with_name(f"{new_name}{EXTENSION}")
        if not preset.path.is_file():
            raise PresetError(f"{preset.path}: no such preset.", preset.path)
        # On a case-insensitive disk "Order" -> "order" finds itself as the target; that is allowed.
        if target.exists() and not _same_file(target, preset.path):
            raise PresetError(f"{target} already exists; choose another name.", target)
        try:
            os.rename(preset.path, target)
        except OSError as exc:
            raise PresetError(f"{preset.path} could not be renamed: {exc.strerror or exc}.",
                              preset.path) from exc
        return Preset(new_name, target, preset.scope, preset.text, preset.problem)

    def delete(self, preset: Preset) -> None:
        """Remove the preset's file; one that is already gone is not an error."""
        try:
            preset.path.unlink(missing_ok=True)
        except OSError as exc:
            raise PresetError(f"{preset.path} could not be deleted: {exc.strerror or exc}.",
                              preset.path) from exc

    # Protected interface

    def _function_dir(self, function_name: str) -> Path:
        _check_name(function_name, self._events / function_name, what="function name")
        return self._events / function_name

    def _path(self, name: str, function_name: str | None) -> Path:
        folder = self._function_dir(function_name) if function_name else self._events
        path = folder / f"{name}{EXTENSION}"
        _check_name(name, path)
        return path

    @staticmethod
    def _list_dir(folder: Path, scope: str) -> list[Preset]:
        # Listing is when a workspace opens: leftovers of saves a kill cut short go for good then.
        remove_stale_temp_files(folder)
        try:
            paths = [p for p in folder.iterdir() if p.suffix == EXTENSION and not p.name.startswith(".")]
        except (FileNotFoundError, NotADirectoryError):
            return []
        presets = [_load(p, scope) for p in paths if p.is_file()]
        return sorted(presets, key=lambda p: (p.name.casefold(), p.name))


def _check_name(name: str, path: Path, what: str = "preset name") -> None:
    problem = check_preset_name(name)
    if problem:
        raise PresetError(f"{path}: {problem.replace('preset name', what)}", path)


def _load(path: Path, scope: str) -> Preset:
    name = path.name[: -len(EXTENSION)]
    try:
        # utf-8-sig: editors on Windows may start the file with a byte order mark.
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Preset(name, path, scope, "", f"not UTF-8 text (byte {exc.start + 1})")
    except OSError as exc:
        return Preset(name, path, scope, "", f"cannot be read: {exc.strerror or exc}")
    return Preset(name, path, scope, text, json_problem(text))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
