# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The Application Auto Scaling calls of atelier.infra.application_autoscaling_target (one boto3 call each, with amazon.aws'
retry decorator and the JSON protocol's throttling codes, and an error handler turning botocore exceptions into
AnsibleApplicationAutoScalingError), and, without AWS, what the module decides:

* ``option_errors``: the mistakes found before any call (capacities, resource id, policies);
* ``normalize_policy``: a policy as Application Auto Scaling describes it, with the values AWS fills in
  (``DisableScaleIn`` false, the namespace's default cooldowns, ``MetricAggregationType`` Average) made explicit and
  lists in a stable order, so that the policy described and the one wanted compare equal when AWS would scale the same;
* ``target_changes``: the scalable target's settings that differ (min/max capacity, suspended state);
* ``decide``: everything a run does, from the target and policies described once: the target to register, update or
  deregister, the policies to put and to delete, and the action lines of the plan.
"""

import re
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

TARGET_TRACKING = "TargetTrackingScaling"
STEP = "StepScaling"
POLICY_TYPES = (TARGET_TRACKING, STEP)
# The cooldowns AWS applies when a policy sets none: 300 s for these namespaces, 0 for the others (DynamoDB, Lambda,
# Comprehend, Keyspaces, Kafka, ElastiCache, WorkSpaces).
# https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html
COOLDOWN_300 = ("appstream", "custom-resource", "ec2", "ecs", "elasticmapreduce", "neptune", "rds", "sagemaker")
SUSPENDED_KEYS = ("DynamicScalingInSuspended", "DynamicScalingOutSuspended", "ScheduledScalingSuspended")
SUSPENDED_OPTIONS = ("dynamic_scaling_in_suspended", "dynamic_scaling_out_suspended", "scheduled_scaling_suspended")
ECS_RESOURCE = re.compile(r"^service/[A-Za-z0-9_-]{1,255}/[A-Za-z0-9_-]{1,255}$")
POLICY_NAME = re.compile(r"^\S{1,256}$")


class AnsibleApplicationAutoScalingError(AnsibleAWSError):
    pass


class ApplicationAutoScalingErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleApplicationAutoScalingError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ObjectNotFoundException")


def _retry():
    return AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)


# ---------------------------------------------------------------- calls


@ApplicationAutoScalingErrorHandler.list_error_handler("describe the scalable target", None)
@_retry()
def describe_scalable_target(client, namespace: str, resource_id: str, dimension: str) -> Optional[Dict[str, Any]]:
    """The scalable target of the resource and dimension, None when there is none."""
    paginator = client.get_paginator("describe_scalable_targets")
    found = paginator.paginate(ServiceNamespace=namespace, ResourceIds=[resource_id], ScalableDimension=dimension).build_full_result()
    targets = [t for t in found.get("ScalableTargets") or [] if t.get("ResourceId") == resource_id]
    return targets[0] if targets else None


@ApplicationAutoScalingErrorHandler.list_error_handler("describe the scaling policies", [])
@_retry()
def describe_scaling_policies(client, namespace: str, resource_id: str, dimension: str) -> List[Dict[str, Any]]:
    """Every scaling policy of the resource and dimension."""
    paginator = client.get_paginator("describe_scaling_policies")
    found = paginator.paginate(ServiceNamespace=namespace, ResourceId=resource_id, ScalableDimension=dimension).build_full_result()
    return [p for p in found.get("ScalingPolicies") or [] if p.get("ResourceId") == resource_id]


@ApplicationAutoScalingErrorHandler.common_error_handler("register the scalable target")
@_retry()
def register_scalable_target(client, params: Dict[str, Any]) -> Dict[str, Any]:
    return client.register_scalable_target(**params)


@ApplicationAutoScalingErrorHandler.deletion_error_handler("deregister the scalable target")
@_retry()
def deregister_scalable_target(client, namespace: str, resource_id: str, dimension: str) -> bool:
    client.deregister_scalable_target(ServiceNamespace=namespace, ResourceId=resource_id, ScalableDimension=dimension)
    return True


@ApplicationAutoScalingErrorHandler.common_error_handler("put the scaling policy")
@_retry()
def put_scaling_policy(client, params: Dict[str, Any]) -> Dict[str, Any]:
    return client.put_scaling_policy(**params)


@ApplicationAutoScalingErrorHandler.deletion_error_handler("delete the scaling policy")
@_retry()
def delete_scaling_policy(client, namespace: str, resource_id: str, dimension: str, name: str) -> bool:
    client.delete_scaling_policy(PolicyName=name, ServiceNamespace=namespace, ResourceId=resource_id, ScalableDimension=dimension)
    return True


# ---------------------------------------------------------------- decisions


def _config_key(policy_type: str) -> str:
    return "TargetTrackingScalingPolicyConfiguration" if policy_type == TARGET_TRACKING else "StepScalingPolicyConfiguration"


def _option_key(policy_type: str) -> str:
    return "target_tracking_scaling_policy_configuration" if policy_type == TARGET_TRACKING else "step_scaling_policy_configuration"


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def duplicate_name_errors(policies: List[Dict[str, Any]], key: str) -> List[str]:
    """The error of policies whose name (under key) is not unique; none when all are (also used by autoscaling.py)."""
    names = [p.get(key) for p in policies]
    duplicates = sorted({str(n) for n in names if names.count(n) > 1})
    return [f"policies: {key} must be unique, got {', '.join(duplicates)} more than once"] if duplicates else []


def _policy_errors(index: int, policy: Dict[str, Any]) -> List[str]:
    where = f"policies[{index}]" + (f" ({policy.get('policy_name')})" if policy.get("policy_name") else "")
    errors = []
    if not POLICY_NAME.match(str(policy.get("policy_name") or "")):
        errors.append(f"{where}: policy_name must be 1-256 characters without spaces, got {policy.get('policy_name')!r}")
    policy_type = policy.get("policy_type") or TARGET_TRACKING
    config = policy.get(_option_key(policy_type))
    other = policy.get(_option_key(STEP if policy_type == TARGET_TRACKING else TARGET_TRACKING))
    if other:
        errors.append(f"{where}: {_option_key(STEP if policy_type == TARGET_TRACKING else TARGET_TRACKING)} does not go with policy_type {policy_type}")
    if not isinstance(config, dict) or not config:
        return errors + [f"{where}: policy_type {policy_type} needs {_option_key(policy_type)}"]
    if policy_type == TARGET_TRACKING:
        if not is_number(config.get("TargetValue")):
            errors.append(f"{where}: TargetValue must be a number, got {config.get('TargetValue')!r}")
        metrics = [key for key in ("PredefinedMetricSpecification", "CustomizedMetricSpecification") if config.get(key)]
        if len(metrics) != 1:
            errors.append(f"{where}: exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification is needed, got {metrics or 'none'}")
        for key in ("ScaleInCooldown", "ScaleOutCooldown"):
            if key in config and (not isinstance(config[key], int) or isinstance(config[key], bool) or config[key] < 0):
                errors.append(f"{where}: {key} must be a number of seconds (0 or more), got {config[key]!r}")
    else:
        if not config.get("AdjustmentType"):
            errors.append(f"{where}: AdjustmentType is required (ChangeInCapacity, ExactCapacity or PercentChangeInCapacity)")
        if not config.get("StepAdjustments"):
            errors.append(f"{where}: StepAdjustments must list at least one step")
    return errors


def option_errors(params: Dict[str, Any]) -> List[str]:
    """What is wrong with the module's options, each naming the option and the mistake."""
    errors = []
    resource_id = params.get("resource_id") or ""
    if params.get("service_namespace") == "ecs" and not ECS_RESOURCE.match(resource_id):
        errors.append(f"resource_id must be service/<cluster>/<service> for the ecs namespace, got {resource_id!r}")
    if not resource_id:
        errors.append("resource_id is required")
    if params.get("state", "present") == "absent":
        return errors
    low, high = params.get("min_capacity"), params.get("max_capacity")
    for option, value in (("min_capacity", low), ("max_capacity", high)):
        if value is None:
            errors.append(f"{option} is required with state present")
        elif value < 0:
            errors.append(f"{option} must be 0 or more, got {value}")
    if low is not None and high is not None and low > high:
        errors.append(f"min_capacity {low} must not be above max_capacity {high}")
    policies = params.get("policies") or []
    errors.extend(duplicate_name_errors(policies, "policy_name"))
    for index, policy in enumerate(policies):
        errors.extend(_policy_errors(index, policy))
    return errors


def default_cooldown(namespace: str) -> int:
    return 300 if namespace in COOLDOWN_300 else 0


def _dimensions(dimensions) -> List[Dict[str, Any]]:
    return sorted((dict(d) for d in dimensions or []), key=lambda d: (str(d.get("Name")), str(d.get("Value"))))


def _target_tracking(config: Dict[str, Any], namespace: str) -> Dict[str, Any]:
    cooldown = default_cooldown(namespace)
    found = {
        "TargetValue": float(config.get("TargetValue") or 0),
        "DisableScaleIn": bool(config.get("DisableScaleIn", False)),
        "ScaleInCooldown": int(config.get("ScaleInCooldown", cooldown)),
        "ScaleOutCooldown": int(config.get("ScaleOutCooldown", cooldown)),
    }
    predefined = config.get("PredefinedMetricSpecification")
    if predefined:
        found["PredefinedMetricSpecification"] = {k: v for k, v in predefined.items() if v not in (None, "")}
    custom = config.get("CustomizedMetricSpecification")
    if custom:
        custom = {k: v for k, v in custom.items() if v not in (None, "", [])}
        if "Dimensions" in custom:
            custom["Dimensions"] = _dimensions(custom["Dimensions"])
        found["CustomizedMetricSpecification"] = custom
    return found


def _bound(value) -> Optional[float]:
    return None if value is None else float(value)


def normalize_steps(steps) -> List[Dict[str, Any]]:
    """StepAdjustments (CamelCase, as described or requested) with float bounds, int adjustments, no empty bound, in
    the order of their lower bounds: two lists that scale the same compare equal (also used by autoscaling.py)."""
    steps = [
        {key: value for key, value in (
            ("MetricIntervalLowerBound", _bound(s.get("MetricIntervalLowerBound"))),
            ("MetricIntervalUpperBound", _bound(s.get("MetricIntervalUpperBound"))),
            ("ScalingAdjustment", int(s.get("ScalingAdjustment") or 0)),
        ) if value is not None}
        for s in steps or []
    ]
    steps.sort(key=lambda s: (s.get("MetricIntervalLowerBound") is not None, s.get("MetricIntervalLowerBound") or 0.0))
    return steps


def changed_settings(old: Dict[str, Any], new: Dict[str, Any]) -> List[str]:
    """The keys of two CamelCase settings dicts whose values differ, in snake_case words (target_value, ...)."""
    return sorted(re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() for name in set(old) | set(new) if old.get(name) != new.get(name))


def _step(config: Dict[str, Any], namespace: str) -> Dict[str, Any]:
    found = {
        "AdjustmentType": config.get("AdjustmentType"),
        "StepAdjustments": normalize_steps(config.get("StepAdjustments")),
        "Cooldown": int(config.get("Cooldown", default_cooldown(namespace))),
        "MetricAggregationType": config.get("MetricAggregationType") or "Average",
    }
    if config.get("MinAdjustmentMagnitude") is not None:
        found["MinAdjustmentMagnitude"] = int(config["MinAdjustmentMagnitude"])
    return found


def normalize_policy(policy: Dict[str, Any], namespace: str) -> Dict[str, Any]:
    """{PolicyType, <its configuration>} of a policy as described (CamelCase) or as an option (policy_name,
    policy_type, *_configuration), with AWS's defaults filled in."""
    policy_type = policy.get("PolicyType") or policy.get("policy_type") or TARGET_TRACKING
    config = policy.get(_config_key(policy_type)) or policy.get(_option_key(policy_type)) or {}
    normal = _target_tracking(config, namespace) if policy_type == TARGET_TRACKING else _step(config, namespace)
    return {"PolicyType": policy_type, _config_key(policy_type): normal}


def suspended_state(option: Optional[Dict[str, Any]]) -> Optional[Dict[str, bool]]:
    """The module's suspended_state (snake_case, all false by default) as the API names it; None when not set."""
    if option is None:
        return None
    return {key: bool(option.get(snake)) for key, snake in zip(SUSPENDED_KEYS, SUSPENDED_OPTIONS)}


def target_changes(target: Optional[Dict[str, Any]], params: Dict[str, Any]) -> List[str]:
    """The options of the scalable target that differ from the one described (every one when there is none)."""
    wanted = suspended_state(params.get("suspended_state"))
    if target is None:
        return ["max_capacity", "min_capacity"] + (["suspended_state"] if wanted else [])
    changes = [option for option, key in (("max_capacity", "MaxCapacity"), ("min_capacity", "MinCapacity"))
               if target.get(key) != params.get(option)]
    described = {key: bool((target.get("SuspendedState") or {}).get(key)) for key in SUSPENDED_KEYS}
    if wanted is not None and described != wanted:
        changes.append("suspended_state")
    return changes


def _attributes(before: Dict[str, Any], after: Dict[str, Any]) -> List[str]:
    """The settings of a normalized policy that differ, in words (target_value, scale_in_cooldown, ...)."""
    if before.get("PolicyType") != after.get("PolicyType"):
        return ["policy_type"]
    key = _config_key(after["PolicyType"])
    return changed_settings(before.get(key) or {}, after.get(key) or {})


def decide(params: Dict[str, Any], target: Optional[Dict[str, Any]], policies: List[Dict[str, Any]]) -> Dict[str, Any]:
    """What a run does from the described target and policies: {register (None, "create" or "update"), target_changes,
    deregister, put (the wanted policies to put, in order), delete (names), actions (lines for the plan), before,
    after (normalized views for --diff)}. With state absent the target is deregistered (AWS deletes its policies with
    it); the policies of a resource without target (none on AWS) are deleted one by one."""
    namespace, resource_id = params["service_namespace"], params["resource_id"]
    described = {p["PolicyName"]: normalize_policy(p, namespace) for p in policies}
    present = params.get("state", "present") == "present"
    wanted = {p["policy_name"]: p for p in params.get("policies") or []} if present else {}
    normal = {name: normalize_policy(p, namespace) for name, p in wanted.items()}
    result = {"register": None, "target_changes": [], "deregister": False, "put": [], "delete": [], "actions": []}
    actions = result["actions"]
    if present:
        changes = target_changes(target, params)
        if changes:
            result["register"] = "update" if target else "create"
            result["target_changes"] = changes
            actions.append(f"create scalable target {resource_id}" if target is None
                           else f"update scalable target {resource_id}: {', '.join(changes)}")
        for name in wanted:
            if name not in described:
                result["put"].append(wanted[name])
                actions.append(f"create scaling policy {name}")
            elif described[name] != normal[name]:
                result["put"].append(wanted[name])
                actions.append(f"update scaling policy {name}: {', '.join(_attributes(described[name], normal[name]))}")
        if params.get("purge_policies", True):
            result["delete"] = sorted(name for name in described if name not in wanted)
    else:
        result["delete"] = sorted(described)
        result["deregister"] = target is not None
    actions.extend(f"delete scaling policy {name}" for name in result["delete"])
    if result["deregister"]:
        actions.append(f"delete scalable target {resource_id}")
    result["before"] = {"scalable_target": target_view(target), "policies": described}
    after_policies = {name: view for name, view in described.items() if name not in result["delete"]}
    after_policies.update(normal)
    after_target = None
    if present:
        after_target = dict(target_view(target) or {}, service_namespace=namespace, resource_id=resource_id,
                            scalable_dimension=params["scalable_dimension"], min_capacity=params["min_capacity"],
                            max_capacity=params["max_capacity"])
        wanted_state = suspended_state(params.get("suspended_state"))
        if wanted_state is not None:
            after_target["suspended_state"] = _snake_state(wanted_state)
    result["after"] = {"scalable_target": after_target, "policies": after_policies}
    return result


def _snake_state(state: Dict[str, Any]) -> Dict[str, bool]:
    return {snake: bool(state.get(key)) for key, snake in zip(SUSPENDED_KEYS, SUSPENDED_OPTIONS)}


def target_view(target: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """A described scalable target in snake_case (its settings and ARN), None when there is none."""
    if target is None:
        return None
    view = {
        "service_namespace": target.get("ServiceNamespace"),
        "resource_id": target.get("ResourceId"),
        "scalable_dimension": target.get("ScalableDimension"),
        "min_capacity": target.get("MinCapacity"),
        "max_capacity": target.get("MaxCapacity"),
        "suspended_state": _snake_state(target.get("SuspendedState") or {}),
    }
    if target.get("ScalableTargetARN"):
        view["scalable_target_arn"] = target["ScalableTargetARN"]
    return view


def register_request(params: Dict[str, Any]) -> Dict[str, Any]:
    """The RegisterScalableTarget request of the options."""
    request = {
        "ServiceNamespace": params["service_namespace"],
        "ResourceId": params["resource_id"],
        "ScalableDimension": params["scalable_dimension"],
        "MinCapacity": params["min_capacity"],
        "MaxCapacity": params["max_capacity"],
    }
    state = suspended_state(params.get("suspended_state"))
    if state is not None:
        request["SuspendedState"] = state
    return request


def put_request(params: Dict[str, Any], policy: Dict[str, Any]) -> Dict[str, Any]:
    """The PutScalingPolicy request of one wanted policy (its configuration as given: AWS fills in the defaults)."""
    policy_type = policy.get("policy_type") or TARGET_TRACKING
    return {
        "PolicyName": policy["policy_name"],
        "ServiceNamespace": params["service_namespace"],
        "ResourceId": params["resource_id"],
        "ScalableDimension": params["scalable_dimension"],
        "PolicyType": policy_type,
        _config_key(policy_type): dict(policy[_option_key(policy_type)]),
    }
