"""Reading SAM templates: functions, Globals, parameters, placeholders, origins and errors."""

import importlib.util
import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from workbench.core.workspace.sam_functions import merge_globals
from workbench.core.workspace.sam_template import TemplateError, find_template, load_template

PROJECT = Path(__file__).parent / "fixtures" / "sam_project"


@pytest.fixture(scope="module")
def template():
    return load_template(PROJECT / "template.yaml")


def write_template(folder: Path, body: str, name: str = "template.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_functions_are_the_function_resources(template):
    """Serverless and plain Lambda functions are listed by logical id; the table and role are not."""
    assert template.function_ids == ("OrderFunction", "NotifyFunction", "AuditFunction")
    assert all(function.runnable for function in template.functions)
    assert template.function("OrderFunction").config.name == "OrderFunction"


def test_globals_fill_in_what_the_function_leaves_out(template):
    """The Python function takes its runtime, timeout and architecture from Globals.Function."""
    order = template.function("OrderFunction")
    assert order.config.runtime == "python3.12"
    assert order.config.timeout_s == 10
    assert order.config.architecture == "arm64"
    assert order.origin("runtime") == "Globals.Function"
    assert order.origin("handler") == "Resources.OrderFunction.Properties"


def test_function_properties_override_globals(template):
    """The Node.js function in its own folder keeps its own runtime, timeout and architecture."""
    notify = template.function("NotifyFunction")
    assert notify.config.runtime == "nodejs20.x"
    assert notify.config.handler == "index.handler"
    assert notify.config.timeout_s == 30
    assert notify.config.architecture == "x86_64"
    assert notify.config.memory_mb == 256
    assert notify.origin("memory_mb") == "Globals.Function"
    assert notify.origin("timeout_s") == "Resources.NotifyFunction.Properties"


def test_environment_variables_merge_key_by_key(template):
    """Global variables reach every function; a function's own value for the same name wins."""
    order = template.function("OrderFunction").config.env_dict()
    notify = template.function("NotifyFunction").config.env_dict()
    assert order["POWERTOOLS_SERVICE_NAME"] == notify["POWERTOOLS_SERVICE_NAME"] == "orders"
    assert order["LOG_LEVEL"] == "DEBUG"
    assert notify["LOG_LEVEL"] == "INFO"
    assert template.function("OrderFunction").origin("env:LOG_LEVEL") == "Resources.OrderFunction.Properties"
    assert template.function("NotifyFunction").origin("env:LOG_LEVEL") == \
        "Globals.Function via Parameters.LogLevel default"


def test_code_dir_is_the_absolute_code_folder(template):
    """CodeUri and a plain Lambda function's Code are folders beside the template, made absolute."""
    assert template.function("OrderFunction").config.code_dir == str(PROJECT / "src" / "orders")
    assert template.function("NotifyFunction").config.code_dir == str(PROJECT / "src" / "notify")
    assert template.function("AuditFunction").config.code_dir == str(PROJECT / "src" / "audit")


def test_plain_lambda_function_ignores_globals(template):
    """Globals are SAM's: AWS::Lambda::Function gets Lambda's own defaults instead."""
    audit = template.function("AuditFunction")
    assert (audit.config.memory_mb, audit.config.timeout_s, audit.config.architecture) == (128, 3, "x86_64")
    assert audit.origin("timeout_s") == "Lambda default"
    assert "STAGE" not in audit.config.env_dict()


def test_resources_and_attributes_resolve_to_their_local_names(template):
    """A Ref to the table and a GetAtt of its Arn read as the name and ARN the local services host gives it
    (its TableName here), not errors."""
    env = template.function("OrderFunction").config.env_dict()
    assert env["TABLE_NAME"] == "orders-dev"
    assert env["TABLE_ARN"] == "arn:aws:dynamodb:us-east-1:123456789012:table/orders-dev"


def test_parameters_resolve_to_their_defaults(template):
    """Refs, Subs, Selects, Ifs and FindInMaps all follow the parameter defaults."""
    order = template.function("OrderFunction")
    env = order.config.env_dict()
    assert env["STAGE"] == "dev"
    assert env["ORDERS_URL"] == "https://orders-dev.execute-api.us-east-1.amazonaws.com/"
    assert env["ALLOWED_ORIGIN"] == "https://shop.example.com"
    assert env["DEBUG"] == "true"
    assert order.config.memory_mb == 512
    assert order.origin("memory_mb") == ("Resources.OrderFunction.Properties via Parameters.Stage default, "
                                         "Mappings.StageSettings.dev.MemorySize")
    assert dict(template.parameters)["Stage"] == "dev"


def test_parameter_override_changes_everything_that_depends_on_it():
    """Overriding Stage switches the mapping, the condition and the origin shown."""
    template = load_template(PROJECT / "template.yaml", parameter_overrides={"Stage": "prod"})
    order = template.function("OrderFunction")
    assert order.config.memory_mb == 1024
    assert order.config.env_dict()["DEBUG"] == "false"
    assert order.origin("env:STAGE") == "Globals.Function via parameter override of Stage"
    assert template.function("NotifyFunction").config.env_dict()["TRACING"] == "active"
    assert dict(template.parameters)["Stage"] == "prod"


def test_no_value_drops_the_variable(template):
    """`!Ref AWS::NoValue` in a false branch removes the variable altogether."""
    notify = template.function("NotifyFunction")
    assert "TRACING" not in notify.config.env_dict()
    assert notify.origin("env:TRACING") == ""


def test_pseudo_parameters_follow_region_and_account():
    """AWS::Region, AWS::AccountId and AWS::Partition take the configured region and account."""
    template = load_template(PROJECT / "template.yaml", region="eu-west-1", account_id="111122223333")
    notify = template.function("NotifyFunction")
    assert notify.config.env_dict()["TOPIC_ARN"] == "arn:aws:sns:eu-west-1:111122223333:order-events-dev"
    assert notify.config.region == "eu-west-1"
    assert notify.config.function_arn == "arn:aws:lambda:eu-west-1:111122223333:function:NotifyFunction"


def test_fixture_python_handler_runs_with_the_fixture_event(template, monkeypatch):
    """The project's Python handler answers the API event in events/ with a created order."""
    config = template.function("OrderFunction").config
    for name, value in config.environment:
        monkeypatch.setenv(name, value)
    module_name, function_name = config.handler.rsplit(".", 1)
    spec = importlib.util.spec_from_file_location(module_name, Path(config.code_dir) / f"{module_name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    event = json.loads((PROJECT / "events" / "place_order.json").read_text(encoding="utf-8"))
    response = getattr(module, function_name)(event, None)
    assert response["statusCode"] == 201
    assert json.loads(response["body"])["total"] == 9.0


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_fixture_node_handler_exports_handler(template):
    """The project's Node.js module exports the handler the template names."""
    config = template.function("NotifyFunction").config
    module_name, export = config.handler.rsplit(".", 1)
    url = (Path(config.code_dir) / f"{module_name}.mjs").as_uri()
    script = f"import({json.dumps(url)}).then(m => m.{export}({{Records: []}})).then(r => console.log(JSON.stringify(r)))"
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(result.stdout) == {"notified": 0}


def test_default_code_uri_is_the_template_folder(tmp_path):
    """Without CodeUri the code lives next to the template, as SAM assumes."""
    path = write_template(tmp_path, """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Hello:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
        """)
    hello = load_template(path).function("Hello")
    assert hello.config.code_dir == str(tmp_path)
    assert hello.origin("code_dir") == "SAM default"
    assert (hello.config.timeout_s, hello.config.memory_mb, hello.config.architecture) == (3, 128, "x86_64")
    assert hello.origin("architecture") == "SAM default"


def test_image_and_s3_functions_are_listed_but_not_runnable(tmp_path):
    """Functions whose code is a container image or lives in S3 show up with the reason they cannot run."""
    path = write_template(tmp_path, """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          FromImage:
            Type: AWS::Serverless::Function
            Properties:
              PackageType: Image
              ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:latest
          FromBucket:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri:
                Bucket: my-artifacts
                Key: orders.zip
              Handler: app.handler
              Runtime: python3.12
          FromS3Uri:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: s3://my-artifacts/orders.zip
              Handler: app.handler
              Runtime: python3.12
          Cdk:
            Type: AWS::Lambda::Function
            Properties:
              Code:
                S3Bucket: cdk-assets
                S3Key: abc.zip
              Handler: app.handler
              Runtime: python3.12
        """)
    template = load_template(path)
    assert template.function_ids == ("FromImage", "FromBucket", "FromS3Uri", "Cdk")
    assert not any(function.runnable for function in template.functions)
    assert "Image" in template.function("FromImage").not_runnable_reason
    assert "S3" in template.function("FromBucket").not_runnable_reason
    assert "S3" in template.function("FromS3Uri").not_runnable_reason
    assert "S3" in template.function("Cdk").not_runnable_reason


def test_missing_code_folder_and_unknown_runtime_are_not_runnable(tmp_path):
    """A CodeUri that is not there, or a runtime the workbench cannot start, says so."""
    (tmp_path / "dotnet").mkdir()
    path = write_template(tmp_path, """\
        Resources:
          Gone:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: nowhere/, Handler: app.handler, Runtime: python3.12}
          Dotnet:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: dotnet/, Handler: Orders::Orders.Function::Handle, Runtime: dotnet8}
        """)
    template = load_template(path)
    assert "nowhere/ does not exist" in template.function("Gone").not_runnable_reason
    assert "Runtime dotnet8 does not run locally here" in template.function("Dotnet").not_runnable_reason


def test_an_archive_code_uri_runs_for_java_only(tmp_path):
    """A built .jar or .zip is a Java function's deployment package (Lambda unpacks it); other runtimes are
    asked for the unpacked folder."""
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "orders.jar").write_bytes(b"PK\x05\x06" + bytes(18))
    (tmp_path / "build" / "app.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    path = write_template(tmp_path, """\
        Resources:
          Java:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: build/orders.jar, Handler: example.Orders::handle, Runtime: java21}
          Python:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: build/app.zip, Handler: app.handler, Runtime: python3.12}
        """)
    template = load_template(path)
    java = template.function("Java")
    assert java.runnable and java.config.code_dir == str(tmp_path / "build" / "orders.jar")
    assert "build/app.zip is an archive; point it at the unpacked folder" in \
        template.function("Python").not_runnable_reason


def test_bad_timeout_points_at_its_line(tmp_path):
    """A Timeout that is not a number makes that function unrunnable, naming the line and column."""
    path = write_template(tmp_path, """\
        Resources:
          Hello:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              Timeout: soon
          Fine:
            Type: AWS::Serverless::Function
            Properties: {Handler: app.handler, Runtime: python3.12}
        """)
    template = load_template(path)
    assert template.function("Hello").not_runnable_reason == "template.yaml:7:16: Timeout 'soon' is not a whole number"
    assert template.function("Fine").runnable


def test_unresolvable_numbers_fall_back_to_defaults(tmp_path):
    """A Timeout from a parameter with no default keeps the default and says why."""
    path = write_template(tmp_path, """\
        Parameters:
          FunctionTimeout: {Type: Number}
          Secret: {Type: String}
        Resources:
          Hello:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              Timeout: !Ref FunctionTimeout
              Environment:
                Variables:
                  API_KEY: !Ref Secret
                  SHARED: !ImportValue shared-bucket
        """)
    hello = load_template(path).function("Hello")
    assert hello.runnable
    assert hello.config.timeout_s == 3
    assert "${FunctionTimeout}" in hello.origin("timeout_s")
    assert hello.config.env_dict() == {"API_KEY": "${Secret}", "SHARED": "${ImportValue shared-bucket}"}


def test_broken_yaml_names_file_line_and_column(tmp_path):
    """A syntax error is reported as template.yaml:line:column with YAML's own wording."""
    path = write_template(tmp_path, """\
        Resources:
          Hello:
            Type: AWS::Serverless::Function
            Properties:
              Handler: [app.handler
              Runtime: python3.12
        """)
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    error = caught.value
    assert (error.path, error.line) == (str(path), 6)
    assert error.column >= 1
    assert str(error).startswith(f"template.yaml:6:{error.column}: ")


def test_unknown_tag_is_reported_where_it_is(tmp_path):
    """A tag CloudFormation does not have is an error at its position, not a crash."""
    path = write_template(tmp_path, """\
        Resources:
          Hello:
            Type: AWS::Serverless::Function
            Properties:
              Handler: !Fancy app.handler
        """)
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert (caught.value.line, caught.value.column) == (5, 16)
    assert "!Fancy" in str(caught.value)


@pytest.mark.parametrize(("body", "where", "problem"), [
    ("AWSTemplateFormatVersion: '2010-09-09'\n", (1, 1), "no Resources section"),
    ("Resources:\n  - Hello\n", (2, 3), "Resources must be a mapping"),
    ("Resources:\n  Hello:\n    Properties: {}\n", (2, 3), "resource Hello has no Type"),
    ("Globals: {Function: [1]}\nResources: {}\n", (1, 21), "Globals.Function must be a mapping"),
    ("- just\n- a list\n", (1, 1), "a mapping of sections"),
    ("", (1, 1), "a mapping of sections"),
])
def test_structural_problems_name_the_place(tmp_path, body, where, problem):
    """A template with sections of the wrong shape is refused with the line and column at fault."""
    path = write_template(tmp_path, body)
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert (caught.value.line, caught.value.column) == where
    assert problem in str(caught.value)


def test_find_template_prefers_yaml_then_yml(tmp_path):
    """template.yaml is found first, template.yml otherwise, and nothing in an empty folder."""
    assert find_template(tmp_path) is None
    write_template(tmp_path, "Resources: {}\n", name="template.yml")
    assert find_template(tmp_path) == tmp_path / "template.yml"
    write_template(tmp_path, "Resources: {}\n")
    assert find_template(tmp_path) == tmp_path / "template.yaml"


def test_template_yml_loads_like_yaml(tmp_path):
    """A project that names its template template.yml works the same."""
    write_template(tmp_path, """\
        Resources:
          Hello:
            Type: AWS::Serverless::Function
            Properties: {Handler: app.handler, Runtime: python3.13}
        """, name="template.yml")
    template = load_template(find_template(tmp_path))
    assert template.function("Hello").config.runtime == "python3.13"


def test_unknown_function_lists_the_ones_there(template):
    """Asking for a function that is not in the template names the ones that are."""
    with pytest.raises(KeyError) as caught:
        template.function("PaymentFunction")
    message = str(caught.value)
    assert "PaymentFunction" in message
    assert "OrderFunction, NotifyFunction, AuditFunction" in message


def test_globals_merge_follows_sam():
    """Maps merge key by key, lists append, scalars and Architectures take the resource's value."""
    merged = merge_globals(
        {"Timeout": 10, "Layers": ["a"], "Architectures": ["arm64"],
         "Environment": {"Variables": {"A": "1", "B": "2"}}},
        {"Timeout": 20, "Layers": ["b"], "Architectures": ["x86_64"],
         "Environment": {"Variables": {"B": "3", "C": "4"}}},
    )
    assert merged == {
        "Timeout": 20, "Layers": ["a", "b"], "Architectures": ["x86_64"],
        "Environment": {"Variables": {"A": "1", "B": "3", "C": "4"}},
    }


def test_intrinsic_in_resource_replaces_global_mapping():
    """An Fn::If standing for the whole Variables map is a single value: the resource's wins."""
    chosen = {"Fn::If": ["IsProd", {"A": "p"}, {"A": "d"}]}
    merged = merge_globals({"Environment": {"Variables": {"G": "1"}}}, {"Environment": {"Variables": chosen}})
    assert merged == {"Environment": {"Variables": chosen}}


def test_environment_built_by_if_resolves_whole(tmp_path):
    """Variables chosen by a condition arrive resolved, attributed to the resource."""
    path = write_template(tmp_path, """\
        Parameters:
          Stage: {Type: String, Default: prod}
        Conditions:
          IsProd: !Equals [prod, !Ref Stage]
        Resources:
          Hello:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              Environment:
                Variables: !If [IsProd, {MODE: live, DEBUG: false}, {MODE: test}]
        """)
    hello = load_template(path).function("Hello")
    assert hello.config.env_dict() == {"MODE": "live", "DEBUG": "false"}
    assert hello.origin("env:MODE") == "Resources.Hello.Properties via Parameters.Stage default"
