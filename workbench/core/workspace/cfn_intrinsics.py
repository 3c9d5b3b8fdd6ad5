"""Evaluating CloudFormation intrinsic functions locally, with placeholders for what only AWS knows.

Nothing here raises on a template's content: a value that needs a deployed stack (a resource's
name, an attribute, an export) becomes a readable placeholder such as `${OrdersTable.Arn}`.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any


class Placeholder(str):
    """Text standing in for a value that exists only once the stack is deployed."""


class _NoValue:
    """What `Ref: AWS::NoValue` resolves to: the surrounding key or list item disappears."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()

# The local names SAM CLI gives the stack; everything else a pseudo parameter needs is the
# configured region and account.
LOCAL_STACK_NAME = "local"
_LOCAL_STACK_UUID = "00000000-0000-0000-0000-000000000000"


def partition_of(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def pseudo_parameters(region: str, account_id: str) -> dict[str, Any]:
    """The values of CloudFormation's `AWS::*` pseudo parameters for a local stack."""
    partition = partition_of(region)
    return {
        "AWS::Region": region,
        "AWS::AccountId": account_id,
        "AWS::StackName": LOCAL_STACK_NAME,
        "AWS::StackId": f"arn:{partition}:cloudformation:{region}:{account_id}:stack/"
                        f"{LOCAL_STACK_NAME}/{_LOCAL_STACK_UUID}",
        "AWS::Partition": partition,
        "AWS::URLSuffix": "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com",
        "AWS::NotificationARNs": [],
    }


def scalar_text(value: Any) -> str:
    """A resolved scalar as CloudFormation writes it into a string property (`true`, `30`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(scalar_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def _unresolvable(name: str):
    def handler(self: Resolver, argument: Any) -> Placeholder:
        return Placeholder(f"${{Fn::{name}}}")
    return handler


def _boolean(key: str):
    # Condition functions written inside a property (rare, but legal in Fn::If's branches)
    # resolve to the strings CloudFormation would write.
    def handler(self: Resolver, argument: Any) -> str:
        return "true" if self.truth({key: argument}) else "false"
    return handler


@dataclass
class Resolver:
    """Evaluates one template's intrinsics against its parameters, conditions and mappings.

    `parameters` holds each parameter's effective value (an override, else the Default; a list
    for list-typed parameters). Every resolution records in `used` the parameters it read (by name)
    and the mapping entries it looked up ("Mappings.Map.Key.Key"), so callers can say where a
    value came from.
    """

    parameters: dict[str, Any]
    pseudo: dict[str, Any]
    conditions: dict[str, Any] = field(default_factory=dict)
    mappings: dict[str, Any] = field(default_factory=dict)
    resource_values: dict[str, Any] = field(default_factory=dict)
    """Resources the local services host creates (core.services.resources.ServiceResource by logical id):
    their Ref and GetAtt are the names and ARNs they have there, not placeholders."""
    used: list[str] = field(default_factory=list, init=False)
    _condition_cache: dict[str, bool] = field(default_factory=dict, init=False)
    _evaluating: set[str] = field(default_factory=set, init=False)

    # --- values

    def resolve_tracked(self, value: Any) -> tuple[Any, list[str]]:
        """`resolve(value)` and the parameters and mapping entries it read, in order."""
        self.used = []
        return self.resolve(value), self.used

    def resolve(self, value: Any) -> Any:
        """`value` with every intrinsic it contains evaluated or replaced by a placeholder."""
        if isinstance(value, dict):
            if len(value) == 1:
                (key, argument), = value.items()
                handler = _FUNCTIONS.get(key)
                # `Condition` is an intrinsic only with a name; elsewhere (an IAM statement's
                # Condition block) it is an ordinary key.
                if handler is not None and (key != "Condition" or isinstance(argument, str)):
                    return handler(self, argument)
            resolved = {k: self.resolve(v) for k, v in value.items()}
            return {k: v for k, v in resolved.items() if v is not NO_VALUE}
        if isinstance(value, list):
            items = [self.resolve(item) for item in value]
            return [item for item in items if item is not NO_VALUE]
        return value

    def _text(self, value: Any) -> str:
        resolved = self.resolve(value)
        return "" if resolved is NO_VALUE else scalar_text(resolved)

    def _note(self, name: str) -> None:
        if name not in self.used:
            self.used.append(name)

    def _ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            return Placeholder(f"${{Ref {scalar_text(self.resolve(name))}}}")
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.parameters:
            self._note(name)
            return self.parameters[name]
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.resource_values:
            return self.resource_values[name].ref()
        # A resource's Ref is its physical name or id, known only after deployment.
        return Placeholder(f"${{{name}}}")

    def _get_att(self, argument: Any) -> Any:
        if isinstance(argument, str) and "." in argument:
            argument = argument.split(".", 1)
        if isinstance(argument, list) and len(argument) == 2:
            resource, attribute = argument[0], self._text(argument[1])
            local = self.resource_values.get(resource) if isinstance(resource, str) else None
            value = local.attribute(attribute) if local is not None else None
            if value is not None:
                return value
            return Placeholder(f"${{{scalar_text(resource)}.{attribute}}}")
        return Placeholder(f"${{{scalar_text(self.resolve(argument))}}}")

    def _sub(self, argument: Any) -> Any:
        if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
            template, variables = argument
        else:
            template, variables = argument, {}
        if not isinstance(template, str):
            return Placeholder("${Fn::Sub}")

        def replace(match: re.Match) -> str:
            name = match.group(1).strip()
            if name.startswith("!"):  # `${!Literal}` writes `${Literal}` unchanged
                return "${" + name[1:] + "}"
            if name in variables:
                return self._text(variables[name])
            if "." in name and not name.startswith("AWS::"):
                resource, attribute = name.split(".", 1)
                return self._get_att([resource, attribute])
            return self._text({"Ref": name})

        return _SUB_VARIABLE.sub(replace, template)

    def _join(self, argument: Any) -> Any:
        if not (isinstance(argument, list) and len(argument) == 2):
            return Placeholder("${Fn::Join}")
        delimiter, items = self._text(argument[0]), self.resolve(argument[1])
        if not isinstance(items, list):
            return Placeholder(scalar_text(items)) if isinstance(items, Placeholder) else items
        return delimiter.join(scalar_text(item) for item in items)

    def _select(self, argument: Any) -> Any:
        if not (isinstance(argument, list) and len(argument) == 2):
            return Placeholder("${Fn::Select}")
        index_text, items = self._text(argument[0]), self.resolve(argument[1])
        if isinstance(items, Placeholder):
            inner = items[2:-1] if items.startswith("${") and items.endswith("}") else items
            return Placeholder(f"${{{inner}[{index_text}]}}")
        if isinstance(items, str):
            items = items.split(",")  # a comma-delimited list parameter used as a string
        try:
            return items[int(index_text)]
        except (ValueError, IndexError, TypeError):
            return Placeholder(f"${{Fn::Select {index_text}}}")

    def _split(self, argument: Any) -> Any:
        if not (isinstance(argument, list) and len(argument) == 2):
            return Placeholder("${Fn::Split}")
        delimiter, source = self._text(argument[0]), self.resolve(argument[1])
        if isinstance(source, Placeholder) or not delimiter:
            return source
        return scalar_text(source).split(delimiter)

    def _find_in_map(self, argument: Any) -> Any:
        if not (isinstance(argument, list) and len(argument) in (3, 4)):
            return Placeholder("${Fn::FindInMap}")
        keys = [self._text(part) for part in argument[:3]]
        found: Any = self.mappings
        for key in keys:
            found = found.get(key) if isinstance(found, dict) else None
            if found is None:
                break
        if found is not None:
            self._note("Mappings." + ".".join(keys))
            return self.resolve(found)
        # The language extension's optional fourth argument: {"DefaultValue": ...}.
        if len(argument) == 4 and isinstance(argument[3], dict) and "DefaultValue" in argument[3]:
            return self.resolve(argument[3]["DefaultValue"])
        return Placeholder("${Mappings." + ".".join(keys) + "}")

    def _base64(self, argument: Any) -> Any:
        resolved = self.resolve(argument)
        if isinstance(resolved, Placeholder):
            return resolved
        return base64.b64encode(scalar_text(resolved).encode("utf-8")).decode("ascii")

    def _if(self, argument: Any) -> Any:
        if not (isinstance(argument, list) and len(argument) == 3):
            return Placeholder("${Fn::If}")
        chosen = argument[1] if self.condition(self._text(argument[0])) else argument[2]
        return self.resolve(chosen)

    def _import_value(self, argument: Any) -> Placeholder:
        return Placeholder(f"${{ImportValue {self._text(argument)}}}")

    def _get_azs(self, argument: Any) -> Placeholder:
        region = self._text(argument) or self.pseudo.get("AWS::Region", "")
        return Placeholder(f"${{GetAZs {region}}}")

    def _length(self, argument: Any) -> Any:
        resolved = self.resolve(argument)
        return len(resolved) if isinstance(resolved, list) else Placeholder("${Fn::Length}")

    def _to_json_string(self, argument: Any) -> str:
        return json.dumps(self.resolve(argument), separators=(",", ":"))

    # --- conditions

    def condition(self, name: str) -> bool:
        """The value of the named entry of Conditions; an unknown or circular one is false."""
        if name in self._condition_cache:
            return self._condition_cache[name]
        if name not in self.conditions or name in self._evaluating:
            return False
        self._evaluating.add(name)
        try:
            result = self.truth(self.conditions[name])
        finally:
            self._evaluating.discard(name)
        self._condition_cache[name] = result
        return result

    def truth(self, expression: Any) -> bool:
        """Evaluate a condition expression (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)."""
        if isinstance(expression, dict) and len(expression) == 1:
            (key, argument), = expression.items()
            items = argument if isinstance(argument, list) else [argument]
            if key == "Condition":
                return self.condition(self._text(argument))
            if key == "Fn::Equals" and len(items) == 2:
                # CloudFormation compares as strings: `!Equals [!Ref Count, 1]` with "1" is true.
                return self._text(items[0]) == self._text(items[1])
            if key == "Fn::And":
                return all(self.truth(item) for item in items)
            if key == "Fn::Or":
                return any(self.truth(item) for item in items)
            if key == "Fn::Not" and items:
                return not self.truth(items[0])
        resolved = self.resolve(expression)
        return scalar_text(resolved).lower() == "true"

    def _condition_function(self, argument: Any) -> str:
        return "true" if self.condition(argument) else "false"

    _equals = _boolean("Fn::Equals")
    _and = _boolean("Fn::And")
    _or = _boolean("Fn::Or")
    _not = _boolean("Fn::Not")
    _cidr = _unresolvable("Cidr")
    _transform = _unresolvable("Transform")
    _for_each = _unresolvable("ForEach")


_FUNCTIONS = {
    "Ref": Resolver._ref,
    "Condition": Resolver._condition_function,
    "Fn::GetAtt": Resolver._get_att,
    "Fn::Sub": Resolver._sub,
    "Fn::Join": Resolver._join,
    "Fn::Select": Resolver._select,
    "Fn::Split": Resolver._split,
    "Fn::FindInMap": Resolver._find_in_map,
    "Fn::Base64": Resolver._base64,
    "Fn::If": Resolver._if,
    "Fn::ImportValue": Resolver._import_value,
    "Fn::GetAZs": Resolver._get_azs,
    "Fn::Length": Resolver._length,
    "Fn::ToJsonString": Resolver._to_json_string,
    "Fn::Equals": Resolver._equals,
    "Fn::And": Resolver._and,
    "Fn::Or": Resolver._or,
    "Fn::Not": Resolver._not,
    "Fn::Cidr": Resolver._cidr,
    "Fn::Transform": Resolver._transform,
    "Fn::ForEach": Resolver._for_each,
}
