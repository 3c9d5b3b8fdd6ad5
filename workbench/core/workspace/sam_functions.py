"""One function resource of a template turned into a FunctionConfig: Globals merged, intrinsics resolved."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.workspace.cfn_intrinsics import NO_VALUE, Placeholder, Resolver, scalar_text
from workbench.core.workspace.cfn_yaml import MarkedDict, TemplateError
from workbench.core.java.deployment_package import is_java_package
from workbench.core.function.function_config import (
    DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, RUNTIMES, FunctionConfig, LayerRef, runtime_family,
)
from workbench.core.logging_config.settings import read_logging_config

SAM_DEFAULT = "SAM default"
LAMBDA_DEFAULT = "Lambda default"
GLOBALS = "Globals.Function"
# LoggingConfig's keys and the FunctionConfig fields (and origins) they fill.
LOGGING_SETTINGS = {"LogFormat": "log_format", "ApplicationLogLevel": "application_log_level",
                    "SystemLogLevel": "system_log_level"}
LAYER_TYPES = ("AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion")


@dataclass(frozen=True)
class TemplateFunction:
    """One function of the template, ready to run, and the source of each of its settings.

    `origins` maps a setting (handler, runtime, code_dir, memory_mb, timeout_s, architecture,
    and `env:NAME` per variable) to a description such as "Globals.Function" or
    "Resources.OrderFunction.Properties via Parameters.Stage default".
    """

    logical_id: str
    config: FunctionConfig
    origins: tuple[tuple[str, str], ...]
    runnable: bool = True
    not_runnable_reason: str = ""

    def origin(self, setting: str) -> str:
        """Where `setting` came from, "" when it is not set at all."""
        return dict(self.origins).get(setting, "")


@dataclass(frozen=True)
class FunctionContext:
    """What every function of one template shares."""

    template_path: Path
    resolver: Resolver
    parameter_sources: dict[str, str]
    globals_function: MarkedDict
    region: str
    account_id: str
    resources: MarkedDict | None = None
    """The template's Resources, where a function's Layers find their LayerVersion resources."""


def is_intrinsic(value: Any) -> bool:
    if not (isinstance(value, dict) and len(value) == 1):
        return False
    key = next(iter(value))
    return key in ("Ref", "Condition") or str(key).startswith("Fn::")


def merge_globals(global_value: Any, local_value: Any, key: str = "") -> Any:
    """SAM's Globals merge: mappings merge key by key, lists append, anything else the resource wins.

    Architectures is the exception: a function runs on exactly one, so appending would make a
    list Lambda rejects; the resource's own list replaces the global one (as SAM is moving to).
    """
    if isinstance(global_value, dict) and isinstance(local_value, dict) \
            and not is_intrinsic(global_value) and not is_intrinsic(local_value):
        merged = dict(global_value)
        for name, value in local_value.items():
            merged[name] = merge_globals(global_value[name], value, name) if name in global_value else value
        return merged
    if isinstance(global_value, list) and isinstance(local_value, list) and key != "Architectures":
        return global_value + local_value
    return local_value


class _Builder:
    """Collects one function's settings, their origins and any reason it cannot run."""

    def __init__(self, logical_id: str, properties: MarkedDict, context: FunctionContext, serverless: bool):
        self.logical_id = logical_id
        self.context = context
        self.properties = properties
        self.globals = context.globals_function if serverless else MarkedDict()
        self.merged = merge_globals(self.globals, properties) if serverless else dict(properties)
        self.default_origin = SAM_DEFAULT if serverless else LAMBDA_DEFAULT
        self.location = f"Resources.{logical_id}.Properties"
        self.origins: dict[str, str] = {}
        self.problems: list[str] = []

    def where(self, key: str) -> str:
        return self.location if key in self.properties else GLOBALS

    def describe(self, location: str, used: list[str]) -> str:
        sources = [self.context.parameter_sources.get(name, name) for name in used]
        return f"{location} via {', '.join(sources)}" if sources else location

    def position(self, key: str) -> str:
        owner = self.properties if key in self.properties else self.globals
        line, column = owner.mark_of(key)
        return f"{self.context.template_path.name}:{line}:{column}"

    def value(self, key: str, setting: str) -> Any:
        """The resolved property (NO_VALUE when absent), recording its origin under `setting`."""
        if key not in self.merged:
            return NO_VALUE
        resolved, used = self.context.resolver.resolve_tracked(self.merged[key])
        if resolved is not NO_VALUE:
            self.origins[setting] = self.describe(self.where(key), used)
        return resolved

    def text(self, key: str, setting: str) -> str:
        resolved = self.value(key, setting)
        if resolved is NO_VALUE:
            self.origins.pop(setting, None)
            return ""
        return scalar_text(resolved)

    def whole_number(self, key: str, setting: str, default: int) -> int:
        resolved = self.value(key, setting)
        if resolved is NO_VALUE:
            self.origins[setting] = self.default_origin
            return default
        if isinstance(resolved, Placeholder):
            self.origins[setting] = f"{self.default_origin} ({key} {resolved} cannot be resolved locally)"
            return default
        text = scalar_text(resolved).strip()
        if isinstance(resolved, bool) or not text.isdigit():
            self.problems.append(f"{self.position(key)}: {key} {text!r} is not a whole number")
            self.origins[setting] = self.default_origin
            return default
        return int(text)

    def architecture(self) -> str:
        resolved = self.value("Architectures", "architecture")
        if isinstance(resolved, list) and resolved and not isinstance(resolved[0], Placeholder):
            return scalar_text(resolved[0])
        if isinstance(resolved, str) and resolved and not isinstance(resolved, Placeholder):
            return resolved
        self.origins["architecture"] = self.default_origin
        return "x86_64"

    def environment(self) -> tuple[tuple[str, str], ...]:
        raw = self.merged.get("Environment")
        variables = raw.get("Variables") if isinstance(raw, dict) and not is_intrinsic(raw) else None
        if isinstance(variables, dict) and not is_intrinsic(variables):
            own = _plain_variables(self.properties)
            result = []
            for name, raw_value in variables.items():
                resolved, used = self.context.resolver.resolve_tracked(raw_value)
                if resolved is NO_VALUE:
                    continue
                location = self.location if name in own else GLOBALS
                self.origins[f"env:{name}"] = self.describe(location, used)
                result.append((str(name), scalar_text(resolved)))
            return tuple(result)
        if raw is None:
            return ()
        # Environment or its Variables built by an intrinsic (an Fn::If, say): resolve it whole.
        resolved, used = self.context.resolver.resolve_tracked(raw)
        variables = resolved.get("Variables") if isinstance(resolved, dict) else None
        if not isinstance(variables, dict):
            return ()
        location = self.describe(self.where("Environment"), used)
        for name in variables:
            self.origins[f"env:{name}"] = location
        return tuple((str(name), scalar_text(value)) for name, value in variables.items())

    def logging_config(self) -> tuple[str, str, str]:
        """LoggingConfig (the function's keys over Globals'), checked as Lambda checks it; each of its
        three values' origin recorded apart, since Globals may give one and the function another."""
        if "LoggingConfig" not in self.merged:
            for setting in LOGGING_SETTINGS.values():
                self.origins[setting] = self.default_origin
            return read_logging_config(None, "")[0]
        resolved, used = self.context.resolver.resolve_tracked(self.merged["LoggingConfig"])
        values, problems = read_logging_config(None if resolved is NO_VALUE else resolved,
                                               self.position("LoggingConfig"))
        self.problems.extend(problems)
        own = self.properties.get("LoggingConfig")
        own_is_plain = isinstance(own, dict) and not is_intrinsic(own)
        for key, setting in LOGGING_SETTINGS.items():
            if isinstance(resolved, dict) and resolved.get(key):
                # A function's LoggingConfig built by an intrinsic is the function's as a whole.
                location = (self.location if key in own else GLOBALS) if own_is_plain else self.where("LoggingConfig")
                self.origins[setting] = self.describe(location, used)
            else:
                self.origins[setting] = self.default_origin
        return values

    def code_path(self, value: Any, key: str) -> str | None:
        """An absolute folder for local code, or None after noting why there is none."""
        if isinstance(value, Placeholder):
            self.problems.append(f"{key} {value} cannot be resolved locally")
            return None
        if isinstance(value, dict) or (isinstance(value, str) and value.startswith("s3://")):
            self.problems.append(f"{key} points to Amazon S3; only code in a local folder runs here")
            return None
        if not isinstance(value, str) or not value:
            self.problems.append(f"{key} is not a local path")
            return None
        folder = os.path.normpath(self.context.template_path.parent / value)
        runtime = self.merged.get("Runtime")
        if os.path.isfile(folder) and is_java_package(folder) and isinstance(runtime, str) \
                and runtime.startswith("java"):
            return folder  # a built deployment package (a fat jar, or a zip with lib/*.jar), taken as Lambda takes it
        if os.path.isfile(folder):
            self.problems.append(f"{key} {value} is an archive; point it at the unpacked folder")
        elif not os.path.isdir(folder):
            self.problems.append(f"{key} {value} does not exist")
        return folder

    def check_runtime(self, runtime: str, handler: str) -> None:
        if not runtime:
            self.problems.append("no Runtime is set")
        elif runtime not in RUNTIMES:
            self.problems.append(f"Runtime {runtime} does not run locally here "
                                 "(Python, Node.js, Java and provided runtimes do)")
        elif not handler and runtime_family(runtime) != "provided":
            self.problems.append("no Handler is set")


def _plain_variables(properties: dict) -> dict:
    environment = properties.get("Environment")
    if isinstance(environment, dict) and not is_intrinsic(environment):
        variables = environment.get("Variables")
        if isinstance(variables, dict) and not is_intrinsic(variables):
            return variables
    return {}


def build_function(logical_id: str, resource: MarkedDict, context: FunctionContext) -> TemplateFunction:
    """The TemplateFunction for an AWS::Serverless::Function or AWS::Lambda::Function resource."""
    properties = resource.get("Properties", MarkedDict())
    if not isinstance(properties, MarkedDict):
        line, column = resource.mark_of("Properties")
        raise TemplateError(context.template_path, line, column,
                            f"Properties of {logical_id} must be a mapping")
    serverless = resource.get("Type") == "AWS::Serverless::Function"
    builder = _Builder(logical_id, properties, context, serverless)

    handler = builder.text("Handler", "handler")
    runtime = builder.text("Runtime", "runtime")
    package_type = builder.text("PackageType", "package_type")
    builder.origins.pop("package_type", None)
    code_dir = _code_dir(builder, resource, serverless, package_type)
    if not builder.problems:
        builder.check_runtime(runtime, handler)

    log_format, application_log_level, system_log_level = builder.logging_config()
    config = FunctionConfig(
        name=logical_id,
        handler=handler,
        runtime=runtime,
        code_dir=code_dir,
        memory_mb=builder.whole_number("MemorySize", "memory_mb", DEFAULT_MEMORY_MB),
        timeout_s=builder.whole_number("Timeout", "timeout_s", DEFAULT_TIMEOUT_S),
        architecture=builder.architecture(),
        environment=builder.environment(),
        region=context.region,
        account_id=context.account_id,
        layers=_layers(builder),
        log_format=log_format,
        application_log_level=application_log_level,
        system_log_level=system_log_level,
    )
    order = ["handler", "runtime", "code_dir", "memory_mb", "timeout_s", "architecture", *LOGGING_SETTINGS.values()]
    origins = [(key, builder.origins[key]) for key in order if key in builder.origins]
    origins += [(key, value) for key, value in builder.origins.items() if key.startswith("env:")]
    return TemplateFunction(
        logical_id=logical_id,
        config=config,
        origins=tuple(origins),
        runnable=not builder.problems,
        not_runnable_reason="; ".join(builder.problems),
    )


def _code_dir(builder: _Builder, resource: MarkedDict, serverless: bool, package_type: str) -> str:
    """Where the function's code lives; the template's folder when it has no local folder."""
    template_dir = str(builder.context.template_path.parent)
    if package_type == "Image" or (builder.merged.get("ImageUri") and not builder.merged.get("CodeUri")
                                   and not builder.merged.get("Code")):
        builder.problems.append("PackageType Image: container images do not run locally here")
        return template_dir
    key = "CodeUri" if serverless else "Code"
    if serverless and key not in builder.merged:
        if "InlineCode" in builder.merged:
            builder.problems.append("InlineCode does not run locally; move the code to a file")
            return template_dir
        builder.origins["code_dir"] = SAM_DEFAULT
        return template_dir
    code = builder.value(key, "code_dir")
    if not serverless:
        code = _lambda_code(builder, resource, code)
        if code is None:
            return template_dir
    folder = builder.code_path(code, key)
    return folder if folder is not None else template_dir


def _lambda_code(builder: _Builder, resource: MarkedDict, code: Any) -> Any:
    """AWS::Lambda::Function's Code as a local path, when it has one."""
    metadata = resource.get("Metadata")
    # CDK writes the local asset folder beside the S3 location it will upload to.
    if isinstance(metadata, dict) and metadata.get("aws:asset:property") == "Code" \
            and isinstance(metadata.get("aws:asset:path"), str):
        builder.origins["code_dir"] = f"Resources.{builder.logical_id}.Metadata aws:asset:path"
        return metadata["aws:asset:path"]
    if isinstance(code, dict) and "ImageUri" in code:
        builder.problems.append("Code.ImageUri: container images do not run locally here")
        return None
    if isinstance(code, dict) and "ZipFile" in code:
        builder.problems.append("Code.ZipFile (inline code) does not run locally; move the code to a file")
        return None
    if code is NO_VALUE:
        builder.problems.append("no Code is set")
        return None
    return code


def _layers(builder: _Builder) -> tuple[LayerRef, ...]:
    """The function's Layers in declared order: local LayerVersion resources with their folders, the
    rest by ARN (they are not available offline; the engine says so and runs without them)."""
    raw = builder.merged.get("Layers")
    if not isinstance(raw, list):
        return ()
    resources = builder.context.resources or MarkedDict()
    layers = []
    for item in raw:
        name = item.get("Ref") if isinstance(item, dict) and len(item) == 1 else None
        resource = resources.get(name) if isinstance(name, str) else None
        if isinstance(resource, dict) and resource.get("Type") in LAYER_TYPES:
            layers.append(_local_layer(builder, str(name), resource))
            continue
        resolved = builder.context.resolver.resolve(item)
        layers.append(LayerRef(scalar_text(resolved)))
    return tuple(layers)


def _local_layer(builder: _Builder, name: str, resource: dict) -> LayerRef:
    properties = resource.get("Properties") if isinstance(resource.get("Properties"), dict) else {}
    metadata = resource.get("Metadata") if isinstance(resource.get("Metadata"), dict) else {}
    content = properties.get("ContentUri", properties.get("Content"))
    if isinstance(metadata.get("aws:asset:path"), str):
        content = metadata["aws:asset:path"]
    content = builder.context.resolver.resolve(content) if content is not None else None
    build_method = metadata.get("BuildMethod")
    if not isinstance(content, str) or isinstance(content, Placeholder) or content.startswith("s3://"):
        return LayerRef(name)  # in Amazon S3 only: like an ARN, not available offline
    folder = os.path.normpath(builder.context.template_path.parent / content)
    if not os.path.isdir(folder):
        builder.problems.append(f"layer {name}: ContentUri {content} does not exist")
    return LayerRef(name, folder, build_method if isinstance(build_method, str) else None)
