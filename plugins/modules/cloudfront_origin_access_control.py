#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudfront_origin_access_control
version_added: 0.1.0
short_description: Manage a CloudFront origin access control (OAC), idempotently
description:
  - Create, update and delete a CloudFront origin access control, identified by its name, which
    CloudFront keeps unique in the account. A distribution's S3 origin names it so that
    CloudFront signs its requests to a private bucket (SigV4), whose bucket policy admits only
    that distribution.
  - Fills a gap in amazon.aws and community.aws, which only manage the legacy origin access
    identity (M(community.aws.cloudfront_origin_access_identity)); AWS recommends OAC instead.
  - With O(state=absent) an origin access control that an origin of a distribution still names is
    kept (CloudFront refuses to delete it); the module says so and reports no change.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description:
      - The origin access control's name, unique in the account (at most 64 characters).
    required: true
    type: str
  state:
    description:
      - Whether the origin access control should exist.
    default: present
    choices: ['present', 'absent']
    type: str
  description:
    description:
      - A description of the origin access control.
    default: ''
    type: str
  origin_type:
    description:
      - The type of origin it signs requests to.
    default: s3
    choices: ['s3', 'mediastore', 'mediapackagev2', 'lambda']
    type: str
  signing_behavior:
    description:
      - V(always) signs every origin request (what a private S3 bucket needs); V(no-override)
        keeps a viewer's C(Authorization) header; V(never) does not sign.
    default: always
    choices: ['always', 'never', 'no-override']
    type: str
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the configuration before and after the change when run with C(--diff).
    support: full
notes:
  - The signing protocol is always C(sigv4), the only one CloudFront has.
  - CloudFront is global; the module's region only signs the requests.
seealso:
  - module: atelier.infra.cloudfront_distribution
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Let CloudFront sign its requests to the site bucket
  atelier.infra.cloudfront_origin_access_control:
    name: prod-atelier-frontend
    description: prod-atelier-frontend site bucket
  register: oac

- name: Put CloudFront in front of the private bucket
  atelier.infra.cloudfront_distribution:
    name: prod-atelier-frontend
    default_root_object: index.html
    origins:
      - id: site
        type: s3
        domain_name: prod-atelier-frontend-site.s3.eu-west-1.amazonaws.com
        origin_access_control_id: "{{ oac.origin_access_control.id }}"
    default_behavior:
      origin_id: site
      cache_policy: Managed-CachingOptimized

- name: Remove it (kept, and said so, while a distribution still names it)
  atelier.infra.cloudfront_origin_access_control:
    name: prod-atelier-frontend
    state: absent
"""

RETURN = r"""
actions:
  description: The change, or in check mode the change it would make, as one line; empty when nothing changes.
  returned: always
  type: list
  elements: str
  sample: ["create cloudfront origin access control prod-atelier-frontend"]
msg:
  description: What the module did, or would have done in check mode, or why it kept an origin access control.
  returned: when something changed or would change, and with O(state=absent)
  type: str
  sample: "Created the origin access control E2QWRUHAPOMQZL."
in_use_by:
  description: The IDs of the distributions whose origins name the origin access control, which keep it.
  returned: when O(state=absent) and it exists
  type: list
  elements: str
  sample: ["E2QWRUHAPOMQZL"]
origin_access_control:
  description: The origin access control. In check mode, as it would be (without an ID when it would be created).
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: The origin access control's ID, which an origin's C(origin_access_control_id) takes.
      type: str
      sample: E1ABCDEFGHIJKL
    etag:
      description: Its current version (the C(IfMatch) of an update or deletion).
      type: str
      sample: ETVPDKIKX0DER
    name:
      description: Its name.
      type: str
      sample: prod-atelier-frontend
    description:
      description: Its description.
      type: str
      sample: prod-atelier-frontend site bucket
    origin_type:
      description: The type of origin.
      type: str
      sample: s3
    signing_behavior:
      description: When CloudFront signs origin requests.
      type: str
      sample: always
    signing_protocol:
      description: The signing protocol.
      type: str
      sample: sigv4
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import AnsibleCloudFrontError
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import create_origin_access_control
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import delete_origin_access_control
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import get_origin_access_control
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import list_distributions
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import list_origin_access_controls
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import update_origin_access_control
from ansible_collections.atelier.infra.plugins.module_utils.static_site import distributions_naming_oac
from ansible_collections.atelier.infra.plugins.module_utils.static_site import oac_config
from ansible_collections.atelier.infra.plugins.module_utils.static_site import oac_view


def error_code(error):
    response = getattr(getattr(error, "exception", None), "response", None) or {}
    return response.get("Error", {}).get("Code")


def call(module, function, *args):
    try:
        return function(*args)
    except AnsibleCloudFrontError as e:
        module.fail_json_aws_error(e)


def find(module, client):
    """The summary of the origin access control with the name, or None."""
    found = [c for c in call(module, list_origin_access_controls, client) if c.get("Name") == module.params["name"]]
    return found[0] if found else None


def ensure_present(module, client, summary):
    name = module.params["name"]
    desired = oac_config(module.params)
    after = oac_view(desired)
    if summary is None:
        actions = [f"create cloudfront origin access control {name}"]
        diff = {"before": {}, "after": after}
        if module.check_mode:
            msg = f"Would have created the origin access control {name} if not in check mode."
            module.exit_json(changed=True, actions=actions, msg=msg, origin_access_control=dict(after, id=None, etag=None), diff=diff)
        created, etag = call(module, create_origin_access_control, client, desired)
        result = dict(oac_view(created["OriginAccessControlConfig"]), id=created["Id"], etag=etag)
        module.exit_json(changed=True, actions=actions, msg=f"Created the origin access control {created['Id']}.", origin_access_control=result, diff=diff)

    control_id = summary["Id"]
    before = oac_view(summary)
    diff = {"before": before, "after": after}
    if before == after:
        _current, etag = call(module, get_origin_access_control, client, control_id)
        module.exit_json(changed=False, actions=[], origin_access_control=dict(before, id=control_id, etag=etag), diff=diff)
    what = ", ".join(key for key in after if before.get(key) != after[key])
    actions = [f"update cloudfront origin access control {name}: {what}"]
    if module.check_mode:
        msg = f"Would have updated the origin access control {control_id} ({what}) if not in check mode."
        module.exit_json(changed=True, actions=actions, msg=msg, origin_access_control=dict(after, id=control_id, etag=None), diff=diff)
    _current, etag = call(module, get_origin_access_control, client, control_id)
    updated, etag = call(module, update_origin_access_control, client, control_id, desired, etag)
    result = dict(oac_view(updated["OriginAccessControlConfig"]), id=control_id, etag=etag)
    module.exit_json(changed=True, actions=actions, msg=f"Updated the origin access control {control_id}: {what}.", origin_access_control=result, diff=diff)


def ensure_absent(module, client, summary):
    name = module.params["name"]
    if summary is None:
        module.exit_json(changed=False, actions=[], msg=f"No origin access control named {name}, nothing to delete.")
    control_id = summary["Id"]
    users = distributions_naming_oac(call(module, list_distributions, client), control_id)
    if users:
        msg = f"Kept the origin access control {name} ({control_id}): distributions {', '.join(users)} still name it."
        module.warn(msg)
        module.exit_json(changed=False, actions=[], msg=msg, in_use_by=users)
    actions = [f"delete cloudfront origin access control {name}"]
    diff = {"before": oac_view(summary), "after": {}}
    if module.check_mode:
        msg = f"Would have deleted the origin access control {control_id} if not in check mode."
        module.exit_json(changed=True, actions=actions, msg=msg, in_use_by=[], diff=diff)
    _current, etag = call(module, get_origin_access_control, client, control_id)
    if etag is None:
        module.exit_json(changed=False, actions=[], msg=f"No origin access control named {name}, nothing to delete.")
    try:
        delete_origin_access_control(client, control_id, etag)
    except AnsibleCloudFrontError as e:
        if error_code(e) != "OriginAccessControlInUse":
            module.fail_json_aws_error(e)
        # A distribution started naming it since the list (or its summary did not show it).
        msg = f"Kept the origin access control {name} ({control_id}): a distribution still names it."
        module.warn(msg)
        module.exit_json(changed=False, actions=[], msg=msg, in_use_by=[])
    module.exit_json(changed=True, actions=actions, msg=f"Deleted the origin access control {control_id}.", in_use_by=[], diff=diff)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        description=dict(type="str", default=""),
        origin_type=dict(type="str", default="s3", choices=["s3", "mediastore", "mediapackagev2", "lambda"]),
        signing_behavior=dict(type="str", default="always", choices=["always", "never", "no-override"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    if len(module.params["name"]) > 64:
        module.fail_json(msg=f"name {module.params['name']!r} is longer than the 64 characters CloudFront accepts")
    client = module.client("cloudfront")
    summary = find(module, client)
    if module.params["state"] == "present":
        ensure_present(module, client, summary)
    ensure_absent(module, client, summary)


if __name__ == "__main__":
    main()
