"""What a function's environment is made of, as the Dependencies section and `lambda-workbench deps` show
it: the interpreter, the manifest and its cache entry, installed packages, layers in order, the SDK, the
deploy-parity findings, and the unzipped size against Lambda's 250 MB."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from .dependency_cache import entry_info
from ..function.function_config import FunctionConfig, LayerRef, runtime_family
from .interpreter_choice import Interpreter
from .package_report import (UNZIPPED_LIMIT_BYTES, Package, ParityFinding, folder_size, node_packages,
                             parity_findings, python_packages)

# Folders a deployment package leaves out (tools, caches), as the code fingerprint does.
_NOT_DEPLOYED = {".git", ".venv", "__pycache__", ".aws-sam", ".pytest_cache", "events", "node_modules"}


@dataclass(frozen=True)
class EnvironmentReport:
    function: str
    runtime: str
    architecture: str
    interpreter: Interpreter | None
    manifest: str | None
    """The manifest file found, None without one."""
    entry: str | None
    """The dependency cache entry's folder."""
    entry_built_at: float | None
    """When the entry was built (Unix time), None when it is not built yet."""
    packages: tuple[Package, ...]
    layers: tuple[LayerRef, ...]
    sdk: str
    """The runtime's SDK as found in its folder ("boto3 1.40.4, botocore 1.40.4"), or why there is none."""
    findings: tuple[ParityFinding, ...]
    size_bytes: int
    """Code, dependencies and layers, unzipped."""

    @property
    def over_limit(self) -> bool:
        return self.size_bytes > UNZIPPED_LIMIT_BYTES


def _packages(folder: str | None, runtime: str) -> list[Package]:
    if not folder:
        return []
    return python_packages(folder) if runtime_family(runtime) == "python" else node_packages(folder)


def sdk_description(sdk_dir: str | None, runtime: str) -> str:
    if runtime_family(runtime) == "provided":
        return "none (a custom runtime bundles no SDK)"
    if not sdk_dir or not os.path.isdir(sdk_dir):
        return "not installed yet (installed on the first run that needs it)"
    found = _packages(sdk_dir, runtime)
    if runtime_family(runtime) == "nodejs":
        return node_sdk_description(found, sdk_dir)
    wanted = ("boto3", "botocore")
    shown = [p for p in found if p.name.lower() in wanted]
    if not shown:
        # A folder of links to an installed boto3 (no dist-info): name what is importable.
        names = sorted(name for name in os.listdir(sdk_dir) if name in wanted)
        return ", ".join(names) + f" ({sdk_dir})" if names else f"empty ({sdk_dir})"
    # boto3 has every service's client: say so, as the Node.js line names its clients.
    return ", ".join(f"{p.name} {p.version}" for p in shown) + " (every service's client)"


def node_sdk_description(found: list[Package], sdk_dir: str) -> str:
    """The JS SDK's clients by version: "AWS SDK for JavaScript v3 3.896.0 (client-s3, client-ses, ...)"."""
    by_version: dict[str, list[str]] = {}
    for package in found:
        scope, _slash, name = package.name.partition("/")
        if scope == "@aws-sdk" and name.startswith(("client-", "lib-")):
            by_version.setdefault(package.version, []).append(name)
    if not by_version:
        return f"no AWS SDK clients yet ({sdk_dir})"
    return "; ".join(f"AWS SDK for JavaScript v3 {version} ({', '.join(sorted(names))})"
                     for version, names in sorted(by_version.items()))


def build_report(config: FunctionConfig, interpreter: Interpreter | None, manifest: str | None,
                 entry: str | None, opt_dir: str | None, sdk_dir: str | None) -> EnvironmentReport:
    built = entry is not None and bool(entry_info(Path(entry).parent.parent, Path(entry).name))
    info = entry_info(Path(entry).parent.parent, Path(entry).name) if built else {}
    packages = _packages(entry, config.runtime) if built else []
    layer_packages = python_packages(os.path.join(opt_dir, "python")) if opt_dir else []
    findings = parity_findings(packages + layer_packages, config.architecture) \
        if runtime_family(config.runtime) == "python" else []
    size = folder_size(config.code_dir, skip=_NOT_DEPLOYED)
    if built:
        size += folder_size(entry)
    if opt_dir:
        size += folder_size(opt_dir)
    return EnvironmentReport(config.name, config.runtime, config.architecture, interpreter, manifest, entry,
                             info.get("built_at") if built else None, tuple(packages), config.layers,
                             sdk_description(sdk_dir, config.runtime), tuple(findings), size)


def report_lines(report: EnvironmentReport) -> list[str]:
    """The report as text, one fact per line (the deps command prints these)."""
    lines = [f"Function: {report.function} ({report.runtime}, {report.architecture})"]
    interpreter = report.interpreter
    if interpreter is None:
        lines.append("Interpreter: none found" if runtime_family(report.runtime) != "provided"
                     else "Interpreter: the function's own bootstrap")
    else:
        lines.append(f"Interpreter: {interpreter.version} at {interpreter.path} ({interpreter.source})")
        if interpreter.warning:
            lines.append(f"  {interpreter.warning}")
    if report.manifest is None:
        lines.append("Dependencies: no manifest (requirements.txt, pyproject.toml + uv.lock, package.json)")
    else:
        lines.append(f"Manifest: {report.manifest}")
        when = (datetime.datetime.fromtimestamp(report.entry_built_at).strftime("%Y-%m-%d %H:%M:%S")
                if report.entry_built_at else "not built yet")
        lines.append(f"Cache entry: {report.entry} ({when})")
        for package in report.packages:
            lines.append(f"  {package.name} {package.version}")
    if report.layers:
        lines.append("Layers, in order (a later one's files win):")
        for number, layer in enumerate(report.layers, start=1):
            where = layer.content_dir or "not available offline (an ARN or S3 layer)"
            lines.append(f"  {number}. {layer.name}: {where}"
                         + (f" (BuildMethod {layer.build_method})" if layer.build_method else ""))
    lines.append(f"SDK: {report.sdk}")
    for finding in report.findings:
        lines.append(f"Parity: {finding.message}")
    megabytes = report.size_bytes / 1024 / 1024
    verdict = "OVER Lambda's limit" if report.over_limit else "within Lambda's limit"
    lines.append(f"Size: {megabytes:.1f} MB of 250 MB unzipped (code, dependencies and layers): {verdict}")
    return lines
