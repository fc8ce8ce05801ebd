#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: autoscaling_policy_info
version_added: 0.1.0
short_description: List the scaling policies of an Auto Scaling group
description:
  - Lists the scaling policies of one Auto Scaling group (those named in O(names), or all), with one paginated
    C(DescribePolicies) call.
  - Neither amazon.aws nor community.aws (10.x) has a module that reads scaling policies, and
    M(community.aws.autoscaling_policy) has no check mode; with this module a role computes what that module would
    change, so a plan (C(--check)) shows it.
  - The module only reads; it never changes anything.
author:
  - Atelier infra developers (@atelier-infra)
options:
  group_name:
    description: The name of the Auto Scaling group.
    required: true
    type: str
  names:
    description: The names of the policies to list; every policy of the group when empty.
    type: list
    elements: str
    default: []
attributes:
  check_mode:
    description: Can run in check mode; the module only reads, so it behaves the same.
    support: full
  diff_mode:
    description: The module changes nothing, so there is no difference to report.
    support: N/A
notes:
  - The IAM permission needed is C(autoscaling:DescribePolicies).
  - A group that does not exist has no policy; the module then returns an empty list.
seealso:
  - module: community.aws.autoscaling_policy
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Read the scaling policies of a group
  atelier.infra.autoscaling_policy_info:
    group_name: prod-atelier-frontend
  register: found

- name: Name them
  ansible.builtin.debug:
    msg: "{{ found.policies | map(attribute='policy_name') | list }}"
"""

RETURN = r"""
policies:
  description: The group's scaling policies, with snake_case keys, as C(DescribePolicies) returns them.
  returned: always
  type: list
  elements: dict
  contains:
    policy_name:
      description: The name of the policy.
      type: str
      sample: prod-atelier-frontend-cpu-target
    policy_arn:
      description: The ARN of the policy.
      type: str
    policy_type:
      description: C(SimpleScaling), C(StepScaling), C(TargetTrackingScaling) or C(PredictiveScaling).
      type: str
      sample: TargetTrackingScaling
    target_tracking_configuration:
      description: The target tracking configuration of a target tracking policy.
      type: dict
    step_adjustments:
      description: The steps of a step scaling policy.
      type: list
      elements: dict
    estimated_instance_warmup:
      description: The instance warm-up, in seconds.
      type: int
      sample: 300
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import AnsibleAutoScalingError
from ansible_collections.atelier.infra.plugins.module_utils.autoscaling import describe_policies


def main():
    argument_spec = dict(
        group_name=dict(type="str", required=True),
        names=dict(type="list", elements="str", default=[]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("autoscaling")
    try:
        policies = describe_policies(client, module.params["group_name"], module.params["names"])
    except AnsibleAutoScalingError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, policies=[camel_dict_to_snake_dict(policy) for policy in policies])


if __name__ == "__main__":
    main()
