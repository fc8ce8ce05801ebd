#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: codepipeline_pipeline
version_added: 0.2.0
short_description: Manage a CodePipeline pipeline and its tags, idempotently
description:
  - Create, update or delete an AWS CodePipeline pipeline and its tags.
  - M(community.aws.codepipeline) (10.x) calls C(UpdatePipeline) on every run of an existing pipeline (a mutating call,
    and a new pipeline version, even when nothing changed), does not support check mode and has no tags. This module
    reads the pipeline (C(GetPipeline)), compares its role, artifact store and stages with those asked for (keys AWS
    fills in with its defaults are not differences), calls C(UpdatePipeline) only when they differ, and converges the
    tags with C(TagResource) / C(UntagResource); check mode only reads.
  - The options are validated before any AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description:
      - The name of the pipeline, 1 to 100 letters, digits, periods, at signs, underscores and hyphens.
    required: true
    type: str
  pipeline:
    description:
      - The pipeline's structure in the form of the C(CreatePipeline) API (camelCase keys) without C(name), that is
        C(roleArn), C(artifactStore) and C(stages) (at least two), each stage C(name) and C(actions).
      - Required with O(state=present).
    type: dict
  tags:
    description:
      - Tags of the pipeline.
    type: dict
    aliases: ['resource_tags']
  purge_tags:
    description:
      - Remove the tags not in O(tags).
    type: bool
    default: true
  state:
    description:
      - Whether the pipeline should exist.
    default: present
    choices: ['present', 'absent']
    type: str
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the parts of the pipeline that differ before and after the change when run with C(--diff).
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: A pipeline from an S3 source zip to a CodeBuild project
  atelier.infra.codepipeline_pipeline:
    name: dev-shop-frontend
    pipeline:
      roleArn: arn:aws:iam::123456789012:role/dev-shop-frontend-pipeline
      artifactStore: {type: S3, location: dev-shop-pipeline-artifacts}
      stages:
        - name: Source
          actions:
            - name: Source
              actionTypeId: {category: Source, owner: AWS, provider: S3, version: "1"}
              configuration: {S3Bucket: dev-shop-sources, S3ObjectKey: frontend.zip, PollForSourceChanges: "false"}
              outputArtifacts: [{name: SourceOutput}]
        - name: Build
          actions:
            - name: Build
              actionTypeId: {category: Build, owner: AWS, provider: CodeBuild, version: "1"}
              configuration: {ProjectName: dev-shop-frontend}
              inputArtifacts: [{name: SourceOutput}]
    tags:
      atelier:env: dev
"""

RETURN = r"""
actions:
  description: The change, or in check mode the change it would make, as one line; empty when nothing changes.
  returned: always
  type: list
  elements: str
  sample: ["update codepipeline pipeline dev-shop-backend: stages"]
pipeline:
  description: The pipeline's structure as AWS holds it (C(GetPipeline)).
  returned: when O(state=present), except in check mode when the pipeline would be created
  type: dict
arn:
  description: The ARN of the pipeline.
  returned: when O(state=present), except in check mode when the pipeline would be created
  type: str
  sample: arn:aws:codepipeline:eu-west-1:123456789012:dev-shop-backend
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

NAME_PATTERN = re.compile(r"^[A-Za-z0-9.@_-]{1,100}$")
COMPARED = ("roleArn", "artifactStore", "stages")


def validation_errors(params: Dict[str, Any]) -> List[str]:
    errors = []
    if not NAME_PATTERN.match(params.get("name") or ""):
        errors.append("name must be 1 to 100 letters, digits, periods, at signs, underscores and hyphens.")
    pipeline = params.get("pipeline") or {}
    if params.get("state") == "present":
        missing = [key for key in COMPARED if not pipeline.get(key)]
        if missing:
            errors.append(f"pipeline needs {', '.join(missing)} with state=present.")
        stages = pipeline.get("stages")
        if isinstance(stages, list) and stages and len(stages) < 2:
            errors.append("pipeline.stages needs at least two stages (a source stage and another).")
        if "name" in pipeline:
            errors.append("pipeline must not hold name: it is the option name.")
    return errors


def _exit(module, changed, line, before, after, found=None):
    result = dict(changed=changed, actions=[line] if changed else [])
    if found:
        result.update(pipeline=found["pipeline"], arn=found.get("metadata", {}).get("pipelineArn"))
    if module._diff:
        result["diff"] = dict(before=before, after=after)
    module.exit_json(**result)


def _fail(module, error):
    module.fail_json_aws_error(error)


def ensure_present(module: AnsibleAWSModule, client, existing: Optional[Dict[str, Any]]) -> None:
    name = module.params["name"]
    asked = dict(module.params["pipeline"], name=name)
    tags = module.params["tags"]
    if not existing:
        line = f"create codepipeline pipeline {name}"
        if module.check_mode:
            _exit(module, True, line, {}, asked)
        try:
            delivery.create_pipeline(client, asked, ansible_dict_to_boto3_tag_list(tags or {}, "key", "value"))
            found = delivery.get_pipeline(client, name)
        except delivery.AnsibleDeliveryError as e:
            _fail(module, e)
        _exit(module, True, line, {}, asked, found)

    held = existing["pipeline"]
    paths = delivery.differences({key: asked[key] for key in COMPARED}, held)
    parts = sorted(set(p.split(".")[0].split("[")[0] for p in paths))
    arn = existing.get("metadata", {}).get("pipelineArn")
    try:
        held_tags = boto3_tag_list_to_ansible_dict(delivery.list_pipeline_tags(client, arn), "key", "value") if arn else {}
    except delivery.AnsibleDeliveryError as e:
        _fail(module, e)
    add, remove = {}, []
    if tags is not None:
        add = {k: v for k, v in tags.items() if held_tags.get(k) != v}
        remove = sorted(k for k in held_tags if k not in tags) if module.params["purge_tags"] else []
    if add or remove:
        parts.append("tags")
    if not parts:
        _exit(module, False, "", {}, {}, existing)
    before = {key: held.get(key) for key in parts if key != "tags"}
    after = {key: asked[key] for key in before}
    if "tags" in parts:
        before["tags"] = held_tags
        after["tags"] = dict({k: v for k, v in held_tags.items() if k not in remove}, **add)
    line = f"update codepipeline pipeline {name}: {', '.join(parts)}"
    if module.check_mode:
        _exit(module, True, line, before, after, existing)
    try:
        if paths:
            # UpdatePipeline takes the whole structure; AWS's own keys (pipelineType, executionMode, version...) are kept.
            delivery.update_pipeline(client, dict(held, **asked))
        if remove:
            delivery.untag_pipeline(client, arn, remove)
        if add:
            delivery.tag_pipeline(client, arn, ansible_dict_to_boto3_tag_list(add, "key", "value"))
        found = delivery.get_pipeline(client, name)
    except delivery.AnsibleDeliveryError as e:
        _fail(module, e)
    _exit(module, True, line, before, after, found)


def ensure_absent(module: AnsibleAWSModule, client, existing: Optional[Dict[str, Any]]) -> None:
    name = module.params["name"]
    if not existing:
        _exit(module, False, "", {}, {})
    if not module.check_mode:
        try:
            delivery.delete_pipeline(client, name)
        except delivery.AnsibleDeliveryError as e:
            _fail(module, e)
    _exit(module, True, f"delete codepipeline pipeline {name}", {"name": name}, {})


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        pipeline=dict(type="dict"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    errors = validation_errors(module.params)
    if errors:
        module.fail_json(msg=" ".join(errors), errors=errors)

    client = module.client("codepipeline")
    try:
        existing = delivery.get_pipeline(client, module.params["name"])
    except delivery.AnsibleDeliveryError as e:
        _fail(module, e)

    if module.params["state"] == "present":
        ensure_present(module, client, existing)
    else:
        ensure_absent(module, client, existing)


if __name__ == "__main__":
    main()
