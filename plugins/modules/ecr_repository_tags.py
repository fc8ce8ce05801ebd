#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_repository_tags
version_added: 0.1.0
short_description: Manage the tags of ECR repositories
description:
  - Adds, updates and (with O(purge_tags)) removes the tags of an existing Elastic Container Registry repository, or of
    several in one run (O(repositories)).
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
      - Exactly one of O(name) and O(repositories) is required.
    type: str
  repositories:
    description:
      - The names of several repositories, converged with the same O(tags) in one module run (one process instead of
        one per repository in a loop).
      - Every repository is read, and every ownership check made, before any tag changes; a missing repository fails
        the run before any change too, unless O(ignore_missing=true) or in check mode.
      - The repositories are described in one C(DescribeRepositories) call (one per 100 names). When one of them does
        not exist ECR refuses that whole call, and the module then describes them one by one.
      - The result lists each repository in RV(repositories); the top-level RV(tags), RV(exists) and
        RV(repository_arn) are those of a single O(name) only.
    type: list
    elements: str
    version_added: 0.2.0
  name_tag:
    description:
      - Also set each repository's C(Name) tag to its name (over a C(Name) in O(tags)).
    type: bool
    default: false
    version_added: 0.2.0
  registry_id:
    description:
      - The AWS account id of the registry; the caller's registry when not set.
    type: str
  ignore_missing:
    description:
      - Do not fail when the repository does not exist; return RV(exists=false) and change nothing.
    type: bool
    default: false
  settings:
    description:
      - Also return each existing repository's settings in RV(settings) (with O(name)) or in its entry of
        RV(repositories). That is its registry, URI, tag mutability, scan on push, encryption, lifecycle policy and
        repository policy, read with C(GetLifecyclePolicy) and C(GetRepositoryPolicy) beside the description the
        module makes anyway.
      - A role can then run M(community.aws.ecs_ecr) only for the repositories whose settings differ.
    type: bool
    default: false
    version_added: 0.2.0
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

- name: Check and tag both repositories of a stack in one run, each named by its Name tag
  atelier.infra.ecr_repository_tags:
    repositories: [dev-shop/web, dev-shop/api]
    name_tag: true
    tags:
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
  returned: with O(name)
  type: bool
  sample: true
repository_arn:
  description: The ARN of the repository.
  returned: when the repository exists
  type: str
  sample: arn:aws:ecr:us-east-1:123456789012:repository/goal-tracker-frontend
tags:
  description: The tags of the repository after the change (in check mode, as they would be).
  returned: with O(name)
  type: dict
  sample: {"Name": "goal-tracker-frontend", "atelier:env": "dev"}
msg:
  description: Why nothing was read, when the repository does not exist (in check mode, or with O(ignore_missing)).
  returned: when the repository of O(name) does not exist
  type: str
  sample: "Repository goal-tracker-frontend does not exist: its tags would be set once it is created."
settings:
  description:
    - With O(settings), the settings of the repository of O(name), when it exists. Each entry of RV(repositories) has
      its own.
  returned: with O(settings), when the repository exists
  type: dict
  contains:
    registry_id:
      description: The account of the registry.
      type: str
    repository_uri:
      description: The repository's URI.
      type: str
    image_tag_mutability:
      description: C(MUTABLE) or C(IMMUTABLE).
      type: str
    scan_on_push:
      description: Whether images are scanned on push.
      type: bool
    encryption_type:
      description: C(AES256) or C(KMS).
      type: str
    kms_key:
      description: The KMS key of C(KMS) encryption, else empty.
      type: str
    lifecycle_policy:
      description: The lifecycle policy as JSON text, empty when none.
      type: str
    policy:
      description: The repository policy as JSON text, empty when none.
      type: str
  sample:
    registry_id: "123456789012"
    repository_uri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/dev-shop/web
    image_tag_mutability: IMMUTABLE
    scan_on_push: true
    encryption_type: AES256
    kms_key: ""
    lifecycle_policy: '{"rules": []}'
    policy: ""
repositories:
  description:
    - With O(repositories), one entry per repository, in their order, each with C(name), C(exists), C(tags) (after the
      change, or as they would be), C(actions), and C(repository_arn) when it exists (and C(settings) with
      O(settings)).
  returned: with O(repositories)
  type: list
  elements: dict
  sample:
    - {"name": "dev-shop/web", "exists": true, "repository_arn": "arn:aws:ecr:us-east-1:123456789012:repository/dev-shop/web",
       "tags": {"Name": "dev-shop/web", "atelier:env": "dev"}, "actions": []}
    - {"name": "dev-shop/api", "exists": false, "tags": {"Name": "dev-shop/api", "atelier:env": "dev"}, "actions": []}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.atelier.infra.plugins.module_utils.ecr import AnsibleECRError
from ansible_collections.atelier.infra.plugins.module_utils.ecr import describe_repositories
from ansible_collections.atelier.infra.plugins.module_utils.ecr import get_lifecycle_policy_text
from ansible_collections.atelier.infra.plugins.module_utils.ecr import get_repository_policy_text
from ansible_collections.atelier.infra.plugins.module_utils.ecr import list_repository_tags
from ansible_collections.atelier.infra.plugins.module_utils.ecr import repository_settings
from ansible_collections.atelier.infra.plugins.module_utils.ecr import tag_repository
from ansible_collections.atelier.infra.plugins.module_utils.ecr import untag_repository
from ansible_collections.atelier.infra.plugins.module_utils.ownership import foreign_owner


def actions(name, changed):
    """The change as one line: the repository's tags updated (or, in check mode, to be set once it is created)."""
    return [f"update ecr repository {name}: tags"] if changed else []


def desired_tags(module, name):
    """The tags asked for one repository: O(tags), with its Name when O(name_tag)."""
    tags = module.params["tags"]
    if module.params["name_tag"]:
        tags = dict(tags or {}, Name=name)
    return tags


def read(module, client, names):
    """Each repository of names by its name (None when it does not exist), described in one DescribeRepositories call
    (per 100 names; one call per name when one of them is missing)."""
    if not names:
        return {}
    return describe_repositories(client, names, module.params["registry_id"])


def plan(module, client, name, repository):
    """Decide one repository's tags from its description (None: it does not exist), reading its tags (and settings),
    changing nothing. Returns (entry, change, refusal): the entry as the result reports it (its actions are empty when
    nothing changes), the (arn, to_set, to_remove) to apply (None when there is nothing to apply), and a refusal
    message."""
    desired = desired_tags(module, name)
    if repository is None:
        changed = module.check_mode and not module.params["ignore_missing"] and bool(desired)
        entry = dict(name=name, exists=False, tags=(desired or {}) if module.check_mode else {}, actions=actions(name, changed))
        return entry, None, None
    arn = repository["repositoryArn"]
    current = list_repository_tags(client, arn)
    entry = dict(name=name, exists=True, repository_arn=arn, tags=current, actions=[], before=current)
    if module.params["settings"]:
        registry = module.params["registry_id"]
        entry["settings"] = repository_settings(
            repository, get_lifecycle_policy_text(client, name, registry), get_repository_policy_text(client, name, registry)
        )
    if desired is None:
        return entry, None, None
    refusal = foreign_owner(desired, current, f"Repository {name}")
    if refusal:
        return entry, None, refusal
    to_set, to_remove = compare_aws_tags(current, desired, purge_tags=module.params["purge_tags"])
    after = {k: v for k, v in current.items() if k not in to_remove}
    after.update(to_set)
    changed = bool(to_set or to_remove)
    entry.update(tags=after, actions=actions(name, changed))
    return entry, (arn, to_set, to_remove) if changed else None, None


def apply(module, client, change):
    """Make one repository's planned tag change (not in check mode)."""
    if not change or module.check_mode:
        return
    arn, to_set, to_remove = change
    if to_remove:
        untag_repository(client, arn, to_remove)
    if to_set:
        tag_repository(client, arn, to_set)


def ensure_one(module, client):
    """O(name): converge one repository's tags; exit with the result."""
    name = module.params["name"]
    entry, change, refusal = plan(module, client, name, read(module, client, [name])[name])
    before = entry.pop("before", None)
    if not entry["exists"]:
        msg = f"Repository {name} does not exist"
        if module.params["ignore_missing"]:
            module.exit_json(changed=False, exists=False, tags={}, actions=[], msg=msg + ": nothing was changed.")
        if not module.check_mode:
            module.fail_json(msg=msg + ": create it first (community.aws.ecs_ecr).")
        module.exit_json(changed=bool(entry["actions"]), actions=entry["actions"], exists=False, tags=entry["tags"],
                         msg=msg + ": its tags would be set once it is created.")
    if refusal:
        module.fail_json(msg=refusal, changed=False, exists=True, repository_arn=entry["repository_arn"], tags=before)
    apply(module, client, change)
    result = dict(changed=bool(entry["actions"]), **entry)
    result.pop("name")
    if module._diff and module.params["tags"] is not None:
        result["diff"] = {"before": {"tags": before}, "after": {"tags": entry["tags"]}}
    module.exit_json(**result)


def ensure_many(module, client):
    """O(repositories): read and check every repository, then change their tags; exit with the result."""
    described = read(module, client, module.params["repositories"])
    planned = [plan(module, client, name, described[name]) for name in module.params["repositories"]]
    refusals = [refusal for _entry, _change, refusal in planned if refusal]
    missing = [entry["name"] for entry, _change, _refusal in planned if not entry["exists"]]
    if refusals:
        module.fail_json(msg=" ".join(refusals), changed=False)
    if missing and not module.params["ignore_missing"] and not module.check_mode:
        module.fail_json(
            msg=f"Repositories {', '.join(missing)} do not exist: create them first (community.aws.ecs_ecr). Nothing was changed.",
            changed=False,
        )
    for _entry, change, _refusal in planned:
        apply(module, client, change)
    entries = [entry for entry, _change, _refusal in planned]
    before = {entry["name"]: {"tags": entry.pop("before", {})} for entry in entries}
    result = dict(
        changed=any(entry["actions"] for entry in entries),
        repositories=entries,
        actions=[line for entry in entries for line in entry["actions"]],
    )
    if module._diff and module.params["tags"] is not None:
        result["diff"] = {"before": before, "after": {entry["name"]: {"tags": entry["tags"]} for entry in entries}}
    module.exit_json(**result)


def main():
    argument_spec = dict(
        name=dict(type="str"),
        repositories=dict(type="list", elements="str"),
        name_tag=dict(type="bool", default=False),
        registry_id=dict(type="str"),
        ignore_missing=dict(type="bool", default=False),
        settings=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )

    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[("name", "repositories")],
        required_one_of=[("name", "repositories")],
    )

    client = module.client("ecr")

    try:
        if module.params["repositories"] is not None:
            ensure_many(module, client)
        ensure_one(module, client)
    except AnsibleECRError as e:
        module.fail_json_aws_error(e)


if __name__ == "__main__":
    main()
