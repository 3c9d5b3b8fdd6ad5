"""Reading CloudFormation YAML: the short-form intrinsic tags, and errors that name file, line and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class TemplateError(ValueError):
    """A template that cannot be read, located as `file:line:column: problem` (1-based)."""

    def __init__(self, path: str | Path, line: int, column: int, problem: str):
        self.path = str(path)
        self.line = line
        self.column = column
        self.problem = problem
        super().__init__(f"{Path(self.path).name}:{line}:{column}: {problem}")


class MarkedDict(dict):
    """A mapping from the template that remembers where it and each of its values start.

    Structural errors found after parsing (a Resources section that is a list, a Timeout
    that is not a number) can then still point at the right line.
    """

    start: tuple[int, int] = (1, 1)
    key_marks: dict
    value_marks: dict

    def mark_of(self, key: str) -> tuple[int, int]:
        """1-based (line, column) of the value under `key`, else of this mapping itself."""
        return getattr(self, "value_marks", {}).get(key, self.start)

    def key_mark(self, key: str) -> tuple[int, int]:
        """1-based (line, column) of `key` itself, else of this mapping."""
        return getattr(self, "key_marks", {}).get(key, self.start)


def _position(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


class CfnLoader(yaml.SafeLoader):
    """SafeLoader that understands `!Ref`, `!Sub`, `!GetAtt` and CloudFormation's other short forms."""

    def construct_cfn_mapping(self, node: yaml.MappingNode) -> MarkedDict:
        self.flatten_mapping(node)
        result = MarkedDict()
        result.start = _position(node.start_mark)
        result.key_marks = {}
        result.value_marks = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    "found an unhashable key", key_node.start_mark) from None
            result[key] = self.construct_object(value_node, deep=True)
            result.key_marks[key] = _position(key_node.start_mark)
            result.value_marks[key] = _position(value_node.start_mark)
        return result


# CloudFormation reads dates such as AWSTemplateFormatVersion or a policy's Version as plain
# strings; PyYAML would turn them into datetime objects.
CfnLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
CfnLoader.add_constructor("tag:yaml.org,2002:map", CfnLoader.construct_cfn_mapping)

# Every short form maps to `Fn::<Name>`, except these two whose long form has no prefix.
_UNPREFIXED = ("Ref", "Condition")
SHORT_FORM_TAGS = (
    "Ref", "Condition", "Sub", "GetAtt", "If", "Join", "Select", "Split", "FindInMap", "Base64",
    "Cidr", "GetAZs", "ImportValue", "Equals", "And", "Or", "Not", "Transform", "Length",
    "ToJsonString", "ForEach",
)


def _node_value(loader: CfnLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_cfn_mapping(node)


def _make_constructor(name: str):
    long_name = name if name in _UNPREFIXED else f"Fn::{name}"

    def construct(loader: CfnLoader, node: yaml.Node) -> dict:
        value = _node_value(loader, node)
        # `!GetAtt Table.Arn` is the scalar form of ["Table", "Arn"]; attribute names may
        # themselves contain dots (Outputs.Name), so only the first dot separates.
        if name == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        return {long_name: value}

    return construct


for _tag in SHORT_FORM_TAGS:
    CfnLoader.add_constructor(f"!{_tag}", _make_constructor(_tag))


def parse_cfn_yaml(text: str, path: str | Path) -> Any:
    """The document in `text` as plain Python data, intrinsics in their long form.

    Raises TemplateError with the position PyYAML reports for syntax errors and unknown tags.
    """
    try:
        return yaml.load(text, Loader=CfnLoader)  # noqa: S506 - CfnLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _position(mark)
        problem = exc.problem or exc.context or "not valid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        raise TemplateError(path, line, column, problem) from None
    except yaml.YAMLError as exc:
        raise TemplateError(path, 1, 1, str(exc)) from None
