# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error

from ansible_collections.atelier.infra.plugins.module_utils import ec2_prefix_lists

CLOUDFRONT = "com.amazonaws.global.cloudfront.origin-facing"


def _prefix_list(prefix_list_id, name, tags=None):
    prefix_list = {
        "PrefixListId": prefix_list_id,
        "AddressFamily": "IPv4",
        "State": "create-complete",
        "PrefixListArn": f"arn:aws:ec2:us-east-1:aws:prefix-list/{prefix_list_id}",
        "PrefixListName": name,
        "MaxEntries": 55,
        "Version": 42,
        "OwnerId": "AWS",
    }
    if tags is not None:
        prefix_list["Tags"] = tags
    return prefix_list


@pytest.fixture(name="ec2")
def fixture_ec2():
    client = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"Filters": [{"Name": "prefix-list-name", "Values": [CLOUDFRONT]}]},
        {"PrefixListIds": ["pl-1111aaaa", "pl-2222bbbb"]},
    ],
    ids=["no-params", "filters", "ids"],
)
def test_describe_managed_prefix_lists_paginates(ec2, params):
    client, stubber = ec2
    first = _prefix_list("pl-1111aaaa", CLOUDFRONT)
    second = _prefix_list("pl-2222bbbb", "office", tags=[{"Key": "Name", "Value": "office"}])
    stubber.add_response("describe_managed_prefix_lists", {"PrefixLists": [first], "NextToken": "page-2"}, params)
    stubber.add_response("describe_managed_prefix_lists", {"PrefixLists": [second]}, dict(params, NextToken="page-2"))

    assert ec2_prefix_lists.describe_managed_prefix_lists(client, **params) == [first, second]


@pytest.mark.parametrize("code", ["InvalidPrefixListID.NotFound", "InvalidPrefixListId.NotFound"])
def test_describe_managed_prefix_lists_missing_id_returns_empty_list(ec2, code):
    client, stubber = ec2
    stubber.add_client_error(
        "describe_managed_prefix_lists",
        service_error_code=code,
        service_message="The prefix list ID 'pl-00000000' does not exist",
        http_status_code=400,
        expected_params={"PrefixListIds": ["pl-00000000"]},
    )

    assert ec2_prefix_lists.describe_managed_prefix_lists(client, PrefixListIds=["pl-00000000"]) == []


def test_describe_managed_prefix_lists_other_error_raises(ec2):
    client, stubber = ec2
    stubber.add_client_error(
        "describe_managed_prefix_lists", service_error_code="UnauthorizedOperation", http_status_code=403
    )

    with pytest.raises(AnsibleEC2Error, match="Failed to describe managed prefix lists"):
        ec2_prefix_lists.describe_managed_prefix_lists(client)


def test_get_managed_prefix_list_entries_paginates(ec2):
    client, stubber = ec2
    stubber.add_response(
        "get_managed_prefix_list_entries",
        {"Entries": [{"Cidr": "130.176.0.0/18"}], "NextToken": "page-2"},
        {"PrefixListId": "pl-1111aaaa"},
    )
    stubber.add_response(
        "get_managed_prefix_list_entries",
        {"Entries": [{"Cidr": "10.0.0.0/8", "Description": "office"}]},
        {"PrefixListId": "pl-1111aaaa", "NextToken": "page-2"},
    )

    assert ec2_prefix_lists.get_managed_prefix_list_entries(client, "pl-1111aaaa") == [
        {"Cidr": "130.176.0.0/18"},
        {"Cidr": "10.0.0.0/8", "Description": "office"},
    ]


def test_get_managed_prefix_list_entries_missing_list_returns_empty_list(ec2):
    client, stubber = ec2
    stubber.add_client_error(
        "get_managed_prefix_list_entries",
        service_error_code="InvalidPrefixListID.NotFound",
        http_status_code=400,
        expected_params={"PrefixListId": "pl-00000000"},
    )

    assert ec2_prefix_lists.get_managed_prefix_list_entries(client, "pl-00000000") == []


def test_get_managed_prefix_list_entries_other_error_raises(ec2):
    client, stubber = ec2
    stubber.add_client_error(
        "get_managed_prefix_list_entries", service_error_code="UnauthorizedOperation", http_status_code=403
    )

    with pytest.raises(AnsibleEC2Error, match="Failed to get managed prefix list entries"):
        ec2_prefix_lists.get_managed_prefix_list_entries(client, "pl-1111aaaa")


@pytest.mark.parametrize(
    "prefix_list, entries, expected_extra",
    [
        (_prefix_list("pl-1111aaaa", CLOUDFRONT), None, {"tags": {}}),
        (
            _prefix_list("pl-2222bbbb", "office", tags=[{"Key": "Name", "Value": "office"}]),
            None,
            {"tags": {"Name": "office"}},
        ),
        (
            _prefix_list("pl-1111aaaa", CLOUDFRONT, tags=[]),
            [{"Cidr": "130.176.0.0/18"}, {"Cidr": "10.0.0.0/8", "Description": "office"}],
            {
                "tags": {},
                "entries": [
                    {"cidr": "130.176.0.0/18", "description": None},
                    {"cidr": "10.0.0.0/8", "description": "office"},
                ],
            },
        ),
        (_prefix_list("pl-1111aaaa", CLOUDFRONT), [], {"tags": {}, "entries": []}),
    ],
    ids=["aws-managed-no-tags", "tags-as-dict", "entries", "no-entries"],
)
def test_normalize_managed_prefix_list(prefix_list, entries, expected_extra):
    expected = {
        "prefix_list_id": prefix_list["PrefixListId"],
        "address_family": "IPv4",
        "state": "create-complete",
        "prefix_list_arn": prefix_list["PrefixListArn"],
        "prefix_list_name": prefix_list["PrefixListName"],
        "max_entries": 55,
        "version": 42,
        "owner_id": "AWS",
    }
    expected.update(expected_extra)

    assert ec2_prefix_lists.normalize_managed_prefix_list(prefix_list, entries) == expected
