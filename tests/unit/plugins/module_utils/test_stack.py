# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The stack contract: names, tags, filters and ownership, all from one name prefix."""

import pytest

from ansible_collections.atelier.infra.plugins.filter.stack import FilterModule
from ansible_collections.atelier.infra.plugins.module_utils import stack


@pytest.mark.parametrize(
    "key, expected",
    [
        ("vpc", "acme-shop"),
        ("internet_gateway", "acme-shop-igw"),
        ("flow_log_group", "/aws/vpc-flow-logs/acme-shop"),
        ("flow_log_role", "acme-shop-vpc-flow-logs"),
        ("database_security_group", "acme-shop-database"),
        ("bastion_security_group", "acme-shop-bastion"),
        ("db_instance", "acme-shop-postgres"),
        ("db_secret", "acme-shop-db-credentials"),
        ("repository_namespace", "acme-shop"),
        ("alarm_topic", "acme-shop-alarms"),
        ("dashboard", "acme-shop"),
        ("alarm_prefix", "acme-shop/"),
        ("alb", "acme-shop-web"),
        ("target_group", "acme-shop-web-tg"),
        ("alb_security_group", "acme-shop-web-alb"),
        ("security_group", "acme-shop-web"),
        ("origin_secret", "acme-shop/web/origin-verify"),
        ("distribution", "acme-shop-web"),
        ("group", "acme-shop-web"),
        ("launch_template", "acme-shop-web"),
        ("instance_role", "acme-shop-web-instance"),
        ("log_group", "/aws/ec2/acme-shop/web"),
        ("env_url", "WEB_URL"),
        ("scaling_events_rule", "acme-shop-scaling-events"),
        ("logs_key_alias", "alias/acme-shop-logs"),
        ("log_bucket", "acme-shop-logs"),
        ("cloudwatch_agent_parameter", "AmazonCloudWatch-acme-shop-web"),
        ("distribution_web_acl", "acme-shop-web-cloudfront"),
        ("alb_web_acl", "acme-shop-web-alb"),
        ("alb_log_prefix", "acme-shop/alb/web"),
        ("distribution_log_prefix", "acme-shop/cloudfront/web/"),
    ],
)
def test_every_name_derives_from_the_prefix(key, expected):
    assert stack.stack_names("acme-shop", "web")[key] == expected


def test_another_prefix_moves_every_name():
    one, other = stack.stack_names("local-atelier", "web"), stack.stack_names("acme-x", "web")
    moved = {k for k in one if k not in ("tier", "env_url", "target_type") and one[k] != other[k]}
    assert moved == set(one) - {"tier", "env_url", "target_type"}
    for value in other.values():
        assert "local-atelier" not in str(value)


def test_tier_names_need_a_tier():
    assert "alb" not in stack.stack_names("p")
    assert stack.stack_names("p", "admin-ui")["env_url"] == "ADMIN_UI_URL"


def test_derived_names_the_filters_use():
    assert stack.subnet_name("p", "public", "us-east-1a") == "p-public-us-east-1a"
    assert stack.nat_gateway_name("p", "us-east-1b") == "p-nat-us-east-1b"
    assert stack.endpoint_name("p", "com.amazonaws.eu-west-1.dynamodb") == "p-dynamodb"
    assert stack.repository_name("p", "goal-tracker-frontend") == "p/goal-tracker-frontend"
    assert stack.table_name("p", "AtelierDB") == "p-AtelierDB"


def test_tags_ownership_wins_over_extra_tags():
    tags = stack.stack_tags("dev", "shop", {"team": "web", "atelier:stack": "other"}, {"cost": 3}, name="n", tier="web")
    assert tags == {"team": "web", "cost": "3", "atelier:env": "dev", "atelier:stack": "shop", "atelier:tier": "web", "Name": "n"}
    assert stack.stack_tags("dev", "shop") == {"atelier:env": "dev", "atelier:stack": "shop"}


def test_filters_select_the_stack_and_more():
    assert stack.ec2_filters("dev", "shop") == {"tag:atelier:env": "dev", "tag:atelier:stack": "shop"}
    assert stack.ec2_filters("dev", "shop", tier="public", name="x", vpc_id="vpc-1", state="") == {
        "tag:atelier:env": "dev",
        "tag:atelier:stack": "shop",
        "tag:atelier:tier": "public",
        "tag:Name": "x",
        "vpc-id": "vpc-1",
    }
    assert stack.tag_filters("dev", "shop", "web") == [
        {"Key": "atelier:env", "Values": ["dev"]},
        {"Key": "atelier:stack", "Values": ["shop"]},
        {"Key": "atelier:tier", "Values": ["web"]},
    ]


@pytest.mark.parametrize(
    "tags, conflict",
    [
        ({}, None),
        ({"Name": "x"}, None),
        ({"atelier:env": "dev", "atelier:stack": "shop"}, None),
        ([{"Key": "atelier:env", "Value": "dev"}, {"Key": "atelier:stack", "Value": "shop"}], None),
        ({"atelier:env": "dev", "atelier:stack": "other"}, "it belongs to the stack 'other' of the environment 'dev'"),
        ({"atelier:env": "prod", "atelier:stack": "shop"}, "it belongs to the stack 'shop' of the environment 'prod'"),
        ({"atelier:stack": ""}, "it belongs to the stack '' of the environment None"),
        ([{"key": "atelier:env", "value": "x"}], "it belongs to the stack None of the environment 'x'"),
    ],
)
def test_owner_conflict(tags, conflict):
    message = stack.owner_conflict(tags, "dev", "shop")
    assert (message is None) if conflict is None else (conflict in message)


@pytest.mark.parametrize(
    "env, stack_name, prefix, expected",
    [
        ("local", "atelier", "local-atelier", []),
        ("dev", "goal-tracker", None, []),
        ("", "atelier", None, ["atelier_env must be 1-30 lowercase letters, digits and single hyphens starting with a letter, got ''"]),
        ("local", "", None, ["atelier_stack must be 1-30 lowercase letters, digits and single hyphens starting with a letter, got ''"]),
        ("Local", "atelier", None, ["atelier_env must be 1-30 lowercase letters, digits and single hyphens starting with a letter, got 'Local'"]),
        ("local", "a--b", None, ["atelier_stack must be 1-30 lowercase letters, digits and single hyphens starting with a letter, got 'a--b'"]),
        ("local", "atelier-", None, ["atelier_stack must be 1-30 lowercase letters, digits and single hyphens starting with a letter, got 'atelier-'"]),
        ("local", None, None, ["atelier_stack must be 1-30 lowercase letters, digits and single hyphens starting with a letter, got None"]),
        ("local", "atelier", "local-", ["atelier_name_prefix must be 1-40 lowercase letters, digits and single hyphens starting with a letter, got 'local-'"]),
        ("local", "atelier", "x" * 41, [f"atelier_name_prefix must be 1-40 lowercase letters, digits and single hyphens starting with a letter, got {'x' * 41!r}"]),
    ],
)
def test_stack_errors(env, stack_name, prefix, expected):
    assert stack.stack_errors(env, stack_name, prefix) == expected


REGION_RULE = "atelier_region must be an AWS region name in lowercase such as us-east-1 or eu-west-1, got"


@pytest.mark.parametrize(
    "region, expected",
    [
        ("us-east-1", []),
        ("ap-southeast-2", []),
        ("us-gov-west-1", []),
        ("cn-northwest-1", []),
        ("eu-isoe-west-1", []),
        ("us-east", [f"{REGION_RULE} 'us-east'"]),
        ("EU-WEST-1", [f"{REGION_RULE} 'EU-WEST-1' (did you mean eu-west-1?)"]),
        (" eu-west-1", [f"{REGION_RULE} ' eu-west-1' (did you mean eu-west-1?)"]),
        ("us-east-1a", [f"{REGION_RULE} 'us-east-1a' (us-east-1a is an availability zone of us-east-1)"]),
        ("useast1", [f"{REGION_RULE} 'useast1'"]),
        ("", [f"{REGION_RULE} ''"]),
        (None, [f"{REGION_RULE} None"]),
        (["us-east-1"], [f"{REGION_RULE} ['us-east-1']"]),
    ],
)
def test_region_errors(region, expected):
    assert stack.region_errors(region) == expected


def test_stack_errors_check_the_region_and_the_retries_when_given():
    assert stack.stack_errors("local", "atelier", "local-atelier", "us-east-1", {"mode": "adaptive", "max_attempts": 5}) == []
    assert stack.stack_errors("local", "atelier", "local-atelier", "us-east", {"mode": "turbo"}) == [
        f"{REGION_RULE} 'us-east'",
        "atelier_aws_retries.mode must be standard or adaptive, got 'turbo'",
    ]
    # not given: not checked
    assert stack.stack_errors("local", "atelier") == []


def test_name_errors_name_what_is_too_long():
    names = stack.stack_names("a-very-long-environment-stack", "frontend-service")
    errors = stack.name_errors(names)
    assert any(e.startswith("the alb name a-very-long-environment-stack-frontend-service is 46 characters; AWS allows 32") for e in errors)
    assert any(e.startswith("the target group name") for e in errors)
    assert stack.name_errors(stack.stack_names("local-atelier", "frontend")) == []


def test_cloudwatch_dimensions_of_elbv2_arns():
    lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/local-atelier-web/50dc6c495c0c9188"
    tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/local-atelier-web-tg/6d0ecf831eec9f09"
    assert stack.cloudwatch_dimension(lb) == "app/local-atelier-web/50dc6c495c0c9188"
    assert stack.cloudwatch_dimension(tg) == "targetgroup/local-atelier-web-tg/6d0ecf831eec9f09"
    assert stack.arn_resource("not-an-arn") == ""


def test_the_filters_expose_the_contract():
    filters = FilterModule().filters()
    assert filters["stack_names"]("p", "web")["alb"] == "p-web"
    assert filters["stack_tags"]("dev", "shop", {"a": "b"}, tier="web")["atelier:tier"] == "web"
    assert filters["stack_filters"]("dev", "shop", tier="web")["tag:atelier:tier"] == "web"
    assert filters["stack_errors"]("dev", "shop", "dev-shop") == []
    assert filters["stack_errors"]("dev", "shop", "dev-shop", region="EU-WEST-1", retries={"max_attempts": 0})[0].startswith("atelier_region")
    with pytest.raises(Exception, match="the name prefix must be a non-empty string"):
        filters["stack_names"]("")
    with pytest.raises(Exception, match="extra tags must be dicts"):
        filters["stack_tags"]("dev", "shop", ["a"])


@pytest.mark.parametrize(
    "runtime, name, target_type",
    [(None, "acme-shop-web-tg", "instance"), ("ec2", "acme-shop-web-tg", "instance"), ("fargate", "acme-shop-web-ip", "ip")],
)
def test_the_target_group_is_the_runtimes(runtime, name, target_type):
    names = stack.stack_names("acme-shop", "web", runtime)
    assert (names["target_group"], names["target_type"]) == (name, target_type)
    # A removal knows the tier's name only: it gets both runtimes' groups.
    assert names["target_groups"] == ["acme-shop-web-ip", "acme-shop-web-tg"]


def test_an_unknown_runtime_has_no_target_group():
    with pytest.raises(ValueError, match="unknown tier runtime 'lambda'"):
        stack.stack_names("acme-shop", "web", "lambda")
