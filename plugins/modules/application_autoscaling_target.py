#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: application_autoscaling_target
version_added: 0.1.0
short_description: Converge an Application Auto Scaling scalable target and all its scaling policies in one call
description:
  - Registers, updates or deregisters one Application Auto Scaling scalable target (for example an ECS service's
    desired count) and converges the whole set of its scaling policies (target tracking and step scaling) in one
    module call.
  - Fills the gaps of M(community.aws.application_autoscaling_policy) (community.aws 10.x). That module calls
    C(RegisterScalableTarget) and C(PutScalingPolicy) even in check mode, so a plan cannot run it; it never
    deregisters the scalable target, so removing a service's scaling leaves the target behind; and it converges one
    policy per run (plus one run per policy to delete), about a second of Ansible overhead each.
  - Reads with one C(DescribeScalableTargets) and one C(DescribeScalingPolicies) per run. A policy is put when it is
    missing or differs from the one described, both compared with the values AWS fills in (C(DisableScaleIn) false,
    the namespace's default cooldowns, C(MetricAggregationType) Average). The scalable target is registered when it
    is missing or its capacities (or O(suspended_state)) differ.
  - With O(purge_policies=true) the policies of the target that are not in O(policies) are deleted.
  - V(absent) deregisters the scalable target, which deletes its policies with it (AWS); a target that does not exist
    (or a resource that no longer exists) is no change.
  - The options are validated before any AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  service_namespace:
    description:
      - The namespace of the AWS service that owns the resource, for example C(ecs).
    type: str
    default: ecs
  resource_id:
    description:
      - The resource, for an ECS service C(service/<cluster>/<service>).
    type: str
    required: true
  scalable_dimension:
    description:
      - The scalable dimension of the resource, for an ECS service C(ecs:service:DesiredCount).
    type: str
    default: ecs:service:DesiredCount
  min_capacity:
    description:
      - The capacity the target never scales below. Required with O(state=present).
    type: int
  max_capacity:
    description:
      - The capacity the target never scales above. Required with O(state=present).
    type: int
  suspended_state:
    description:
      - Whether scaling is suspended. Left as it is when not set.
    type: dict
    suboptions:
      dynamic_scaling_in_suspended:
        description: Suspend scaling in by the policies.
        type: bool
        default: false
      dynamic_scaling_out_suspended:
        description: Suspend scaling out by the policies.
        type: bool
        default: false
      scheduled_scaling_suspended:
        description: Suspend the scheduled actions.
        type: bool
        default: false
  policies:
    description:
      - Every scaling policy of the target. Names are unique.
    type: list
    elements: dict
    default: []
    suboptions:
      policy_name:
        description: The name of the policy.
        type: str
        required: true
      policy_type:
        description: The kind of policy.
        type: str
        default: TargetTrackingScaling
        choices: ['TargetTrackingScaling', 'StepScaling']
      target_tracking_scaling_policy_configuration:
        description:
          - The C(TargetTrackingScalingPolicyConfiguration) of the API (CamelCase keys), for
            O(policies[].policy_type=TargetTrackingScaling).
        type: dict
      step_scaling_policy_configuration:
        description:
          - The C(StepScalingPolicyConfiguration) of the API (CamelCase keys), for O(policies[].policy_type=StepScaling).
        type: dict
  purge_policies:
    description:
      - Whether to delete the policies of the target that are not in O(policies).
    type: bool
    default: true
  state:
    description:
      - V(present) registers the target and converges its policies; V(absent) deregisters it with its policies.
    type: str
    default: present
    choices: ['present', 'absent']
attributes:
  check_mode:
    description: Can run in check mode, where it only reads and returns what it would do.
    support: full
  diff_mode:
    description: Returns the target and its policies before and after the change when run with C(--diff).
    support: full
seealso:
  - module: community.aws.application_autoscaling_policy
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Keep 2 to 6 tasks of the service, at 70 % CPU
  atelier.infra.application_autoscaling_target:
    service_namespace: ecs
    resource_id: service/dev-shop/dev-shop-api
    scalable_dimension: ecs:service:DesiredCount
    min_capacity: 2
    max_capacity: 6
    policies:
      - policy_name: dev-shop-api-cpu
        policy_type: TargetTrackingScaling
        target_tracking_scaling_policy_configuration:
          TargetValue: 70
          PredefinedMetricSpecification:
            PredefinedMetricType: ECSServiceAverageCPUUtilization
          ScaleInCooldown: 300
          ScaleOutCooldown: 300

- name: Stop scaling the service (deregisters the target and its policies)
  atelier.infra.application_autoscaling_target:
    resource_id: service/dev-shop/dev-shop-api
    state: absent
"""

RETURN = r"""
actions:
  description:
    - What the run did, or in check mode would do, one line per change (C(create), C(update) with the settings that
      differ, or C(delete), then C(scalable target <resource id>) or C(scaling policy <name>)). Empty when nothing
      changes.
  returned: always
  type: list
  elements: str
  sample: ["create scalable target service/dev-shop/dev-shop-api", "create scaling policy dev-shop-api-cpu"]
scalable_target:
  description: The scalable target after the run; null with O(state=absent).
  returned: always
  type: dict
  contains:
    service_namespace:
      description: The namespace.
      type: str
      sample: ecs
    resource_id:
      description: The resource.
      type: str
      sample: service/dev-shop/dev-shop-api
    scalable_dimension:
      description: The dimension.
      type: str
      sample: ecs:service:DesiredCount
    min_capacity:
      description: The minimum capacity.
      type: int
      sample: 2
    max_capacity:
      description: The maximum capacity.
      type: int
      sample: 6
    suspended_state:
      description: Whether scaling is suspended.
      type: dict
    scalable_target_arn:
      description: The ARN of the target (not known in check mode for a target to create).
      type: str
policies:
  description: The scaling policies of the target after the run, sorted by name, with the values AWS fills in.
  returned: always
  type: list
  elements: dict
  contains:
    policy_name:
      description: The name of the policy.
      type: str
      sample: dev-shop-api-cpu
    policy_type:
      description: The kind of policy.
      type: str
      sample: TargetTrackingScaling
    policy_arn:
      description: The ARN of the policy (not known in check mode for a policy to create).
      type: str
    target_tracking_scaling_policy_configuration:
      description: The target tracking configuration, snake_case.
      type: dict
    step_scaling_policy_configuration:
      description: The step scaling configuration, snake_case.
      type: dict
msg:
  description: What the module did, or would have done in check mode.
  returned: always
  type: str
  sample: "Would have registered the scalable target, put 1 and deleted 0 scaling policies if not in check mode."
diff:
  description: The target and the normalized policies, before and after.
  returned: when run with C(--diff)
  type: dict
"""

from typing import Any
from typing import Dict

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import AnsibleApplicationAutoScalingError
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import decide
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import delete_scaling_policy
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import deregister_scalable_target
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import describe_scalable_target
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import describe_scaling_policies
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import option_errors
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import put_request
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import put_scaling_policy
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import register_request
from ansible_collections.atelier.infra.plugins.module_utils.application_autoscaling import register_scalable_target


def policy_views(after: Dict[str, Dict[str, Any]], arns: Dict[str, str]):
    """The policies after the run, snake_case, sorted by name."""
    views = []
    for name in sorted(after):
        view = dict(policy_name=name, **camel_dict_to_snake_dict(after[name]))
        if arns.get(name):
            view["policy_arn"] = arns[name]
        views.append(view)
    return views


def message(plan: Dict[str, Any], check_mode: bool) -> str:
    if not plan["actions"]:
        return "No change."
    target = {"create": "registered the scalable target, ", "update": "updated the scalable target, "}.get(plan["register"], "")
    if plan["deregister"]:
        target = "deregistered the scalable target, "
    done = f"{target}put {len(plan['put'])} and deleted {len(plan['delete'])} scaling policies"
    return f"Would have {done} if not in check mode." if check_mode else f"{done[0].upper()}{done[1:]}."


def converge(module: AnsibleAWSModule, client) -> None:
    params = module.params
    namespace, resource_id, dimension = params["service_namespace"], params["resource_id"], params["scalable_dimension"]
    target = describe_scalable_target(client, namespace, resource_id, dimension)
    policies = describe_scaling_policies(client, namespace, resource_id, dimension)
    plan = decide(params, target, policies)
    arns = {p["PolicyName"]: p.get("PolicyARN") for p in policies}
    after_target = plan["after"]["scalable_target"]
    if not module.check_mode:
        if plan["register"]:
            answer = register_scalable_target(client, register_request(params))
            if answer.get("ScalableTargetARN"):
                after_target["scalable_target_arn"] = answer["ScalableTargetARN"]
        for policy in plan["put"]:
            arns[policy["policy_name"]] = put_scaling_policy(client, put_request(params, policy)).get("PolicyARN")
        # Deregistering the target deletes its policies (AWS): only a resource without target has some to delete.
        if not plan["deregister"]:
            for name in plan["delete"]:
                delete_scaling_policy(client, namespace, resource_id, dimension, name)
        if plan["deregister"]:
            deregister_scalable_target(client, namespace, resource_id, dimension)
    result = dict(
        changed=bool(plan["actions"]),
        actions=plan["actions"],
        scalable_target=after_target,
        policies=policy_views(plan["after"]["policies"], arns),
        msg=message(plan, module.check_mode),
    )
    if module._diff:
        result["diff"] = dict(before=plan["before"], after=plan["after"])
    module.exit_json(**result)


def main():
    argument_spec = dict(
        service_namespace=dict(type="str", default="ecs"),
        resource_id=dict(type="str", required=True),
        scalable_dimension=dict(type="str", default="ecs:service:DesiredCount"),
        min_capacity=dict(type="int"),
        max_capacity=dict(type="int"),
        suspended_state=dict(
            type="dict",
            options=dict(
                dynamic_scaling_in_suspended=dict(type="bool", default=False),
                dynamic_scaling_out_suspended=dict(type="bool", default=False),
                scheduled_scaling_suspended=dict(type="bool", default=False),
            ),
        ),
        policies=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                policy_name=dict(type="str", required=True),
                policy_type=dict(type="str", default="TargetTrackingScaling", choices=["TargetTrackingScaling", "StepScaling"]),
                target_tracking_scaling_policy_configuration=dict(type="dict"),
                step_scaling_policy_configuration=dict(type="dict"),
            ),
        ),
        purge_policies=dict(type="bool", default=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    errors = option_errors(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors), errors=errors)
    client = module.client("application-autoscaling")
    try:
        converge(module, client)
    except AnsibleApplicationAutoScalingError as e:
        module.fail_json_aws_error(e)


if __name__ == "__main__":
    main()
