#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: codebuild_project
version_added: 0.2.0
short_description: Manage a CodeBuild project, idempotently
description:
  - Create, update or delete an AWS CodeBuild project and its tags.
  - M(community.aws.codebuild_project) (10.x) calls C(UpdateProject) on every run of an existing project, so a second
    run makes a mutating call even when nothing changed, and it does not support check mode. This module reads the
    project (C(BatchGetProjects)), compares the settings asked for with those AWS holds (keys AWS fills in with its
    defaults are not differences) and calls C(UpdateProject) only when they differ; check mode only reads.
  - The options are validated before any AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description:
      - The name of the project, 2 to 150 letters, digits, hyphens and underscores, starting with a letter or digit.
    required: true
    type: str
  project:
    description:
      - The project's settings in the form of the C(CreateProject) API (camelCase keys), without C(name) and C(tags),
        for example C(source), C(artifacts), C(environment), C(serviceRole), C(timeoutInMinutes), C(logsConfig),
        C(description).
      - C(source), C(artifacts), C(environment) and C(serviceRole) are required with O(state=present).
    type: dict
  tags:
    description:
      - Tags of the project.
    type: dict
    aliases: ['resource_tags']
  purge_tags:
    description:
      - Remove the tags not in O(tags).
    type: bool
    default: true
  state:
    description:
      - Whether the project should exist.
    default: present
    choices: ['present', 'absent']
    type: str
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the settings that differ before and after the change when run with C(--diff).
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: A project that builds from its pipeline
  atelier.infra.codebuild_project:
    name: dev-shop-backend
    project:
      source: {type: CODEPIPELINE, buildspec: "{{ lookup('ansible.builtin.file', 'buildspec.yml') }}"}
      artifacts: {type: CODEPIPELINE}
      environment:
        type: LINUX_CONTAINER
        image: aws/codebuild/amazonlinux2-x86_64-standard:5.0
        computeType: BUILD_GENERAL1_SMALL
        privilegedMode: true
      serviceRole: arn:aws:iam::123456789012:role/dev-shop-backend-build
    tags:
      atelier:env: dev

- name: Remove it
  atelier.infra.codebuild_project:
    name: dev-shop-backend
    state: absent
"""

RETURN = r"""
actions:
  description: The change, or in check mode the change it would make, as one line; empty when nothing changes.
  returned: always
  type: list
  elements: str
  sample: ["update codebuild project dev-shop-backend: environment.image"]
project:
  description: The project as AWS describes it (C(BatchGetProjects)), snake_case keys left as AWS writes them.
  returned: when O(state=present), except in check mode when the project would be created
  type: dict
arn:
  description: The ARN of the project.
  returned: when O(state=present), except in check mode when the project would be created
  type: str
  sample: arn:aws:codebuild:eu-west-1:123456789012:project/dev-shop-backend
"""

import re
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.atelier.infra.plugins.module_utils import delivery

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$")
REQUIRED = ("source", "artifacts", "environment", "serviceRole")


def validation_errors(params: Dict[str, Any]) -> List[str]:
    errors = []
    if not NAME_PATTERN.match(params.get("name") or ""):
        errors.append("name must be 2 to 150 letters, digits, hyphens and underscores, starting with a letter or digit.")
    project = params.get("project") or {}
    if params.get("state") == "present":
        missing = [key for key in REQUIRED if not project.get(key)]
        if missing:
            errors.append(f"project needs {', '.join(missing)} with state=present.")
        for key in ("name", "tags"):
            if key in project:
                errors.append(f"project must not hold {key}: it is the option {key}.")
    return errors


def _tags(project: Optional[Dict[str, Any]]) -> Dict[str, str]:
    return boto3_tag_list_to_ansible_dict(project.get("tags") or [], "key", "value") if project else {}


def _exit(module, changed, line, before, after, project=None):
    result = dict(changed=changed, actions=[line] if changed else [])
    if project:
        result.update(project=project, arn=project.get("arn"))
    if module._diff:
        result["diff"] = dict(before=before, after=after)
    module.exit_json(**result)


def ensure_present(module: AnsibleAWSModule, client, existing: Optional[Dict[str, Any]]) -> None:
    name = module.params["name"]
    asked = dict(module.params["project"])
    tags = module.params["tags"]
    if not existing:
        if module.check_mode:
            _exit(module, True, f"create codebuild project {name}", {}, asked)
        params = dict(asked, name=name)
        if tags:
            params["tags"] = ansible_dict_to_boto3_tag_list(tags, "key", "value")
        try:
            project = delivery.create_project(client, params)
        except delivery.AnsibleDeliveryError as e:
            module.fail_json_aws_error(e)
        _exit(module, True, f"create codebuild project {name}", {}, asked, project)

    paths = delivery.differences(asked, existing)
    held_tags = _tags(existing)
    new_tags = None
    if tags is not None:
        wanted = dict(tags) if module.params["purge_tags"] else dict(held_tags, **tags)
        if wanted != held_tags:
            new_tags = wanted
            paths.append("tags")
    if not paths:
        _exit(module, False, "", {}, {}, existing)
    line = f"update codebuild project {name}: {', '.join(sorted(set(p.split('[')[0] for p in paths)))}"
    before = {key: existing.get(key) for key in asked if key in set(p.split(".")[0].split("[")[0] for p in paths)}
    after = {key: asked[key] for key in before}
    if new_tags is not None:
        before["tags"], after["tags"] = held_tags, new_tags
    if module.check_mode:
        _exit(module, True, line, before, after, existing)
    params = dict(asked, name=name)
    if new_tags is not None:
        params["tags"] = ansible_dict_to_boto3_tag_list(new_tags, "key", "value")
    try:
        project = delivery.update_project(client, params)
    except delivery.AnsibleDeliveryError as e:
        module.fail_json_aws_error(e)
    _exit(module, True, line, before, after, project)


def ensure_absent(module: AnsibleAWSModule, client, existing: Optional[Dict[str, Any]]) -> None:
    name = module.params["name"]
    if not existing:
        _exit(module, False, "", {}, {})
    if not module.check_mode:
        try:
            delivery.delete_project(client, name)
        except delivery.AnsibleDeliveryError as e:
            module.fail_json_aws_error(e)
    _exit(module, True, f"delete codebuild project {name}", {"name": name}, {})


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        project=dict(type="dict"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    errors = validation_errors(module.params)
    if errors:
        module.fail_json(msg=" ".join(errors), errors=errors)

    client = module.client("codebuild")
    try:
        existing = delivery.get_project(client, module.params["name"])
    except delivery.AnsibleDeliveryError as e:
        module.fail_json_aws_error(e)

    if module.params["state"] == "present":
        ensure_present(module, client, existing)
    else:
        ensure_absent(module, client, existing)


if __name__ == "__main__":
    main()
