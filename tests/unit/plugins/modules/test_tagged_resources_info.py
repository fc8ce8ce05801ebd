# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.tagged_resources_info: main() is driven with module args and our module_utils wrapper
get_resources is replaced by a mock (no boto3 call, no network)."""

from unittest.mock import MagicMock

import pytest

from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main
from ansible_collections.atelier.infra.plugins.module_utils import tagging
from ansible_collections.atelier.infra.plugins.modules import tagged_resources_info

TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/dev-web-tg/73e2d6bc24d8a067"
TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/dev-AtelierDB"


@pytest.fixture
def get_resources(monkeypatch):
    mock = MagicMock(
        return_value=[
            {"ResourceARN": TG, "Tags": [{"Key": "atelier:env", "Value": "dev"}]},
            {"ResourceARN": TABLE, "Tags": [{"Key": "atelier:env", "Value": "dev"}, {"Key": "team", "Value": "a"}]},
        ]
    )
    monkeypatch.setattr(tagging, "get_resources", mock)
    return mock


@pytest.mark.parametrize("check_mode", [False, True])
def test_lists_the_resources_sorted_with_type_and_name(get_resources, check_mode):
    result = run_main(
        tagged_resources_info,
        {
            "region": "us-east-1",
            "tags": {"atelier:env": "dev", "team": ["a", "b"], "owner": None},
            "resource_types": ["dynamodb:table", "elasticloadbalancing:targetgroup"],
            "_ansible_check_mode": check_mode,
        },
    )

    assert isinstance(result, AnsibleExitJson)
    assert result.result["changed"] is False
    assert result.result["resources"] == [
        {"arn": TABLE, "resource_type": "dynamodb:table", "name": "dev-AtelierDB", "tags": {"atelier:env": "dev", "team": "a"}},
        {"arn": TG, "resource_type": "elasticloadbalancing:targetgroup", "name": "dev-web-tg", "tags": {"atelier:env": "dev"}},
    ]
    filters, types = get_resources.call_args[0][1:]
    assert filters == [
        {"Key": "atelier:env", "Values": ["dev"]},
        {"Key": "team", "Values": ["a", "b"]},
        {"Key": "owner"},
    ]
    assert types == ["dynamodb:table", "elasticloadbalancing:targetgroup"]


def test_bad_filters_fail_before_any_call(get_resources):
    result = run_main(tagged_resources_info, {"region": "us-east-1", "tags": {}})

    assert isinstance(result, AnsibleFailJson)
    assert "tags must name at least one tag" in result.result["msg"]
    get_resources.assert_not_called()


def test_aws_errors_fail_the_module(get_resources):
    get_resources.side_effect = tagging.AnsibleTaggingError(message="Failed to get resources")

    result = run_main(tagged_resources_info, {"region": "us-east-1", "tags": {"atelier:env": "dev"}})

    assert isinstance(result, AnsibleFailJson)
    assert "Failed to get resources" in result.result["msg"]


DISTRIBUTION = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"


@pytest.mark.parametrize("region, calls", [("us-east-1", 1), ("eu-west-1", 2)])
def test_global_types_go_with_the_others_in_us_east_1_else_in_a_second_call(monkeypatch, region, calls):
    answers = {
        ("elasticloadbalancing:targetgroup", "cloudfront:distribution"): [{"ResourceARN": DISTRIBUTION}, {"ResourceARN": TG}],
        ("elasticloadbalancing:targetgroup",): [{"ResourceARN": TG}],
        ("cloudfront:distribution",): [{"ResourceARN": DISTRIBUTION}],
    }
    made = []

    def client(self, service, **kwargs):
        return MagicMock(name=f"{service}-client", region=kwargs.get("region") or self.region)

    def get_resources(client, filters, types):
        made.append((client.region, tuple(types)))
        return answers[tuple(types)]

    monkeypatch.setattr(tagged_resources_info.AnsibleAWSModule, "client", client)
    monkeypatch.setattr(tagging, "get_resources", get_resources)
    result = run_main(tagged_resources_info, {
        "region": region, "tags": {"atelier:env": "dev"},
        "resource_types": ["elasticloadbalancing:targetgroup"], "global_resource_types": ["cloudfront:distribution"],
    })
    assert isinstance(result, AnsibleExitJson), result.result
    assert [r["arn"] for r in result.result["resources"]] == [DISTRIBUTION, TG]
    if calls == 1:
        assert made == [("us-east-1", ("elasticloadbalancing:targetgroup", "cloudfront:distribution"))]
    else:
        assert made == [(region, ("elasticloadbalancing:targetgroup",)), ("us-east-1", ("cloudfront:distribution",))]


def test_global_types_need_other_types(get_resources):
    result = run_main(tagged_resources_info, {"tags": {"atelier:env": "dev"}, "global_resource_types": ["cloudfront:distribution"], "region": "eu-west-1"})
    assert isinstance(result, AnsibleFailJson)
    assert "global_resource_types needs resource_types" in result.result["msg"]
    get_resources.assert_not_called()
