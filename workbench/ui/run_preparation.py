"""The call the window's editors describe, as Lambda would accept it: the settings and the event checked,
edited files saved, then core's prepare_invocation. A refusal is a Notice (its kind says which problem, so
the status bar can take it away once that problem is fixed)."""

from __future__ import annotations

from ..core.function.function_config import FunctionConfig
from ..core.function.invocation_request import PreparedInvocation, prepare_invocation
from .editors.editor_tabs import EditorTabs
from .editors.event_editor import EventEditor
from .function_settings import FunctionSettings
from .preset_session import PresetSession
from .status_line import Notice, NoticeKind


def prepare_from_editors(config: FunctionConfig, settings: FunctionSettings, event_editor: EventEditor,
                         tabs: EditorTabs, presets: PresetSession) -> PreparedInvocation | Notice:
    if problems := settings.problems():
        return Notice(NoticeKind.SETTINGS_INVALID, f"Fix the function settings first: {problems[0]}")
    if (problem := event_editor.validate_now()) is not None:
        event_editor.setFocus()
        return Notice(NoticeKind.EVENT_INVALID, f"Event is not valid JSON: {problem}")
    try:
        tabs.save_all()
    except OSError as error:
        return Notice(NoticeKind.INFO, f"Not run: could not save {error.filename}: {error.strerror}")
    current = presets.current
    preset = current.name if current is not None and not event_editor.is_modified() else None
    prepared = prepare_invocation(config, event_editor.text(), preset or "the event editor", preset=preset)
    return Notice(NoticeKind.INFO, str(prepared[0])) if isinstance(prepared, list) else prepared
