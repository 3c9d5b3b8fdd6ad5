"""The workspace as an agent reads it: its functions (each setting with where it came from, secrets
masked), its presets, and the event templates."""

from __future__ import annotations

from pathlib import Path

from ..workspace.event_templates import EventTemplate
from ..expectations.expectation import expectation_path
from ..workspace.preset_store import Preset
from ..workspace.workspace import Workspace, WorkspaceFunction
from .run_documents import mask_variables, payload_value

# FunctionConfig field -> the name an agent reads (the settings the window's form shows).
SETTINGS = (("handler", "handler"), ("runtime", "runtime"), ("code_dir", "codeDir"), ("memory_mb", "memoryMB"),
            ("timeout_s", "timeoutS"), ("architecture", "architecture"))


def _relative(path: str | Path, folder: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(folder.resolve())) or "."
    except ValueError:
        return str(path)


def default_origin(workspace: Workspace, function: WorkspaceFunction) -> str:
    """Where a setting with no origin of its own comes from: the file that declares the function."""
    if function.proposed:
        return "detected from the folder's files (written to no file yet)"
    if workspace.template is not None and function.origins:
        return workspace.template.name
    return "workbench.json"


def function_summary(function: WorkspaceFunction, folder: Path) -> dict:
    config = function.config
    return {"name": config.name, "runtime": config.runtime, "handler": config.handler,
            "codeDir": _relative(config.code_dir, folder), "memoryMB": config.memory_mb,
            "timeoutS": config.timeout_s, "runnable": function.runnable,
            "notRunnableReason": function.not_runnable_reason or None}


def function_document(workspace: Workspace, function: WorkspaceFunction) -> dict:
    """Everything the window's settings show for one function, with each value's origin."""
    config, folder = function.config, workspace.folder
    origins = dict(function.origins)
    fallback = default_origin(workspace, function)
    settings = {}
    for field, name in SETTINGS:
        value = getattr(config, field)
        settings[name] = {"value": _relative(value, folder) if field == "code_dir" else value,
                          "origin": origins.get(field) or fallback}
    variables = mask_variables(config.environment)
    return {
        **function_summary(function, folder), "architecture": config.architecture, "region": config.region,
        "interpreter": config.interpreter, "scaleCpu": config.scale_cpu, "functionArn": config.function_arn,
        "layers": [layer.name for layer in config.layers],
        "environment": [{"name": name, "value": value, "masked": value != dict(config.environment)[name],
                         "origin": origins.get(f"env:{name}") or fallback}
                        for name, value in variables.items()],
        "settings": settings,
    }


def preset_document(preset: Preset, folder: Path, with_event: bool = False) -> dict:
    document = {"name": preset.name, "scope": preset.scope, "file": _relative(preset.path, folder),
                "broken": preset.is_broken, "problem": preset.problem,
                "hasExpectation": expectation_path(preset.path).is_file()}
    if with_event:
        document["event"] = None if preset.is_broken else payload_value(preset.text.encode("utf-8"))
        document["text"] = preset.text
    return document


def template_document(template: EventTemplate) -> dict:
    return {"service": template.service, "event": template.event, "description": template.description,
            "parameters": [{"name": tag.name, "default": tag.default} for tag in template.tags]}
