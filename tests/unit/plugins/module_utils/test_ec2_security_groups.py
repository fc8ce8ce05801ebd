# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the security-group wrappers against botocore's Stubber (no network)."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error

from ansible_collections.atelier.infra.plugins.module_utils import ec2_security_groups as api

VPC = "vpc-0123456789abcdef0"
FILTERS = [{"Name": "vpc-id", "Values": [VPC]}]
PERMISSIONS = [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                "PrefixListIds": [{"PrefixListId": "pl-3b927c52", "Description": "HTTPS from CloudFront"}]}]


@pytest.fixture
def ec2(monkeypatch):
    monkeypatch.setattr(api, "WAIT_DELAY", 0)
    client = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def group(group_id, name):
    return {"GroupId": group_id, "GroupName": name, "VpcId": VPC, "Description": "d", "OwnerId": "123456789012"}


def test_describe_security_groups_paginates(ec2):
    client, stubber = ec2
    stubber.add_response("describe_security_groups", {"SecurityGroups": [group("sg-1", "a")], "NextToken": "2"},
                         {"Filters": FILTERS})
    stubber.add_response("describe_security_groups", {"SecurityGroups": [group("sg-2", "b")]},
                         {"Filters": FILTERS, "NextToken": "2"})

    assert [g["GroupId"] for g in api.describe_security_groups(client, FILTERS)] == ["sg-1", "sg-2"]


def test_describe_vpcs_and_network_interfaces(ec2):
    client, stubber = ec2
    stubber.add_response("describe_vpcs", {"Vpcs": [{"VpcId": VPC}]}, {"Filters": FILTERS})
    eni_filters = [{"Name": "group-id", "Values": ["sg-1"]}]
    stubber.add_response("describe_network_interfaces", {"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1"}]},
                         {"Filters": eni_filters})

    assert api.describe_vpcs(client, FILTERS) == [{"VpcId": VPC}]
    assert api.describe_network_interfaces(client, eni_filters) == [{"NetworkInterfaceId": "eni-1"}]


def test_create_tags_the_group_at_creation(ec2):
    client, stubber = ec2
    stubber.add_response(
        "create_security_group",
        {"GroupId": "sg-1"},
        {"GroupName": "web", "Description": "Web", "VpcId": VPC,
         "TagSpecifications": [{"ResourceType": "security-group", "Tags": [{"Key": "Name", "Value": "web"}]}]},
    )
    stubber.add_response("create_security_group", {"GroupId": "sg-2"}, {"GroupName": "db", "Description": "Db", "VpcId": VPC})

    assert api.create_security_group(client, "web", "Web", VPC, {"Name": "web"}) == "sg-1"
    assert api.create_security_group(client, "db", "Db", VPC, None) == "sg-2"


def test_wait_retries_until_aws_shows_the_groups(ec2):
    client, stubber = ec2
    stubber.add_client_error("describe_security_groups", service_error_code="InvalidGroup.NotFound",
                             expected_params={"GroupIds": ["sg-1", "sg-2"]})
    stubber.add_response("describe_security_groups", {"SecurityGroups": [group("sg-1", "a"), group("sg-2", "b")]},
                         {"GroupIds": ["sg-1", "sg-2"]})

    api.wait_security_groups_exist(client, ["sg-1", "sg-2"])


def test_wait_times_out_with_a_clear_error(ec2, monkeypatch):
    client, stubber = ec2
    monkeypatch.setattr(api, "WAIT_ATTEMPTS", 2)
    for _ in range(2):
        stubber.add_client_error("describe_security_groups", service_error_code="InvalidGroup.NotFound")

    with pytest.raises(AnsibleEC2Error, match="Timeout trying to wait for the new security groups") as raised:
        api.wait_security_groups_exist(client, ["sg-1"])
    assert "Max attempts exceeded" in api.error_text(raised.value)


@pytest.mark.parametrize(
    "wrapper, operation",
    [
        (api.authorize_ingress, "authorize_security_group_ingress"),
        (api.revoke_ingress, "revoke_security_group_ingress"),
        (api.update_ingress_descriptions, "update_security_group_rule_descriptions_ingress"),
    ],
)
def test_rule_calls(ec2, wrapper, operation):
    client, stubber = ec2
    stubber.add_response(operation, {"Return": True}, {"GroupId": "sg-1", "IpPermissions": PERMISSIONS})

    wrapper(client, "sg-1", PERMISSIONS)


def test_revoke_returns_the_rules_aws_did_not_find(ec2):
    client, stubber = ec2
    stubber.add_response("revoke_security_group_ingress", {"Return": True, "UnknownIpPermissions": PERMISSIONS},
                         {"GroupId": "sg-1", "IpPermissions": PERMISSIONS})

    assert api.revoke_ingress(client, "sg-1", PERMISSIONS) == PERMISSIONS


def test_tags(ec2):
    client, stubber = ec2
    stubber.add_response("create_tags", {}, {"Resources": ["sg-1"], "Tags": [{"Key": "a", "Value": "1"}]})
    stubber.add_response("delete_tags", {}, {"Resources": ["sg-1"], "Tags": [{"Key": "b"}]})

    api.create_tags(client, "sg-1", {"a": "1"})
    api.delete_tags(client, "sg-1", ["b"])


def test_delete_of_a_missing_group_is_false(ec2):
    client, stubber = ec2
    stubber.add_response("delete_security_group", {"Return": True, "GroupId": "sg-1"}, {"GroupId": "sg-1"})
    stubber.add_client_error("delete_security_group", service_error_code="InvalidGroup.NotFound")

    assert api.delete_security_group(client, "sg-1") is True
    assert api.delete_security_group(client, "sg-2") is False


def test_an_aws_error_keeps_its_code_and_message(ec2):
    client, stubber = ec2
    stubber.add_client_error("delete_security_group", service_error_code="DependencyViolation",
                             service_message="resource sg-1 has a dependent object")

    with pytest.raises(AnsibleEC2Error) as raised:
        api.delete_security_group(client, "sg-1")

    assert api.error_code(raised.value) == "DependencyViolation"
    assert api.error_text(raised.value) == "DependencyViolation: resource sg-1 has a dependent object"


def test_error_text_of_other_errors():
    assert api.error_text(AnsibleEC2Error(message="Failed to do it")) == "Failed to do it"
    assert api.error_code(AnsibleEC2Error(message="Failed to do it")) is None
