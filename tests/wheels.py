"""Tiny wheels and a local package folder, built inside the tests: installs that need no network."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def make_wheel(folder: Path, name: str, version: str, files: dict[str, str], tag: str = "py3-none-any",
               requires: tuple[str, ...] = ()) -> Path:
    """A wheel of `files` (path inside site-packages -> text), as a build backend would write it."""
    folder.mkdir(parents=True, exist_ok=True)
    distribution = name.replace("-", "_")
    info = f"{distribution}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {requirement}\n" for requirement in requires)
    contents = dict(files)
    contents[f"{info}/METADATA"] = metadata
    contents[f"{info}/WHEEL"] = f"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: {tag}\n"
    record = "".join(f"{path},{_record_hash(text.encode())},{len(text.encode())}\n" for path, text in contents.items())
    contents[f"{info}/RECORD"] = record + f"{info}/RECORD,,\n"
    wheel = folder / f"{distribution}-{version}-{tag}.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in contents.items():
            archive.writestr(path, text)
    return wheel


def offline_index(folder: Path) -> dict[str, str]:
    """Variables that make uv (and pip) install only from `folder`, never from the network."""
    return {"UV_FIND_LINKS": str(folder), "UV_OFFLINE": "1",
            "UV_CACHE_DIR": str(folder / ".uv-cache"), "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(folder)}
