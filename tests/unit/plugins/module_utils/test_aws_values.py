# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the Secrets Manager and SSM wrappers of aws_values_info against botocore's Stubber (no network)."""

import boto3
import pytest
from ansible.errors import AnsibleFilterError
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils import cloud
from ansible_collections.atelier.infra.plugins.filter.aws import FilterModule
from ansible_collections.atelier.infra.plugins.module_utils import aws_values

ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev-shop-db-AbCdEf"


def _stubbed(service):
    c = boto3.client(service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(c) as stubber:
        yield c, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def secrets():
    yield from _stubbed("secretsmanager")


@pytest.fixture
def ssm():
    yield from _stubbed("ssm")


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(cloud.time, "sleep", lambda seconds: None)


def test_get_secret_value(secrets):
    c, stubber = secrets
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": "dev-shop-db", "SecretString": "{}"}, {"SecretId": "dev-shop-db"})
    assert aws_values.secret_value(aws_values.get_secret_value(c, "dev-shop-db")) == "{}"


def test_a_missing_secret_is_none(secrets):
    c, stubber = secrets
    stubber.add_client_error("get_secret_value", "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
    assert aws_values.get_secret_value(c, "dev-shop-db") is None


def test_a_throttled_read_is_retried(secrets):
    c, stubber = secrets
    stubber.add_client_error("get_secret_value", "ThrottlingException", "Rate exceeded")
    stubber.add_client_error("get_secret_value", "InternalFailure", "oops", http_status_code=500)
    stubber.add_response("get_secret_value", {"SecretString": "v"})
    assert aws_values.get_secret_value(c, "dev-shop-db") == {"SecretString": "v"}


@pytest.mark.parametrize(
    "message",
    [
        "You can't perform this operation on the secret because it was marked for deletion.",
        "You tried to perform the operation on a secret that's currently marked deleted.",
    ],
)
def test_a_secret_scheduled_for_deletion_is_recognised(secrets, message):
    c, stubber = secrets
    stubber.add_client_error("get_secret_value", "InvalidRequestException", message)
    with pytest.raises(aws_values.AnsibleAWSValuesError) as raised:
        aws_values.get_secret_value(c, "dev-shop-db")
    assert aws_values.marked_for_deletion(raised.value)


def test_other_errors_raise_with_the_aws_error(secrets):
    c, stubber = secrets
    stubber.add_client_error("get_secret_value", "AccessDeniedException", "not allowed")
    with pytest.raises(aws_values.AnsibleAWSValuesError, match="get the value of the secret") as raised:
        aws_values.get_secret_value(c, "dev-shop-db")
    assert not aws_values.marked_for_deletion(raised.value)
    assert raised.value.exception.response["Error"]["Code"] == "AccessDeniedException"


def test_a_binary_secret_is_base64():
    assert aws_values.secret_value({"SecretBinary": b"\x00\x01"}) == "AAE="


def test_get_parameters(ssm):
    c, stubber = ssm
    stubber.add_response(
        "get_parameters",
        {"Parameters": [{"Name": "/a", "Type": "String", "Value": "ami-1"}], "InvalidParameters": ["/b"]},
        {"Names": ["/a", "/b"], "WithDecryption": True},
    )
    answer = aws_values.get_parameters(c, ["/a", "/b"])
    assert answer["InvalidParameters"] == ["/b"]


def test_parameter_names_go_ten_at_a_time_without_duplicates():
    names = [f"/p{i}" for i in range(23)] + ["/p0"]
    got = aws_values.chunks(names)
    assert [len(c) for c in got] == [10, 10, 3]
    assert sum(got, []) == [f"/p{i}" for i in range(23)]


def test_describe_secret_and_its_policy(secrets):
    c, stubber = secrets
    stubber.add_response("describe_secret", {"ARN": ARN, "Name": "dev-shop-db", "Tags": [{"Key": "k", "Value": "v"}]}, {"SecretId": "dev-shop-db"})
    stubber.add_response("get_resource_policy", {"ARN": ARN, "Name": "dev-shop-db"}, {"SecretId": "dev-shop-db"})
    details = aws_values.secret_details(aws_values.describe_secret(c, "dev-shop-db"), aws_values.get_resource_policy(c, "dev-shop-db"))
    assert details["arn"] == ARN and details["tags"] == {"k": "v"} and details["resource_policy"] == ""
    assert not details["deleted"] and not details["rotation_enabled"]


def test_a_missing_secret_is_described_as_none(secrets):
    c, stubber = secrets
    stubber.add_client_error("describe_secret", "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
    stubber.add_client_error("get_resource_policy", "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
    assert aws_values.describe_secret(c, "dev-shop-db") is None
    assert aws_values.get_resource_policy(c, "dev-shop-db") is None


KEPT = {"tags": {"atelier:env": "dev", "atelier:stack": "shop"}, "deleted": False, "rotation_enabled": False, "resource_policy": ""}


@pytest.mark.parametrize(
    "details, tags, changes",
    [
        (None, {"atelier:env": "dev"}, ["create"]),
        ({}, None, ["create"]),
        (KEPT, {"atelier:env": "dev", "atelier:stack": "shop"}, []),
        (KEPT, None, []),
        (KEPT, {"atelier:env": "dev"}, ["tags"]),
        (dict(KEPT, tags={"atelier:env": "dev", "atelier:stack": "other"}), KEPT["tags"], ["tags"]),
        (dict(KEPT, deleted=True), KEPT["tags"], ["restore"]),
        (dict(KEPT, rotation_enabled=True, resource_policy="{}"), KEPT["tags"], ["rotation", "resource policy"]),
        # A number given as a tag value is the text AWS keeps.
        (dict(KEPT, tags={"n": "1"}), {"n": 1}, []),
    ],
)
def test_secret_changes(details, tags, changes):
    assert aws_values.secret_changes(details, tags) == changes


def test_the_filter_checks_its_inputs():
    secret_changes = FilterModule().filters()["secret_changes"]
    assert secret_changes(None, {"k": "v"}) == ["create"]
    with pytest.raises(AnsibleFilterError, match="secret_changes: expected a secret's details"):
        secret_changes("text", {})
    with pytest.raises(AnsibleFilterError, match="secret_changes: expected the tags as a dict"):
        secret_changes(KEPT, ["k"])


def test_describe_parameters_and_their_tags(ssm):
    c, stubber = ssm
    wanted = {"ParameterFilters": [{"Key": "Name", "Option": "Equals", "Values": ["a", "b"]}]}
    stubber.add_response("describe_parameters", {"Parameters": [{"Name": "a", "Type": "String"}], "NextToken": "t"}, wanted)
    stubber.add_response("describe_parameters", {"Parameters": [{"Name": "b", "Type": "SecureString", "KeyId": "k"}]}, dict(wanted, NextToken="t"))
    stubber.add_response("list_tags_for_resource", {"TagList": [{"Key": "k", "Value": "v"}]}, {"ResourceType": "Parameter", "ResourceId": "a"})
    described = aws_values.describe_parameters(c, ["a", "b"])
    assert [d["Name"] for d in described] == ["a", "b"]
    details = aws_values.parameter_details(described[0], aws_values.list_parameter_tags(c, "a"))
    assert details["tags"] == {"k": "v"} and details["type"] == "String" and details["description"] == ""


PARAMETER = {"type": "String", "description": "agent", "tags": {"atelier:env": "dev"}}


@pytest.mark.parametrize(
    "details, current, args, changes",
    [
        (None, None, ("v",), ["create"]),
        (PARAMETER, "v", ("v", "agent", "String", {"atelier:env": "dev"}), []),
        (PARAMETER, "v", ("v",), []),
        (PARAMETER, "old", ("v", "agent"), ["value"]),
        (PARAMETER, "v", ("v", "other"), ["description"]),
        # No description given: not compared (community.aws.ssm_parameter does not either).
        (dict(PARAMETER, description="by hand"), "v", ("v", ""), []),
        (PARAMETER, "v", ("v", "agent", "SecureString"), ["type"]),
        (PARAMETER, "v", ("v", "agent", "String", {}), ["tags"]),
    ],
)
def test_parameter_changes(details, current, args, changes):
    assert aws_values.parameter_changes(details, current, *args) == changes


def test_the_parameter_filter_reads_the_module_result():
    parameter_changes = FilterModule().filters()["parameter_changes"]
    read = {"parameters": {"p": "v"}, "parameter_details": {"p": PARAMETER}}
    assert parameter_changes(read, "p", "v", "agent", tags={"atelier:env": "dev"}) == []
    assert parameter_changes(read, "p", "w", tags={"atelier:env": "dev"}) == ["value"]
    assert parameter_changes({"parameters": {}, "parameter_details": {}, "missing_parameters": ["p"]}, "p", "v") == ["create"]
    with pytest.raises(AnsibleFilterError, match="parameter_changes: expected the result of atelier.infra.aws_values_info"):
        parameter_changes(None, "p", "v")
    with pytest.raises(AnsibleFilterError, match="parameter_changes: expected the tags as a dict"):
        parameter_changes(read, "p", "v", tags=[])
