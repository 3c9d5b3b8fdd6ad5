"""Layers from a SAM template: merged in declared order into what /opt would be (a later layer's file
wins), built with their BuildMethod, an ARN layer named as unavailable while the rest runs."""

import json
import os
import shutil
import textwrap

import pytest

from workbench.core.workspace.sam_template import load_template
from workbench.core.function.invocation_result import Status

from tests_support import invoke_and_wait
from wheels import make_wheel, offline_index

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  First:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/first
  Second:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/second
  Built:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/built
    Metadata:
      BuildMethod: python3.12
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: code
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          SETTINGS_FILE: /opt/settings.json
      Layers:
        - !Ref First
        - !Ref Second
        - arn:aws:lambda:us-east-1:123456789012:layer:remote-tools:7
        - !Ref Built
"""

HANDLER = textwrap.dedent("""\
    import os, shared, first_only, from_built, greeting
    def handler(event, context):
        with open(os.environ["SETTINGS_FILE"]) as settings:
            return {"shared": shared.WHO, "first": first_only.OK, "built": from_built.OK,
                    "greeting": greeting.WORD, "settings": settings.read().strip()}
""")


@pytest.fixture
def project(tmp_path):
    def write(path, text):
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    write("template.yaml", TEMPLATE)
    write("code/app.py", HANDLER)
    write("layers/first/python/shared.py", "WHO = 'first'\n")
    write("layers/first/python/first_only.py", "OK = True\n")
    write("layers/first/settings.json", '{"from": "first"}\n')
    write("layers/second/python/shared.py", "WHO = 'second'\n")
    write("layers/second/settings.json", '{"from": "second"}\n')
    # BuildMethod python3.12: the folder holds sources and requirements, as `sam build` takes them.
    write("layers/built/from_built.py", "OK = True\n")
    write("layers/built/requirements.txt", "greeting==1.0.0\n")
    make_wheel(tmp_path / "wheels", "greeting", "1.0.0", {"greeting/__init__.py": "WORD = 'hello'\n"})
    return tmp_path


@pytest.fixture
def layer_engine(qapp, project):
    from workbench.engine.engine import Engine

    cache = project / "cache"
    shutil.copytree(os.environ["LAMBDA_WORKBENCH_CACHE"] + "/sdk", cache / "sdk", symlinks=True)
    engine = Engine(host_env=dict(os.environ, LAMBDA_WORKBENCH_CACHE=str(cache), **offline_index(project / "wheels")))
    yield engine
    engine.shutdown()


def test_template_layers_are_read_in_order(project):
    """Local LayerVersion resources get their folders and BuildMethod; an ARN stays an ARN, in place."""
    config = load_template(project / "template.yaml").functions[0].config
    assert [layer.name for layer in config.layers] == [
        "First", "Second", "arn:aws:lambda:us-east-1:123456789012:layer:remote-tools:7", "Built"]
    assert config.layers[0].content_dir == str(project / "layers" / "first")
    assert config.layers[2].content_dir is None
    assert config.layers[3].build_method == "python3.12"


def test_layers_merge_as_opt_and_the_later_one_wins(project, layer_engine, qtbot):
    """Two layers ship shared.py and settings.json: the second's are used; the first's other files stay;
    the built layer's requirement is importable; /opt in a variable names the merged folder; the ARN
    layer is named in one WARNING line and the function still runs."""
    config = load_template(project / "template.yaml").functions[0].config
    ran = invoke_and_wait(layer_engine, qtbot, config)
    assert ran.result.status is Status.SUCCESS, ran.text
    assert json.loads(ran.result.payload) == {"shared": "second", "first": True, "built": True,
                                              "greeting": "hello", "settings": '{"from": "second"}'}
    warnings = [line for line in ran.lines if "remote-tools:7" in line]
    assert len(warnings) == 1 and "not available offline" in warnings[0]
    assert ran.environment.opt_dir and os.path.isfile(os.path.join(ran.environment.opt_dir, "python", "shared.py"))


def test_more_than_five_layers_is_refused_as_lambda_does(project, layer_engine, qtbot):
    """Six layers: the call fails with Lambda's limit named, nothing runs."""
    from dataclasses import replace
    config = load_template(project / "template.yaml").functions[0].config
    config = replace(config, layers=config.layers * 2)
    ran = invoke_and_wait(layer_engine, qtbot, config)
    assert ran.result.status is Status.ERROR
    assert "more than 5 layers" in json.loads(ran.result.payload)["errorMessage"]


def test_a_config_with_layers_comes_back_from_history_whole(project):
    """History stores the configuration as JSON; its layers come back as LayerRef, equal to what ran."""
    import dataclasses
    from workbench.core.history.history_codec import config_from_json

    config = load_template(project / "template.yaml").functions[0].config
    assert config_from_json(json.dumps(dataclasses.asdict(config))) == config
