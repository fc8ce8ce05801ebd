# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.autoscaling_policy_set: main() with module args, our module_utils wrappers replaced by a
fake Auto Scaling group and CloudWatch that keep policies and alarms as the APIs describe them."""

import copy
from unittest.mock import MagicMock

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import autoscaling as utils
from ansible_collections.atelier.infra.plugins.modules import autoscaling_policy_set as module

from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

GROUP = "p-shop-web"
MUTATING = ("put_scaling_policy", "delete_policy", "put_metric_alarm", "delete_alarms")
TARGET = {"name": f"{GROUP}-cpu-target", "policy_type": "TargetTrackingScaling",
          "target_tracking_config": {"target_value": 70, "predefined_metric_spec": {"predefined_metric_type": "ASGAverageCPUUtilization"}},
          "estimated_instance_warmup": 300}
HIGH = {"name": f"{GROUP}-cpu-high", "policy_type": "StepScaling", "adjustment_type": "ChangeInCapacity", "metric_aggregation": "Average",
        "step_adjustments": [{"lower_bound": 0, "scaling_adjustment": 1}], "estimated_instance_warmup": 300,
        "alarm": {"description": "Scale out", "comparison": "GreaterThanThreshold", "threshold": 70.0, "evaluation_periods": 1, "unit": "Percent"}}
LOW = {"name": f"{GROUP}-cpu-low", "policy_type": "StepScaling", "adjustment_type": "ChangeInCapacity", "metric_aggregation": "Average",
       "step_adjustments": [{"upper_bound": 0, "scaling_adjustment": -1}], "estimated_instance_warmup": 300,
       "alarm": {"description": "Scale in", "comparison": "LessThanThreshold", "threshold": 30.0, "evaluation_periods": 2, "unit": "Percent"}}


class FakeAWS:
    """One group's policies (as DescribePolicies returns them, AWS's defaults filled in) and the account's alarms."""

    def __init__(self, monkeypatch):
        self.policies, self.alarms, self.answers_arn = {}, {}, True
        fakes = {
            "describe_policies": lambda client, group, names=None: copy.deepcopy(
                [p for name, p in self.policies.items() if not names or name in names]),
            "describe_alarms_by_name": lambda client, names: copy.deepcopy([self.alarms[n] for n in names if n in self.alarms]),
            "put_scaling_policy": self._put,
            "delete_policy": lambda client, group, name: bool(self.policies.pop(name)),
            "put_metric_alarm": lambda client, params: self.alarms.__setitem__(params["AlarmName"], dict(copy.deepcopy(params), StateValue="OK")),
            "delete_alarms": lambda client, names: [self.alarms.pop(n) for n in names] and True,
        }
        for name, fake in fakes.items():
            mock = MagicMock(side_effect=fake)
            setattr(self, name, mock)
            monkeypatch.setattr(module, name, mock)

    def _put(self, client, request):
        policy = copy.deepcopy(request)
        config = policy.get("TargetTrackingConfiguration")
        if config is not None:
            config.setdefault("DisableScaleIn", False)
        policy["PolicyARN"] = f"arn:aws:autoscaling:eu-west-1:1:scalingPolicy:x:autoScalingGroupName/{GROUP}:policyName/{request['PolicyName']}"
        self.policies[request["PolicyName"]] = policy
        return {"PolicyARN": policy["PolicyARN"], "Alarms": []} if self.answers_arn else {"Alarms": []}

    def mutations(self):
        return [name for name in MUTATING if getattr(self, name).call_count]

    def reset(self):
        for name in MUTATING + ("describe_policies", "describe_alarms_by_name"):
            getattr(self, name).reset_mock()


@pytest.fixture
def aws(monkeypatch):
    return FakeAWS(monkeypatch)


def run(policies, check=False, diff=False, **extra):
    args = dict(group_name=GROUP, policies=copy.deepcopy(policies), region="eu-west-1", **extra)
    if check:
        args["_ansible_check_mode"] = True
    if diff:
        args["_ansible_diff"] = True
    return run_main(module, args)


def test_a_new_set_creates_the_policies_and_their_alarms_with_the_policy_arn_as_action(aws):
    result = run([HIGH, LOW])
    assert isinstance(result, AnsibleExitJson)
    assert result.result["changed"]
    assert result.result["actions"] == [f"create scaling policy {GROUP}-cpu-high", f"create scaling policy {GROUP}-cpu-low",
                                        f"create cloudwatch alarm {GROUP}-cpu-high", f"create cloudwatch alarm {GROUP}-cpu-low"]
    high = aws.alarms[f"{GROUP}-cpu-high"]
    assert high["AlarmActions"] == [aws.policies[f"{GROUP}-cpu-high"]["PolicyARN"]]
    assert (high["ComparisonOperator"], high["Threshold"], high["EvaluationPeriods"], high["Period"], high["Statistic"]) == (
        "GreaterThanThreshold", 70.0, 1, 300, "Average")
    assert high["Dimensions"] == [{"Name": "AutoScalingGroupName", "Value": GROUP}]
    assert aws.alarms[f"{GROUP}-cpu-low"]["EvaluationPeriods"] == 2
    assert aws.policies[f"{GROUP}-cpu-high"]["StepAdjustments"] == [{"ScalingAdjustment": 1, "MetricIntervalLowerBound": 0.0}]
    assert result.result["policies"] == {name: p["PolicyARN"] for name, p in aws.policies.items()}


def test_the_same_set_again_makes_no_mutating_call(aws):
    run([TARGET, HIGH, LOW])
    aws.reset()
    result = run([TARGET, HIGH, LOW])
    assert (result.result["changed"], result.result["actions"], aws.mutations()) == (False, [], [])
    assert aws.describe_policies.call_count == 1 and aws.describe_alarms_by_name.call_count == 1


def test_target_tracking_only_reads_no_alarm(aws):
    run([TARGET])
    aws.reset()
    result = run([TARGET])
    assert (result.result["changed"], aws.mutations(), aws.describe_alarms_by_name.call_count) == (False, [], 0)


def test_a_changed_threshold_updates_the_alarm_only(aws):
    run([HIGH, LOW])
    aws.reset()
    higher = dict(HIGH, alarm=dict(HIGH["alarm"], threshold=80))
    result = run([higher, LOW])
    assert result.result["actions"] == [f"update cloudwatch alarm {GROUP}-cpu-high: threshold"]
    assert aws.mutations() == ["put_metric_alarm"]
    assert aws.alarms[f"{GROUP}-cpu-high"]["Threshold"] == 80.0


def test_a_changed_step_updates_the_policy_and_names_the_setting(aws):
    run([HIGH])
    aws.reset()
    result = run([dict(HIGH, step_adjustments=[{"lower_bound": 0, "scaling_adjustment": 2}])])
    assert result.result["actions"] == [f"update scaling policy {GROUP}-cpu-high: step_adjustments"]
    assert aws.mutations() == ["put_scaling_policy"]


def test_the_policies_not_listed_are_purged_with_their_alarms(aws):
    run([HIGH, LOW])
    aws.reset()
    result = run([TARGET])
    assert result.result["actions"] == [f"create scaling policy {GROUP}-cpu-target",
                                        f"delete scaling policy {GROUP}-cpu-high", f"delete scaling policy {GROUP}-cpu-low",
                                        f"delete cloudwatch alarm {GROUP}-cpu-high", f"delete cloudwatch alarm {GROUP}-cpu-low"]
    assert sorted(aws.policies) == [f"{GROUP}-cpu-target"]
    assert aws.alarms == {}
    assert result.result["policies"] == {f"{GROUP}-cpu-target": aws.policies[f"{GROUP}-cpu-target"]["PolicyARN"]}


def test_absent_policies_are_deleted_even_without_purge_and_others_kept(aws):
    run([TARGET, HIGH])
    aws.reset()
    result = run([dict(HIGH, state="absent")], purge_policies=False)
    assert result.result["actions"] == [f"delete scaling policy {GROUP}-cpu-high", f"delete cloudwatch alarm {GROUP}-cpu-high"]
    assert sorted(aws.policies) == [f"{GROUP}-cpu-target"]


def test_check_mode_reads_only_and_says_what_it_would_do(aws):
    run([HIGH, LOW])
    aws.reset()
    result = run([TARGET, dict(LOW, alarm=dict(LOW["alarm"], threshold=25))], check=True, diff=True)
    assert result.result["changed"]
    assert aws.mutations() == []
    assert result.result["actions"] == [f"create scaling policy {GROUP}-cpu-target", f"delete scaling policy {GROUP}-cpu-high",
                                        f"update cloudwatch alarm {GROUP}-cpu-low: threshold", f"delete cloudwatch alarm {GROUP}-cpu-high"]
    assert result.result["msg"].startswith("Would have")
    assert sorted(result.result["diff"]["after"]) == [f"{GROUP}-cpu-low", f"{GROUP}-cpu-target"]
    assert sorted(aws.policies) == [f"{GROUP}-cpu-high", f"{GROUP}-cpu-low"]


def test_the_action_lines_are_the_plans(aws):
    from ansible_collections.atelier.infra.plugins.module_utils import plan
    run([HIGH])
    result = run([dict(HIGH, alarm=dict(HIGH["alarm"], threshold=90))], check=True)
    (line,) = result.result["actions"]
    assert plan.STANDARD.match(line).group("type", "name") == ("cloudwatch alarm", f"{GROUP}-cpu-high")


@pytest.mark.parametrize("policy, error", [
    (dict(TARGET, target_tracking_config={"predefined_metric_spec": {"predefined_metric_type": "ASGAverageCPUUtilization"}}),
     "target_tracking_config.target_value must be a number"),
    (dict(HIGH, step_adjustments=[]), "step_adjustments must list at least one step"),
    ({k: v for k, v in HIGH.items() if k != "adjustment_type"}, "adjustment_type is required with policy_type StepScaling"),
    (dict(TARGET, alarm=HIGH["alarm"]), "alarm does not go with policy_type TargetTrackingScaling"),
    (dict(HIGH, alarm=dict(HIGH["alarm"], evaluation_periods=0)), "alarm.evaluation_periods must be 1 or more"),
])
def test_bad_policies_fail_before_any_call(aws, policy, error):
    result = run([policy])
    assert isinstance(result, AnsibleFailJson)
    assert error in result.result["msg"] and f"policies[0] ({policy['name']})" in result.result["msg"]
    assert aws.describe_policies.call_count == 0


def test_duplicate_names_fail(aws):
    result = run([HIGH, HIGH])
    assert isinstance(result, AnsibleFailJson)
    assert f"name must be unique, got {GROUP}-cpu-high" in result.result["msg"]


def test_normalize_policy_fills_the_defaults_aws_fills_in():
    wanted = utils.normalize_policy(utils.put_request(GROUP, dict(HIGH, metric_aggregation=None)))
    described = {"PolicyType": "StepScaling", "AdjustmentType": "ChangeInCapacity", "MetricAggregationType": "Average",
                 "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}], "EstimatedInstanceWarmup": 300}
    assert wanted == utils.normalize_policy(described)
    tracking = {"PolicyType": "TargetTrackingScaling", "EstimatedInstanceWarmup": 300, "TargetTrackingConfiguration": {
        "TargetValue": 70, "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}}}
    assert utils.normalize_policy(utils.put_request(GROUP, TARGET)) == utils.normalize_policy(tracking)


@pytest.mark.parametrize("kind, names", [("step", ["cpu-high", "cpu-low"]), ("target_tracking", ["cpu-target"])])
def test_the_roles_policies_converge_then_stay(aws, kind, names):
    from ansible_collections.atelier.infra.plugins.module_utils import stack
    from ansible_collections.atelier.infra.plugins.module_utils import tier_roles
    tier = {"name": "web", "image": "nginx:1", "port": 80, "scaling": {"policy": kind}}
    wanted = tier_roles.asg_scaling_policies(tier, stack.stack_names("p-shop", "web"))
    first = run(wanted)
    assert sorted(aws.policies) == [f"{GROUP}-{name}" for name in names]
    assert sorted(aws.alarms) == ([f"{GROUP}-{name}" for name in names] if kind == "step" else [])
    assert first.result["changed"]
    aws.reset()
    assert run(wanted).result["changed"] is False and aws.mutations() == []


def test_a_put_answer_without_the_arn_is_completed_by_one_read(aws):
    aws.answers_arn = False
    run([HIGH, LOW])
    assert aws.describe_policies.call_count == 2
    assert aws.alarms[f"{GROUP}-cpu-low"]["AlarmActions"] == [aws.policies[f"{GROUP}-cpu-low"]["PolicyARN"]]


def test_a_cooldown_aws_fills_in_is_no_difference_but_one_asked_for_is():
    simple = {"name": "s", "policy_type": "SimpleScaling", "adjustment_type": "ChangeInCapacity", "scaling_adjustment": 1}
    described = {"PolicyName": "s", "PolicyType": "SimpleScaling", "AdjustmentType": "ChangeInCapacity", "ScalingAdjustment": 1, "Cooldown": 300}
    params = {"group_name": GROUP, "policies": [simple]}
    assert utils.decide(params, [described], [])["actions"] == []
    params["policies"] = [dict(simple, cooldown=60)]
    assert utils.decide(params, [described], [])["actions"] == ["update scaling policy s: cooldown"]


def _read_first(aws, names):
    """What atelier.infra.aws_values_info reads of the group (scaling_policies, scaling_alarms names), as the filter
    takes it."""
    from ansible_collections.atelier.infra.plugins.filter.aws import FilterModule
    policies = copy.deepcopy(list(aws.policies.values()))
    read_names = sorted(set(names) | set(utils.alarm_names(policies)))
    read = {"scaling_policy_details": {GROUP: policies},
            "scaling_alarm_details": {n: {k: v for k, v in aws.alarms[n].items() if k in utils.ALARM_KEYS} for n in read_names if n in aws.alarms},
            "missing_scaling_alarms": [n for n in read_names if n not in aws.alarms]}
    return FilterModule().filters()["scaling_policy_changes"], read


@pytest.mark.parametrize("change", ["none", "threshold", "step", "target", "by hand", "kind", "alarm gone", "orphan alarm"])
def test_the_filter_says_what_the_module_would_do(aws, change):
    """scaling_policy_changes, from a read of the group, gives the plan lines the module then makes: [] exactly when
    the module changes nothing (the role skips the module then)."""
    absent_high = dict(HIGH, state="absent")
    wanted = [TARGET, absent_high, dict(LOW, state="absent")]
    run(wanted)
    if change == "threshold":
        wanted = [dict(TARGET, state="absent"), dict(HIGH, alarm=dict(HIGH["alarm"], threshold=80)), LOW]
        run([dict(TARGET, state="absent"), HIGH, LOW])
    elif change == "step":
        aws.policies[f"{GROUP}-cpu-target"]["EstimatedInstanceWarmup"] = 60
    elif change == "target":
        aws.policies[f"{GROUP}-cpu-target"]["TargetTrackingConfiguration"]["TargetValue"] = 50.0
    elif change == "by hand":
        aws.policies["by-hand"] = {"PolicyName": "by-hand", "PolicyType": "SimpleScaling", "AdjustmentType": "ChangeInCapacity", "ScalingAdjustment": 1}
    elif change == "kind":
        wanted = [dict(TARGET, state="absent"), HIGH, LOW]
    elif change == "alarm gone":
        run([dict(TARGET, state="absent"), HIGH, LOW])
        wanted = [dict(TARGET, state="absent"), HIGH, LOW]
        del aws.alarms[f"{GROUP}-cpu-low"]
    elif change == "orphan alarm":
        # An alarm named as a policy the role removes, left without its policy (a run cut short).
        aws.alarms[f"{GROUP}-cpu-high"] = dict(utils.alarm_request(GROUP, HIGH, "arn:gone"), StateValue="OK")
    changes, read = _read_first(aws, [p["name"] for p in wanted])
    expected = changes(read, GROUP, copy.deepcopy(wanted))
    aws.reset()
    result = run(wanted)
    assert expected == result.result["actions"]
    assert (expected == []) == (aws.mutations() == [])


def test_the_filter_needs_every_alarm_the_module_would_read(aws):
    run([HIGH, LOW])
    changes, read = _read_first(aws, [])
    assert changes(read, GROUP, [HIGH, LOW]) == []
    # An alarm of the policies given that the read did not ask for: the module must run.
    assert changes(read, GROUP, [HIGH, LOW, dict(TARGET, state="absent")]) is None
    # A group not read: the module must run.
    assert changes(read, "other", [HIGH]) is None
    from ansible.errors import AnsibleFilterError
    with pytest.raises(AnsibleFilterError, match="scaling_policy_changes: .*comparison"):
        changes(read, GROUP, [{"name": "x", "policy_type": "StepScaling", "alarm": {"threshold": 1}}])
