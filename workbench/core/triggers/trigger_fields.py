"""Reading one trigger's properties with the position of each value, and telling which resource a
reference (`!Ref`, `!GetAtt`, `!Sub`, an ARN or a plain name) points at."""

from __future__ import annotations

import re
from typing import Any

_SUB_REFERENCE = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}")


def resource_reference(value: Any, service: str) -> tuple[str, str]:
    """(logical id or name, ARN if one was written) for a reference to a resource of `service`."""
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        if function == "Ref" and isinstance(argument, str):
            return argument, ""
        if function == "Fn::GetAtt":
            target = argument.split(".", 1)[0] if isinstance(argument, str) else (
                argument[0] if isinstance(argument, list) and argument else "")
            return str(target), ""
        if function == "Fn::Sub" and isinstance(argument, str):
            found = _SUB_REFERENCE.findall(argument)
            return (found[-1], "") if found else ("", "")
        return "", ""
    if not isinstance(value, str) or not value:
        return "", ""
    if not value.startswith("arn:"):
        return value, ""
    return _name_in_arn(value, service), value


def _name_in_arn(arn: str, service: str) -> str:
    parts = arn.split(":", 5)
    rest = parts[5] if len(parts) == 6 else ""
    if service == "s3":
        return arn.split(":::", 1)[-1].split("/", 1)[0]
    if service == "dynamodb":
        match = re.match(r"table/([^/]+)", rest)
        return match.group(1) if match else rest
    if service == "lambda":
        return rest.removeprefix("function:").split(":", 1)[0]
    if service == "events":
        return rest.removeprefix("event-bus/")
    return rest


class Fields:
    """One mapping of properties, read value by value; a bad value raises the reader's _Invalid after
    recording an error at the value's line."""

    def __init__(self, reader, mapping: dict, place: str):
        self.reader = reader
        self.mapping = mapping
        self.place = place

    def invalid(self, key: str | None, message: str, at_key: bool = False):
        return self.reader.error(self.mapping, key if key in self.mapping else None, f"{self.place}: {message}",
                                 at_key)

    def check_names(self, honoured: tuple[str, ...], not_honoured: tuple[str, ...], what: str) -> None:
        for key in self.mapping:
            if key in not_honoured:
                self.reader.warn(self.mapping, key, f"{self.place}: {key} is not honoured locally; ignored")
            elif key not in honoured:
                known = ", ".join(honoured + not_honoured)
                raise self.invalid(key, f"{key} is not a property of {what} (known: {known})", at_key=True)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.mapping.get(key, default)
        # A parameter reference takes the parameter's default, as the local stack does.
        if isinstance(value, dict) and list(value) == ["Ref"]:
            parameter = self.reader.parameters.get(value["Ref"]) if hasattr(self.reader, "parameters") else None
            if isinstance(parameter, dict) and "Default" in parameter:
                return parameter["Default"]
        return value

    def required(self, key: str) -> Any:
        if self.mapping.get(key) in (None, ""):
            raise self.invalid(None, f"{key} is required")
        return self.get(key)

    def integer(self, key: str, low: int, high: int, default: int) -> int:
        value = self.get(key)
        if value is None:
            return default
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.invalid(key, f"{key} must be a whole number, not {value!r}")
        if not low <= value <= high:
            raise self.invalid(key, f"{key} {value} is outside {low}..{high}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.get(key)
        if value is None:
            return default
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if not isinstance(value, bool):
            raise self.invalid(key, f"{key} must be true or false, not {value!r}")
        return value

    def choice(self, key: str, options: tuple[str, ...], default: str | None, required: bool = False) -> str:
        value = self.get(key)
        if value is None:
            if required:
                raise self.invalid(None, f"{key} is required ({' or '.join(options)})")
            return default or ""
        if value not in options:
            raise self.invalid(key, f"{key} {value!r} is not one of {', '.join(options)}")
        return value

    def string_list(self, key: str, required: bool = False) -> list[str]:
        value = self.get(key)
        if value is None:
            if required:
                raise self.invalid(None, f"{key} is required")
            return []
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise self.invalid(key, f"{key} must be a string or a list of strings")
        return items

    def destination(self, key: str, condition: str) -> str:
        """DestinationConfig.<condition>.Destination as a logical id, name or ARN ("" when absent)."""
        config = self.get(key)
        if config is None:
            return ""
        entry = config.get(condition) if isinstance(config, dict) else None
        if entry is None:
            return ""
        target = entry.get("Destination") if isinstance(entry, dict) else None
        logical, arn = resource_reference(target, "sqs")
        if not (logical or arn):
            raise self.invalid(key, f"{key}.{condition}.Destination must name a queue or topic")
        return logical or arn
