# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fargate role's input errors, what its service misses, and its plan records."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import fargate_role as filters
from ansible_collections.atelier.infra.plugins.module_utils import fargate_role
from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils import tier_roles

TIER = {"name": "api", "app_port": 3000, "runtime": "fargate", "image": "api:1", "min_size": 2, "desired_capacity": 2, "max_size": 6}


def inputs(**tier):
    return {"fargate_state": "present", "fargate_name_prefix": "dev-shop", "fargate_tier": dict(TIER, **tier), "fargate_wait_timeout": 600}


def test_a_fargate_tier_with_an_image_is_accepted():
    assert fargate_role.fargate_errors(inputs()) == []


def test_a_tier_of_another_runtime_or_without_image_is_refused_before_any_call():
    errors = fargate_role.fargate_errors(inputs(runtime="ec2", image=""))
    assert "tier api: runtime is ec2; the fargate role deploys the tiers whose runtime is fargate (run it only for them)" in errors
    assert "tier api: image is required (an ECR repository[:tag] or a registry URI)" in errors


def test_removing_needs_neither_the_runtime_nor_an_image():
    assert fargate_role.fargate_errors(dict(inputs(runtime="ec2", image=""), fargate_state="absent")) == []


def test_the_tier_errors_and_the_role_settings_are_reported():
    errors = fargate_role.fargate_errors(dict(inputs(cpu=256, memory=4096), fargate_wait_timeout=0))
    assert any("memory" in e for e in errors)
    assert "fargate_wait_timeout must be a positive number of seconds" in errors


def test_a_role_name_longer_than_iam_allows_names_the_prefix():
    errors = fargate_role.fargate_errors(dict(inputs(name="a" * 20), fargate_name_prefix="p" * 40))
    assert f"the execution role name {'p' * 40}-{'a' * 20}-execution is 71 characters; AWS allows 64: shorten atelier_name_prefix or the tier name" in errors
    assert any(e.startswith("the task role name") for e in errors)


def test_what_is_missing_names_the_fargate_runtime_s_ip_target_group():
    # The role asks atelier.infra.asg_missing with the fargate runtime's names.
    names = stack.stack_names("dev-shop", "api", "fargate")
    assert tier_roles.asg_missing(TIER, names, [], [], []) == ["api subnets", "security group dev-shop-api", "target group dev-shop-api-ip"]


def test_the_plan_of_an_empty_account_creates_the_roles_log_group_task_definition_and_service():
    names = stack.stack_names("dev-shop", "api", "fargate")
    records = fargate_role.fargate_plan(TIER, names, ["security group dev-shop-api"], "dev-shop")
    assert [(r["action"], r["type"], r["name"]) for r in records] == [
        ("create", "iam role", "dev-shop-api-execution"),
        ("create", "iam role", "dev-shop-api-task"),
        ("create", "log group", "/aws/ecs/dev-shop/api"),
        ("create", "task definition", "dev-shop-api"),
        ("create", "ecs service", "dev-shop/dev-shop-api"),
    ]
    assert fargate_role.fargate_plan(TIER, names, [], "dev-shop") == []


def test_the_plan_of_an_empty_account_names_the_scalable_target_and_its_policies():
    names = stack.stack_names("dev-shop", "api", "fargate")
    tier = dict(TIER, scaling={"memory_target": 80})
    records = fargate_role.fargate_plan(tier, names, ["api subnets"], "dev-shop", "dev-shop")
    assert [(r["action"], r["type"], r["name"]) for r in records[5:]] == [
        ("create", "scalable target", "service/dev-shop/dev-shop-api"),
        ("create", "scaling policy", "dev-shop-api-service-cpu"),
        ("create", "scaling policy", "dev-shop-api-service-memory"),
    ]
    # No scaling: neither target nor policy.
    off = fargate_role.fargate_plan(dict(TIER, scaling={"policy": "none"}), names, ["api subnets"], "dev-shop", "dev-shop")
    assert [r["type"] for r in off] == ["iam role", "iam role", "log group", "task definition", "ecs service"]
    assert len(filters.fargate_plan(tier, names, ["api subnets"], "dev-shop", "dev-shop")) == 8


def test_the_filters_refuse_what_is_not_a_dict():
    with pytest.raises(AnsibleFilterError, match="fargate_errors: the role's inputs must be a dict"):
        filters.fargate_errors("x")
    with pytest.raises(AnsibleFilterError, match="fargate_plan: names must be a dict"):
        filters.fargate_plan(TIER, None, [], "p")
    assert filters.fargate_plan(TIER, stack.stack_names("p", "api"), [], "p") == []
