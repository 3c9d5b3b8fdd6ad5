"""Where the shipped files live: resources/ in a checkout, workbench/_resources in a wheel."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def resources_root() -> Path:
    checkout = _PACKAGE_DIR.parent / "resources"
    if checkout.is_dir():
        return checkout
    return _PACKAGE_DIR / "_resources"


def resource_path(*parts: str) -> Path:
    """Path of a shipped resource, e.g. resource_path("events", "s3", "put.json")."""
    return resources_root().joinpath(*parts)


def runtime_path(*parts: str) -> Path:
    """Path of a file that runs inside the child process (workbench/runtimes/...)."""
    return _PACKAGE_DIR.joinpath("runtimes", *parts)
