#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecs_service
version_added: 0.1.0
short_description: An ECS service converged with one UpdateService carrying only what differs
description:
  - Creates an ECS service (Fargate by default) or compares the one found (one C(DescribeServices) call) with the
    options and sends ONE C(UpdateService) carrying only what differs - no call at all when nothing does. Options not
    given are not compared.
  - With O(autoscaled=true), O(desired_count) applies only when the service is created, so a count Application Auto
    Scaling set is kept (Terraform's C(ignore_changes = [desired_count])).
  - A new capacity provider strategy (or a move from the C(FARGATE) launch type to Fargate capacity providers and
    back) is sent with C(forceNewDeployment), as ECS moves no task otherwise. A move between the C(EC2) and
    C(FARGATE) launch types cannot be made in place - the module fails and says so rather than deleting the service.
  - O(state=absent) scales the service to 0 and deletes it (C(force)); a missing or INACTIVE service is no change.
  - Fills gaps of M(community.aws.ecs_service) (10.x) - it resets C(desiredCount) on every run (fighting Application
    Auto Scaling), does not compare the deployment configuration, the network configuration, the capacity provider
    strategy, the health check grace period nor ECS Exec, and calls C(UpdateService) on every run.
  - Bad input (O(launch_type) with O(capacity_provider_strategy), O(maximum_percent) below 100, a load balancer
    without O(load_balancers[].container_port)) fails before any AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  cluster:
    description: The cluster's name or ARN.
    required: true
    type: str
  name:
    description: The service's name.
    required: true
    type: str
  state:
    description: C(present) or C(absent).
    type: str
    choices: [present, absent]
    default: present
  task_definition:
    description: The task definition to run, C(family:revision) or its ARN. Required with O(state=present).
    type: str
  desired_count:
    description: How many tasks to run. Required with O(state=present).
    type: int
  autoscaled:
    description:
      - Application Auto Scaling owns the count - O(desired_count) applies only when the service is created.
    type: bool
    default: false
  launch_type:
    description: The launch type (C(FARGATE) when neither it nor O(capacity_provider_strategy) is given).
    type: str
    choices: [FARGATE, EC2]
  capacity_provider_strategy:
    description: The capacity providers the tasks run on, instead of O(launch_type).
    type: list
    elements: dict
    suboptions:
      capacity_provider:
        description: The provider.
        type: str
        required: true
      weight:
        description: Relative share of the tasks beyond the bases (0-1000).
        type: int
        default: 0
      base:
        description: Tasks always run on this provider first (on one provider only).
        type: int
        default: 0
  platform_version:
    description: The Fargate platform version (C(LATEST) when omitted at creation; not compared when omitted).
    type: str
  subnets:
    description: The subnets of the tasks (awsvpc); required on Fargate.
    type: list
    elements: str
  security_groups:
    description: The security groups of the tasks.
    type: list
    elements: str
  assign_public_ip:
    description: Whether the tasks get a public IP.
    type: bool
    default: false
  load_balancers:
    description: The target groups the tasks register in; not compared when omitted, V([]) removes them.
    type: list
    elements: dict
    suboptions:
      target_group_arn:
        description: The target group (of type C(ip) on Fargate).
        type: str
        required: true
      container_name:
        description: The container that receives the traffic.
        type: str
        required: true
      container_port:
        description: Its port.
        type: int
        required: true
  health_check_grace_period_seconds:
    description: How long ECS ignores failing load balancer health checks of a new task.
    type: int
  minimum_healthy_percent:
    description: The share of the desired count that stays running during a deployment (ECS's default 100).
    type: int
  maximum_percent:
    description: The share of the desired count that may run during a deployment (100 or more; ECS's default 200).
    type: int
  circuit_breaker:
    description: The deployment circuit breaker; not compared when omitted.
    type: dict
    suboptions:
      enable:
        description: Stop a deployment whose tasks do not reach a steady state.
        type: bool
        default: true
      rollback:
        description: Roll a stopped deployment back to the last completed one.
        type: bool
        default: true
  enable_execute_command:
    description: ECS Exec into the tasks; not compared when omitted (ECS's default false at creation).
    type: bool
  propagate_tags:
    description: Which tags the tasks get; not compared when omitted.
    type: str
    choices: [TASK_DEFINITION, SERVICE, NONE]
  wait:
    description:
      - Wait until the service is steady - its PRIMARY deployment C(COMPLETED) and as many tasks running as desired.
    type: bool
    default: false
  wait_timeout:
    description: How long to wait, in seconds.
    type: int
    default: 600
attributes:
  check_mode:
    description: Says what would change (RV(actions), RV(changes)) and changes nothing.
    support: full
  diff_mode:
    description: Returns the service's settings before and the request after.
    support: full
notes:
  - "IAM permissions: C(ecs:DescribeServices), C(ecs:CreateService), C(ecs:UpdateService), C(ecs:DeleteService),
    C(ecs:TagResource), C(ecs:UntagResource); ECS itself uses its service-linked role
    (C(AWSServiceRoleForECS)) to register the tasks in the target groups."
  - A second run with the same options makes one describe call and no change.
seealso:
  - module: community.aws.ecs_service
  - module: atelier.infra.ecs_task_definition
  - module: atelier.infra.ecs_cluster
  - name: UpdateService API reference
    description: What ECS lets a service change in place.
    link: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The web tier's service behind its target group, scaled by Application Auto Scaling
  atelier.infra.ecs_service:
    cluster: prod-shop
    name: prod-shop-web
    task_definition: "{{ web_task.task_definition.task_definition_arn }}"
    desired_count: 2
    autoscaled: true
    subnets: "{{ private_subnet_ids }}"
    security_groups: ["{{ web_sg_id }}"]
    load_balancers:
      - {target_group_arn: "{{ web_tg_arn }}", container_name: web, container_port: 3000}
    health_check_grace_period_seconds: 60
    circuit_breaker: {enable: true, rollback: true}
    minimum_healthy_percent: 100
    maximum_percent: 200
    propagate_tags: SERVICE
    wait: true
    tags:
      atelier:stack: shop
"""

RETURN = r"""
service:
  description: The service as ECS describes it after the run, snake_case (empty after O(state=absent)).
  returned: always
  type: dict
  contains:
    service_arn:
      description: The service's ARN.
      type: str
      sample: arn:aws:ecs:eu-west-1:123456789012:service/prod-shop/prod-shop-web
    task_definition:
      description: The ARN of the task definition the PRIMARY deployment runs.
      type: str
    desired_count:
      description: The desired count.
      type: int
    tags:
      description: The service's tags.
      type: dict
deployments:
  description: The service's deployments (PRIMARY first), snake_case.
  returned: always
  type: list
  elements: dict
changes:
  description: What differed (C(service) when it did not exist, C(task definition), C(desired count), C(tags), ...).
  returned: always
  type: list
  elements: str
actions:
  description: What the run did, one line per resource (for the plan callback).
  returned: always
  type: list
  elements: str
  sample: ["update ecs service prod-shop/prod-shop-web: task definition"]
"""

import time

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.atelier.infra.plugins.module_utils.ecs import create_service
from ansible_collections.atelier.infra.plugins.module_utils.ecs import delete_service
from ansible_collections.atelier.infra.plugins.module_utils.ecs import describe_service
from ansible_collections.atelier.infra.plugins.module_utils.ecs import service_errors
from ansible_collections.atelier.infra.plugins.module_utils.ecs import service_request
from ansible_collections.atelier.infra.plugins.module_utils.ecs import service_update
from ansible_collections.atelier.infra.plugins.module_utils.ecs import steady
from ansible_collections.atelier.infra.plugins.module_utils.ecs import run
from ansible_collections.atelier.infra.plugins.module_utils.ecs import tag
from ansible_collections.atelier.infra.plugins.module_utils.ecs import tag_changes
from ansible_collections.atelier.infra.plugins.module_utils.ecs import untag
from ansible_collections.atelier.infra.plugins.module_utils.ecs import update_service

POLL_SECONDS = 2


def view(service):
    if not service:
        return {}
    found = camel_dict_to_snake_dict({k: v for k, v in service.items() if k != "tags"})
    found["tags"] = boto3_tag_list_to_ansible_dict(service.get("tags") or [], "key", "value")
    return found


def finish(module, service, **result):
    module.exit_json(service=view(service), deployments=view(service).get("deployments", []), **result)


def wait_steady(module, client, service):
    cluster, name = module.params["cluster"], module.params["name"]
    deadline = time.time() + module.params["wait_timeout"]
    while not steady(service):
        if time.time() >= deadline:
            module.fail_json(
                msg=f"ECS service {cluster}/{name} not steady after {module.params['wait_timeout']} s",
                service=view(service), deployments=view(service).get("deployments", []),
            )
        time.sleep(POLL_SECONDS)
        service = describe_service(client, cluster, name)
    return service


def ensure_present(module, client):
    cluster, name = module.params["cluster"], module.params["name"]
    label = f"{cluster.rsplit('/', 1)[-1]}/{name}"
    before = describe_service(client, cluster, name)
    if before:
        changes, update, refusals = service_update(before, module.params)
        if refusals:
            module.fail_json(msg="; ".join(refusals), errors=refusals, service=view(before))
        add, drop = tag_changes(before.get("tags"), module.params["tags"], module.params["purge_tags"])
        if add or drop:
            changes.append("tags")
        action = f"update ecs service {label}: " + ", ".join(changes)
    else:
        changes, update, add, drop = ["service"], service_request(module.params), {}, []
        if module.params["tags"]:
            update["tags"] = [{"key": k, "value": v} for k, v in sorted(module.params["tags"].items())]
        action = f"create ecs service {label}"
    result = {"changes": changes, "actions": [action] if changes else []}
    if module._diff and changes:
        result["diff"] = {"before": view(before), "after": camel_dict_to_snake_dict(update or {})}
    if not changes:
        waited = module.params["wait"] and not module.check_mode
        finish(module, wait_steady(module, client, before) if waited else before, changed=False, **result)
    if module.check_mode:
        finish(module, before, changed=True, **result)
    if not before:
        create_service(client, update)
    else:
        if update:
            update_service(client, update)
        if drop:
            untag(client, before["serviceArn"], drop)
        if add:
            tag(client, before["serviceArn"], add)
    after = describe_service(client, cluster, name)
    if module.params["wait"]:
        after = wait_steady(module, client, after)
    finish(module, after, changed=True, **result)


def ensure_absent(module, client):
    cluster, name = module.params["cluster"], module.params["name"]
    label = f"{cluster.rsplit('/', 1)[-1]}/{name}"
    before = describe_service(client, cluster, name)
    if not before:
        finish(module, None, changed=False, changes=[], actions=[])
    result = {"changes": ["service"], "actions": [f"delete ecs service {label}"]}
    if module._diff:
        result["diff"] = {"before": view(before), "after": {}}
    if not module.check_mode:
        if before.get("desiredCount"):
            update_service(client, {"cluster": cluster, "service": name, "desiredCount": 0})
        delete_service(client, cluster, name)
    finish(module, None, changed=True, **result)


def main():
    argument_spec = dict(
        cluster=dict(type="str", required=True),
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        task_definition=dict(type="str"),
        desired_count=dict(type="int"),
        autoscaled=dict(type="bool", default=False),
        launch_type=dict(type="str", choices=["FARGATE", "EC2"]),
        capacity_provider_strategy=dict(
            type="list", elements="dict",
            options=dict(
                capacity_provider=dict(type="str", required=True),
                weight=dict(type="int", default=0),
                base=dict(type="int", default=0),
            ),
        ),
        platform_version=dict(type="str"),
        subnets=dict(type="list", elements="str"),
        security_groups=dict(type="list", elements="str"),
        assign_public_ip=dict(type="bool", default=False),
        load_balancers=dict(
            type="list", elements="dict",
            options=dict(
                target_group_arn=dict(type="str", required=True),
                container_name=dict(type="str", required=True),
                container_port=dict(type="int", required=True),
            ),
        ),
        health_check_grace_period_seconds=dict(type="int"),
        minimum_healthy_percent=dict(type="int"),
        maximum_percent=dict(type="int"),
        circuit_breaker=dict(type="dict", options=dict(enable=dict(type="bool", default=True),
                                                       rollback=dict(type="bool", default=True))),
        enable_execute_command=dict(type="bool"),
        propagate_tags=dict(type="str", choices=["TASK_DEFINITION", "SERVICE", "NONE"]),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    run(module, service_errors(module.params), ensure_present, ensure_absent)


if __name__ == "__main__":
    main()
