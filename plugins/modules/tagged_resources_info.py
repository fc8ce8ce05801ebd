#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: tagged_resources_info
version_added: 0.1.0
short_description: List the resources of a region that carry given tags, across services
description:
  - Lists the resources of the region that carry every tag of O(tags), of the types O(resource_types), with one
    paginated Resource Groups Tagging API C(GetResources) call, whatever service they belong to (load balancers,
    target groups, DynamoDB tables, DB instances, SNS topics, ...).
  - Neither amazon.aws nor community.aws (10.x) has a module that lists resources by tag across services; each
    service's own C(_info) module lists only its resources, often by name, one call per service. This module fills
    that gap, so a role finds what another role made by the stack's tags, not by a copy of its names.
  - The module only reads; it never changes anything.
author:
  - Atelier infra developers (@atelier-infra)
options:
  tags:
    description:
      - The tags every resource must carry, key to value. A list of values matches any of them; V(null) or an empty
        list matches any value of the key.
      - At most 50 keys and 20 values per key (AWS's limits).
    required: true
    type: dict
  resource_types:
    description:
      - The resource types to list, each C(service) or C(service:type) as in the resources' ARNs, for example
        V(elasticloadbalancing:loadbalancer), V(elasticloadbalancing:targetgroup), V(dynamodb:table), V(rds:db) or
        V(sns) (for ARNs without a type, give the service alone).
      - Every type the Resource Groups Tagging API supports when empty.
    type: list
    elements: str
    default: []
  global_resource_types:
    description:
      - Resource types of global services to list as well, which the Resource Groups Tagging API lists in us-east-1
        only, whatever the region of their resources' ARNs (V(cloudfront:distribution)).
      - With O(region) us-east-1 they are listed in the same call as O(resource_types); in another region, in a second
        call to us-east-1 (with the same credentials and endpoint). O(resource_types) must then name types too, as an
        empty O(resource_types) means every type.
    type: list
    elements: str
    default: []
    version_added: 0.2.0
attributes:
  check_mode:
    description: Can run in check mode; the module only reads, so it behaves the same.
    support: full
  diff_mode:
    description: The module changes nothing, so there is no difference to report.
    support: N/A
notes:
  - The IAM permission needed is C(tag:GetResources).
  - The Resource Groups Tagging API does not list every kind of resource; Auto Scaling groups, for example, are not
    in it. See U(https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/supported-services.html).
  - Like the API, the module may list a resource deleted a moment ago for a short while.
seealso:
  - name: GetResources API reference
    description: The Resource Groups Tagging API call this module makes.
    link: https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Find a stack's load balancers, target groups, tables and DB instances in one call
  atelier.infra.tagged_resources_info:
    region: eu-west-1
    tags:
      atelier:env: dev
      atelier:stack: atelier
    resource_types:
      - elasticloadbalancing:loadbalancer
      - elasticloadbalancing:targetgroup
      - dynamodb:table
      - rds:db
  register: found

- name: Name the stack's DynamoDB tables
  ansible.builtin.debug:
    msg: "{{ found.resources | selectattr('resource_type', 'eq', 'dynamodb:table') | map(attribute='name') | list }}"

- name: Find a stack's load balancers and its CloudFront distributions (one call in us-east-1, two elsewhere)
  atelier.infra.tagged_resources_info:
    region: eu-west-1
    tags:
      atelier:env: dev
      atelier:stack: atelier
    resource_types: [elasticloadbalancing:loadbalancer]
    global_resource_types: [cloudfront:distribution]
- name: Find the resources of two environments that have an owner tag, whatever its value
  atelier.infra.tagged_resources_info:
    tags:
      atelier:env: [dev, staging]
      owner:
"""

RETURN = r"""
resources:
  description: The resources found, sorted by ARN; empty when none carries the tags.
  returned: always
  type: list
  elements: dict
  contains:
    arn:
      description: The ARN of the resource.
      type: str
      sample: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/dev-atelier-frontend/50dc6c495c0c9188
    resource_type:
      description: The resource type, C(service:type), as the ARN encodes it (the type a service has only one of for
        ARNs without one, such as C(sns:topic)).
      type: str
      sample: elasticloadbalancing:loadbalancer
    name:
      description: The resource's name (or id) as the ARN encodes it.
      type: str
      sample: dev-atelier-frontend
    tags:
      description: Every tag of the resource.
      type: dict
      sample: {"atelier:env": "dev", "atelier:stack": "atelier", "atelier:tier": "frontend"}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.tagging import AnsibleTaggingError
from ansible_collections.atelier.infra.plugins.module_utils.tagging import list_tagged_resources
from ansible_collections.atelier.infra.plugins.module_utils.tagging import tag_filter_errors

# Where the Resource Groups Tagging API lists the resources of global services (CloudFront).
GLOBAL_REGION = "us-east-1"


def main():
    argument_spec = dict(
        tags=dict(type="dict", required=True),
        resource_types=dict(type="list", elements="str", default=[]),
        global_resource_types=dict(type="list", elements="str", default=[]),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    types, global_types = module.params["resource_types"], module.params["global_resource_types"]
    errors = tag_filter_errors(module.params["tags"], types + global_types)
    if global_types and not types:
        errors.append("global_resource_types needs resource_types: an empty resource_types lists every type")
    if errors:
        module.fail_json(msg="; ".join(errors))

    # One call per region: the global types go with the others in us-east-1, else in a second call there.
    if not global_types or module.region == GLOBAL_REGION:
        calls = [({}, types + global_types)]
    else:
        calls = [({}, types), ({"region": GLOBAL_REGION}, global_types)]

    resources = []
    try:
        for region, listed in calls:
            client = module.client("resourcegroupstaggingapi", **region)
            resources.extend(list_tagged_resources(client, module.params["tags"], listed))
    except AnsibleTaggingError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=False, resources=sorted(resources, key=lambda r: r["arn"]))


if __name__ == "__main__":
    main()
