# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of plugins/module_utils/application_autoscaling.py: the wrappers against botocore's Stubber (no network)
and the comparisons with the values AWS fills in."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.atelier.infra.plugins.module_utils import application_autoscaling as aas

RESOURCE = "service/p-shop/p-shop-api"
DIMENSION = "ecs:service:DesiredCount"


@pytest.fixture
def stubbed():
    client = boto3.client("application-autoscaling", region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_the_target_is_the_resource_s_and_none_when_missing(stubbed):
    client, stubber = stubbed
    query = {"ServiceNamespace": "ecs", "ResourceIds": [RESOURCE], "ScalableDimension": DIMENSION}
    target = {"ServiceNamespace": "ecs", "ResourceId": RESOURCE, "ScalableDimension": DIMENSION, "MinCapacity": 2, "MaxCapacity": 6,
              "RoleARN": "arn:aws:iam::123456789012:role/x", "CreationTime": "2026-01-01T00:00:00Z"}
    stubber.add_response("describe_scalable_targets", {"ScalableTargets": [target]}, query)
    stubber.add_response("describe_scalable_targets", {"ScalableTargets": []}, query)
    assert aas.describe_scalable_target(client, "ecs", RESOURCE, DIMENSION)["MaxCapacity"] == 6
    assert aas.describe_scalable_target(client, "ecs", RESOURCE, DIMENSION) is None


def test_the_policies_are_read_over_every_page_and_only_the_resource_s(stubbed):
    client, stubber = stubbed
    query = {"ServiceNamespace": "ecs", "ResourceId": RESOURCE, "ScalableDimension": DIMENSION}

    def policy(name, resource=RESOURCE):
        return {"PolicyARN": f"arn:{name}", "PolicyName": name, "ServiceNamespace": "ecs", "ResourceId": resource,
                "ScalableDimension": DIMENSION, "PolicyType": "TargetTrackingScaling", "CreationTime": "2026-01-01T00:00:00Z"}

    stubber.add_response("describe_scaling_policies", {"ScalingPolicies": [policy("a")], "NextToken": "1"}, query)
    stubber.add_response("describe_scaling_policies", {"ScalingPolicies": [policy("b"), policy("c", RESOURCE + "-2")]},
                         dict(query, NextToken="1"))
    assert [p["PolicyName"] for p in aas.describe_scaling_policies(client, "ecs", RESOURCE, DIMENSION)] == ["a", "b"]


def test_deregistering_a_missing_target_is_no_error_and_another_error_is_raised(stubbed):
    client, stubber = stubbed
    stubber.add_client_error("deregister_scalable_target", "ObjectNotFoundException", "No scalable target")
    stubber.add_client_error("deregister_scalable_target", "AccessDeniedException", "denied")
    assert aas.deregister_scalable_target(client, "ecs", RESOURCE, DIMENSION) is False
    with pytest.raises(aas.AnsibleApplicationAutoScalingError, match="Failed to deregister the scalable target"):
        aas.deregister_scalable_target(client, "ecs", RESOURCE, DIMENSION)


def test_a_policy_compares_with_the_defaults_aws_fills_in_per_namespace():
    wanted = {"policy_name": "cpu", "target_tracking_scaling_policy_configuration": {
        "TargetValue": 70, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization", "ResourceLabel": ""}}}
    described = {"PolicyName": "cpu", "PolicyType": "TargetTrackingScaling", "TargetTrackingScalingPolicyConfiguration": {
        "TargetValue": 70.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
        "ScaleInCooldown": 300, "ScaleOutCooldown": 300, "DisableScaleIn": False}}
    assert aas.normalize_policy(wanted, "ecs") == aas.normalize_policy(described, "ecs")
    # DynamoDB's default cooldown is 0: 300 described is a difference there.
    assert aas.normalize_policy(wanted, "dynamodb") != aas.normalize_policy(described, "dynamodb")


def test_a_custom_metric_s_dimensions_compare_in_any_order():
    def policy(dimensions):
        return {"PolicyType": "TargetTrackingScaling", "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": 5.0, "CustomizedMetricSpecification": {"MetricName": "Queue", "Namespace": "App", "Statistic": "Average",
                                                                  "Dimensions": dimensions}}}
    a, b = {"Name": "A", "Value": "1"}, {"Name": "B", "Value": "2"}
    assert aas.normalize_policy(policy([a, b]), "ecs") == aas.normalize_policy(policy([b, a]), "ecs")


def test_target_changes_name_the_capacities_and_the_suspended_state():
    target = {"MinCapacity": 2, "MaxCapacity": 6, "SuspendedState": {"DynamicScalingInSuspended": False}}
    params = {"min_capacity": 2, "max_capacity": 6, "suspended_state": None}
    assert aas.target_changes(target, params) == []
    assert aas.target_changes(target, dict(params, max_capacity=8)) == ["max_capacity"]
    assert aas.target_changes(target, dict(params, suspended_state={"dynamic_scaling_in_suspended": True})) == ["suspended_state"]
    assert aas.target_changes(None, params) == ["max_capacity", "min_capacity"]
    assert aas.register_request(dict(params, service_namespace="ecs", resource_id=RESOURCE, scalable_dimension=DIMENSION,
                                     suspended_state={"scheduled_scaling_suspended": True}))["SuspendedState"] == {
        "DynamicScalingInSuspended": False, "DynamicScalingOutSuspended": False, "ScheduledScalingSuspended": True}
