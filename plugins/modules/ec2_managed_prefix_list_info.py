#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ec2_managed_prefix_list_info
version_added: 0.1.0
short_description: Gather information about EC2 managed prefix lists
description:
  - Gather information about EC2 managed prefix lists, the AWS-managed ones (such as
    V(com.amazonaws.global.cloudfront.origin-facing)) as well as customer-managed ones.
  - Neither the amazon.aws nor the community.aws collection ships a module that looks up a managed prefix list.
    Without one, a security group rule that admits CloudFront's origin-facing ranges has to
    hard-code a C(pl-) ID, and that ID differs from one region to the next. This module finds the
    ID by name in the region it runs against.
  - O(prefix_list_ids), O(names) and O(filters) are combined; a prefix list must match all of
    them. With none of them, every prefix list visible in the region is returned.
author:
  - Atelier infra developers (@atelier-infra)
options:
  prefix_list_ids:
    description:
      - The IDs of the prefix lists to describe.
      - If one of the IDs does not exist, AWS rejects the whole request and the module returns an
        empty RV(prefix_lists).
    type: list
    elements: str
  names:
    description:
      - The names of the prefix lists to describe, for example
        V(com.amazonaws.global.cloudfront.origin-facing).
      - A shortcut for the V(prefix-list-name) filter; cannot be combined with a
        V(prefix-list-name) key in O(filters).
    type: list
    elements: str
  filters:
    description:
      - A dict of filters to apply. Each dict item consists of a filter key and a filter value.
        See U(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeManagedPrefixLists.html)
        for possible filters (V(owner-id), V(prefix-list-id), V(prefix-list-name)).
    type: dict
    default: {}
  include_entries:
    description:
      - Also read the entries (CIDR blocks) of each prefix list found and return them as
        RV(prefix_lists[].entries).
      - Costs one extra paginated API call per prefix list.
    type: bool
    default: false
  fail_on_missing:
    description:
      - Fail when one of O(names) matches no prefix list in the region, instead of returning
        what was found.
      - Only O(names) are checked.
    type: bool
    default: false
attributes:
  check_mode:
    description: Can run in check mode; the module only reads, so it behaves the same.
    support: full
  diff_mode:
    description: The module changes nothing, so there is no difference to report.
    support: N/A
notes:
  - A security group rule that references a prefix list counts as the list's RV(prefix_lists[].max_entries)
    rules against the security group's rule quota, whatever the number of entries.
  - The IAM permissions needed are C(ec2:DescribeManagedPrefixLists) and, with
    O(include_entries=true), C(ec2:GetManagedPrefixListEntries).
seealso:
  - module: amazon.aws.ec2_security_group
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Look up CloudFront's origin-facing prefix list in the region of the load balancer
  atelier.infra.ec2_managed_prefix_list_info:
    region: eu-west-1
    names:
      - com.amazonaws.global.cloudfront.origin-facing
    fail_on_missing: true
  register: cloudfront_prefix_list

- name: Admit HTTPS from CloudFront only
  amazon.aws.ec2_security_group:
    region: eu-west-1
    name: web-alb
    description: Load balancer behind CloudFront
    vpc_id: vpc-0123456789abcdef0
    rules:
      - proto: tcp
        ports:
          - 443
        ip_prefix:
          - "{{ cloudfront_prefix_list.prefix_lists[0].prefix_list_id }}"
        rule_desc: CloudFront origin-facing

- name: List the CIDR blocks of a prefix list
  atelier.infra.ec2_managed_prefix_list_info:
    prefix_list_ids:
      - pl-0123456789abcdef0
    include_entries: true
  register: prefix_list

- name: List the prefix lists owned by this account
  atelier.infra.ec2_managed_prefix_list_info:
    filters:
      owner-id: "123456789012"
"""

RETURN = r"""
prefix_lists:
  description: The managed prefix lists found, with snake_case keys and their tags as a dictionary.
  returned: always
  type: list
  elements: dict
  contains:
    prefix_list_id:
      description: The ID of the prefix list.
      type: str
      sample: pl-3b927c52
    prefix_list_name:
      description: The name of the prefix list.
      type: str
      sample: com.amazonaws.global.cloudfront.origin-facing
    prefix_list_arn:
      description: The ARN of the prefix list.
      type: str
      sample: arn:aws:ec2:us-east-1:aws:prefix-list/pl-3b927c52
    address_family:
      description: The IP address family of the entries, V(IPv4) or V(IPv6).
      type: str
      sample: IPv4
    max_entries:
      description: The maximum number of entries, which is also the weight of the list in a security group.
      type: int
      sample: 55
    owner_id:
      description: The ID of the account that owns the prefix list, V(AWS) for an AWS-managed list.
      type: str
      sample: AWS
    state:
      description: The state of the prefix list.
      type: str
      sample: create-complete
    state_message:
      description: The reason for the state, when AWS gives one.
      type: str
      returned: when AWS reports it
    version:
      description: The version of the prefix list, incremented each time its entries change.
      type: int
      sample: 42
    tags:
      description: The tags of the prefix list.
      type: dict
      sample: {"Name": "office-ranges"}
    entries:
      description: The entries of the prefix list.
      type: list
      elements: dict
      returned: when O(include_entries=true)
      contains:
        cidr:
          description: The CIDR block.
          type: str
          sample: 130.176.0.0/18
        description:
          description: The description of the entry, V(null) when it has none.
          type: str
          sample: office
"""

from typing import Any
from typing import Dict
from typing import List

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.transformation import ansible_dict_to_boto3_filter_list

from ansible_collections.atelier.infra.plugins.module_utils.ec2_prefix_lists import describe_managed_prefix_lists
from ansible_collections.atelier.infra.plugins.module_utils.ec2_prefix_lists import get_managed_prefix_list_entries
from ansible_collections.atelier.infra.plugins.module_utils.ec2_prefix_lists import normalize_managed_prefix_list

NAME_FILTER = "prefix-list-name"


def build_params(module: AnsibleAWSModule) -> Dict[str, Any]:
    params = {}
    if module.params["prefix_list_ids"]:
        params["PrefixListIds"] = module.params["prefix_list_ids"]
    filters = ansible_dict_to_boto3_filter_list(module.params["filters"])
    if module.params["names"]:
        filters.append({"Name": NAME_FILTER, "Values": module.params["names"]})
    if filters:
        params["Filters"] = filters
    return params


def find_prefix_lists(module: AnsibleAWSModule, client) -> List[Dict[str, Any]]:
    try:
        prefix_lists = describe_managed_prefix_lists(client, **build_params(module))
        if not module.params["include_entries"]:
            return [normalize_managed_prefix_list(pl) for pl in prefix_lists]
        return [
            normalize_managed_prefix_list(pl, get_managed_prefix_list_entries(client, pl["PrefixListId"]))
            for pl in prefix_lists
        ]
    except AnsibleEC2Error as e:
        module.fail_json_aws_error(e)


def check_missing_names(module: AnsibleAWSModule, prefix_lists: List[Dict[str, Any]]) -> None:
    found = {pl.get("prefix_list_name") for pl in prefix_lists}
    missing = [name for name in module.params["names"] or [] if name not in found]
    if missing:
        module.fail_json(
            msg="; ".join(f"No managed prefix list named {name} in region {module.region}" for name in missing),
            missing_names=missing,
            prefix_lists=prefix_lists,
        )


def main():
    argument_spec = dict(
        prefix_list_ids=dict(type="list", elements="str"),
        names=dict(type="list", elements="str"),
        filters=dict(type="dict", default={}),
        include_entries=dict(type="bool", default=False),
        fail_on_missing=dict(type="bool", default=False),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    if module.params["names"] and NAME_FILTER in module.params["filters"]:
        module.fail_json(msg=f"names and filters.{NAME_FILTER} are mutually exclusive; use one of them.")

    client = module.client("ec2")

    prefix_lists = find_prefix_lists(module, client)

    if module.params["fail_on_missing"]:
        check_missing_names(module, prefix_lists)

    module.exit_json(changed=False, prefix_lists=prefix_lists)


if __name__ == "__main__":
    main()
