#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudfront_policy
version_added: 0.1.0
short_description: Manage a CloudFront custom cache policy or origin request policy
description:
  - Create, update or delete a CloudFront custom cache policy (O(type=cache)) or origin request
    policy (O(type=origin_request)).
  - Neither the C(amazon.aws) nor the C(community.aws) collection (10.x) ships a module for
    cache policies or origin request policies; C(community.aws) only has
    M(community.aws.cloudfront_response_headers_policy). This module fills that gap in the style
    of the amazon.aws modules.
  - The policy is identified by O(type) and O(name) among the custom policies of the account;
    AWS managed policies are never touched.
  - An existing policy is updated in place, its whole configuration replaced by the one the
    options describe. Lists of names are compared regardless of order, header names regardless
    of case.
  - The options are validated before any AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  type:
    description:
      - The kind of policy.
    required: true
    choices: ['cache', 'origin_request']
    type: str
  name:
    description:
      - The name of the policy, unique among the account's custom policies of this O(type).
      - 1 to 128 letters, digits, hyphens and underscores.
    required: true
    type: str
  comment:
    description:
      - A comment describing the policy, at most 128 characters.
    default: ''
    type: str
  default_ttl:
    description:
      - The time, in seconds, objects stay in the CloudFront cache when the origin sends no
        C(Cache-Control) or C(Expires) header.
      - Only with O(type=cache), where it defaults to V(86400) (one day).
      - O(min_ttl) <= O(default_ttl) <= O(max_ttl).
    type: int
  min_ttl:
    description:
      - The minimum time, in seconds, objects stay in the CloudFront cache.
      - Only with O(type=cache), where it defaults to V(1).
    type: int
  max_ttl:
    description:
      - The maximum time, in seconds, objects stay in the CloudFront cache.
      - Only with O(type=cache), where it defaults to V(31536000) (one year).
    type: int
  enable_accept_encoding_gzip:
    description:
      - Whether CloudFront requests and caches objects compressed with gzip.
      - Only with O(type=cache), where it defaults to V(true).
    type: bool
  enable_accept_encoding_brotli:
    description:
      - Whether CloudFront requests and caches objects compressed with Brotli.
      - Only with O(type=cache), where it defaults to V(true).
    type: bool
  headers:
    description:
      - The HTTP headers in the cache key (O(type=cache)) or forwarded to the origin
        (O(type=origin_request)).
      - When not set, no header (behaviour V(none)).
    type: dict
    suboptions:
      behavior:
        description:
          - With O(type=cache), V(none) or V(whitelist).
          - With O(type=origin_request), V(none), V(whitelist), V(allViewer),
            V(allViewerAndWhitelistCloudFront) or V(allExcept).
        default: none
        type: str
      items:
        description:
          - The header names. Required with V(whitelist), V(allExcept) and
            V(allViewerAndWhitelistCloudFront); must be empty with V(none) and V(allViewer).
        default: []
        type: list
        elements: str
  cookies:
    description:
      - The cookies in the cache key (O(type=cache)) or forwarded to the origin
        (O(type=origin_request)).
      - When not set, no cookie (behaviour V(none)).
    type: dict
    suboptions:
      behavior:
        description:
          - V(none), V(whitelist), V(allExcept) or V(all).
        default: none
        type: str
      items:
        description:
          - The cookie names. Required with V(whitelist) and V(allExcept); must be empty with
            V(none) and V(all).
        default: []
        type: list
        elements: str
  query_strings:
    description:
      - The URL query strings in the cache key (O(type=cache)) or forwarded to the origin
        (O(type=origin_request)).
      - When not set, no query string (behaviour V(none)).
    type: dict
    suboptions:
      behavior:
        description:
          - V(none), V(whitelist), V(allExcept) or V(all).
        default: none
        type: str
      items:
        description:
          - The query string names. Required with V(whitelist) and V(allExcept); must be empty
            with V(none) and V(all).
        default: []
        type: list
        elements: str
  state:
    description:
      - Whether the policy should exist.
    default: present
    choices: ['present', 'absent']
    type: str
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the policy's configuration before and after the change when run with C(--diff).
    support: full
notes:
  - CloudFront policies are global; the region options only pick the API endpoint.
  - CloudFront policies have no tags.
  - A policy still attached to a cache behavior of a distribution cannot be deleted; detach it
    first (for example with M(community.aws.cloudfront_distribution)).
seealso:
  - module: community.aws.cloudfront_response_headers_policy
  - module: community.aws.cloudfront_distribution
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Cache on the Accept-Language header and the lang query string, one hour by default
  atelier.infra.cloudfront_policy:
    type: cache
    name: web-assets
    comment: Static assets
    default_ttl: 3600
    min_ttl: 0
    max_ttl: 86400
    headers:
      behavior: whitelist
      items:
        - Accept-Language
    query_strings:
      behavior: whitelist
      items:
        - lang

- name: Forward every viewer header but Host, and every cookie, to the origin
  atelier.infra.cloudfront_policy:
    type: origin_request
    name: api-forward-all
    headers:
      behavior: allExcept
      items:
        - Host
    cookies:
      behavior: all
    query_strings:
      behavior: all

- name: Remove the cache policy
  atelier.infra.cloudfront_policy:
    type: cache
    name: web-assets
    state: absent
"""

RETURN = r"""
actions:
  description:
    - The change, or in check mode the change it would make, as one line, C(create), C(update) with the settings
      that differ, or C(delete), then the policy. Empty when nothing changes.
  returned: always
  type: list
  elements: str
  sample: ["update cloudfront cache policy atelier-api: default_ttl, max_ttl"]
msg:
  description: What the module did, or would have done in check mode.
  returned: when a policy is deleted, when there is nothing to delete, and in check mode when something would change
  type: str
  sample: "Would have updated cache policy web-assets (comment, default_ttl) if not in check mode."
policy:
  description:
    - The policy, with snake_case keys.
    - In check mode, the policy as it would be; without RV(policy.id), RV(policy.etag) and
      RV(policy.last_modified_time) when it would be created.
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: The ID of the policy.
      type: str
      sample: 2766f7b2-75c5-41c6-8f06-bf4303a2f2f5
    name:
      description: The name of the policy.
      type: str
      sample: web-assets
    type:
      description: The kind of policy, V(cache) or V(origin_request).
      type: str
      sample: cache
    etag:
      description: The current version of the policy, to pass as C(IfMatch) to the CloudFront API.
      type: str
      sample: E23ZP02F085DFQ
    last_modified_time:
      description: When the policy was last modified (ISO 8601).
      type: str
      sample: "2025-01-31T12:00:00+00:00"
    comment:
      description: The comment of the policy.
      type: str
      sample: Static assets
    default_ttl:
      description: The default TTL, in seconds.
      returned: when O(type=cache)
      type: int
      sample: 86400
    min_ttl:
      description: The minimum TTL, in seconds.
      returned: when O(type=cache)
      type: int
      sample: 1
    max_ttl:
      description: The maximum TTL, in seconds.
      returned: when O(type=cache)
      type: int
      sample: 31536000
    enable_accept_encoding_gzip:
      description: Whether gzip-compressed objects are requested and cached.
      returned: when O(type=cache)
      type: bool
      sample: true
    enable_accept_encoding_brotli:
      description: Whether Brotli-compressed objects are requested and cached.
      returned: when O(type=cache)
      type: bool
      sample: true
    headers:
      description: The header behaviour and names, sorted.
      type: dict
      sample: {"behavior": "whitelist", "items": ["Accept-Language"]}
    cookies:
      description: The cookie behaviour and names, sorted.
      type: dict
      sample: {"behavior": "none", "items": []}
    query_strings:
      description: The query string behaviour and names, sorted.
      type: dict
      sample: {"behavior": "whitelist", "items": ["lang"]}
diff:
  description: The policy configuration before and after the change.
  returned: when run with C(--diff)
  type: dict
  contains:
    before:
      description: The configuration before the change, empty when there was no policy.
      type: dict
    after:
      description: The configuration after the change, empty when the policy is deleted.
      type: dict
"""

from typing import Any
from typing import Dict
from typing import List

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import is_ansible_aws_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import IN_USE_CODES
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import AnsibleCloudFrontPolicyError
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import build_config
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import create_policy
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import delete_policy
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import desired_settings
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import find_policy
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import normalise_policy
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import settings_differences
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import update_policy
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import validation_errors

# The keys of the normalised policy that are not its configuration (left out of --diff).
NOT_DIFFED = ("etag", "last_modified_time")
LABELS = {"cache": "cache policy", "origin_request": "origin request policy"}


def _diff_view(policy: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in policy.items() if key not in NOT_DIFFED and value is not None}


def exit_with(module: AnsibleAWSModule, changed: bool, before: Dict[str, Any], after: Dict[str, Any], **result):
    result["actions"] = _actions(module, before, after) if changed else []
    if module._diff:
        result["diff"] = dict(before=_diff_view(before), after=_diff_view(after))
    module.exit_json(changed=changed, **result)


def _label(module: AnsibleAWSModule) -> str:
    return f"{LABELS[module.params['type']]} {module.params['name']}"


def _actions(module: AnsibleAWSModule, before: Dict[str, Any], after: Dict[str, Any]) -> List[str]:
    """The change as one line: create, delete, or update with the settings that differ."""
    resource = f"cloudfront {_label(module)}"
    if not before:
        return [f"create {resource}"]
    if not after:
        return [f"delete {resource}"]
    settings = {key: value for key, value in after.items() if key not in NOT_DIFFED + ("id", "type")}
    return [f"update {resource}: {', '.join(sorted(settings_differences(before, settings)))}"]


def find_existing(module: AnsibleAWSModule, client) -> Dict[str, Any]:
    """The normalised custom policy with the requested type and name, or {}."""
    try:
        policy, etag = find_policy(client, module.params["type"], module.params["name"])
    except AnsibleCloudFrontPolicyError as e:
        module.fail_json_aws_error(e)
    return normalise_policy(module.params["type"], policy, etag)


def ensure_present(module: AnsibleAWSModule, client, before: Dict[str, Any]) -> None:
    policy_type = module.params["type"]
    desired = desired_settings(module.params)
    config = build_config(policy_type, desired)

    if not before:
        if module.check_mode:
            after = dict(type=policy_type, **desired)
            exit_with(
                module, True, {}, after, msg=f"Would have created {_label(module)} if not in check mode.", policy=after
            )
        try:
            policy, etag = create_policy(client, policy_type, config)
        except AnsibleCloudFrontPolicyError as e:
            module.fail_json_aws_error(e)
        after = normalise_policy(policy_type, policy, etag)
        exit_with(module, True, {}, after, policy=after)

    differences = settings_differences(before, desired)
    if not differences:
        exit_with(module, False, before, before, policy=before)

    if module.check_mode:
        after = dict(before, **desired)
        msg = f"Would have updated {_label(module)} ({', '.join(differences)}) if not in check mode."
        exit_with(module, True, before, after, msg=msg, policy=after)
    try:
        policy, etag = update_policy(client, policy_type, before["id"], config, before["etag"])
    except AnsibleCloudFrontPolicyError as e:
        module.fail_json_aws_error(e)
    after = normalise_policy(policy_type, policy, etag)
    exit_with(module, True, before, after, policy=after)


def ensure_absent(module: AnsibleAWSModule, client, before: Dict[str, Any]) -> None:
    label = _label(module)
    if not before:
        exit_with(module, False, {}, {}, msg=f"No custom {label}, nothing to delete.")
    if module.check_mode:
        exit_with(module, True, before, {}, msg=f"Would have deleted {label} ({before['id']}) if not in check mode.")
    try:
        try:
            delete_policy(client, module.params["type"], before["id"], before["etag"])
        except is_ansible_aws_error_code(IN_USE_CODES) as e:
            module.fail_json_aws(
                e.exception,
                msg=(
                    f"Cannot delete {label} ({before['id']}): it is still attached to a cache behavior of at "
                    "least one CloudFront distribution. Detach it from every distribution first."
                ),
            )
    except AnsibleCloudFrontPolicyError as e:
        module.fail_json_aws_error(e)
    exit_with(module, True, before, {}, msg=f"Deleted {label} ({before['id']}).")


def validate(module: AnsibleAWSModule) -> None:
    """Fail on invalid options before any AWS call."""
    errors = validation_errors(module.params)
    if errors:
        module.fail_json(msg=" ".join(errors), errors=errors)


def parameter_group_spec() -> Dict[str, Any]:
    """The suboptions of headers, cookies and query_strings (a new dict for each)."""
    return dict(
        behavior=dict(type="str", default="none"),
        items=dict(type="list", elements="str", default=[]),
    )


def main():
    argument_spec = dict(
        type=dict(type="str", required=True, choices=["cache", "origin_request"]),
        name=dict(type="str", required=True),
        comment=dict(type="str", default=""),
        default_ttl=dict(type="int"),
        min_ttl=dict(type="int"),
        max_ttl=dict(type="int"),
        enable_accept_encoding_gzip=dict(type="bool"),
        enable_accept_encoding_brotli=dict(type="bool"),
        headers=dict(type="dict", options=parameter_group_spec()),
        cookies=dict(type="dict", options=parameter_group_spec()),
        query_strings=dict(type="dict", options=parameter_group_spec()),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    validate(module)

    client = module.client("cloudfront")

    existing = find_existing(module, client)

    if module.params["state"] == "present":
        ensure_present(module, client, existing)
    else:
        ensure_absent(module, client, existing)


if __name__ == "__main__":
    main()
