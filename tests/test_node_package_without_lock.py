"""A package.json without a lock file is installed as `sam build` installs it (npm resolves its ranges), and
the run's log says so with the fix; a package.json that declares no dependencies installs nothing."""

import json

from workbench.core.function.invocation_result import Status

from test_function_environment_node import node_engine, node_function, packed, pytestmark, write  # noqa: F401
from tests_support import invoke_and_wait


def test_package_json_alone_is_installed_and_the_log_says_how(tmp_path, node_engine, qtbot, packed):  # noqa: F811
    code = write(tmp_path / "code", {
        "package.json": json.dumps({"name": "fn", "version": "1.0.0", "dependencies": {"tinypkg": f"file:{packed}"}}),
        "index.js": "const t = require('tinypkg');\nexports.handler = async () => t.value;\n"})
    ran = invoke_and_wait(node_engine, qtbot, node_function(code))
    assert ran.result.status is Status.SUCCESS, ran.text
    assert json.loads(ran.result.payload) == "from tinypkg (cjs)"
    assert any(line.startswith("[build] installing package.json") for line in ran.lines), ran.lines
    note = next(line for line in ran.lines if "has no package-lock.json" in line)
    assert "as sam build does" in note and f"`npm install` in {code}" in note
    # The user's folder is left alone: no lock file, no node_modules written there.
    assert sorted(path.name for path in code.iterdir()) == ["index.js", "package.json"]


def test_package_json_without_dependencies_builds_nothing(tmp_path, node_engine, qtbot):  # noqa: F811
    code = write(tmp_path / "code", {"package.json": json.dumps({"type": "module"}),
                                     "index.js": "export const handler = async () => 'plain';\n"})
    ran = invoke_and_wait(node_engine, qtbot, node_function(code))
    assert json.loads(ran.result.payload) == "plain"
    assert not [line for line in ran.lines if line.startswith("[build]")]


def test_the_dependencies_report_names_the_sdk_clients_present(tmp_path):
    """Node.js: the @aws-sdk client packages by name (not their helpers); Python: boto3, every client."""
    from workbench.core.child.environment_report import sdk_description

    for name, version in (("@aws-sdk/client-s3", "3.896.0"), ("@aws-sdk/lib-dynamodb", "3.896.0"),
                          ("@aws-sdk/core", "3.896.0"), ("@smithy/types", "4.5.0")):
        folder = tmp_path / "node" / "node_modules" / name
        folder.mkdir(parents=True)
        (folder / "package.json").write_text(json.dumps({"name": name, "version": version}))
    assert sdk_description(str(tmp_path / "node"), "nodejs22.x") == \
        "AWS SDK for JavaScript v3 3.896.0 (client-s3, lib-dynamodb)"
    (tmp_path / "empty" / "node_modules").mkdir(parents=True)
    assert sdk_description(str(tmp_path / "empty"), "nodejs22.x").startswith("no AWS SDK clients")
    for name in ("boto3", "botocore"):
        info = tmp_path / "py" / f"{name}-1.40.4.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.40.4\n")
    assert sdk_description(str(tmp_path / "py"), "python3.12") == \
        "boto3 1.40.4, botocore 1.40.4 (every service's client)"
