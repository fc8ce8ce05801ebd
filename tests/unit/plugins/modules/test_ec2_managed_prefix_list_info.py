# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.ec2_managed_prefix_list_info: main() is driven with module args,
and our own module_utils wrappers are replaced by mocks (no boto3 call, no network)."""

import copy
from unittest.mock import MagicMock

import pytest
from botocore.exceptions import ClientError


from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error

from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main
from ansible_collections.atelier.infra.plugins.modules import ec2_managed_prefix_list_info

REGION = "eu-west-1"
CLOUDFRONT = "com.amazonaws.global.cloudfront.origin-facing"
S3 = "com.amazonaws.eu-west-1.s3"
OFFICE = "office"


def prefix_list(prefix_list_id, name, owner_id="AWS", tags=None):
    """A prefix list as DescribeManagedPrefixLists returns it."""
    return {
        "PrefixListId": prefix_list_id,
        "AddressFamily": "IPv4",
        "State": "create-complete",
        "PrefixListArn": f"arn:aws:ec2:{REGION}:{owner_id.lower()}:prefix-list/{prefix_list_id}",
        "PrefixListName": name,
        "MaxEntries": 55,
        "Version": 7,
        "OwnerId": owner_id,
        "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()],
    }


PREFIX_LISTS = [
    prefix_list("pl-4fa04526", CLOUDFRONT),
    prefix_list("pl-6da54004", S3),
    prefix_list("pl-0123456789abcdef0", OFFICE, owner_id="123456789012", tags={"Name": "office"}),
]
ENTRIES = {
    "pl-4fa04526": [{"Cidr": "130.176.0.0/18"}, {"Cidr": "15.158.0.0/16"}],
    "pl-6da54004": [{"Cidr": "52.218.0.0/17"}],
    "pl-0123456789abcdef0": [{"Cidr": "203.0.113.0/24", "Description": "Paris office"}],
}
FILTER_KEYS = {"prefix-list-name": "PrefixListName", "prefix-list-id": "PrefixListId", "owner-id": "OwnerId"}


class FakeAWS:
    """The prefix lists of the region, and mocks standing in for our module_utils wrappers."""

    def __init__(self, prefix_lists=None, entries=None):
        self.prefix_lists = copy.deepcopy(PREFIX_LISTS if prefix_lists is None else prefix_lists)
        self.entries = copy.deepcopy(ENTRIES if entries is None else entries)
        self.describe_managed_prefix_lists = MagicMock(side_effect=self._describe)
        self.get_managed_prefix_list_entries = MagicMock(side_effect=self._entries)

    def _describe(self, client, PrefixListIds=None, Filters=None):
        found = self.prefix_lists
        if PrefixListIds:
            if any(pl_id not in [pl["PrefixListId"] for pl in found] for pl_id in PrefixListIds):
                return []  # AWS rejects the request, the list error handler returns []
            found = [pl for pl in found if pl["PrefixListId"] in PrefixListIds]
        for flt in Filters or []:
            key = FILTER_KEYS[flt["Name"]]
            found = [pl for pl in found if pl[key] in flt["Values"]]
        return copy.deepcopy(found)

    def _entries(self, client, prefix_list_id):
        return copy.deepcopy(self.entries.get(prefix_list_id, []))


def run(monkeypatch, aws, args, check_mode=False):
    monkeypatch.setattr(
        ec2_managed_prefix_list_info, "describe_managed_prefix_lists", aws.describe_managed_prefix_lists
    )
    monkeypatch.setattr(
        ec2_managed_prefix_list_info, "get_managed_prefix_list_entries", aws.get_managed_prefix_list_entries
    )
    args = dict(args, region=REGION, _ansible_check_mode=check_mode)
    return run_main(ec2_managed_prefix_list_info, args)


def name_filter(*names):
    return {"Name": "prefix-list-name", "Values": list(names)}


# name, module args, expected: kwargs of the describe call, names returned, failure message (None: success)
CASES = [
    ("everything", {}, {}, [CLOUDFRONT, S3, OFFICE], None),
    ("by name found", {"names": [CLOUDFRONT]}, {"Filters": [name_filter(CLOUDFRONT)]}, [CLOUDFRONT], None),
    (
        "by names found",
        {"names": [CLOUDFRONT, S3], "fail_on_missing": True},
        {"Filters": [name_filter(CLOUDFRONT, S3)]},
        [CLOUDFRONT, S3],
        None,
    ),
    ("by name missing", {"names": ["nope"]}, {"Filters": [name_filter("nope")]}, [], None),
    (
        "by name missing, fail_on_missing",
        {"names": ["nope"], "fail_on_missing": True},
        {"Filters": [name_filter("nope")]},
        [],
        f"No managed prefix list named nope in region {REGION}",
    ),
    (
        "one of two names missing, fail_on_missing",
        {"names": [CLOUDFRONT, "nope"], "fail_on_missing": True},
        {"Filters": [name_filter(CLOUDFRONT, "nope")]},
        [CLOUDFRONT],
        f"No managed prefix list named nope in region {REGION}",
    ),
    (
        "two names missing, fail_on_missing",
        {"names": ["nope", "neither"], "fail_on_missing": True},
        {"Filters": [name_filter("nope", "neither")]},
        [],
        f"No managed prefix list named nope in region {REGION}; "
        f"No managed prefix list named neither in region {REGION}",
    ),
    (
        "fail_on_missing without names",
        {"filters": {"owner-id": "999999999999"}, "fail_on_missing": True},
        {"Filters": [{"Name": "owner-id", "Values": ["999999999999"]}]},
        [],
        None,
    ),
    (
        "filters passed through",
        {"filters": {"owner-id": "123456789012"}},
        {"Filters": [{"Name": "owner-id", "Values": ["123456789012"]}]},
        [OFFICE],
        None,
    ),
    (
        "filters and names combined",
        {"filters": {"owner-id": "AWS"}, "names": [CLOUDFRONT]},
        {"Filters": [{"Name": "owner-id", "Values": ["AWS"]}, name_filter(CLOUDFRONT)]},
        [CLOUDFRONT],
        None,
    ),
    (
        "by id",
        {"prefix_list_ids": ["pl-6da54004"]},
        {"PrefixListIds": ["pl-6da54004"]},
        [S3],
        None,
    ),
    (
        "by unknown id",
        {"prefix_list_ids": ["pl-00000000"]},
        {"PrefixListIds": ["pl-00000000"]},
        [],
        None,
    ),
    (
        "by id and name",
        {"prefix_list_ids": ["pl-6da54004"], "names": [CLOUDFRONT]},
        {"PrefixListIds": ["pl-6da54004"], "Filters": [name_filter(CLOUDFRONT)]},
        [],
        None,
    ),
    ("empty lists ignored", {"prefix_list_ids": [], "names": [], "filters": {}}, {}, [CLOUDFRONT, S3, OFFICE], None),
]


@pytest.mark.parametrize("check_mode", [False, True], ids=["normal", "check-mode"])
@pytest.mark.parametrize("args, call_kwargs, names, failure", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_main(monkeypatch, args, call_kwargs, names, failure, check_mode):
    aws = FakeAWS()

    raised = run(monkeypatch, aws, args, check_mode=check_mode)
    result = raised.result

    assert aws.describe_managed_prefix_lists.call_count == 1
    assert aws.describe_managed_prefix_lists.call_args.kwargs == call_kwargs
    assert aws.get_managed_prefix_list_entries.call_count == 0
    assert [pl["prefix_list_name"] for pl in result["prefix_lists"]] == names
    if failure is None:
        assert isinstance(raised, AnsibleExitJson)
        assert result["changed"] is False
    else:
        assert isinstance(raised, AnsibleFailJson)
        assert result["msg"] == failure


def test_prefix_list_is_snake_case_with_tag_dict(monkeypatch):
    result = run(monkeypatch, FakeAWS(), {"names": [OFFICE]}).result

    assert result["prefix_lists"] == [
        {
            "prefix_list_id": "pl-0123456789abcdef0",
            "prefix_list_name": OFFICE,
            "prefix_list_arn": f"arn:aws:ec2:{REGION}:123456789012:prefix-list/pl-0123456789abcdef0",
            "address_family": "IPv4",
            "max_entries": 55,
            "owner_id": "123456789012",
            "state": "create-complete",
            "version": 7,
            "tags": {"Name": "office"},
        }
    ]


@pytest.mark.parametrize(
    "args, expected",
    [
        (
            {"names": [CLOUDFRONT], "include_entries": True},
            {
                CLOUDFRONT: [
                    {"cidr": "130.176.0.0/18", "description": None},
                    {"cidr": "15.158.0.0/16", "description": None},
                ]
            },
        ),
        (
            {"names": [S3, OFFICE], "include_entries": True},
            {
                S3: [{"cidr": "52.218.0.0/17", "description": None}],
                OFFICE: [{"cidr": "203.0.113.0/24", "description": "Paris office"}],
            },
        ),
        ({"names": ["nope"], "include_entries": True}, {}),
    ],
    ids=["one list", "two lists", "nothing found"],
)
def test_include_entries(monkeypatch, args, expected):
    aws = FakeAWS()

    result = run(monkeypatch, aws, args).result

    assert {pl["prefix_list_name"]: pl["entries"] for pl in result["prefix_lists"]} == expected
    asked = [c.args[1] for c in aws.get_managed_prefix_list_entries.call_args_list]
    assert asked == [pl["prefix_list_id"] for pl in result["prefix_lists"]]


def test_entries_not_returned_by_default(monkeypatch):
    result = run(monkeypatch, FakeAWS(), {"names": [CLOUDFRONT]}).result

    assert "entries" not in result["prefix_lists"][0]


def test_names_and_name_filter_are_exclusive(monkeypatch):
    aws = FakeAWS()

    result = run(monkeypatch, aws, {"names": [CLOUDFRONT], "filters": {"prefix-list-name": S3}}).result

    assert result["failed"] is True
    assert "mutually exclusive" in result["msg"]
    assert aws.describe_managed_prefix_lists.call_count == 0


@pytest.mark.parametrize(
    "wrapper, message",
    [
        ("describe_managed_prefix_lists", "Failed to describe managed prefix lists"),
        ("get_managed_prefix_list_entries", "Failed to get managed prefix list entries"),
    ],
)
def test_aws_error_is_reported(monkeypatch, wrapper, message):
    aws = FakeAWS()
    error = ClientError({"Error": {"Code": "UnauthorizedOperation", "Message": "not allowed"}}, "Operation")
    getattr(aws, wrapper).side_effect = AnsibleEC2Error(message=message, exception=error)

    result = run(monkeypatch, aws, {"names": [CLOUDFRONT], "include_entries": True}).result

    assert result["failed"] is True
    assert message in result["msg"]
    assert result["error"]["code"] == "UnauthorizedOperation"
