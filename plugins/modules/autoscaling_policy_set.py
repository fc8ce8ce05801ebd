#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: autoscaling_policy_set
version_added: 0.1.0
short_description: Converge all the scaling policies of an EC2 Auto Scaling group and the alarms of its step policies
description:
  - Converges the whole set of an EC2 Auto Scaling group's scaling policies (target tracking, step and simple
    scaling) and the CloudWatch metric alarm that drives each step or simple policy, in one module call.
  - Fills the gaps of M(community.aws.autoscaling_policy) and M(amazon.aws.cloudwatch_metric_alarm) (10.x).
    M(community.aws.autoscaling_policy) has no check mode, so a plan cannot run it; it converges one policy per run
    (plus one run per policy to delete, and one M(amazon.aws.cloudwatch_metric_alarm) run per alarm), about a second
    of Ansible overhead each; and it cannot remove the group's policies it is not told about.
  - Reads with one C(DescribePolicies) and one C(DescribeAlarms) (by name) per run. A policy is put when it is missing
    or differs from the one described, both compared with the values AWS fills in (C(DisableScaleIn) false,
    C(MetricAggregationType) Average). An alarm is named as its policy, watches the group's metric (dimension
    C(AutoScalingGroupName)) and has the policy's ARN as its one action; it is put when missing or different.
  - With O(purge_policies=true) the group's policies not in O(policies) are deleted, with the alarms named as them.
  - The options are validated before any AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  group_name:
    description:
      - The name of the Auto Scaling group.
    type: str
    required: true
  policies:
    description:
      - The group's scaling policies. Names are unique.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The name of the policy (and of its alarm).
        type: str
        required: true
      state:
        description: V(absent) deletes the policy and its alarm when they exist.
        type: str
        default: present
        choices: ['present', 'absent']
      policy_type:
        description: The kind of policy.
        type: str
        default: TargetTrackingScaling
        choices: ['TargetTrackingScaling', 'StepScaling', 'SimpleScaling']
      target_tracking_config:
        description: The target of a target tracking policy.
        type: dict
        suboptions:
          target_value:
            description: The value of the metric to keep.
            type: float
          disable_scalein:
            description: Whether the policy never scales in.
            type: bool
            default: false
          predefined_metric_spec:
            description: The metric.
            type: dict
            suboptions:
              predefined_metric_type:
                description: For example C(ASGAverageCPUUtilization).
                type: str
                required: true
              resource_label:
                description: The resource label of C(ALBRequestCountPerTarget).
                type: str
      adjustment_type:
        description: C(ChangeInCapacity), C(ExactCapacity) or C(PercentChangeInCapacity), for step and simple scaling.
        type: str
        choices: ['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity']
      step_adjustments:
        description: The steps of a step scaling policy, bounds relative to the alarm's threshold.
        type: list
        elements: dict
        suboptions:
          lower_bound:
            description: The lower bound of the step (none is minus infinity).
            type: float
          upper_bound:
            description: The upper bound of the step (none is infinity).
            type: float
          scaling_adjustment:
            description: The change of capacity.
            type: int
            required: true
      metric_aggregation:
        description: The aggregation of a step policy's metric.
        type: str
        default: Average
        choices: ['Average', 'Minimum', 'Maximum']
      scaling_adjustment:
        description: The change of capacity of a simple scaling policy.
        type: int
      cooldown:
        description: The cooldown of a simple scaling policy, in seconds (the group's default cooldown when not set).
        type: int
      estimated_instance_warmup:
        description: The seconds a new instance takes to count in the metrics (target tracking and step scaling).
        type: int
      alarm:
        description:
          - The CloudWatch metric alarm that triggers a step or simple policy, named as the policy.
        type: dict
        suboptions:
          description:
            description: The description of the alarm.
            type: str
          namespace:
            description: The metric's namespace.
            type: str
            default: AWS/EC2
          metric_name:
            description: The metric, measured for the group (dimension C(AutoScalingGroupName)).
            type: str
            default: CPUUtilization
          statistic:
            description: The statistic of the metric.
            type: str
            default: Average
            choices: ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']
          comparison:
            description: How the statistic compares with the threshold.
            type: str
            required: true
            choices: ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold']
          threshold:
            description: The threshold.
            type: float
            required: true
          period:
            description: The period of the statistic, in seconds.
            type: int
            default: 300
          evaluation_periods:
            description: The periods over which the statistic is compared.
            type: int
            default: 1
          unit:
            description: The unit of the metric, for example C(Percent).
            type: str
  purge_policies:
    description:
      - Whether to delete the group's policies that are not in O(policies), with the alarms named as them.
    type: bool
    default: true
attributes:
  check_mode:
    description: Can run in check mode, where it only reads and returns what it would do.
    support: full
  diff_mode:
    description: Returns the normalized policies before and after the change when run with C(--diff).
    support: full
seealso:
  - module: community.aws.autoscaling_policy
  - module: amazon.aws.cloudwatch_metric_alarm
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Scale out by one above 70 % CPU, in by one below 30 %
  atelier.infra.autoscaling_policy_set:
    group_name: dev-shop-web
    policies:
      - name: dev-shop-web-cpu-high
        policy_type: StepScaling
        adjustment_type: ChangeInCapacity
        step_adjustments: [{lower_bound: 0, scaling_adjustment: 1}]
        estimated_instance_warmup: 300
        alarm: {comparison: GreaterThanThreshold, threshold: 70, evaluation_periods: 1, unit: Percent}
      - name: dev-shop-web-cpu-low
        policy_type: StepScaling
        adjustment_type: ChangeInCapacity
        step_adjustments: [{upper_bound: 0, scaling_adjustment: -1}]
        estimated_instance_warmup: 300
        alarm: {comparison: LessThanThreshold, threshold: 30, evaluation_periods: 2, unit: Percent}

- name: Keep the group at 60 % CPU (the step policies above and their alarms are deleted)
  atelier.infra.autoscaling_policy_set:
    group_name: dev-shop-web
    policies:
      - name: dev-shop-web-cpu-target
        target_tracking_config:
          target_value: 60
          predefined_metric_spec: {predefined_metric_type: ASGAverageCPUUtilization}
"""

RETURN = r"""
actions:
  description:
    - What the run did, or in check mode would do, one line per change (C(create), C(update) with the settings that
      differ, or C(delete), then C(scaling policy <name>) or C(cloudwatch alarm <name>)). Empty when nothing changes.
  returned: always
  type: list
  elements: str
  sample: ["create scaling policy dev-shop-web-cpu-high", "update cloudwatch alarm dev-shop-web-cpu-low: threshold"]
policies:
  description: The ARN of each policy of the group after the run, by name (not known in check mode for a new one).
  returned: always
  type: dict
  sample: {"dev-shop-web-cpu-high": "arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:1:autoScalingGroupName/dev-shop-web:policyName/x"}
msg:
  description: What the module did, or would have done in check mode.
  returned: always
  type: str
  sample: "Put 2 and deleted 1 scaling policies, put 2 and deleted 0 alarms."
diff:
  description: The normalized policies, before and after.
  returned: when run with C(--diff)
  type: dict
"""

import copy
from typing import Any
from typing import Dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import AnsibleAutoScalingError
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import POLICY_SET_OPTIONS
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import alarm_names
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import alarm_request
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import decide
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import delete_policy
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import describe_alarms_by_name
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import describe_policies
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import option_errors
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import put_request
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import put_scaling_policy
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import AnsibleCloudWatchError
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import delete_alarms
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import put_metric_alarm


def message(plan: Dict[str, Any], check_mode: bool) -> str:
    if not plan["actions"]:
        return "No change."
    done = (f"put {len(plan['put'])} and deleted {len(plan['delete'])} scaling policies, "
            f"put {len(plan['put_alarms'])} and deleted {len(plan['delete_alarms'])} alarms")
    return f"Would have {done} if not in check mode." if check_mode else f"{done[0].upper()}{done[1:]}."


def converge(module: AnsibleAWSModule, autoscaling, cloudwatch) -> None:
    params = module.params
    group = params["group_name"]
    found = describe_policies(autoscaling, group)
    # Alarms are named as the policies; a run with no alarm wanted and no step or simple policy found has none to read.
    names = alarm_names(found, params["policies"])
    alarms = describe_alarms_by_name(cloudwatch, names) if names else []
    plan = decide(params, found, alarms)
    arns = {p["PolicyName"]: p.get("PolicyARN") for p in found if p["PolicyName"] not in plan["delete"]}
    if not module.check_mode:
        for policy in plan["put"]:
            arns[policy["name"]] = put_scaling_policy(autoscaling, put_request(group, policy)).get("PolicyARN")
        # An answer without the ARN (moto 5 names it PolicyArn, which botocore does not parse): one read for them all.
        unknown = [p["name"] for p in plan["put"] if not arns[p["name"]]]
        if unknown:
            arns.update({p["PolicyName"]: p.get("PolicyARN") for p in describe_policies(autoscaling, group, unknown)})
        by_name = {p["name"]: p for p in params["policies"]}
        for name in plan["put_alarms"]:
            put_metric_alarm(cloudwatch, alarm_request(group, by_name[name], arns[name]))
        if plan["delete_alarms"]:
            delete_alarms(cloudwatch, plan["delete_alarms"])
        for name in plan["delete"]:
            delete_policy(autoscaling, group, name)
    result = dict(
        changed=bool(plan["actions"]),
        actions=plan["actions"],
        policies={name: arn for name, arn in sorted(arns.items()) if arn},
        msg=message(plan, module.check_mode),
    )
    if module._diff:
        result["diff"] = dict(before=plan["before"], after=plan["after"])
    module.exit_json(**result)


def main():
    module = AnsibleAWSModule(argument_spec=copy.deepcopy(POLICY_SET_OPTIONS), supports_check_mode=True)
    errors = option_errors(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors), errors=errors)
    autoscaling = module.client("autoscaling")
    cloudwatch = module.client("cloudwatch")
    try:
        converge(module, autoscaling, cloudwatch)
    except (AnsibleAutoScalingError, AnsibleCloudWatchError) as e:
        module.fail_json_aws_error(e)


if __name__ == "__main__":
    main()
