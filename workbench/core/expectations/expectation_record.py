"""Recording a run as an expectation, or updating one from a run, keeping what the user wrote.

The recorded parts are the outcome, the error type, and the response (or, for an error, its message).
Everything else in an existing file stays as written: comments, ignore paths, other assertions, log
rules, budgets. An `equals` assertion takes the run's value. A file changes only when this is asked for.
"""

from __future__ import annotations

import io
from pathlib import Path

from jsonpath_ng import parse as parse_json_path
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..workspace.atomic_write import write_text_atomic
from .expectation import ERROR, SUCCESS, parse_expectation, yaml_round_trip
from .expectation_check import json_path_step, response_document
from ..function.invocation_result import InvocationResult

ERROR_MESSAGE_PATH = "$.errorMessage"


def record_expectation(result: InvocationResult, preset_label: str, function_name: str,
                       existing_text: str | None = None, shared_by: int = 1) -> str:
    """The expectation file text after recording `result`.

    `preset_label` names the preset in a new file's header comment. `shared_by` is how many
    functions run this preset: when more than one does and the file already exists, the run is
    recorded under `functions: {function_name: ...}` so the others keep their expectation.
    """
    yaml = yaml_round_trip()
    root = yaml.load(existing_text) if existing_text and existing_text.strip() else None
    if not isinstance(root, CommentedMap):
        root = CommentedMap()
        root.yaml_set_start_comment(
            f"What `lambda-workbench test` expects of {preset_label}.\n"
            "Recorded from a run; edit freely. Keys: see README, \"Presets as tests\".")
        target = root
    else:
        target = _target(root, function_name, shared_by)
    _write_run(target, result)
    out = io.StringIO()
    yaml.dump(root, out)
    return out.getvalue()


def _target(root: CommentedMap, function_name: str, shared_by: int) -> CommentedMap:
    functions = root.get("functions")
    if isinstance(functions, CommentedMap) and isinstance(functions.get(function_name), CommentedMap):
        return functions[function_name]
    has_default = any(key != "functions" for key in root)
    if shared_by <= 1 or not has_default:
        return root
    if not isinstance(functions, CommentedMap):
        functions = CommentedMap()
        root["functions"] = functions
    functions[function_name] = CommentedMap()
    return functions[function_name]


def _write_run(target: CommentedMap, result: InvocationResult) -> None:
    parsed, document = response_document(result)
    assertions = target.get("assert") if isinstance(target.get("assert"), CommentedSeq) else None
    if result.succeeded:
        _set(target, "outcome", SUCCESS, first=True)
        target.pop("errorType", None)
        if assertions is not None:
            _drop_error_message_assertion(assertions)
        if "response" in target or not assertions:
            _set(target, "response", document, after="outcome")
            ignore = _ids_in(document, result.request_id) if parsed else []
            if ignore:
                existing = target.get("ignore") if isinstance(target.get("ignore"), CommentedSeq) else CommentedSeq()
                for path in ignore:
                    if path not in existing:
                        existing.append(path)
                _set(target, "ignore", existing, after="response")
    else:
        _set(target, "outcome", ERROR, first=True)
        _set(target, "errorType", result.error_type, after="outcome")
        # A success's response and ignore paths say nothing about an error payload.
        target.pop("response", None)
        target.pop("ignore", None)
        message = (result.error_document() or {}).get("errorMessage")
        if message is not None:
            if assertions is None:
                assertions = CommentedSeq()
                _set(target, "assert", assertions, after="errorType")
            _set_error_message(assertions, message)
    if assertions is not None:
        _refresh_equals(assertions, document)
        if not assertions:
            target.pop("assert", None)


def _set(target: CommentedMap, key: str, value: object, first: bool = False, after: str | None = None) -> None:
    """Set key, placing a new key first or after another one, so files read in a stable order."""
    if key in target:
        target[key] = value
        return
    position = 0 if first else (list(target).index(after) + 1 if after in target else len(target))
    target.insert(position, key, value)


def _drop_error_message_assertion(assertions: CommentedSeq) -> None:
    for index in reversed(range(len(assertions))):
        entry = assertions[index]
        if isinstance(entry, CommentedMap) and entry.get("path") == ERROR_MESSAGE_PATH and "equals" in entry:
            del assertions[index]


def _set_error_message(assertions: CommentedSeq, message: object) -> None:
    for entry in assertions:
        if isinstance(entry, CommentedMap) and entry.get("path") == ERROR_MESSAGE_PATH and "equals" in entry:
            entry["equals"] = message
            return
    entry = CommentedMap()
    entry["path"] = ERROR_MESSAGE_PATH
    entry["equals"] = message
    assertions.insert(0, entry)


def _refresh_equals(assertions: CommentedSeq, document: object) -> None:
    """`equals` assertions take the run's value (the first match of their path), as a recording would."""
    for entry in assertions:
        if not (isinstance(entry, CommentedMap) and "equals" in entry and isinstance(entry.get("path"), str)):
            continue
        try:
            matches = parse_json_path(entry["path"]).find(document)
        except Exception:  # noqa: BLE001 - a broken path is reported when the file is read, not here
            continue
        if matches:
            entry["equals"] = matches[0].value


def _ids_in(document: object, request_id: str) -> list[str]:
    """JSON paths of strings holding the call's request id: they change on every call, so they are ignored."""
    found: list[str] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict):
            for key, member in value.items():
                walk(member, json_path_step(path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")
        elif isinstance(value, str) and request_id and request_id in value:
            found.append(path)

    walk(document, "$")
    return found


def save_recording(path: Path, result: InvocationResult, preset_label: str, function_name: str,
                   shared_by: int = 1) -> str:
    """Record `result` into the expectation file at `path` (created or updated, atomically); returns the text.

    A file that does not parse is never overwritten: ExpectationError says where it breaks.
    """
    existing = path.read_text(encoding="utf-8-sig") if path.is_file() else None
    if existing is not None:
        parse_expectation(existing, path)
    text = record_expectation(result, preset_label, function_name, existing, shared_by)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    return text
