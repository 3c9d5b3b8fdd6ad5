"""The pure rules of local AWS services: CloudFormation's names and return values, which call a request is,
the IAM policy drafted from calls, the local-mode variables and settings."""

import json

import pytest

from workbench.core.workspace.sam_template import load_template
from workbench.core.services.api_calls import AwsCall, classify, rest_operations
from workbench.core.services.iam_policy import draft_policy
from workbench.core.services.local_access import LOCAL_ACCESS_KEY_MARK
from workbench.core.services.settings import SettingsError, load_services_settings, local_variables

TEMPLATE = """
Resources:
  Orders:
    Type: AWS::Serverless::SimpleTable
  Mail:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dead.Arn, maxReceiveCount: 5}
  Dead:
    Type: AWS::SQS::Queue
  Uploads:
    Type: AWS::S3::Bucket
  Named:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Sub "${AWS::StackName}-named"}
  Broken:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !ImportValue Elsewhere}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.h
      Runtime: python3.12
      CodeUri: .
      Environment:
        Variables:
          TABLE: !Ref Orders
          QUEUE: !Ref Mail
          BUCKET: !Ref Uploads
          TABLE_ARN: !GetAtt Orders.Arn
          NAMED: !Ref Named
"""


def test_template_resources_get_cloudformation_names_and_refs(tmp_path):
    """!Ref and !GetAtt in a function's variables resolve to the names and ARNs the host creates; an
    unresolvable name is one warning naming file and line, and the rest still resolve."""
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    template = load_template(tmp_path / "template.yaml", region="eu-west-1")
    variables = dict(template.functions[0].config.environment)
    names = {r.logical_id: r.name for r in template.resources}
    assert variables["TABLE"] == names["Orders"] and names["Orders"].startswith("local-Orders-")
    assert variables["QUEUE"] == f"https://sqs.eu-west-1.amazonaws.com/123456789012/{names['Mail']}"
    assert variables["BUCKET"] == names["Uploads"] == names["Uploads"].lower()
    assert variables["TABLE_ARN"] == f"arn:aws:dynamodb:eu-west-1:123456789012:table/{names['Orders']}"
    assert variables["NAMED"] == "local-named"
    mail = next(r for r in template.resources if r.logical_id == "Mail")
    assert mail.properties["RedrivePolicy"]["deadLetterTargetArn"] == \
        f"arn:aws:sqs:eu-west-1:123456789012:{names['Dead']}"
    assert len(template.resource_warnings) == 1
    assert template.resource_warnings[0].startswith("template.yaml:16: Broken")
    # Stable across loads (and machines): the suffix comes from the stack and logical id.
    assert names == {r.logical_id: r.name for r in load_template(tmp_path / "template.yaml",
                                                                  region="eu-west-1").resources}


def _signed(service, key="ASIAENVIRONMENT00001", region="us-east-1"):
    return {"authorization": f"AWS4-HMAC-SHA256 Credential={key}/20261206/{region}/{service}/aws4_request, "
                             "SignedHeaders=host, Signature=0"}


def test_requests_are_classified_as_the_sdk_calls_they_are():
    """X-Amz-Target, an Action parameter or the REST route names the operation; the resource becomes its ARN."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("s3")._service_description
    routes = rest_operations(model["operations"], model["shapes"])
    put = classify("PUT", "/bucket/a/b.txt", _signed("s3"), b"", "123456789012", lambda api: routes)
    assert (put.service, put.operation, put.resource) == ("s3", "PutObject", "arn:aws:s3:::bucket/a/b.txt")
    copy = classify("PUT", "/bucket/c", {**_signed("s3"), "x-amz-copy-source": "bucket/a"}, b"", "123456789012",
                    lambda api: routes)
    assert copy.operation == "CopyObject"
    listing = classify("GET", "/bucket?list-type=2", _signed("s3"), b"", "123456789012", lambda api: routes)
    assert listing.operation == "ListObjectsV2"
    item = classify("POST", "/", {**_signed("dynamodb"), "x-amz-target": "DynamoDB_20120810.PutItem"},
                    json.dumps({"TableName": "Orders"}).encode(), "123456789012")
    assert (item.operation, item.resource) == ("PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/Orders")
    mail = classify("POST", "/", {**_signed("ses"), "content-type": "application/x-www-form-urlencoded"},
                    b"Action=SendEmail&Source=Shop+%3Cshop%40example.com%3E", "123456789012")
    assert (mail.operation, mail.resource) == ("SendEmail", "arn:aws:ses:us-east-1:123456789012:identity/shop@example.com")
    assert mail.access_key == "ASIAENVIRONMENT00001"
    assert classify("GET", "/moto-api/", {}, b"", "123456789012") is None


def test_policy_draft_grants_each_action_on_what_it_touched():
    """One statement per set of actions, S3 reads mapped to their IAM names, bucket listing on the bucket."""
    calls = [AwsCall("s3", "PutObject", "arn:aws:s3:::b/k1"), AwsCall("s3", "HeadObject", "arn:aws:s3:::b/k1"),
             AwsCall("s3", "ListObjectsV2", "arn:aws:s3:::b"),
             AwsCall("ses", "SendEmail", "arn:aws:ses:us-east-1:123456789012:identity/shop@example.com"),
             AwsCall("dynamodb", "PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/T"),
             AwsCall("dynamodb", "GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/T")]
    policy = draft_policy(calls)
    assert policy["Version"] == "2012-10-17"
    statements = {json.dumps(s["Resource"]): s["Action"] for s in policy["Statement"]}
    assert statements['"arn:aws:s3:::b/k1"'] == ["s3:GetObject", "s3:PutObject"]
    assert statements['"arn:aws:s3:::b"'] == "s3:ListBucket"
    assert statements['"arn:aws:dynamodb:us-east-1:123456789012:table/T"'] == ["dynamodb:GetItem", "dynamodb:PutItem"]
    assert statements['"arn:aws:ses:us-east-1:123456789012:identity/shop@example.com"'] == "ses:SendEmail"


def test_local_variables_never_carry_the_account_unless_a_service_stays_there():
    """Local mode: the host's endpoint and local credentials; a service kept on the account gets its public
    endpoint and only then the account's credentials."""
    plain = dict(local_variables("http://127.0.0.1:5", "eu-west-1"))
    assert plain["AWS_ENDPOINT_URL"] == "http://127.0.0.1:5"
    assert plain["AWS_ACCESS_KEY_ID"] == LOCAL_ACCESS_KEY_MARK and plain["AWS_REGION"] == "eu-west-1"
    kept = dict(local_variables("http://127.0.0.1:5", "eu-west-1", ("bedrock-runtime",),
                                (("AWS_ACCESS_KEY_ID", "AKIAUSER"), ("AWS_SECRET_ACCESS_KEY", "s"))))
    assert kept["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] == "https://bedrock-runtime.eu-west-1.amazonaws.com"
    assert kept["AWS_ACCESS_KEY_ID"] == "AKIAUSER"


def test_settings_default_to_local_and_name_a_bad_value(tmp_path):
    assert load_services_settings(tmp_path).local
    (tmp_path / "workbench.json").write_text('{"aws": {"calls": "cloud"}}')
    with pytest.raises(SettingsError, match=r"workbench.json: aws.calls: must be"):
        load_services_settings(tmp_path)


def test_saving_the_profile_keeps_where_the_functions_calls_go(tmp_path):
    """The window's AWS settings (profile, region) and the services setting share workbench.json's "aws"
    section: saving one keeps the other."""
    from workbench.core.services.settings import load_services_settings, save_services_settings
    from workbench.core.workspace.aws_settings import AwsSettings, load_aws_settings, save_aws_settings

    (tmp_path / "workbench.json").write_text('{"aws": {"calls": "account", "sesSandbox": true}}')
    save_aws_settings(tmp_path, AwsSettings("dev", "eu-west-1", ()))
    kept = load_services_settings(tmp_path)
    assert kept.calls == "account" and kept.ses_sandbox is True
    save_services_settings(tmp_path, kept)
    assert load_aws_settings(tmp_path).profile == "dev" and load_aws_settings(tmp_path).region == "eu-west-1"
