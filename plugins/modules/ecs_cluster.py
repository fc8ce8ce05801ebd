#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecs_cluster
version_added: 0.1.0
short_description: An ECS cluster with Container Insights, Fargate capacity providers and a default strategy
description:
  - Creates or converges an ECS cluster - its Container Insights setting, its capacity providers (C(FARGATE),
    C(FARGATE_SPOT)) and their default strategy, and its tags - with one C(DescribeClusters) call on a run that
    changes nothing; deletes it with O(state=absent).
  - Fills a gap of M(community.aws.ecs_cluster) (10.x) - it cannot set cluster settings (Container Insights), and it
    does not converge tags.
  - Bad input (a strategy naming a provider the cluster does not have, more than one base, no weight) fails before
    any AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description: The cluster's name (1-255 letters, digits, hyphens and underscores).
    required: true
    type: str
  container_insights:
    description: The C(containerInsights) setting; C(enhanced) adds task- and container-level metrics.
    type: str
    choices: [enabled, enhanced, disabled]
    default: enabled
  capacity_providers:
    description: The capacity providers the cluster's services may use.
    type: list
    elements: str
    choices: [FARGATE, FARGATE_SPOT]
    default: [FARGATE, FARGATE_SPOT]
  default_capacity_provider_strategy:
    description: How a service without its own strategy spreads its tasks over the providers.
    type: list
    elements: dict
    default: [{capacity_provider: FARGATE, weight: 1, base: 0}]
    suboptions:
      capacity_provider:
        description: The provider.
        type: str
        required: true
        choices: [FARGATE, FARGATE_SPOT]
      weight:
        description: Relative share of the tasks beyond the bases (0-1000).
        type: int
        default: 0
      base:
        description: Tasks always run on this provider first (0-100000; on one provider only).
        type: int
        default: 0
  state:
    description: C(present) or C(absent). ECS refuses to delete a cluster that still has services.
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    description: Says what would change and changes nothing.
    support: full
  diff_mode:
    description: Returns the settings before and after.
    support: full
notes:
  - "IAM permissions: C(ecs:DescribeClusters), C(ecs:CreateCluster), C(ecs:UpdateClusterSettings),
    C(ecs:PutClusterCapacityProviders), C(ecs:TagResource), C(ecs:UntagResource), C(ecs:DeleteCluster)."
seealso:
  - module: community.aws.ecs_cluster
  - module: atelier.infra.ecs_task_definition
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The stack's cluster, Fargate Spot for all but two tasks of each service
  atelier.infra.ecs_cluster:
    name: prod-shop
    container_insights: enabled
    default_capacity_provider_strategy:
      - {capacity_provider: FARGATE, base: 2, weight: 1}
      - {capacity_provider: FARGATE_SPOT, weight: 3}
    tags:
      atelier:stack: shop
"""

RETURN = r"""
cluster:
  description: The cluster as ECS describes it after the run, snake_case (empty after O(state=absent)).
  returned: always
  type: dict
  contains:
    cluster_arn:
      description: The cluster's ARN.
      type: str
      sample: arn:aws:ecs:eu-west-1:123456789012:cluster/prod-shop
    cluster_name:
      description: The cluster's name.
      type: str
changes:
  description: What differed (C(cluster) when it did not exist, C(container insights), C(capacity providers), C(tags)).
  returned: always
  type: list
  elements: str
actions:
  description: What the run did, one line per resource (for the plan callback).
  returned: always
  type: list
  elements: str
  sample: ["update ecs cluster prod-shop: container insights"]
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.ecs import cluster_changes
from ansible_collections.atelier.infra.plugins.module_utils.ecs import cluster_errors
from ansible_collections.atelier.infra.plugins.module_utils.ecs import create_cluster
from ansible_collections.atelier.infra.plugins.module_utils.ecs import delete_cluster
from ansible_collections.atelier.infra.plugins.module_utils.ecs import describe_cluster
from ansible_collections.atelier.infra.plugins.module_utils.ecs import put_capacity_providers
from ansible_collections.atelier.infra.plugins.module_utils.ecs import strategy_request
from ansible_collections.atelier.infra.plugins.module_utils.ecs import tag_changes
from ansible_collections.atelier.infra.plugins.module_utils.ecs import run
from ansible_collections.atelier.infra.plugins.module_utils.ecs import tag
from ansible_collections.atelier.infra.plugins.module_utils.ecs import untag
from ansible_collections.atelier.infra.plugins.module_utils.ecs import update_cluster_settings


def view(cluster):
    return camel_dict_to_snake_dict(cluster or {}, ignore_list=["tags"])


def ensure_present(module, client):
    name = module.params["name"]
    insights = module.params["container_insights"]
    providers = module.params["capacity_providers"]
    strategy = module.params["default_capacity_provider_strategy"]
    before = describe_cluster(client, name)
    changes = cluster_changes(before, insights, providers, strategy)
    add, drop = tag_changes(before.get("tags"), module.params["tags"], module.params["purge_tags"]) if before else ({}, [])
    if add or drop:
        changes.append("tags")
    result = {"changes": changes, "actions": []}
    if not changes:
        module.exit_json(changed=False, cluster=view(before), **result)
    result["actions"] = [f"create ecs cluster {name}" if not before else f"update ecs cluster {name}: " + ", ".join(changes)]
    if module._diff:
        after = {"container_insights": insights, "capacity_providers": providers, "default_capacity_provider_strategy": strategy}
        result["diff"] = {"before": view(before), "after": after}
    if module.check_mode:
        module.exit_json(changed=True, cluster=view(before), **result)
    settings = [{"name": "containerInsights", "value": insights}]
    if not before:
        params = {"clusterName": name, "settings": settings, "capacityProviders": providers,
                  "defaultCapacityProviderStrategy": strategy_request(strategy)}
        if module.params["tags"]:
            params["tags"] = [{"key": k, "value": v} for k, v in sorted(module.params["tags"].items())]
        create_cluster(client, params)
    else:
        if "container insights" in changes:
            update_cluster_settings(client, name, settings)
        if "capacity providers" in changes:
            put_capacity_providers(client, name, providers, strategy_request(strategy))
        if drop:
            untag(client, before["clusterArn"], drop)
        if add:
            tag(client, before["clusterArn"], add)
    module.exit_json(changed=True, cluster=view(describe_cluster(client, name)), **result)


def ensure_absent(module, client):
    name = module.params["name"]
    before = describe_cluster(client, name)
    if not before:
        module.exit_json(changed=False, cluster={}, changes=[], actions=[])
    if not module.check_mode:
        delete_cluster(client, name)
    module.exit_json(changed=True, cluster={}, changes=["cluster"], actions=[f"delete ecs cluster {name}"])


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        container_insights=dict(type="str", choices=["enabled", "enhanced", "disabled"], default="enabled"),
        capacity_providers=dict(type="list", elements="str", choices=["FARGATE", "FARGATE_SPOT"],
                                default=["FARGATE", "FARGATE_SPOT"]),
        default_capacity_provider_strategy=dict(
            type="list", elements="dict", default=[{"capacity_provider": "FARGATE", "weight": 1, "base": 0}],
            options=dict(
                capacity_provider=dict(type="str", required=True, choices=["FARGATE", "FARGATE_SPOT"]),
                weight=dict(type="int", default=0),
                base=dict(type="int", default=0),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    run(module, cluster_errors(module.params), ensure_present, ensure_absent)


if __name__ == "__main__":
    main()
