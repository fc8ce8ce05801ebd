#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecs_task_definition
version_added: 0.1.0
short_description: Register an ECS task definition revision only when it differs, and keep a bounded history
description:
  - Compares the definition described by the options with the family's latest ACTIVE revision (one
    C(DescribeTaskDefinition) call) and registers a new revision only when ECS would run a different task. The values
    ECS fills in (C(essential), a port mapping's host port and protocol in C(awsvpc) mode, a health check's interval,
    timeout and retries, empty lists, the order of environment variables and secrets) are made explicit on both sides
    before comparing.
  - After registering, the ACTIVE revisions beyond O(keep_revisions) are deregistered, oldest first.
  - Fills gaps of M(community.aws.ecs_taskdefinition) (10.x) - it compares only containers, volumes, the task role and
    the launch type, so a new CPU, memory, execution role or platform is not registered; it describes every revision
    of the family on every run; it registers needless revisions when ECS fills in defaults it compares literally; and
    it never deregisters old revisions.
  - Bad input (a CPU/memory pair Fargate does not run, a host port other than the container port in C(awsvpc) mode,
    a secret not given by ARN, a role that is not a role ARN) fails before any AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  family:
    description: The task definition family (1-255 letters, digits, hyphens and underscores).
    required: true
    type: str
  containers:
    description:
      - The container definitions, as RegisterTaskDefinition's C(containerDefinitions) names their keys (C(name),
        C(image), C(portMappings), C(environment), C(secrets), C(logConfiguration), C(healthCheck),
        C(readonlyRootFilesystem), ...).
      - A secret's C(valueFrom) must be the ARN of a Secrets Manager secret (optionally with a JSON key suffix) or of
        an SSM parameter.
      - Required with O(state=present).
    type: list
    elements: dict
  launch_type:
    description: The launch type the definition must be compatible with.
    type: str
    choices: [FARGATE, EC2]
    default: FARGATE
  network_mode:
    description: The network mode; Fargate runs only C(awsvpc).
    type: str
    choices: [awsvpc, bridge, host, none]
    default: awsvpc
  cpu:
    description:
      - Task CPU units. On Fargate one of 256, 512, 1024, 2048, 4096, 8192, 16384, with a O(memory) Fargate offers for
        it.
    type: str
  memory:
    description: Task memory in MiB.
    type: str
  execution_role_arn:
    description: The role ECS uses to pull the image, write logs and read the secrets.
    type: str
  task_role_arn:
    description: The role the containers' code acts as.
    type: str
  cpu_architecture:
    description: The platform's CPU architecture; omitted means ECS's default (X86_64).
    type: str
    choices: [X86_64, ARM64]
  operating_system_family:
    description: The platform's operating system family (with O(cpu_architecture)); LINUX when omitted.
    type: str
  ephemeral_storage:
    description: Ephemeral storage in GiB (21-200) on Fargate; omitted means Fargate's default (20).
    type: int
  volumes:
    description: The task's volumes, as RegisterTaskDefinition's C(volumes).
    type: list
    elements: dict
  keep_revisions:
    description:
      - How many ACTIVE revisions of the family to keep after registering one (the new one included); older ones are
        deregistered. 0 keeps every revision.
      - A deregistered revision stays describable, and tasks that run it keep running.
    type: int
    default: 5
  state:
    description:
      - C(present) registers a revision when needed; C(absent) deregisters every ACTIVE revision of the family.
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    description: Says whether a revision would be registered and which would be deregistered, and registers nothing.
    support: full
  diff_mode:
    description: Returns the latest revision's settings and the requested ones, normalized.
    support: full
notes:
  - "IAM permissions: C(ecs:DescribeTaskDefinition), C(ecs:RegisterTaskDefinition), C(ecs:ListTaskDefinitions),
    C(ecs:DeregisterTaskDefinition), C(ecs:TagResource), C(ecs:UntagResource), and C(iam:PassRole) on the execution and
    task roles."
  - A second run with the same options makes one describe call and no change.
seealso:
  - module: community.aws.ecs_taskdefinition
  - name: RegisterTaskDefinition API reference
    description: The call this module makes when the definition differs.
    link: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Register the web tier's task definition when it changed
  atelier.infra.ecs_task_definition:
    family: prod-shop-web
    cpu: "512"
    memory: "1024"
    execution_role_arn: arn:aws:iam::123456789012:role/prod-shop-web-execution
    task_role_arn: arn:aws:iam::123456789012:role/prod-shop-web-task
    containers:
      - name: web
        image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/prod-shop/web:1.4.2
        portMappings: [{containerPort: 3000}]
        secrets:
          - name: DATABASE_PASSWORD
            valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod-shop/db-AbCdEf:password::"
        logConfiguration:
          logDriver: awslogs
          options: {awslogs-group: /aws/ecs/prod-shop/web, awslogs-region: eu-west-1, awslogs-stream-prefix: web}
    keep_revisions: 10
    tags:
      atelier:stack: shop
  register: web_task
"""

RETURN = r"""
task_definition:
  description: The latest ACTIVE revision after the run (the one that would be registered in check mode), as ECS describes it, snake_case.
  returned: with state=present
  type: dict
  contains:
    task_definition_arn:
      description: The revision's ARN.
      type: str
      sample: arn:aws:ecs:eu-west-1:123456789012:task-definition/prod-shop-web:7
    revision:
      description: The revision number.
      type: int
      sample: 7
registered:
  description: Whether a new revision was registered (would be, in check mode).
  returned: always
  type: bool
changes:
  description: The settings that differ from the latest revision (every setting when the family had none).
  returned: always
  type: list
  elements: str
  sample: ["container web: image"]
deregistered:
  description: The ARNs of the revisions deregistered (would be, in check mode).
  returned: always
  type: list
  elements: str
actions:
  description: What the run did, one line per resource (for the plan callback).
  returned: always
  type: list
  elements: str
  sample: ["replace task definition prod-shop-web: container web: image"]
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.ecs import deregister
from ansible_collections.atelier.infra.plugins.module_utils.ecs import describe_latest
from ansible_collections.atelier.infra.plugins.module_utils.ecs import differences
from ansible_collections.atelier.infra.plugins.module_utils.ecs import list_active
from ansible_collections.atelier.infra.plugins.module_utils.ecs import normalize
from ansible_collections.atelier.infra.plugins.module_utils.ecs import option_errors
from ansible_collections.atelier.infra.plugins.module_utils.ecs import register
from ansible_collections.atelier.infra.plugins.module_utils.ecs import request
from ansible_collections.atelier.infra.plugins.module_utils.ecs import revisions_to_deregister
from ansible_collections.atelier.infra.plugins.module_utils.ecs import run
from ansible_collections.atelier.infra.plugins.module_utils.ecs import tag
from ansible_collections.atelier.infra.plugins.module_utils.ecs import tag_changes
from ansible_collections.atelier.infra.plugins.module_utils.ecs import untag


def snake(definition):
    return camel_dict_to_snake_dict(definition or {}, ignore_list=["options", "dockerLabels"])


def tag_steps(module, client, existing, arn):
    """Bring the latest revision's tags to the options' (purge_tags), returning the action lines."""
    add, drop = tag_changes(existing.get("tags"), module.params["tags"], module.params["purge_tags"])
    if not add and not drop:
        return []
    if not module.check_mode:
        if drop:
            untag(client, arn, drop)
        if add:
            tag(client, arn, add)
    return [f"update task definition {module.params['family']}: tags"]


def ensure_present(module, client):
    family = module.params["family"]
    wanted = request(module.params)
    existing = describe_latest(client, family)
    current = (existing or {}).get("taskDefinition")
    changes = differences(current, wanted)
    result = {"registered": bool(changes), "changes": changes, "deregistered": [], "actions": []}
    if module._diff:
        result["diff"] = {"before": normalize(current) if current else {}, "after": normalize(wanted)}
    if not changes:
        result["actions"] = tag_steps(module, client, existing, current["taskDefinitionArn"])
        module.exit_json(changed=bool(result["actions"]), task_definition=snake(current), **result)
    verb = "replace" if current else "create"
    result["actions"].append(f"{verb} task definition {family}" + (": " + ", ".join(changes) if current else ""))
    if module.check_mode:
        module.exit_json(changed=True, task_definition=snake(wanted), msg=f"Would have registered a revision of {family}.", **result)
    params = dict(wanted)
    if module.params["tags"]:
        params["tags"] = [{"key": k, "value": v} for k, v in sorted(module.params["tags"].items())]
    created = register(client, params)
    old = revisions_to_deregister(list_active(client, family), module.params["keep_revisions"], created["taskDefinitionArn"])
    for arn in old:
        deregister(client, arn)
        result["actions"].append(f"delete task definition {arn.rsplit('/', 1)[1]}")
    result["deregistered"] = old
    module.exit_json(changed=True, task_definition=snake(created), **result)


def ensure_absent(module, client):
    family = module.params["family"]
    arns = list_active(client, family)
    result = {"registered": False, "changes": [], "deregistered": arns,
              "actions": [f"delete task definition {arn.rsplit('/', 1)[1]}" for arn in arns]}
    if arns and not module.check_mode:
        for arn in arns:
            deregister(client, arn)
    module.exit_json(changed=bool(arns), **result)


def main():
    argument_spec = dict(
        family=dict(type="str", required=True),
        containers=dict(type="list", elements="dict"),
        launch_type=dict(type="str", choices=["FARGATE", "EC2"], default="FARGATE"),
        network_mode=dict(type="str", choices=["awsvpc", "bridge", "host", "none"], default="awsvpc"),
        cpu=dict(type="str"),
        memory=dict(type="str"),
        execution_role_arn=dict(type="str"),
        task_role_arn=dict(type="str"),
        cpu_architecture=dict(type="str", choices=["X86_64", "ARM64"]),
        operating_system_family=dict(type="str"),
        ephemeral_storage=dict(type="int"),
        volumes=dict(type="list", elements="dict"),
        keep_revisions=dict(type="int", default=5),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    errors = option_errors(module.params)
    if module.params["keep_revisions"] < 0:
        errors.append(f"keep_revisions must be 0 (keep all) or more, got {module.params['keep_revisions']}")
    size = module.params["ephemeral_storage"]
    if size is not None and not 21 <= size <= 200:
        errors.append(f"ephemeral_storage must be 21 to 200 GiB, got {size}")
    run(module, errors, ensure_present, ensure_absent)


if __name__ == "__main__":
    main()
