#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ec2_vpc_flow_log_info
version_added: 0.1.0
short_description: Gather information about VPC flow logs
description:
  - Lists VPC flow logs, optionally restricted by ID or by filters.
  - Neither the C(amazon.aws) nor the C(community.aws) collection ships a module that reads
    VPC flow logs; this module fills that gap.
author:
  - Atelier infra developers (@atelier-infra)
options:
  flow_log_ids:
    description:
      - The IDs of the flow logs to describe.
    type: list
    elements: str
    default: []
  filters:
    description:
      - A dict of filters to apply. Each dict item consists of a filter key and a filter value.
        See U(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFlowLogs.html)
        for possible filters, for example C(resource-id), C(traffic-type),
        C(log-destination-type), C(log-group-name) or C(tag:Name).
    type: dict
    default: {}
attributes:
  check_mode:
    description: Can run in check mode; the module never changes anything.
    support: full
  diff_mode:
    description: The module changes nothing, so it has no diff to return.
    support: N/A
seealso:
  - module: atelier.infra.ec2_vpc_flow_log
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: List the flow logs of a VPC
  atelier.infra.ec2_vpc_flow_log_info:
    filters:
      resource-id: vpc-0123456789abcdef0
  register: vpc_flow_logs

- name: Describe one flow log
  atelier.infra.ec2_vpc_flow_log_info:
    flow_log_ids:
      - fl-0a1b2c3d4e5f67890
"""

RETURN = r"""
flow_logs:
  description: The flow logs found, with snake_case keys and their tags as a dictionary.
  returned: always
  type: list
  elements: dict
  contains:
    flow_log_id:
      description: The ID of the flow log.
      type: str
      sample: fl-0a1b2c3d4e5f67890
    resource_id:
      description: The ID of the VPC, subnet or network interface.
      type: str
      sample: vpc-0123456789abcdef0
    traffic_type:
      description: The type of traffic logged.
      type: str
      sample: ALL
    log_destination_type:
      description: The type of destination.
      type: str
      sample: cloud-watch-logs
    log_group_name:
      description: The CloudWatch Logs log group, for a CloudWatch Logs destination.
      type: str
      sample: /vpc/flow-logs/web
    log_destination:
      description: The ARN of the destination.
      type: str
      sample: arn:aws:s3:::my-flow-log-bucket/web/
    deliver_logs_permission_arn:
      description: The ARN of the IAM role that publishes the records.
      type: str
      sample: arn:aws:iam::123456789012:role/vpc-flow-logs
    deliver_logs_status:
      description: The status of the logs delivery, V(SUCCESS) or V(FAILED).
      type: str
      sample: SUCCESS
    flow_log_status:
      description: The status of the flow log.
      type: str
      sample: ACTIVE
    log_format:
      description: The format of the flow log records.
      type: str
      sample: "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${action}"
    max_aggregation_interval:
      description: The aggregation interval, in seconds.
      type: int
      sample: 600
    creation_time:
      description: When the flow log was created (ISO 8601).
      type: str
      sample: "2025-01-31T12:00:00+00:00"
    tags:
      description: The tags of the flow log.
      type: dict
      sample: {"Environment": "production"}
"""

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.transformation import ansible_dict_to_boto3_filter_list

from ansible_collections.atelier.infra.plugins.module_utils.ec2_flow_logs import describe_flow_logs
from ansible_collections.atelier.infra.plugins.module_utils.ec2_flow_logs import normalize_flow_log


def list_flow_logs(module: AnsibleAWSModule, client) -> None:
    params = {}
    if module.params["flow_log_ids"]:
        params["FlowLogIds"] = module.params["flow_log_ids"]
    if module.params["filters"]:
        # DescribeFlowLogs names this parameter ``Filter``, not ``Filters``.
        params["Filter"] = ansible_dict_to_boto3_filter_list(module.params["filters"])
    try:
        flow_logs = describe_flow_logs(client, **params)
    except AnsibleEC2Error as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, flow_logs=[normalize_flow_log(fl) for fl in flow_logs])


def main():
    argument_spec = dict(
        flow_log_ids=dict(type="list", elements="str", default=[]),
        filters=dict(type="dict", default={}),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    client = module.client("ec2")

    list_flow_logs(module, client)


if __name__ == "__main__":
    main()
