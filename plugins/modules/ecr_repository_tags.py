#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_repository_tags
version_added: 0.1.0
short_description: Manage the tags of an ECR repository
description:
  - Adds, updates and (with O(purge_tags)) removes the tags of an existing Elastic Container Registry repository.
  - M(community.aws.ecs_ecr) creates and configures repositories but has no C(tags) option (community.aws 10.0.0), and
    neither collection has another module that tags an ECR repository; this module fills that gap. Use it after
    M(community.aws.ecs_ecr).
  - Stack isolation. When O(tags) carries the ownership tags C(atelier:env) and C(atelier:stack), the module refuses
    to change a repository whose own ownership tags name another stack or environment, before any change, in check
    mode too. A repository without ownership tags is adopted. Run it with O(ignore_missing=true) before
    M(community.aws.ecs_ecr) to check (and tag) the existing repositories before anything else touches them.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description:
      - The name of the repository.
    required: true
    type: str
  registry_id:
    description:
      - The AWS account id of the registry; the caller's registry when not set.
    type: str
  ignore_missing:
    description:
      - Do not fail when the repository does not exist; return RV(exists=false) and change nothing.
    type: bool
    default: false
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the tags before and after the change when run with C(--diff).
    support: full
notes:
  - The repository must exist, unless O(ignore_missing=true). In check mode a missing repository is reported as changed
    (it is expected to be created by an earlier task that did not run for real), unless O(ignore_missing=true).
  - O(tags) is required in practice; without it the module only returns the current tags.
seealso:
  - module: community.aws.ecs_ecr
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Create the repository
  community.aws.ecs_ecr:
    name: goal-tracker-frontend

- name: Tag it, removing any other tag
  atelier.infra.ecr_repository_tags:
    name: goal-tracker-frontend
    tags:
      Name: goal-tracker-frontend
      atelier:env: dev

- name: Before ecs_ecr changes anything, refuse a repository of another stack and tag ours (if it exists)
  atelier.infra.ecr_repository_tags:
    name: dev-shop/goal-tracker-frontend
    tags:
      Name: dev-shop/goal-tracker-frontend
      atelier:env: dev
      atelier:stack: shop
    ignore_missing: true
  register: owned

- name: Add one tag, keeping the others
  atelier.infra.ecr_repository_tags:
    name: goal-tracker-frontend
    tags:
      owner: web-team
    purge_tags: false
"""

RETURN = r"""
actions:
  description:
    - The change, or in check mode the change it would make, as one line, C(update ecr repository <name>) followed by the word C(tags).
      Empty when the tags are already right, or when the repository is missing and O(ignore_missing=true).
  returned: always
  type: list
  elements: str
  sample: ["update ecr repository prod-atelier/web: tags"]
exists:
  description: Whether the repository exists.
  returned: always
  type: bool
  sample: true
repository_arn:
  description: The ARN of the repository.
  returned: when the repository exists
  type: str
  sample: arn:aws:ecr:us-east-1:123456789012:repository/goal-tracker-frontend
tags:
  description: The tags of the repository after the change (in check mode, as they would be).
  returned: always
  type: dict
  sample: {"Name": "goal-tracker-frontend", "atelier:env": "dev"}
msg:
  description: Why nothing was read, when the repository does not exist (in check mode, or with O(ignore_missing)).
  returned: when the repository does not exist
  type: str
  sample: "Repository goal-tracker-frontend does not exist: its tags would be set once it is created."
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.atelier.infra.plugins.module_utils.ecr import AnsibleECRError
from ansible_collections.atelier.infra.plugins.module_utils.ecr import describe_repository
from ansible_collections.atelier.infra.plugins.module_utils.ecr import list_repository_tags
from ansible_collections.atelier.infra.plugins.module_utils.ecr import tag_repository
from ansible_collections.atelier.infra.plugins.module_utils.ecr import untag_repository
from ansible_collections.atelier.infra.plugins.module_utils.ownership import foreign_owner


def actions(module, changed):
    """The change as one line: the repository's tags updated (or, in check mode, to be set once it is created)."""
    return [f"update ecr repository {module.params['name']}: tags"] if changed else []


def ensure_tags(module, client, repository):
    """Converge the repository's tags; exit with the result."""
    arn = repository["repositoryArn"]
    desired = module.params["tags"]
    current = list_repository_tags(client, arn)
    if desired is None:
        module.exit_json(changed=False, exists=True, repository_arn=arn, tags=current, actions=[])
    refusal = foreign_owner(desired, current, f"Repository {module.params['name']}")
    if refusal:
        module.fail_json(msg=refusal, changed=False, exists=True, repository_arn=arn, tags=current)
    to_set, to_remove = compare_aws_tags(current, desired, purge_tags=module.params["purge_tags"])
    after = {k: v for k, v in current.items() if k not in to_remove}
    after.update(to_set)
    changed = bool(to_set or to_remove)
    if changed and not module.check_mode:
        if to_remove:
            untag_repository(client, arn, to_remove)
        if to_set:
            tag_repository(client, arn, to_set)
    result = dict(changed=changed, exists=True, repository_arn=arn, tags=after, actions=actions(module, changed))
    if module._diff:
        result["diff"] = {"before": {"tags": current}, "after": {"tags": after}}
    module.exit_json(**result)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        registry_id=dict(type="str"),
        ignore_missing=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    client = module.client("ecr")

    try:
        repository = describe_repository(client, module.params["name"], module.params["registry_id"])
        if repository is None:
            msg = f"Repository {module.params['name']} does not exist"
            if module.params["ignore_missing"]:
                module.exit_json(changed=False, exists=False, tags={}, actions=[], msg=msg + ": nothing was changed.")
            if not module.check_mode:
                module.fail_json(msg=msg + ": create it first (community.aws.ecs_ecr).")
            module.exit_json(
                changed=bool(module.params["tags"]),
                actions=actions(module, bool(module.params["tags"])),
                exists=False,
                tags=module.params["tags"] or {},
                msg=msg + ": its tags would be set once it is created.",
            )
        ensure_tags(module, client, repository)
    except AnsibleECRError as e:
        module.fail_json_aws_error(e)


if __name__ == "__main__":
    main()
