# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the observability filters: what they pass to module_utils/observability.py and what they refuse."""

import json

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import observability as filters

INPUTS = {"monitoring_name_prefix": "dev-gt", "monitoring_region": "us-east-1",
          "monitoring_tiers": [{"name": "frontend"}], "monitoring_outputs": {}}


def test_filters_are_registered():
    assert filters.FilterModule().filters() == {
        "monitoring_scaling_events": filters.monitoring_scaling_events,
        "asg_observability": filters.asg_observability,
        "service_trust_policy": filters.service_trust_policy,
        "web_acl_rules": filters.web_acl_rules,
    }


def test_scaling_events_take_the_account_from_the_resources_then_the_caller():
    found = [{"arn": "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/x/1"}]
    assert filters.monitoring_scaling_events(found, INPUTS)["account"] == "111111111111"
    rule = filters.monitoring_scaling_events([], INPUTS, {"account": "222222222222", "arn": "arn:aws:iam::222222222222:root"})
    assert rule["account"] == "222222222222" and rule["topic_arn"].endswith(":222222222222:dev-gt-alarms")
    # A skipped aws_caller_info (resources were found) is no caller.
    assert filters.monitoring_scaling_events(found, INPUTS, {"skipped": True})["account"] == "111111111111"


def test_scaling_events_refuse_what_is_not_resources_or_inputs():
    with pytest.raises(AnsibleFilterError, match="tagged_resources_info"):
        filters.monitoring_scaling_events("x", INPUTS)
    with pytest.raises(AnsibleFilterError, match="monitoring_region"):
        filters.monitoring_scaling_events([], {"monitoring_name_prefix": "p"})


def test_asg_observability_gives_the_agent_config_as_stable_json():
    result = filters.asg_observability({"name": "web", "app_port": 80}, "dev-gt")
    assert result["agent_parameter"] == "AmazonCloudWatch-dev-gt-web"
    assert json.loads(result["agent_config"])["metrics"]["namespace"] == "CWAgent"
    assert result["agent_config"] == filters.asg_observability({"app_port": 80, "name": "web"}, "dev-gt")["agent_config"]
    with pytest.raises(AnsibleFilterError, match="expected a tier"):
        filters.asg_observability({}, "dev-gt")


def test_service_trust_policy_names_the_missing_account():
    with pytest.raises(AnsibleFilterError, match="monitoring.rds.amazonaws.com role needs the account"):
        filters.service_trust_policy("monitoring.rds.amazonaws.com")
    assert "Condition" in filters.service_trust_policy("vpc-flow-logs.amazonaws.com", "123456789012")["Statement"][0]


def test_web_acl_rules_are_the_common_rule_set_then_the_rate_limit():
    common, rate = filters.web_acl_rules("2000")
    assert common["statement"] == {"managed_rule_group_statement": {"vendor_name": "AWS", "name": "AWSManagedRulesCommonRuleSet"}}
    assert common["override_action"] == {"none": {}} and "action" not in common
    assert (common["priority"], rate["priority"]) == (0, 1)
    assert rate["action"] == {"block": {}}
    assert rate["statement"] == {"rate_based_statement": {"limit": 2000, "aggregate_key_type": "IP"}}
    assert {r["visibility_config"]["metric_name"] for r in (common, rate)} == {"common-rule-set", "rate-limit"}


@pytest.mark.parametrize("limit, message", [(9, "between 10 and 2000000000"), (2000000001, "between 10"),
                                            ("many", "whole number"), (True, "whole number"), (-5, "between"), ("-5", "whole number")])
def test_web_acl_rules_refuse_a_limit_aws_refuses(limit, message):
    with pytest.raises(AnsibleFilterError, match=message):
        filters.web_acl_rules(limit)
