# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the Resource Groups Tagging API wrapper (botocore's Stubber, no network) and of the ARN parsing."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.atelier.infra.plugins.module_utils import tagging

LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/dev-web/50dc6c495c0c9188"
TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/dev-web-tg/73e2d6bc24d8a067"
TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/dev-AtelierDB"
DB = "arn:aws:rds:us-east-1:123456789012:db:dev-postgres"
STACK = {"atelier:env": "dev", "atelier:stack": "atelier"}
FILTERS = [{"Key": "atelier:env", "Values": ["dev"]}, {"Key": "atelier:stack", "Values": ["atelier"]}]


def _mapping(arn, **tags):
    return {"ResourceARN": arn, "Tags": [{"Key": k, "Value": v} for k, v in dict(STACK, **tags).items()]}


@pytest.fixture
def client():
    c = boto3.client(
        "resourcegroupstaggingapi", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(c) as stubber:
        yield c, stubber
        stubber.assert_no_pending_responses()


def test_every_page_is_read_and_the_resources_come_sorted_by_arn(client):
    c, stubber = client
    types = ["elasticloadbalancing:loadbalancer", "dynamodb:table", "rds:db"]
    stubber.add_response(
        "get_resources",
        {"ResourceTagMappingList": [_mapping(TABLE), _mapping(LB, **{"atelier:tier": "web"})], "PaginationToken": "p2"},
        {"TagFilters": FILTERS, "ResourceTypeFilters": types},
    )
    stubber.add_response(
        "get_resources",
        {"ResourceTagMappingList": [_mapping(DB)], "PaginationToken": ""},
        {"TagFilters": FILTERS, "ResourceTypeFilters": types, "PaginationToken": "p2"},
    )

    resources = tagging.list_tagged_resources(c, STACK, types)

    assert [r["arn"] for r in resources] == sorted([TABLE, LB, DB])
    assert resources[1] == {
        "arn": LB,
        "resource_type": "elasticloadbalancing:loadbalancer",
        "name": "dev-web",
        "tags": dict(STACK, **{"atelier:tier": "web"}),
    }


def test_without_resource_types_no_type_filter_is_sent(client):
    c, stubber = client
    stubber.add_response("get_resources", {"ResourceTagMappingList": []}, {"TagFilters": FILTERS})

    assert tagging.list_tagged_resources(c, STACK) == []


def test_throttling_is_retried(client, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    c, stubber = client
    stubber.add_client_error("get_resources", "ThrottledException", "Rate exceeded")
    stubber.add_response("get_resources", {"ResourceTagMappingList": [_mapping(TG)]}, {"TagFilters": FILTERS})

    assert [r["name"] for r in tagging.list_tagged_resources(c, STACK)] == ["dev-web-tg"]


def test_other_errors_raise_naming_the_call(client):
    c, stubber = client
    stubber.add_client_error("get_resources", "AccessDeniedException", "not allowed: tag:GetResources")

    with pytest.raises(tagging.AnsibleTaggingError, match="get resources"):
        tagging.list_tagged_resources(c, STACK)


@pytest.mark.parametrize(
    "tags, filters",
    [
        ({"a": "1"}, [{"Key": "a", "Values": ["1"]}]),
        ({"a": ["1", "2"]}, [{"Key": "a", "Values": ["1", "2"]}]),
        ({"a": None, "b": []}, [{"Key": "a"}, {"Key": "b"}]),
        ({"n": 3}, [{"Key": "n", "Values": ["3"]}]),
    ],
)
def test_tag_filters(tags, filters):
    assert tagging.tag_filters(tags) == filters


@pytest.mark.parametrize(
    "tags, types, message",
    [
        ({}, [], "tags must name at least one tag"),
        ({f"k{i}": "v" for i in range(51)}, [], "tags: at most 50 keys, got 51"),
        ({"k": [str(i) for i in range(21)]}, [], "at most 20 values for the key k, got 21"),
        ({"k": {"a": 1}}, [], "the value of k must be a string or a list of strings"),
        ({"k": "v"}, ["sns"] * 101, "resource_types: at most 100, got 101"),
    ],
)
def test_tag_filter_errors(tags, types, message):
    assert message in "; ".join(tagging.tag_filter_errors(tags, types))


def test_valid_filters_have_no_errors():
    assert tagging.tag_filter_errors(dict(STACK, owner=None, env=["a", "b"]), ["rds:db", "sns"]) == []


@pytest.mark.parametrize(
    "arn, resource_type, name",
    [
        (LB, "elasticloadbalancing:loadbalancer", "dev-web"),
        ("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/dev-nlb/1f", "elasticloadbalancing:loadbalancer", "dev-nlb"),
        ("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/classic-one", "elasticloadbalancing:loadbalancer", "classic-one"),
        (TG, "elasticloadbalancing:targetgroup", "dev-web-tg"),
        (TABLE, "dynamodb:table", "dev-AtelierDB"),
        (DB, "rds:db", "dev-postgres"),
        ("arn:aws:rds:us-east-1:1:cluster:dev-aurora", "rds:cluster", "dev-aurora"),
        ("arn:aws:sns:us-east-1:1:dev-alarms", "sns:topic", "dev-alarms"),
        ("arn:aws:s3:::dev-bucket", "s3:bucket", "dev-bucket"),
        ("arn:aws:lambda:us-east-1:1:function:dev-fn:live", "lambda:function", "dev-fn"),
        ("arn:aws:ecs:us-east-1:1:service/dev-cluster/dev-web", "ecs:service", "dev-web"),
        ("arn:aws:ec2:us-east-1:1:instance/i-0123456789abcdef0", "ec2:instance", "i-0123456789abcdef0"),
        ("arn:aws-cn:logs:cn-north-1:1:log-group:/aws/ec2/dev:*", "logs:log-group", "/aws/ec2/dev"),
        ("arn:aws:codecommit:us-east-1:1:repo", "codecommit", "repo"),
        ("not-an-arn", "", ""),
    ],
)
def test_parse_arn(arn, resource_type, name):
    assert tagging.parse_arn(arn) == {"resource_type": resource_type, "name": name}
