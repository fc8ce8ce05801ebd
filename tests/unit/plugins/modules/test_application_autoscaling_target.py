# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.application_autoscaling_target: main() with module args, our module_utils wrappers
replaced by a fake Application Auto Scaling that keeps targets and policies as the API describes them (AWS fills in
DisableScaleIn and the ECS cooldowns; deregistering a target deletes its policies)."""

import copy
from unittest.mock import MagicMock

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import application_autoscaling as utils
from ansible_collections.atelier.infra.plugins.modules import application_autoscaling_target as module

from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

RESOURCE = "service/p-shop/p-shop-api"
DIMENSION = "ecs:service:DesiredCount"
MUTATING = ("register_scalable_target", "put_scaling_policy", "delete_scaling_policy", "deregister_scalable_target")
READS = ("describe_scalable_target", "describe_scaling_policies")
CPU = {"policy_name": "p-shop-api-service-cpu", "policy_type": "TargetTrackingScaling",
       "target_tracking_scaling_policy_configuration": {
           "TargetValue": 70, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}
MEMORY = {"policy_name": "p-shop-api-service-memory",
          "target_tracking_scaling_policy_configuration": {
              "TargetValue": 80.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageMemoryUtilization"},
              "ScaleInCooldown": 300, "ScaleOutCooldown": 300, "DisableScaleIn": False}}
STEP = {"policy_name": "p-shop-api-step", "policy_type": "StepScaling",
        "step_scaling_policy_configuration": {"AdjustmentType": "ChangeInCapacity", "StepAdjustments": [
            {"MetricIntervalLowerBound": 10, "ScalingAdjustment": 2}, {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 1}]}}


class FakeScaling:
    """One resource's scalable target and policies, as DescribeScalableTargets / DescribeScalingPolicies return them."""

    def __init__(self, monkeypatch, target=None, policies=()):
        self.target = copy.deepcopy(target)
        self.policies = {p["PolicyName"]: copy.deepcopy(p) for p in policies}
        fakes = {
            "describe_scalable_target": lambda client, ns, rid, dim: copy.deepcopy(self.target),
            "describe_scaling_policies": lambda client, ns, rid, dim: copy.deepcopy(list(self.policies.values())),
            "register_scalable_target": self._register,
            "put_scaling_policy": self._put,
            "delete_scaling_policy": lambda client, ns, rid, dim, name: bool(self.policies.pop(name)),
            "deregister_scalable_target": self._deregister,
        }
        for name, fake in fakes.items():
            mock = MagicMock(side_effect=fake)
            setattr(self, name, mock)
            monkeypatch.setattr(module, name, mock)

    def _register(self, client, request):
        self.target = dict(self.target or {}, **request, ScalableTargetARN="arn:aws:application-autoscaling:eu-west-1:1:scalable-target/x")
        self.target.setdefault("SuspendedState", {k: False for k in utils.SUSPENDED_KEYS})
        return {"ScalableTargetARN": self.target["ScalableTargetARN"]}

    def _put(self, client, request):
        assert self.target is not None, "AWS refuses a policy without its scalable target"
        policy = copy.deepcopy(request)
        config = policy.get("TargetTrackingScalingPolicyConfiguration")
        if config is not None:
            config["TargetValue"] = float(config["TargetValue"])
            config.setdefault("DisableScaleIn", False)
            config.setdefault("ScaleInCooldown", 300)
            config.setdefault("ScaleOutCooldown", 300)
        policy["PolicyARN"] = f"arn:aws:autoscaling:eu-west-1:1:scalingPolicy:x:policyName/{request['PolicyName']}"
        self.policies[request["PolicyName"]] = policy
        return {"PolicyARN": policy["PolicyARN"], "Alarms": []}

    def _deregister(self, client, ns, rid, dim):
        self.target, self.policies = None, {}
        return True

    def mutations(self):
        return [name for name in MUTATING if getattr(self, name).call_count]

    def reads(self):
        return {name: getattr(self, name).call_count for name in READS}

    def reset(self):
        for name in MUTATING + READS:
            getattr(self, name).reset_mock()


def args(**more):
    result = {"region": "eu-west-1", "service_namespace": "ecs", "resource_id": RESOURCE, "scalable_dimension": DIMENSION,
              "min_capacity": 2, "max_capacity": 6, "policies": [CPU, MEMORY]}
    result.update(more)
    return result


def converged(monkeypatch, **more):
    fake = FakeScaling(monkeypatch)
    assert isinstance(run_main(module, args(**more)), AnsibleExitJson)
    fake.reset()
    return fake


def test_present_new_registers_the_target_then_puts_every_policy_reading_once(monkeypatch):
    fake = FakeScaling(monkeypatch)
    result = run_main(module, args()).result
    assert result["changed"] is True
    assert result["actions"] == [f"create scalable target {RESOURCE}", "create scaling policy p-shop-api-service-cpu",
                                 "create scaling policy p-shop-api-service-memory"]
    assert fake.register_scalable_target.call_args.args[1] == {
        "ServiceNamespace": "ecs", "ResourceId": RESOURCE, "ScalableDimension": DIMENSION, "MinCapacity": 2, "MaxCapacity": 6}
    assert fake.put_scaling_policy.call_count == 2
    assert fake.reads() == {"describe_scalable_target": 1, "describe_scaling_policies": 1}
    assert (result["scalable_target"]["min_capacity"], result["scalable_target"]["max_capacity"]) == (2, 6)
    assert result["scalable_target"]["scalable_target_arn"].endswith("scalable-target/x")
    cpu = result["policies"][0]
    assert (cpu["policy_name"], cpu["policy_type"]) == ("p-shop-api-service-cpu", "TargetTrackingScaling")
    assert cpu["target_tracking_scaling_policy_configuration"]["scale_in_cooldown"] == 300
    assert cpu["policy_arn"].endswith("policyName/p-shop-api-service-cpu")


def test_present_same_makes_no_mutating_call(monkeypatch):
    fake = converged(monkeypatch)
    result = run_main(module, args()).result
    assert (result["changed"], result["actions"], fake.mutations()) == (False, [], [])
    assert result["msg"] == "No change."
    assert [p["policy_arn"] for p in result["policies"]][0].endswith("service-cpu")


def test_changed_capacities_update_the_target_only(monkeypatch):
    fake = converged(monkeypatch)
    result = run_main(module, args(min_capacity=3, max_capacity=8)).result
    assert result["actions"] == [f"update scalable target {RESOURCE}: max_capacity, min_capacity"]
    assert fake.mutations() == ["register_scalable_target"]
    assert (fake.target["MinCapacity"], fake.target["MaxCapacity"]) == (3, 8)


def test_a_changed_policy_is_put_again_naming_what_differs(monkeypatch):
    fake = converged(monkeypatch)
    cpu = copy.deepcopy(CPU)
    cpu["target_tracking_scaling_policy_configuration"].update(TargetValue=50, ScaleInCooldown=60)
    result = run_main(module, args(policies=[cpu, MEMORY])).result
    assert result["actions"] == ["update scaling policy p-shop-api-service-cpu: scale_in_cooldown, target_value"]
    assert fake.mutations() == ["put_scaling_policy"]
    assert fake.policies["p-shop-api-service-cpu"]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 50.0


def test_step_policies_compare_with_aws_defaults_and_in_any_order(monkeypatch):
    fake = converged(monkeypatch, policies=[STEP])
    # AWS describes the steps in its order, with MetricAggregationType and the cooldown filled in.
    described = fake.policies["p-shop-api-step"]["StepScalingPolicyConfiguration"]
    described["StepAdjustments"].reverse()
    described.update(MetricAggregationType="Average", Cooldown=300)
    result = run_main(module, args(policies=[STEP])).result
    assert (result["changed"], fake.mutations()) == (False, [])


def test_purge_deletes_the_policies_not_listed_and_keeps_them_without_purge(monkeypatch):
    fake = converged(monkeypatch)
    kept = run_main(module, args(policies=[CPU], purge_policies=False)).result
    assert (kept["changed"], fake.mutations()) == (False, [])
    result = run_main(module, args(policies=[CPU])).result
    assert result["actions"] == ["delete scaling policy p-shop-api-service-memory"]
    assert fake.mutations() == ["delete_scaling_policy"]
    assert sorted(fake.policies) == ["p-shop-api-service-cpu"]
    assert [p["policy_name"] for p in result["policies"]] == ["p-shop-api-service-cpu"]


def test_absent_deregisters_the_target_which_takes_its_policies(monkeypatch):
    fake = converged(monkeypatch)
    result = run_main(module, {"region": "eu-west-1", "resource_id": RESOURCE, "state": "absent"}).result
    assert result["actions"] == ["delete scaling policy p-shop-api-service-cpu", "delete scaling policy p-shop-api-service-memory",
                                 f"delete scalable target {RESOURCE}"]
    assert fake.mutations() == ["deregister_scalable_target"]
    assert (result["scalable_target"], result["policies"]) == (None, [])
    again = run_main(module, {"region": "eu-west-1", "resource_id": RESOURCE, "state": "absent"}).result
    assert (again["changed"], again["actions"]) == (False, [])


def test_absent_deletes_policies_left_without_a_target(monkeypatch):
    fake = FakeScaling(monkeypatch, policies=[{"PolicyName": "orphan", "PolicyType": "TargetTrackingScaling",
                                               "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 1.0}}])
    result = run_main(module, {"region": "eu-west-1", "resource_id": RESOURCE, "state": "absent"}).result
    assert result["actions"] == ["delete scaling policy orphan"]
    assert fake.mutations() == ["delete_scaling_policy"]


@pytest.mark.parametrize("start, params", [
    ({}, args()),
    ({"policies": [CPU, MEMORY]}, args(min_capacity=1, policies=[CPU])),
    ({"policies": [CPU, MEMORY]}, {"region": "eu-west-1", "resource_id": RESOURCE, "state": "absent"}),
])
def test_check_mode_reads_only_and_says_what_it_would_do(monkeypatch, start, params):
    fake = converged(monkeypatch, **start) if start else FakeScaling(monkeypatch)
    result = run_main(module, dict(params, _ansible_check_mode=True, _ansible_diff=True)).result
    assert result["changed"] is True and result["actions"]
    assert result["msg"].startswith("Would have ")
    assert fake.mutations() == []
    assert fake.reads() == {"describe_scalable_target": 1, "describe_scaling_policies": 1}
    assert set(result["diff"]) == {"before", "after"}
    assert result["diff"]["before"] != result["diff"]["after"]


@pytest.mark.parametrize("params, message", [
    (args(min_capacity=7), "min_capacity 7 must not be above max_capacity 6"),
    (args(max_capacity=None), "max_capacity is required with state present"),
    (args(resource_id="p-shop-api"), "resource_id must be service/<cluster>/<service> for the ecs namespace, got 'p-shop-api'"),
    (args(policies=[CPU, CPU]), "policies: policy_name must be unique, got p-shop-api-service-cpu more than once"),
    (args(policies=[{"policy_name": "x"}]), "policies[0] (x): policy_type TargetTrackingScaling needs target_tracking_scaling_policy_configuration"),
    (args(policies=[{"policy_name": "x", "target_tracking_scaling_policy_configuration": {"TargetValue": "high"}}]),
     "policies[0] (x): TargetValue must be a number, got 'high'"),
    (args(policies=[{"policy_name": "x", "policy_type": "StepScaling", "step_scaling_policy_configuration": {"StepAdjustments": []}}]),
     "policies[0] (x): AdjustmentType is required"),
])
def test_bad_input_fails_before_any_call(monkeypatch, params, message):
    fake = FakeScaling(monkeypatch)
    result = run_main(module, params)
    assert isinstance(result, AnsibleFailJson)
    assert message in result.result["msg"]
    assert fake.reads() == {"describe_scalable_target": 0, "describe_scaling_policies": 0}


def test_an_aws_error_fails_with_its_code(monkeypatch):
    FakeScaling(monkeypatch)
    error = utils.AnsibleApplicationAutoScalingError(message="Failed to register the scalable target")
    monkeypatch.setattr(module, "register_scalable_target", MagicMock(side_effect=error))
    result = run_main(module, args())
    assert isinstance(result, AnsibleFailJson)
    assert "register the scalable target" in result.result["msg"]
