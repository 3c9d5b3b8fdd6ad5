"""Node.js functions' environments: package.json + package-lock.json installed with `npm ci` into the cache
(a package made here with `npm pack`, no network), and ES-module imports resolved from NODE_PATH (layers,
dependencies) as Lambda's Node.js runtime resolves them."""

import json
import os
import shutil
import subprocess

import pytest

from workbench.core.function.function_config import FunctionConfig, LayerRef
from workbench.core.function.invocation_result import Status

from tests_support import invoke_and_wait

pytestmark = pytest.mark.skipif(shutil.which("npm") is None or shutil.which("node") is None,
                                reason="needs node and npm")


def write(folder, files):
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


@pytest.fixture
def node_engine(qapp, tmp_path):
    from workbench.engine.engine import Engine

    cache = tmp_path / "cache"
    shutil.copytree(os.environ["LAMBDA_WORKBENCH_CACHE"] + "/sdk", cache / "sdk", symlinks=True)
    engine = Engine(host_env=dict(os.environ, LAMBDA_WORKBENCH_CACHE=str(cache), npm_config_offline="true",
                                  npm_config_cache=str(tmp_path / "npm-cache")))
    yield engine
    engine.shutdown()


@pytest.fixture
def packed(tmp_path):
    """A tiny package as a tarball, made by `npm pack`: CommonJS main and an ES-module export."""
    source = write(tmp_path / "tinypkg", {
        "package.json": json.dumps({"name": "tinypkg", "version": "1.0.0", "main": "index.js",
                                    "exports": {"import": "./index.mjs", "require": "./index.js"}}),
        "index.js": "exports.value = 'from tinypkg (cjs)';\n",
        "index.mjs": "export const value = 'from tinypkg (esm)';\nexport default { value };\n"})
    done = subprocess.run(["npm", "pack", "--pack-destination", str(tmp_path)], cwd=source, capture_output=True,
                          text=True, env=dict(os.environ, npm_config_cache=str(tmp_path / "npm-cache")), timeout=60)
    assert done.returncode == 0, done.stderr
    return tmp_path / "tinypkg-1.0.0.tgz"


def node_function(code, handler="index.handler", **changes):
    return FunctionConfig(name=changes.pop("name", "node-fn"), handler=handler, runtime="nodejs20.x",
                          code_dir=str(code), **changes)


def with_lock(code, tarball, tmp_path):
    write(code, {"package.json": json.dumps({"name": "fn", "version": "1.0.0",
                                             "dependencies": {"tinypkg": f"file:{tarball}"}})})
    done = subprocess.run(["npm", "install", "--package-lock-only", "--offline", "--no-audit", "--no-fund"],
                          cwd=code, capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, npm_config_cache=str(tmp_path / "npm-cache")))
    assert done.returncode == 0, done.stderr
    assert (code / "package-lock.json").is_file()
    return code


def test_npm_ci_installs_the_lockfile_into_the_cache(tmp_path, node_engine, qtbot, packed):
    """package.json + package-lock.json: npm ci into a cache entry, once; require() and import both find it;
    the code folder stays as it was (no node_modules written into it)."""
    code = with_lock(write(tmp_path / "code", {
        "index.js": "const t = require('tinypkg');\nexports.handler = async () => t.value;\n",
        "esm.mjs": "import { value } from 'tinypkg';\nexport const handler = async () => value;\n"}), packed, tmp_path)
    ran = invoke_and_wait(node_engine, qtbot, node_function(code))
    assert ran.result.status is Status.SUCCESS, ran.text
    assert json.loads(ran.result.payload) == "from tinypkg (cjs)"
    assert any(line.startswith("[build] installing package-lock.json") for line in ran.lines)
    assert not (code / "node_modules").exists()
    again = invoke_and_wait(node_engine, qtbot, node_function(code, "esm.handler", name="esm-fn"))
    assert json.loads(again.result.payload) == "from tinypkg (esm)"
    assert not [line for line in again.lines if line.startswith("[build]")]


def test_es_module_import_is_resolved_from_a_layer(tmp_path, node_engine, qtbot):
    """A layer's nodejs/node_modules package is found by `import` (plain node would not look there)."""
    layer = write(tmp_path / "layer", {
        "nodejs/node_modules/greet/package.json": json.dumps({"name": "greet", "type": "module",
                                                              "exports": "./index.js"}),
        "nodejs/node_modules/greet/index.js": "export const greet = (name) => `hello ${name}`;\n"})
    code = write(tmp_path / "code", {"app.mjs": "import { greet } from 'greet';\n"
                                                "export const handler = async () => greet('ada');\n"})
    ran = invoke_and_wait(node_engine, qtbot, node_function(code, "app.handler",
                                                            layers=(LayerRef("Greet", str(layer)),)))
    assert ran.result.status is Status.SUCCESS, ran.text
    assert json.loads(ran.result.payload) == "hello ada"


def test_a_folders_own_node_modules_is_used_as_shipped(tmp_path, node_engine, qtbot, packed):
    """node_modules beside the handler: nothing is installed, Lambda runs it as shipped."""
    code = with_lock(write(tmp_path / "code", {
        "index.js": "exports.handler = async () => require('shipped').value;\n",
        "node_modules/shipped/index.js": "exports.value = 'shipped';\n"}), packed, tmp_path)
    ran = invoke_and_wait(node_engine, qtbot, node_function(code))
    assert json.loads(ran.result.payload) == "shipped"
    assert not [line for line in ran.lines if line.startswith("[build]")]
