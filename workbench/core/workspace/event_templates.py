"""The sample-event catalogue (resources/events/) and its renderer, the engine of `generate-event`.

Each template is a JSON file whose strings may hold mustache placeholders `{{{tag}}}`; catalogue.json names
every service's events, their tags and defaults, in the shape `sam local generate-event` uses.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import chevron

from workbench.resources import resource_path

ENCODINGS = ("base64", "url")
HASHINGS = ("md5",)


class UnknownEvent(ValueError):
    """A service or event name that is not in the catalogue; `choices` holds the valid names."""

    def __init__(self, message: str, choices: list[str]):
        super().__init__(message)
        self.choices = choices


class UnknownTag(ValueError):
    """A value given for a tag the event does not have; `choices` holds the valid tag names."""

    def __init__(self, message: str, choices: list[str]):
        super().__init__(message)
        self.choices = choices


@dataclass(frozen=True)
class TemplateTag:
    """One substitutable value of a template.

    `encoding` ("base64" or "url") is applied to the value before it lands in the event. `hashing` ("md5")
    also offers the hex digest of the landed value as the placeholder `md5-of-<name>` (SQS's md5OfBody).
    """

    name: str
    default: str
    encoding: str | None = None
    hashing: str | None = None


@dataclass(frozen=True)
class EventTemplate:
    """One event of one service: `file` is relative to resources/events/."""

    service: str
    event: str
    description: str
    file: str
    tags: tuple[TemplateTag, ...] = ()

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags]

    def defaults(self) -> dict[str, str]:
        return {tag.name: tag.default for tag in self.tags}


# --- Catalogue ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, EventTemplate]]:
    with open(resource_path("events", "catalogue.json"), encoding="utf-8") as f:
        raw = json.load(f)
    return {
        service: {event: _template(service, event, entry) for event, entry in events.items()}
        for service, events in raw.items()
    }


def _template(service: str, event: str, entry: dict[str, Any]) -> EventTemplate:
    tags = []
    for name, spec in entry.get("tags", {}).items():
        encoding, hashing = spec.get("encoding"), spec.get("hashing")
        # A typo here would silently ship the raw value, so the catalogue is checked as it loads.
        if encoding not in (None, *ENCODINGS) or hashing not in (None, *HASHINGS):
            raise ValueError(f"catalogue: {service} {event} tag {name!r} has an unknown encoding or hashing")
        tags.append(TemplateTag(name, str(spec.get("default", "")), encoding, hashing))
    return EventTemplate(service, event, entry.get("description", ""), entry["file"], tuple(tags))


@lru_cache(maxsize=1)
def _service_titles() -> dict[str, str]:
    with open(resource_path("events", "services.json"), encoding="utf-8") as f:
        return json.load(f)


def load_catalogue() -> dict[str, dict[str, EventTemplate]]:
    """Every service and its events; the caller gets its own dicts over the shared, frozen templates."""
    return {service: dict(events) for service, events in _catalogue().items()}


def list_services() -> list[str]:
    """Service names, sorted, as typed on the command line (`s3`, `apigateway`, ...)."""
    return sorted(_catalogue())


def service_title(service: str) -> str:
    """The product name of a service, e.g. "Amazon S3" for `s3`."""
    _events_of(service)
    return _service_titles().get(service, service)


def list_events(service: str) -> list[EventTemplate]:
    """The events of one service, sorted by name; UnknownEvent if there is no such service."""
    events = _events_of(service)
    return [events[name] for name in sorted(events)]


def get_template(service: str, event: str) -> EventTemplate:
    """One event's template; UnknownEvent names the valid choices when the service or event is wrong."""
    events = _events_of(service)
    if event not in events:
        choices = sorted(events)
        raise UnknownEvent(
            f"unknown event {event!r} for service {service!r}; choose from: {', '.join(choices)}", choices
        )
    return events[event]


def _events_of(service: str) -> dict[str, EventTemplate]:
    catalogue = _catalogue()
    if service not in catalogue:
        choices = sorted(catalogue)
        raise UnknownEvent(f"unknown service {service!r}; choose from: {', '.join(choices)}", choices)
    return catalogue[service]


# --- Rendering ------------------------------------------------------------------------------------


def render_event(service: str, event: str, values: dict[str, str] | None = None) -> str:
    """The event as pretty JSON text (2-space indent), tags filled from `values` or their defaults.

    Substitution happens inside the parsed JSON strings, so any value (quotes, newlines, braces) leaves
    the result valid JSON, where text-level substitution would break it.
    """
    template = get_template(service, event)
    substitutions = _substitutions(template, values or {})
    with open(resource_path("events", template.file), encoding="utf-8") as f:
        document = json.load(f)
    return json.dumps(_fill(document, substitutions), indent=2, ensure_ascii=False)


def _substitutions(template: EventTemplate, values: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(values) - set(template.tag_names))
    if unknown:
        choices = template.tag_names
        raise UnknownTag(
            f"{template.service} {template.event} has no tag {unknown[0]!r}; "
            f"valid tags: {', '.join(choices) or '(none)'}",
            choices,
        )
    result = {}
    for tag in template.tags:
        value = _encode(str(values.get(tag.name, tag.default)), tag.encoding)
        result[tag.name] = value
        if tag.hashing == "md5":
            result[f"md5-of-{tag.name}"] = hashlib.md5(value.encode("utf-8")).hexdigest()
    return result


def _encode(value: str, encoding: str | None) -> str:
    if encoding == "base64":
        return base64.b64encode(value.encode("utf-8")).decode("ascii")
    if encoding == "url":
        # Percent-encoding (space -> %20, "/" kept) decodes right with both unquote and unquote_plus,
        # which is what S3 handlers call on object keys.
        return quote(value, safe="/")
    return value


def _fill(node: Any, substitutions: dict[str, str]) -> Any:
    if isinstance(node, str):
        return chevron.render(node, substitutions) if "{{" in node else node
    if isinstance(node, list):
        return [_fill(item, substitutions) for item in node]
    if isinstance(node, dict):
        return {_fill(key, substitutions): _fill(value, substitutions) for key, value in node.items()}
    return node
