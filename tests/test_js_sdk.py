"""Every AWS SDK for JavaScript v3 client Lambda provides: a Node.js function imports any @aws-sdk/client-*
without packaging it; one the runtime's SDK folder lacks is added to it once (npm), and the report names
the version. Offline: npm is a stand-in on PATH that writes the package as npm would lay it out, so the
planning, the build in place, NODE_PATH and Node's own require/import are the real ones."""

import json
import os
import stat
from pathlib import Path

import pytest

from node_functions import needs_node, node_function
from workbench.core.child.environment_report import sdk_description
from workbench.core.child.runtime_sdk import NODE_SDK_VERSION, node_sdk_imports

pytestmark = needs_node

# Writes node_modules/@aws-sdk/<name>/{package.json,index.js} under --prefix for each @aws-sdk/<name>@<v>.
FAKE_NPM = """#!/bin/sh
prefix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2;;
    @aws-sdk/*)
      spec="${1#@aws-sdk/}"; name="${spec%@*}"; version="${spec##*@}"
      mkdir -p "$prefix/node_modules/@aws-sdk/$name"
      printf '{"name": "@aws-sdk/%s", "version": "%s", "main": "index.js"}' "$name" "$version" \\
        > "$prefix/node_modules/@aws-sdk/$name/package.json"
      printf 'exports.clientName = "%s %s";\\n' "$name" "$version" > "$prefix/node_modules/@aws-sdk/$name/index.js"
      echo "$name" >> "$prefix/installed.log"
      shift;;
    *) shift;;
  esac
done
"""

HANDLER = """
const s3 = require('@aws-sdk/client-s3');
const { clientName } = require('@aws-sdk/client-ses');
exports.handler = async () => ({ s3: s3.clientName, ses: clientName });
"""

ESM_HANDLER = """
import { clientName } from '@aws-sdk/client-sesv2';
export const handler = async () => clientName;
"""


def _package(folder: Path, name: str, version: str = NODE_SDK_VERSION) -> None:
    package = folder / "node_modules" / "@aws-sdk" / name
    package.mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"name": f"@aws-sdk/{name}", "version": version,
                                                      "main": "index.js"}))
    (package / "index.js").write_text(f'exports.clientName = "{name} {version}";\n')


@pytest.fixture
def sdk_engine(tmp_path, qapp):
    """An engine whose cache holds a nodejs20.x SDK folder with client-s3 only, and whose npm is the stand-in."""
    from workbench.engine.engine import Engine

    cache = tmp_path / "cache"
    sdk = cache / "sdk" / "nodejs20.x"
    _package(sdk, "client-s3")
    (sdk / ".workbench-entry.json").write_text("{}")
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "npm").write_text(FAKE_NPM)
    (tools / "npm").chmod(stat.S_IRWXU)
    engine = Engine(host_env=dict(os.environ, LAMBDA_WORKBENCH_CACHE=str(cache),
                                  PATH=f"{tools}:{os.environ['PATH']}"))
    yield engine, sdk
    engine.shutdown()


def test_a_client_the_sdk_folder_lacks_is_added_once_and_then_imported(sdk_engine, tmp_path, invoke):
    """client-ses is not in the folder: the first call adds it (npm install of that client at the release
    the workbench provides), the function require()s it and client-s3 beside it; the next cold start
    installs nothing; an ES module's import of another client is added the same way."""
    engine, sdk = sdk_engine
    code = tmp_path / "code"
    code.mkdir()
    (code / "index.js").write_text(HANDLER)
    config = node_function(code, "index.handler")
    ran = invoke(config, on=engine)
    assert ran.result.succeeded, ran.lines
    assert json.loads(ran.result.payload) == {"s3": f"client-s3 {NODE_SDK_VERSION}",
                                             "ses": f"client-ses {NODE_SDK_VERSION}"}
    assert f"[build] adding @aws-sdk/client-ses to the nodejs20.x runtime's SDK (AWS SDK for JavaScript v3 " \
           f"{NODE_SDK_VERSION})" in ran.lines
    assert (sdk / "installed.log").read_text().split() == ["client-ses"]
    engine.reset()
    again = invoke(config, on=engine)
    assert again.result.succeeded and not any(line.startswith("[build]") for line in again.lines)
    assert (sdk / "installed.log").read_text().split() == ["client-ses"]
    (code / "esm.mjs").write_text(ESM_HANDLER)
    ran = invoke(node_function(code, "esm.handler", name="esm"), on=engine)
    assert json.loads(ran.result.payload) == f"client-sesv2 {NODE_SDK_VERSION}"
    assert (sdk / "installed.log").read_text().split() == ["client-ses", "client-sesv2"]
    assert sdk_description(str(sdk), "nodejs20.x") == (
        f"AWS SDK for JavaScript v3 {NODE_SDK_VERSION} (client-s3, client-ses, client-sesv2)")


def test_the_imports_are_read_from_the_source():
    """require, import, import type and subpaths, in .js/.mjs/.cjs/.ts files; not other scopes."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "a.js").write_text("const x = require('@aws-sdk/client-ses');\n"
                                        "const { marshall } = require(\"@aws-sdk/util-dynamodb\");\n")
        Path(folder, "b.ts").write_text("import type { S3Client } from '@aws-sdk/client-s3';\n"
                                        "import { Upload } from '@aws-sdk/lib-storage/dist-cjs/index.js';\n"
                                        "import x from '@smithy/types';\n")
        Path(folder, "node_modules", "@aws-sdk", "client-kms").mkdir(parents=True)
        Path(folder, "node_modules", "@aws-sdk", "client-kms", "index.js").write_text("require('@aws-sdk/client-sts')")
        assert node_sdk_imports(folder) == {"client-ses", "util-dynamodb", "client-s3", "lib-storage"}


def test_the_report_names_each_release_of_the_clients(tmp_path):
    _package(tmp_path, "client-s3")
    _package(tmp_path, "lib-dynamodb")
    _package(tmp_path, "client-ses", "3.900.0")
    _package(tmp_path, "core")
    assert sdk_description(str(tmp_path), "nodejs22.x") == (
        f"AWS SDK for JavaScript v3 {NODE_SDK_VERSION} (client-s3, lib-dynamodb); "
        "AWS SDK for JavaScript v3 3.900.0 (client-ses)")
