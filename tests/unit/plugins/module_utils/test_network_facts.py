"""One network read per run: a tier's subnets and group from the network layer's outputs, or None to read them."""

import pytest

from ansible_collections.atelier.infra.plugins.filter.network_facts import FilterModule, run_vpc_id, tier_network, tier_target_group

VPC = {"vpc_id": "vpc-1", "subnets": {"frontend": [{"id": "subnet-a", "az": "us-east-1a", "cidr": "10.0.1.0/24"},
                                                  {"id": "subnet-b", "az": "us-east-1b", "cidr": "10.0.2.0/24"}]}}
GROUPS = {"vpc_id": "vpc-1", "groups": {"dev-web-app": "sg-1", "dev-web-alb": "sg-2"}}


def test_the_outputs_answer_as_the_lookups_would():
    found = tier_network({"vpc_outputs": VPC, "security_groups_outputs": GROUPS}, "frontend", "dev-web-app")
    assert [s["subnet_id"] for s in found["subnets"]["subnets"]] == ["subnet-a", "subnet-b"]
    assert found["subnets"]["subnets"][0]["vpc_id"] == "vpc-1"
    assert found["groups"]["security_groups"] == [{"group_id": "sg-1", "group_name": "dev-web-app", "vpc_id": "vpc-1"}]


def test_without_the_layer_in_this_run_the_role_reads_them():
    assert tier_network({}, "frontend", "dev-web-app") is None
    assert tier_network(None, "frontend", "dev-web-app") is None
    assert tier_network({"vpc_outputs": VPC}, "frontend", "dev-web-app") is None


def test_an_id_check_mode_could_not_give_means_a_read():
    pending = {"vpc_id": "vpc-1", "subnets": {"frontend": [{"id": None, "az": "us-east-1a", "cidr": "10.0.1.0/24"}]}}
    assert tier_network({"vpc_outputs": pending, "security_groups_outputs": GROUPS}, "frontend", "dev-web-app") is None
    assert tier_network({"vpc_outputs": VPC, "security_groups_outputs": {"vpc_id": "vpc-1", "groups": {"dev-web-app": ""}}},
                        "frontend", "dev-web-app") is None


def test_an_unknown_tier_or_group_or_another_vpc_means_a_read():
    both = {"vpc_outputs": VPC, "security_groups_outputs": GROUPS}
    assert tier_network(both, "backend", "dev-web-app") is None
    assert tier_network(both, "frontend", "dev-api-app") is None
    assert tier_network({"vpc_outputs": VPC, "security_groups_outputs": dict(GROUPS, vpc_id="vpc-2")}, "frontend", "dev-web-app") is None


TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/dev-web-tg/0123456789abcdef"
ALB_OUTPUTS = {"tier": "web", "name": "dev-web", "target_group_name": "dev-web-tg", "target_group_arn": TG_ARN}


def test_the_alb_outputs_of_this_run_answer_the_target_group_lookup():
    assert tier_target_group(ALB_OUTPUTS, "web", "dev-web-tg") == {
        "target_groups": [{"target_group_name": "dev-web-tg", "target_group_arn": TG_ARN}]}
    assert FilterModule().filters()["tier_target_group"] is tier_target_group


def test_without_the_alb_role_in_this_run_or_for_another_group_the_role_reads_it():
    assert tier_target_group(None, "web", "dev-web-tg") is None
    assert tier_target_group({}, "web", "dev-web-tg") is None
    # Another tier's outputs, another group (the tier moved to another runtime: its target group type differs).
    assert tier_target_group(ALB_OUTPUTS, "api", "dev-web-tg") is None
    assert tier_target_group(ALB_OUTPUTS, "web", "dev-web-ip-tg") is None
    # Check mode before the group exists: no ARN; an ARN of another group.
    assert tier_target_group(dict(ALB_OUTPUTS, target_group_arn=""), "web", "dev-web-tg") is None
    assert tier_target_group(dict(ALB_OUTPUTS, target_group_arn=TG_ARN.replace("dev-web-tg", "dev-old-tg")), "web", "dev-web-tg") is None


def test_the_vpc_of_this_run_gives_the_security_groups_its_id():
    outputs = {"vpc_id": "vpc-1", "vpc_name": "dev-web", "region": "eu-west-1"}
    assert run_vpc_id(outputs, "dev-web", "eu-west-1") == "vpc-1"
    assert FilterModule().filters()["run_vpc_id"] is run_vpc_id


@pytest.mark.parametrize("outputs, name, region", [
    (None, "dev-web", "eu-west-1"),
    ({}, "dev-web", "eu-west-1"),
    ({"vpc_id": "vpc-1", "vpc_name": "dev-other", "region": "eu-west-1"}, "dev-web", "eu-west-1"),
    ({"vpc_id": "vpc-1", "vpc_name": "dev-web", "region": "us-east-1"}, "dev-web", "eu-west-1"),
    ({"vpc_id": "", "vpc_name": "dev-web", "region": "eu-west-1"}, "dev-web", "eu-west-1"),
], ids=["no vpc role in this run", "empty", "another vpc", "another region", "check mode before the vpc exists"])
def test_otherwise_the_security_groups_look_their_vpc_up(outputs, name, region):
    assert run_vpc_id(outputs, name, region) == ""
