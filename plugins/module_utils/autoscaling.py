# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The Auto Scaling calls of atelier.infra.autoscaling_policy_info and atelier.infra.autoscaling_policy_set (one boto3
call each, paginated inside, with amazon.aws' retry decorator plus the JSON-protocol throttling codes, and an error
handler that turns botocore exceptions into AnsibleAutoScalingError / AnsibleCloudWatchError), and, without AWS, what
autoscaling_policy_set decides: ``option_errors``, ``put_request`` / ``alarm_request`` (the requests of a wanted
policy and its alarm), ``normalize_policy`` / ``normalize_alarm`` (described and wanted compared with AWS's defaults
filled in; steps and setting names shared with application_autoscaling.py) and ``decide`` (what a run puts and deletes,
and the plan's action lines).
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import changed_settings
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import duplicate_name_errors
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import is_number
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import normalize_steps
from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import CloudWatchErrorHandler

TARGET_TRACKING = "TargetTrackingScaling"
STEP = "StepScaling"
SIMPLE = "SimpleScaling"
# The settings AWS may fill in (from the group) when a policy does not set them.
AWS_FILLED = ("Cooldown", "EstimatedInstanceWarmup")
# DescribeAlarms takes at most 100 AlarmNames.
ALARM_NAMES_MAX = 100


_ALARM_OPTIONS = dict(
    description=dict(type="str"),
    namespace=dict(type="str", default="AWS/EC2"),
    metric_name=dict(type="str", default="CPUUtilization"),
    statistic=dict(type="str", default="Average", choices=["SampleCount", "Average", "Sum", "Minimum", "Maximum"]),
    comparison=dict(type="str", required=True,
                    choices=["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"]),
    threshold=dict(type="float", required=True),
    period=dict(type="int", default=300),
    evaluation_periods=dict(type="int", default=1),
    unit=dict(type="str"),
)
_POLICY_OPTIONS = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    policy_type=dict(type="str", default="TargetTrackingScaling", choices=["TargetTrackingScaling", "StepScaling", "SimpleScaling"]),
    target_tracking_config=dict(type="dict", options=dict(
        target_value=dict(type="float"),
        disable_scalein=dict(type="bool", default=False),
        predefined_metric_spec=dict(type="dict", options=dict(
            predefined_metric_type=dict(type="str", required=True),
            resource_label=dict(type="str"),
        )),
    )),
    adjustment_type=dict(type="str", choices=["ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"]),
    step_adjustments=dict(type="list", elements="dict", options=dict(
        lower_bound=dict(type="float"),
        upper_bound=dict(type="float"),
        scaling_adjustment=dict(type="int", required=True),
    )),
    metric_aggregation=dict(type="str", default="Average", choices=["Average", "Minimum", "Maximum"]),
    scaling_adjustment=dict(type="int"),
    cooldown=dict(type="int"),
    estimated_instance_warmup=dict(type="int"),
    alarm=dict(type="dict", options=_ALARM_OPTIONS),
)
# The options of atelier.infra.autoscaling_policy_set (its argument_spec), shared with the comparison from a read.
POLICY_SET_OPTIONS = dict(
    group_name=dict(type="str", required=True),
    policies=dict(type="list", elements="dict", default=[], options=_POLICY_OPTIONS),
    purge_policies=dict(type="bool", default=True),
)
# The MetricAlarm keys normalize_alarm compares, with the name: what a read keeps of an alarm.
ALARM_KEYS = ("AlarmName", "AlarmDescription", "Namespace", "MetricName", "Dimensions", "Statistic", "ComparisonOperator",
              "Threshold", "Period", "EvaluationPeriods", "Unit", "ActionsEnabled", "AlarmActions")


class AnsibleAutoScalingError(AnsibleAWSError):
    pass


class AutoScalingErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleAutoScalingError


@AutoScalingErrorHandler.common_error_handler("describe scaling policies")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_policies(client, group_name: str, policy_names: Optional[List[str]] = None) -> List[Dict[str, Any]]:
    """Every ScalingPolicy of the Auto Scaling group (those named, when names are given)."""
    params = {"AutoScalingGroupName": group_name}
    if policy_names:
        params["PolicyNames"] = list(policy_names)
    return client.get_paginator("describe_policies").paginate(**params).build_full_result().get("ScalingPolicies", [])


@AutoScalingErrorHandler.common_error_handler("put the scaling policy")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def put_scaling_policy(client, params: Dict[str, Any]) -> Dict[str, Any]:
    return client.put_scaling_policy(**params)


@AutoScalingErrorHandler.deletion_error_handler("delete the scaling policy")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_policy(client, group_name: str, name: str) -> bool:
    client.delete_policy(AutoScalingGroupName=group_name, PolicyName=name)
    return True


@CloudWatchErrorHandler.list_error_handler("describe the alarms", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_alarms_by_name(client, names: List[str]) -> List[Dict[str, Any]]:
    """The metric alarms of these names (one call per 100 names: DescribeAlarms' limit); none asked, no call."""
    names, alarms = list(names), []
    for start in range(0, len(names), ALARM_NAMES_MAX):
        found = client.get_paginator("describe_alarms").paginate(
            AlarmNames=names[start:start + ALARM_NAMES_MAX], AlarmTypes=["MetricAlarm"]).build_full_result()
        alarms.extend(found.get("MetricAlarms", []))
    return alarms


# ---------------------------------------------------------------- decisions (atelier.infra.autoscaling_policy_set)


def option_errors(params: Dict[str, Any]) -> List[str]:
    """What is wrong with the module's options, each naming the option and the mistake (before any AWS call)."""
    errors = []
    if not params.get("group_name"):
        errors.append("group_name is required")
    policies = params.get("policies") or []
    errors.extend(duplicate_name_errors(policies, "name"))
    for index, policy in enumerate(policies):
        where = f"policies[{index}] ({policy.get('name')})"
        if policy.get("state", "present") == "absent":
            continue
        kind = policy.get("policy_type")
        if kind == TARGET_TRACKING:
            config = policy.get("target_tracking_config") or {}
            if not is_number(config.get("target_value")):
                errors.append(f"{where}: target_tracking_config.target_value must be a number, got {config.get('target_value')!r}")
            if not (config.get("predefined_metric_spec") or {}).get("predefined_metric_type"):
                errors.append(f"{where}: target_tracking_config.predefined_metric_spec.predefined_metric_type is required")
        elif kind == STEP:
            if not policy.get("step_adjustments"):
                errors.append(f"{where}: step_adjustments must list at least one step")
        elif policy.get("scaling_adjustment") is None:
            errors.append(f"{where}: scaling_adjustment is required with policy_type SimpleScaling")
        if kind != TARGET_TRACKING and not policy.get("adjustment_type"):
            errors.append(f"{where}: adjustment_type is required with policy_type {kind}")
        alarm = policy.get("alarm")
        if alarm:
            if kind == TARGET_TRACKING:
                errors.append(f"{where}: alarm does not go with policy_type TargetTrackingScaling (AWS makes its alarms)")
            if not is_number(alarm.get("threshold")):
                errors.append(f"{where}: alarm.threshold must be a number, got {alarm.get('threshold')!r}")
            if not alarm.get("comparison"):
                errors.append(f"{where}: alarm.comparison is required")
            for key in ("evaluation_periods", "period"):
                if not isinstance(alarm.get(key), int) or alarm[key] < 1:
                    errors.append(f"{where}: alarm.{key} must be 1 or more, got {alarm.get(key)!r}")
    return errors


def _step_request(step: Dict[str, Any]) -> Dict[str, Any]:
    request = {"ScalingAdjustment": step["scaling_adjustment"]}
    if step.get("lower_bound") is not None:
        request["MetricIntervalLowerBound"] = float(step["lower_bound"])
    if step.get("upper_bound") is not None:
        request["MetricIntervalUpperBound"] = float(step["upper_bound"])
    return request


def put_request(group_name: str, policy: Dict[str, Any]) -> Dict[str, Any]:
    """The PutScalingPolicy request of one wanted policy (the module's options of policies[])."""
    kind = policy["policy_type"]
    request = {"AutoScalingGroupName": group_name, "PolicyName": policy["name"], "PolicyType": kind}
    if kind == TARGET_TRACKING:
        config = policy["target_tracking_config"]
        spec = config["predefined_metric_spec"]
        metric = {"PredefinedMetricType": spec["predefined_metric_type"]}
        if spec.get("resource_label"):
            metric["ResourceLabel"] = spec["resource_label"]
        request["TargetTrackingConfiguration"] = {"PredefinedMetricSpecification": metric, "TargetValue": float(config["target_value"]),
                                                  "DisableScaleIn": bool(config.get("disable_scalein"))}
    else:
        request["AdjustmentType"] = policy["adjustment_type"]
    if kind == STEP:
        request["StepAdjustments"] = [_step_request(step) for step in policy["step_adjustments"]]
        request["MetricAggregationType"] = policy.get("metric_aggregation") or "Average"
    if kind == SIMPLE:
        request["ScalingAdjustment"] = policy["scaling_adjustment"]
        if policy.get("cooldown") is not None:
            request["Cooldown"] = policy["cooldown"]
    if kind != SIMPLE and policy.get("estimated_instance_warmup") is not None:
        request["EstimatedInstanceWarmup"] = policy["estimated_instance_warmup"]
    return request


def normalize_policy(policy: Dict[str, Any]) -> Dict[str, Any]:
    """The settings of a policy as described or as a put_request, with AWS's defaults (DisableScaleIn false,
    MetricAggregationType Average) explicit and steps in a stable order: equal when AWS would scale the same."""
    kind = policy.get("PolicyType")
    normal = {"PolicyType": kind}
    if kind == TARGET_TRACKING:
        config = policy.get("TargetTrackingConfiguration") or {}
        metric = config.get("PredefinedMetricSpecification") or {}
        normal["TargetValue"] = float(config.get("TargetValue") or 0)
        normal["DisableScaleIn"] = bool(config.get("DisableScaleIn"))
        normal["PredefinedMetricType"] = metric.get("PredefinedMetricType")
        normal["ResourceLabel"] = metric.get("ResourceLabel") or None
    else:
        normal["AdjustmentType"] = policy.get("AdjustmentType")
    if kind == STEP:
        normal["StepAdjustments"] = normalize_steps(policy.get("StepAdjustments"))
        normal["MetricAggregationType"] = policy.get("MetricAggregationType") or "Average"
    if kind == SIMPLE:
        normal["ScalingAdjustment"] = policy.get("ScalingAdjustment")
        normal["Cooldown"] = policy.get("Cooldown")
    if kind != SIMPLE:
        normal["EstimatedInstanceWarmup"] = policy.get("EstimatedInstanceWarmup")
    return normal


def alarm_request(group_name: str, policy: Dict[str, Any], policy_arn: str) -> Dict[str, Any]:
    """The PutMetricAlarm request of a step policy's alarm: named as the policy, on the group's metric, its action
    the policy."""
    alarm = policy["alarm"]
    request = {
        "AlarmName": policy["name"],
        "Namespace": alarm.get("namespace") or "AWS/EC2",
        "MetricName": alarm.get("metric_name") or "CPUUtilization",
        "Dimensions": [{"Name": "AutoScalingGroupName", "Value": group_name}],
        "Statistic": alarm.get("statistic") or "Average",
        "ComparisonOperator": alarm["comparison"],
        "Threshold": float(alarm["threshold"]),
        "Period": alarm.get("period") or 300,
        "EvaluationPeriods": alarm["evaluation_periods"],
        "ActionsEnabled": True,
        "AlarmActions": [policy_arn],
    }
    for key, option in (("AlarmDescription", "description"), ("Unit", "unit")):
        if alarm.get(option):
            request[key] = alarm[option]
    return request


def normalize_alarm(alarm: Dict[str, Any]) -> Dict[str, Any]:
    """The compared settings of an alarm as described or as an alarm_request."""
    return {
        "AlarmDescription": alarm.get("AlarmDescription") or None,
        "Namespace": alarm.get("Namespace"),
        "MetricName": alarm.get("MetricName"),
        "Dimensions": sorted((d.get("Name"), d.get("Value")) for d in alarm.get("Dimensions") or []),
        "Statistic": alarm.get("Statistic"),
        "ComparisonOperator": alarm.get("ComparisonOperator"),
        "Threshold": float(alarm.get("Threshold") or 0),
        "Period": alarm.get("Period"),
        "EvaluationPeriods": alarm.get("EvaluationPeriods"),
        "Unit": alarm.get("Unit") or None,
        "ActionsEnabled": bool(alarm.get("ActionsEnabled", True)),
        "AlarmActions": sorted(alarm.get("AlarmActions") or []),
    }


def decide(params: Dict[str, Any], policies: List[Dict[str, Any]], alarms: List[Dict[str, Any]]) -> Dict[str, Any]:
    """What a run does from the group's policies and the alarms named as policies, described once: {put (wanted
    policies to put), delete (policy names), put_alarms (policy names whose alarm is put), delete_alarms (alarm
    names), actions (lines for the plan), before, after (normalized, for --diff)}. An alarm is named as its policy;
    a new policy's ARN is unknown before it is made, so its alarm is new too."""
    group = params["group_name"]
    described = {p["PolicyName"]: p for p in policies}
    found_alarms = {a["AlarmName"]: a for a in alarms}
    wanted = {p["name"]: p for p in params.get("policies") or [] if p.get("state", "present") == "present"}
    absent = {p["name"] for p in params.get("policies") or [] if p.get("state", "present") == "absent"}
    result = {"put": [], "delete": [], "put_alarms": [], "delete_alarms": [], "actions": []}
    actions = result["actions"]
    before = {name: normalize_policy(p) for name, p in described.items()}
    after = {}
    for name, policy in wanted.items():
        normal = normalize_policy(put_request(group, policy))
        after[name] = normal
        if name not in before:
            result["put"].append(policy)
            actions.append(f"create scaling policy {name}")
            continue
        # A cooldown or warm-up not asked for is AWS's (the group's default): not a difference.
        unset = [key for key in AWS_FILLED if normal.get(key) is None]
        old = {key: value for key, value in before[name].items() if key not in unset}
        new = {key: value for key, value in normal.items() if key not in unset}
        if old != new:
            result["put"].append(policy)
            actions.append(f"update scaling policy {name}: {', '.join(changed_settings(old, new))}")
    purge = params.get("purge_policies", True)
    result["delete"] = sorted(name for name in described if name in absent or (purge and name not in wanted))
    actions.extend(f"delete scaling policy {name}" for name in result["delete"])
    for name, policy in wanted.items():
        if not policy.get("alarm"):
            continue
        arn = (described.get(name) or {}).get("PolicyARN") or ""
        if name not in found_alarms:
            result["put_alarms"].append(name)
            actions.append(f"create cloudwatch alarm {name}")
            continue
        old, new = normalize_alarm(found_alarms[name]), normalize_alarm(alarm_request(group, policy, arn))
        if name not in described or old != new:
            result["put_alarms"].append(name)
            actions.append(f"update cloudwatch alarm {name}: {', '.join(changed_settings(old, new)) or 'alarm_actions'}")
    # The alarm named as a policy removed, or as a policy that no longer has one, goes.
    result["delete_alarms"] = sorted(name for name in found_alarms
                                     if name in result["delete"] or name in absent or (name in wanted and not wanted[name].get("alarm")))
    actions.extend(f"delete cloudwatch alarm {name}" for name in result["delete_alarms"])
    kept = {name: view for name, view in before.items() if name not in result["delete"]}
    result["before"] = before
    result["after"] = dict(kept, **after)
    return result


def alarm_names(policies: List[Dict[str, Any]], wanted: Optional[List[Dict[str, Any]]] = None) -> List[str]:
    """The alarms a run reads (named as the policies wanted and found), sorted; none when no alarm is wanted and every
    policy found is target tracking (those have no alarm of their name)."""
    wanted = wanted or []
    if not any(p.get("alarm") for p in wanted) and all(p.get("PolicyType") == TARGET_TRACKING for p in policies):
        return []
    return sorted({p["name"] for p in wanted} | {p["PolicyName"] for p in policies})


def policy_set_changes(params: Dict[str, Any], policies: List[Dict[str, Any]], alarms: Dict[str, Dict[str, Any]],
                       missing_alarms: List[str]) -> Optional[List[str]]:
    """The plan lines atelier.infra.autoscaling_policy_set would make with the options params (as its tasks give
    them; its defaults are filled in here as the module's argument spec does), from the group's policies as described
    and the alarms read (by name; missing_alarms those read that do not exist); [] when it would change nothing, None
    when an alarm the module would read was not read. Raises ValueError for options the module would refuse."""
    validated = ArgumentSpecValidator(POLICY_SET_OPTIONS).validate(params)
    if validated.error_messages:
        raise ValueError("; ".join(validated.error_messages))
    normal = validated.validated_parameters
    errors = option_errors(normal)
    if errors:
        raise ValueError("; ".join(errors))
    names = alarm_names(policies, normal["policies"])
    if any(name not in alarms and name not in missing_alarms for name in names):
        return None
    return decide(normal, policies, [alarms[name] for name in names if name in alarms])["actions"]
