# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.autoscaling_policy_info: main() is driven with module args and the module_utils wrapper
describe_policies is replaced by a mock (no boto3 call, no network)."""

from unittest.mock import MagicMock

import pytest
from botocore.exceptions import ClientError

from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import AnsibleAutoScalingError
from ansible_collections.atelier.infra.plugins.modules import autoscaling_policy_info

POLICY = {
    "AutoScalingGroupName": "dev-web",
    "PolicyName": "dev-web-cpu-target",
    "PolicyType": "TargetTrackingScaling",
    "TargetTrackingConfiguration": {"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
                                    "TargetValue": 50.0},
    "EstimatedInstanceWarmup": 300,
}


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("names", [[], ["dev-web-cpu-target"]])
def test_lists_the_groups_policies_in_snake_case(monkeypatch, check_mode, names):
    describe = MagicMock(return_value=[POLICY])
    monkeypatch.setattr(autoscaling_policy_info, "describe_policies", describe)
    result = run_main(autoscaling_policy_info, {"group_name": "dev-web", "names": names, "region": "us-east-1",
                                                "_ansible_check_mode": check_mode})
    assert isinstance(result, AnsibleExitJson)
    assert result.result["changed"] is False
    (policy,) = result.result["policies"]
    assert (policy["policy_name"], policy["estimated_instance_warmup"]) == ("dev-web-cpu-target", 300)
    assert policy["target_tracking_configuration"]["target_value"] == 50.0
    assert describe.call_args.args[1:] == ("dev-web", names)


def test_aws_error_fails_with_the_code(monkeypatch):
    error = ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "DescribePolicies")
    monkeypatch.setattr(autoscaling_policy_info, "describe_policies",
                        MagicMock(side_effect=AnsibleAutoScalingError(message="Failed to describe scaling policies", exception=error)))
    result = run_main(autoscaling_policy_info, {"group_name": "dev-web", "region": "us-east-1"})
    assert isinstance(result, AnsibleFailJson)
    assert "AccessDenied" in str(result.result)
