#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: route53_hosted_zone
version_added: 0.1.0
short_description: Create, adopt or delete the public hosted zone a stack owns, safe against a lost create answer
description:
  - Makes the public hosted zone O(zone) exist as the caller's (O(state=present)), or deletes the caller's zone when it
    holds nothing but its apex NS and SOA (O(state=absent)). A zone of that name that is not the caller's is never
    changed nor deleted.
  - A zone is the caller's when it carries every tag of O(owner_tags), or when its comment is exactly O(comment) and
    it carries none of the keys of O(owner_tags) (a zone the caller created whose tagging never happened, the
    create's answer was lost, or the run stopped in between). Such a zone is adopted, that is tagged, by
    O(state=present), and deleted by O(state=absent) like a tagged one.
  - The create is safe to retry. C(CreateHostedZone) is sent with a C(CallerReference) made of the zone's name and
    the time; when its answer is lost, botocore retries the same request, AWS refuses it with
    C(HostedZoneAlreadyExists), and the module finds the zone it made by that reference and tags it.
  - Fills a gap of M(amazon.aws.route53_zone) (amazon.aws 10.x), which creates a zone and tags it in a second call
    with a new C(CallerReference) each time, and tells a zone only by its name, so that a create whose answer was lost
    fails before the tagging and leaves a zone no later run recognises as its own (it would tag or delete any zone
    of the name, or none).
  - Tags are added or changed, never removed. In check mode the module only reads.
author:
  - Atelier infra developers (@atelier-infra)
options:
  zone:
    description:
      - The name of the public hosted zone, for example C(example.com).
    type: str
    required: true
  comment:
    description:
      - The comment of a zone the module creates; with no owner tag, a zone that has exactly this comment is the
        caller's. Make it name the caller, as the dns role does with C(The domains of <prefix> (created by atelier.infra.dns)).
    type: str
    required: true
  owner_tags:
    description:
      - The tags that make a zone the caller's, for example C(atelier:env), C(atelier:stack) and
        C(atelier:created-by). Set on a zone the module creates or adopts.
    type: dict
    required: true
  tags:
    description:
      - More tags of the caller's zone (O(owner_tags) win), added or changed on every run with O(state=present).
    type: dict
    default: {}
  state:
    description:
      - V(present) creates or adopts the zone; V(absent) deletes the caller's zone when it is empty but for its apex NS
        and SOA, and lists it in RV(kept) otherwise.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The stack's public zone, created when missing
  atelier.infra.route53_hosted_zone:
    zone: example.com
    comment: The domains of dev-atelier (created by atelier.infra.dns)
    owner_tags:
      atelier:env: dev
      atelier:stack: atelier
      atelier:created-by: atelier.infra.dns
    tags:
      Name: example.com

- name: Delete it once empty
  atelier.infra.route53_hosted_zone:
    zone: example.com
    comment: The domains of dev-atelier (created by atelier.infra.dns)
    owner_tags:
      atelier:env: dev
      atelier:stack: atelier
      atelier:created-by: atelier.infra.dns
    state: absent
"""

RETURN = r"""
zone_id:
  description: The id of the caller's zone (or of the only zone of the name, somebody else's); none when there is none.
  returned: always
  type: str
  sample: Z0123456789ABCDEFGHIJ
status:
  description:
    - C(created), C(adopted) (an untagged zone with the caller's comment, tagged now), C(owned) (the caller's
      already) or C(foreign) (a zone of the name that is not the caller's, left as it is) with O(state=present);
      C(deleted), C(kept) or C(absent) (no zone of the caller) with O(state=absent).
  returned: always
  type: str
  sample: created
tags:
  description: The zone's tags after the run.
  returned: state is present
  type: dict
kept:
  description: A line for the caller's zone that holds other records and was kept.
  returned: state is absent
  type: list
  elements: str
  sample: ["hosted zone example.com (Z0123456789ABCDEFGHIJ), created by the stack: holds www.example.com A, kept"]
actions:
  description: What the run did or would do, for the plan (C(create|update|delete route53 hosted zone <name>)).
  returned: always
  type: list
  elements: str
  sample: ["create route53 hosted zone example.com"]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.dns_zone import ZoneError
from ansible_collections.atelier.infra.plugins.module_utils.dns_zone import converge
from ansible_collections.atelier.infra.plugins.module_utils.dns_zone import remove
from ansible_collections.atelier.infra.plugins.module_utils.route53 import AnsibleRoute53Error
from ansible_collections.atelier.infra.plugins.module_utils.route53 import LABEL
from ansible_collections.atelier.infra.plugins.module_utils.route53 import normal


def input_errors(params):
    errors = []
    labels = normal(params["zone"]).split(".")
    if len(labels) < 2 or not all(LABEL.match(label) and label != "*" for label in labels):
        errors.append(f"zone: {params['zone']!r} is not a domain name such as example.com")
    if not str(params["comment"] or "").strip():
        errors.append("comment: must not be empty (it tells the caller's untagged zone from somebody else's)")
    if not params["owner_tags"]:
        errors.append("owner_tags: must name at least one tag (they tell the caller's zone from somebody else's)")
    return errors


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            zone=dict(type="str", required=True),
            comment=dict(type="str", required=True),
            owner_tags=dict(type="dict", required=True),
            tags=dict(type="dict", default={}),
            state=dict(type="str", default="present", choices=["present", "absent"]),
        ),
        supports_check_mode=True,
    )
    params = module.params
    errors = input_errors(params)
    if errors:
        module.fail_json(msg="Invalid input for route53_hosted_zone: " + "; ".join(errors), errors=errors)
    owner_tags = {str(k): str(v) for k, v in params["owner_tags"].items()}
    tags = {str(k): str(v) for k, v in (params["tags"] or {}).items()}

    client = module.client("route53")
    try:
        if params["state"] == "present":
            result = converge(client, params["zone"], params["comment"], tags, owner_tags, module.check_mode)
        else:
            result = remove(client, params["zone"], params["comment"], owner_tags, module.check_mode)
    except ZoneError as e:
        module.fail_json(msg=str(e))
    except AnsibleRoute53Error as e:
        module.fail_json_aws_error(e)
    zone = normal(params["zone"])
    before = result.pop("before", None)
    if module._diff and params["state"] == "present":
        result["diff"] = {"before": {} if before is None else {"zone": zone, "tags": before},
                          "after": {"zone": zone, "tags": result["tags"]}}
    module.exit_json(zone=zone, **result)


if __name__ == "__main__":
    main()
