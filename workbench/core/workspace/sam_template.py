"""A SAM project's template read into runnable functions, each setting tagged with where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.workspace.cfn_intrinsics import LOCAL_STACK_NAME, Placeholder, Resolver, pseudo_parameters, scalar_text
from workbench.core.workspace.cfn_yaml import MarkedDict, TemplateError, parse_cfn_yaml
from workbench.core.workspace.sam_functions import FunctionContext, TemplateFunction, build_function
from workbench.core.services.resources import read_resources

__all__ = [
    "TEMPLATE_NAMES", "SamTemplate", "TemplateError", "TemplateFunction", "find_template",
    "load_template",
]

# The names `sam` itself looks for, in its order.
TEMPLATE_NAMES = ("template.yaml", "template.yml")

_FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")


@dataclass(frozen=True)
class SamTemplate:
    """Everything the workbench takes from one template file."""

    path: Path
    functions: tuple[TemplateFunction, ...]
    parameters: tuple[tuple[str, str], ...]  # each parameter's effective value, in template order
    resources: tuple = ()
    """The AWS resources the local services host creates (core.services.resources.ServiceResource)."""
    resource_warnings: tuple[str, ...] = ()

    @property
    def function_ids(self) -> tuple[str, ...]:
        return tuple(function.logical_id for function in self.functions)

    def function(self, logical_id: str) -> TemplateFunction:
        """The function with this logical id; KeyError naming the ones that exist otherwise."""
        for function in self.functions:
            if function.logical_id == logical_id:
                return function
        known = ", ".join(self.function_ids) or "none"
        raise KeyError(f"no function {logical_id!r} in {self.path.name}; its functions: {known}")


def find_template(folder: str | Path) -> Path | None:
    """The SAM template in `folder` (template.yaml, else template.yml), or None."""
    for name in TEMPLATE_NAMES:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return None


def load_template(
    path: str | Path,
    parameter_overrides: dict[str, str] | None = None,
    region: str = "us-east-1",
    account_id: str = "123456789012",
) -> SamTemplate:
    """Read a SAM (or plain CloudFormation) template into its functions.

    `parameter_overrides` replace parameter defaults, as `sam --parameter-overrides` does; an
    `AWS::Region` or `AWS::AccountId` entry overrides the pseudo parameter. Raises TemplateError
    for a file that does not parse or whose sections have the wrong shape.
    """
    path = Path(path).absolute()
    overrides = {str(k): str(v) for k, v in (parameter_overrides or {}).items()}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(path, 1, 1, f"cannot be read ({exc})") from None
    document = parse_cfn_yaml(text, path)
    if not isinstance(document, MarkedDict):
        raise TemplateError(path, 1, 1, "a template is a mapping of sections (Resources, ...)")
    resources = _section(document, "Resources", path, required=True)

    region = overrides.pop("AWS::Region", region)
    account_id = overrides.pop("AWS::AccountId", account_id)
    pseudo = pseudo_parameters(region, account_id)
    pseudo.update({k: v for k, v in overrides.items() if k.startswith("AWS::")})

    values, sources = _parameters(_section(document, "Parameters", path), overrides, path)
    resolver = Resolver(
        parameters=values,
        pseudo=pseudo,
        conditions=dict(_section(document, "Conditions", path)),
        mappings=dict(_section(document, "Mappings", path)),
    )
    services = read_resources(resources, resolver, region, account_id, LOCAL_STACK_NAME,
                              lambda logical_id: f"{path.name}:{resources.key_mark(logical_id)[0]}")
    globals_section = _section(document, "Globals", path)
    globals_function = _section(globals_section, "Function", path, owner="Globals")

    context = FunctionContext(
        template_path=path, resolver=resolver, parameter_sources=sources,
        globals_function=globals_function, region=region, account_id=account_id, resources=resources,
    )
    functions = []
    for logical_id, resource in resources.items():
        if not isinstance(resource, MarkedDict):
            line, column = resources.mark_of(logical_id)
            raise TemplateError(path, line, column, f"resource {logical_id} is not a mapping")
        resource_type = resource.get("Type")
        if not isinstance(resource_type, str):
            line, column = resource.mark_of("Type") if "Type" in resource else resources.key_mark(logical_id)
            raise TemplateError(path, line, column, f"resource {logical_id} has no Type")
        if resource_type in _FUNCTION_TYPES:
            functions.append(build_function(str(logical_id), resource, context))

    parameters = tuple((name, scalar_text(value)) for name, value in values.items())
    return SamTemplate(path=path, functions=tuple(functions), parameters=parameters,
                       resources=tuple(services.resources), resource_warnings=tuple(services.warnings))


def _section(
    parent: MarkedDict, key: str, path: Path, required: bool = False, owner: str = ""
) -> MarkedDict:
    """A mapping-valued section of the template, empty when absent and optional."""
    where = f"{owner}.{key}" if owner else key
    if key not in parent:
        if required:
            raise TemplateError(path, 1, 1, f"the template has no {where} section")
        return MarkedDict()
    value = parent[key]
    if not isinstance(value, MarkedDict):
        line, column = parent.mark_of(key)
        raise TemplateError(path, line, column, f"{where} must be a mapping")
    return value


def _parameters(
    section: MarkedDict, overrides: dict[str, str], path: Path
) -> tuple[dict[str, Any], dict[str, str]]:
    """Each parameter's effective value (override, else Default) and a description of its source."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, definition in section.items():
        if not isinstance(definition, MarkedDict):
            line, column = section.mark_of(name)
            raise TemplateError(path, line, column, f"parameter {name} must be a mapping")
        if name in overrides:
            value: Any = overrides[name]
            sources[name] = f"parameter override of {name}"
        elif "Default" in definition:
            value = scalar_text(definition["Default"])
            sources[name] = f"Parameters.{name} default"
        else:
            # CloudFormation would refuse to deploy; locally the value stays visibly missing.
            value = Placeholder(f"${{{name}}}")
            sources[name] = f"Parameters.{name} (no default)"
        kind = str(definition.get("Type", "String"))
        # List-typed parameters resolve to lists, which Fn::Join and Fn::Select consume.
        if not isinstance(value, Placeholder) and (kind == "CommaDelimitedList" or kind.startswith("List<")):
            value = [item.strip() for item in value.split(",")] if value else []
        values[str(name)] = value
    return values, sources
