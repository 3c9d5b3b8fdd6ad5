"""CloudFormation's short-form tags and the local evaluation of intrinsic functions."""

import base64
import textwrap

import pytest

from workbench.core.workspace.cfn_intrinsics import NO_VALUE, Placeholder, Resolver, pseudo_parameters
from workbench.core.workspace.cfn_yaml import parse_cfn_yaml


def parse(text: str):
    return parse_cfn_yaml(textwrap.dedent(text), "template.yaml")


def make_resolver(**parameters) -> Resolver:
    return Resolver(
        parameters={"Stage": "dev", "Subnets": ["subnet-a", "subnet-b"], **parameters},
        pseudo=pseudo_parameters("eu-central-1", "111122223333"),
        conditions={
            "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
            "IsDev": {"Fn::Not": [{"Condition": "IsProd"}]},
            "DevOrProd": {"Fn::Or": [{"Condition": "IsDev"}, {"Condition": "IsProd"}]},
            "DevAndProd": {"Fn::And": [{"Condition": "IsDev"}, {"Condition": "IsProd"}]},
            "Loop": {"Condition": "Loop"},
        },
        mappings={"Sizes": {"dev": {"Memory": 256}, "prod": {"Memory": 2048}}},
    )


def test_every_short_form_becomes_its_long_form():
    """Each `!Tag` reads as the long-form mapping CloudFormation documents."""
    document = parse("""\
        Ref: !Ref Stage
        Sub: !Sub "${Stage}-orders"
        SubList: !Sub ["${A}-x", {A: !Ref Stage}]
        GetAtt: !GetAtt Table.Arn
        GetAttNested: !GetAtt Stack.Outputs.Url
        GetAttList: !GetAtt [Table, StreamArn]
        If: !If [IsProd, a, b]
        Join: !Join [",", [a, b]]
        Select: !Select [0, [a, b]]
        Split: !Split [",", "a,b"]
        FindInMap: !FindInMap [Map, Top, Second]
        Base64: !Base64 hello
        Cidr: !Cidr [10.0.0.0/16, 4, 8]
        GetAZs: !GetAZs ""
        ImportValue: !ImportValue shared
        Equals: !Equals [a, b]
        And: !And [!Condition A, !Condition B]
        Or: !Or [!Condition A, !Condition B]
        Not: !Not [!Condition A]
        Transform: !Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}
        """)
    assert document["Ref"] == {"Ref": "Stage"}
    assert document["Sub"] == {"Fn::Sub": "${Stage}-orders"}
    assert document["SubList"] == {"Fn::Sub": ["${A}-x", {"A": {"Ref": "Stage"}}]}
    assert document["GetAtt"] == {"Fn::GetAtt": ["Table", "Arn"]}
    assert document["GetAttNested"] == {"Fn::GetAtt": ["Stack", "Outputs.Url"]}
    assert document["GetAttList"] == {"Fn::GetAtt": ["Table", "StreamArn"]}
    assert document["If"] == {"Fn::If": ["IsProd", "a", "b"]}
    assert document["Select"] == {"Fn::Select": [0, ["a", "b"]]}
    assert document["Cidr"] == {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}
    assert document["And"] == {"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]}
    assert document["Transform"] == {"Fn::Transform": {"Name": "AWS::Include",
                                                       "Parameters": {"Location": "s3://b/k"}}}
    for key in ("Join", "Split", "FindInMap", "Base64", "GetAZs", "ImportValue", "Equals", "Or", "Not"):
        assert list(document[key]) == [f"Fn::{key}"]


def test_dates_stay_text():
    """A policy's Version date stays the string CloudFormation sees."""
    assert parse("Version: 2012-10-17\n") == {"Version": "2012-10-17"}


def test_refs_and_pseudo_parameters():
    """Parameters resolve to their values, pseudo parameters to the local stack's."""
    resolver = make_resolver()
    assert resolver.resolve({"Ref": "Stage"}) == "dev"
    assert resolver.resolve({"Ref": "AWS::Region"}) == "eu-central-1"
    assert resolver.resolve({"Ref": "AWS::AccountId"}) == "111122223333"
    assert resolver.resolve({"Ref": "AWS::StackName"}) == "local"
    assert resolver.resolve({"Ref": "AWS::Partition"}) == "aws"
    assert resolver.resolve({"Ref": "AWS::URLSuffix"}) == "amazonaws.com"
    assert pseudo_parameters("cn-north-1", "1")["AWS::Partition"] == "aws-cn"


def test_no_value_removes_keys_and_items():
    """AWS::NoValue takes the key or list item with it."""
    resolver = make_resolver()
    document = {"Keep": 1, "Drop": {"Ref": "AWS::NoValue"},
                "List": ["a", {"Fn::If": ["IsProd", "b", {"Ref": "AWS::NoValue"}]}]}
    assert resolver.resolve(document) == {"Keep": 1, "List": ["a"]}
    assert resolver.resolve({"Ref": "AWS::NoValue"}) is NO_VALUE


def test_sub_forms():
    """Fn::Sub fills parameters, pseudo parameters, its own variables and attribute placeholders."""
    resolver = make_resolver()
    assert resolver.resolve({"Fn::Sub": "orders-${Stage}-${AWS::Region}"}) == "orders-dev-eu-central-1"
    assert resolver.resolve({"Fn::Sub": ["${Name}.${Stage}", {"Name": {"Fn::Join": ["-", ["a", "b"]]}}]}) \
        == "a-b.dev"
    assert resolver.resolve({"Fn::Sub": "${Table.Arn}/index/*"}) == "${Table.Arn}/index/*"
    assert resolver.resolve({"Fn::Sub": "${Queue}"}) == "${Queue}"
    assert resolver.resolve({"Fn::Sub": "${!Literal} ${ Stage }"}) == "${Literal} dev"


def test_join_select_split():
    """List functions work on literal lists, list parameters and split strings."""
    resolver = make_resolver()
    assert resolver.resolve({"Fn::Join": [",", {"Ref": "Subnets"}]}) == "subnet-a,subnet-b"
    assert resolver.resolve({"Fn::Select": ["1", {"Ref": "Subnets"}]}) == "subnet-b"
    assert resolver.resolve({"Fn::Select": [2, {"Fn::Split": ["/", "a/b/c"]}]}) == "c"
    assert resolver.resolve({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::b"]]}) == "arn:aws:s3:::b"


def test_find_in_map_and_base64():
    """Mappings are looked up with resolved keys; Base64 encodes."""
    resolver = make_resolver()
    assert resolver.resolve({"Fn::FindInMap": ["Sizes", {"Ref": "Stage"}, "Memory"]}) == 256
    assert resolver.resolve({"Fn::FindInMap": ["Sizes", "test", "Memory", {"DefaultValue": 128}]}) == 128
    assert resolver.resolve({"Fn::FindInMap": ["Sizes", "test", "Memory"]}) == "${Mappings.Sizes.test.Memory}"
    assert base64.b64decode(resolver.resolve({"Fn::Base64": {"Fn::Sub": "#!/bin/sh ${Stage}"}})) == b"#!/bin/sh dev"


@pytest.mark.parametrize(("name", "expected"), [
    ("IsProd", False), ("IsDev", True), ("DevOrProd", True), ("DevAndProd", False),
    ("Loop", False), ("Missing", False),
])
def test_conditions(name, expected):
    """Conditions combine with And, Or, Not and Condition; circular or unknown ones are false."""
    assert make_resolver().condition(name) is expected


def test_if_follows_the_parameter():
    """Fn::If picks its branch from the condition as the parameter decides it."""
    expression = {"Fn::If": ["IsProd", "big", "small"]}
    assert make_resolver().resolve(expression) == "small"
    assert make_resolver(Stage="prod").resolve(expression) == "big"


def test_what_only_aws_knows_becomes_a_placeholder():
    """Resources, attributes, exports, AZs and CIDR blocks turn into readable placeholders, never errors."""
    resolver = make_resolver()
    cases = {
        "${OrdersTable}": {"Ref": "OrdersTable"},
        "${OrdersTable.Arn}": {"Fn::GetAtt": ["OrdersTable", "Arn"]},
        "${ImportValue shared-vpc}": {"Fn::ImportValue": "shared-vpc"},
        "${GetAZs eu-central-1[0]}": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
        "${Fn::Cidr}": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]},
        "${Fn::Select 9}": {"Fn::Select": [9, ["a"]]},
        "${Fn::Join}": {"Fn::Join": "not a list"},
    }
    for expected, expression in cases.items():
        resolved = resolver.resolve(expression)
        assert resolved == expected
        assert isinstance(resolved, Placeholder)


def test_condition_key_inside_a_policy_is_left_alone():
    """An IAM statement's Condition block is data, not the Condition intrinsic."""
    statement = {"Condition": {"StringEquals": {"aws:RequestedRegion": "eu-central-1"}}}
    assert make_resolver().resolve(statement) == statement


def test_resolve_tracked_reports_parameters_read():
    """Resolution records which parameters and mapping entries a value depended on."""
    resolver = make_resolver()
    value, used = resolver.resolve_tracked({"Fn::FindInMap": ["Sizes", {"Ref": "Stage"}, "Memory"]})
    assert (value, used) == (256, ["Stage", "Mappings.Sizes.dev.Memory"])
    assert resolver.resolve_tracked("plain") == ("plain", [])
