"""What a dependency folder holds, read from its metadata: packages and versions, the wheels that would
not run on Lambda's platform, and the unzipped size against Lambda's 250 MB limit."""

from __future__ import annotations

import email.parser
import json
import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

# Lambda's limit on a function's code, dependencies and layers together, unzipped.
UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024
# The machine word of each of Lambda's architectures, as wheel platform tags spell it.
ARCHITECTURE_MACHINE = {"x86_64": "x86_64", "arm64": "aarch64"}


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    platform_tags: tuple[str, ...] = ()
    """The wheel's platform tags ("any" for pure Python)."""


@dataclass(frozen=True)
class ParityFinding:
    package: str
    message: str


def python_packages(folder: str | Path) -> list[Package]:
    """Every *.dist-info below folder (one level), sorted by name."""
    packages = []
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    parser = email.parser.HeaderParser()
    for name in names:
        if not name.endswith(".dist-info"):
            continue
        info = Path(folder) / name
        try:
            metadata = parser.parsestr((info / "METADATA").read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        tags: list[str] = []
        try:
            wheel = parser.parsestr((info / "WHEEL").read_text(encoding="utf-8", errors="replace"))
            tags = sorted({tag.rsplit("-", 1)[-1] for tag in wheel.get_all("Tag") or []})
        except OSError:
            pass
        packages.append(Package(metadata.get("Name", name), metadata.get("Version", "?"), tuple(tags)))
    return sorted(packages, key=lambda package: package.name.lower())


def node_packages(folder: str | Path) -> list[Package]:
    """Top-level packages of a node_modules folder (scoped ones included)."""
    root = Path(folder) / "node_modules"
    packages = []
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return []
    for entry in entries:
        folders = sorted(entry.iterdir()) if entry.name.startswith("@") and entry.is_dir() else [entry]
        for package in folders:
            try:
                manifest = json.loads((package / "package.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            packages.append(Package(str(manifest.get("name", package.name)), str(manifest.get("version", "?"))))
    return packages


def parity_findings(packages: list[Package], architecture: str) -> list[ParityFinding]:
    """Packages whose installed wheel is built for another platform than Lambda's (manylinux for the
    function's architecture): they run here and fail after deploy."""
    machine = ARCHITECTURE_MACHINE.get(architecture, architecture)
    findings = []
    for package in packages:
        tags = [tag for tag in package.platform_tags if tag != "any"]
        if not tags:
            continue
        if any(tag.startswith("manylinux") and tag.endswith(machine) for tag in tags):
            continue
        findings.append(ParityFinding(package.name, (
            f"{package.name} {package.version} will not run on Lambda: its wheel is built for "
            f"{', '.join(tags)}, not manylinux {machine} ({architecture}). Lambda needs a manylinux wheel "
            f"for {architecture}; pin a version that publishes one.")))
    return findings


def folder_size(folder: str | Path, skip: Collection[str] = ()) -> int:
    """Bytes of every file below folder, links not followed, leaving out the folders named in skip (at any
    depth)."""
    total = 0
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total

