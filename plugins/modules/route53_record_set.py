#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: route53_record_set
version_added: 0.1.0
short_description: Converge the Route 53 records one owner has in a hosted zone, in one change batch
description:
  - Creates, updates and deletes the records of O(owner) in one hosted zone so that they are exactly O(records),
    in one C(ChangeResourceRecordSets) batch (all applied or none), after one paginated C(ListResourceRecordSets).
    A run that changes nothing makes no other call (and a lookup of the zone by name when O(zone) is given).
  - Fills two gaps of M(amazon.aws.route53) (amazon.aws 10.x), which changes one record per module run (a loop
    of runs, one batch each) and has no notion of which records a stack owns, so it can neither remove the records
    a stack no longer wants nor avoid overwriting somebody else's.
  - Ownership works like external-dns's TXT registry. Each record set the module makes gets a marker, a TXT
    record set at C(_atelier-owner-<type>.<name>) (a leading wildcard label becomes C(-wildcard),
    C(_atelier-owner-a-wildcard.example.com) for C(*.example.com) C(A)) with the value
    C("heritage=atelier,owner=<owner>"). The module only changes or deletes a record set whose marker names
    O(owner). A listed record that exists without this marker (somebody else's, or one made by hand) is an error
    naming it, and nothing is changed.
  - Alias DNS names are compared in lower case with the trailing dot, as Route 53 stores them; values as a set.
  - Names outside the zone fail before any AWS call when the zone is given by O(zone) (after the listing, before
    any change, when it is given by O(hosted_zone_id)).
author:
  - Atelier infra developers (@atelier-infra)
options:
  zone:
    description:
      - The name of the hosted zone, for example C(example.com). Exclusive with O(hosted_zone_id).
    type: str
  private_zone:
    description:
      - With O(zone), whether the zone is a private one (by default the public zone of that name).
    type: bool
    default: false
  hosted_zone_id:
    description:
      - The id of the hosted zone. Exclusive with O(zone).
    type: str
  owner:
    description:
      - Who owns the records, for example the stack's name prefix C(dev-atelier). Letters, digits and the characters C(._:/@+-).
    type: str
    required: true
  records:
    description:
      - The records of O(owner) in the zone; each name and type at most once.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - The record name, in the zone (the zone's name itself for its apex), optionally ending with a dot.
        type: str
        required: true
      type:
        description:
          - The record type. An alias is an C(A) or C(AAAA) record.
        type: str
        required: true
        choices: ['A', 'AAAA', 'CNAME', 'TXT']
      ttl:
        description:
          - The time to live in seconds; V(300) when not set. Not with O(records[].alias).
        type: int
      values:
        description:
          - The values. A CNAME has exactly one; a TXT value is quoted when it is not already.
          - Exclusive with O(records[].value) and O(records[].alias).
        type: list
        elements: str
      value:
        description:
          - One value, short for O(records[].values) with one item (the RV(atelier.infra.acm_certificate_request#module:validation_records)
            of M(atelier.infra.acm_certificate_request) can be passed as they are).
        type: str
      alias:
        description:
          - The alias target, for example a CloudFront distribution (zone C(Z2FDTNDATAQYW2)) or a load balancer
            (its C(CanonicalHostedZoneId)).
        type: dict
        suboptions:
          dns_name:
            description: The DNS name of the target.
            type: str
            required: true
          hosted_zone_id:
            description: The hosted zone of the target.
            type: str
            required: true
          evaluate_target_health:
            description: Whether Route 53 checks the health of the target.
            type: bool
            default: false
  purge:
    description:
      - Whether to delete the records O(owner) owns in the zone that are not in O(records) (and their markers).
    type: bool
    default: true
  state:
    description:
      - V(present) converges the records; V(absent) deletes every record O(owner) owns in the zone and its marker
        (O(records) is then ignored).
    type: str
    default: present
    choices: ['present', 'absent']
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the owner's records before and after the change when run with C(--diff).
    support: full
notes:
  - The module does not wait for the change to reach every Route 53 server (C(INSYNC)); ACM and resolvers see it
    within a minute.
  - Record sets with a routing policy (C(SetIdentifier)) are not managed.
seealso:
  - module: amazon.aws.route53
  - module: atelier.infra.acm_certificate_request
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Converge the stack's records in example.com
  atelier.infra.route53_record_set:
    zone: example.com
    owner: dev-atelier
    records:
      - name: app.example.com
        type: A
        alias:
          dns_name: d111111abcdef8.cloudfront.net
          hosted_zone_id: Z2FDTNDATAQYW2
      - name: api.example.com
        type: A
        alias:
          dns_name: dualstack.dev-atelier-api-123456789.eu-west-1.elb.amazonaws.com
          hosted_zone_id: Z32O12XQLNTSW2
          evaluate_target_health: true
      - name: _3f1e8c2d6b5a49e7a1c0d2f4b6e8a0c1.app.example.com
        type: CNAME
        ttl: 300
        values: [_9b2d4f6a8c0e1a3b5d7f9b1d3f5a7c9e.mhbtsbpdnt.acm-validations.aws.]

- name: Remove every record the stack owns in example.com
  atelier.infra.route53_record_set:
    zone: example.com
    owner: dev-atelier
    state: absent
"""

RETURN = r"""
zone_id:
  description: The id of the hosted zone.
  returned: always
  type: str
  sample: Z0123456789ABCDEFGHIJ
zone_name:
  description: The name of the hosted zone, with the trailing dot.
  returned: always
  type: str
  sample: example.com.
changes:
  description: The change batch as planned (and sent, unless in check mode), ownership markers included; empty when
    nothing changes.
  returned: always
  type: list
  elements: dict
  contains:
    action:
      description: C(CREATE), C(UPSERT) or C(DELETE).
      type: str
    name:
      description: The record name.
      type: str
    type:
      description: The record type.
      type: str
    ttl:
      description: The time to live (not for an alias).
      type: int
    values:
      description: The values (not for an alias).
      type: list
      elements: str
    alias:
      description: The alias target (dns_name, hosted_zone_id, evaluate_target_health).
      type: dict
  sample: [{"action": "CREATE", "name": "app.example.com.", "type": "A",
            "alias": {"dns_name": "d111111abcdef8.cloudfront.net.", "hosted_zone_id": "Z2FDTNDATAQYW2",
                      "evaluate_target_health": false}}]
records:
  description: The records O(owner) owns in the zone after the run (markers left out), by name and type.
  returned: always
  type: list
  elements: dict
change_id:
  description: The id of the change, when a batch was sent.
  returned: when changed and not in check mode
  type: str
msg:
  description: What the module did, or would have done in check mode.
  returned: always
  type: str
diff:
  description: The owner's records before and after, by C(<name> <type>).
  returned: when run with C(--diff)
  type: dict
"""

from typing import Any
from typing import Dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.route53 import AnsibleRoute53Error
from ansible_collections.atelier.infra.plugins.module_utils.route53 import after
from ansible_collections.atelier.infra.plugins.module_utils.route53 import change_record_sets
from ansible_collections.atelier.infra.plugins.module_utils.route53 import current
from ansible_collections.atelier.infra.plugins.module_utils.route53 import described
from ansible_collections.atelier.infra.plugins.module_utils.route53 import desired
from ansible_collections.atelier.infra.plugins.module_utils.route53 import list_record_sets
from ansible_collections.atelier.infra.plugins.module_utils.route53 import owned
from ansible_collections.atelier.infra.plugins.module_utils.route53 import plan
from ansible_collections.atelier.infra.plugins.module_utils.route53 import record_errors
from ansible_collections.atelier.infra.plugins.module_utils.route53 import zones_named


def fail_on_errors(module: AnsibleAWSModule, zone: str = None) -> None:
    params = module.params
    records = params["records"] if params["state"] == "present" else []
    errors = record_errors(records, params["owner"], zone)
    if errors:
        module.fail_json(msg="Invalid input for route53_record_set: " + "; ".join(errors), errors=errors)


def find_zone(module: AnsibleAWSModule, client) -> str:
    """The id of the hosted zone O(zone) names (public unless O(private_zone))."""
    name, private = module.params["zone"], module.params["private_zone"]
    try:
        zones = [z for z in zones_named(client, name) if bool((z.get("Config") or {}).get("PrivateZone")) == private]
    except AnsibleRoute53Error as e:
        module.fail_json_aws_error(e)
    kind = "private" if private else "public"
    if not zones:
        module.fail_json(msg=f"zone: there is no {kind} hosted zone named {name}.")
    if len(zones) > 1:
        ids = ", ".join(z["Id"].split("/")[-1] for z in zones)
        module.fail_json(msg=f"zone: {len(zones)} {kind} hosted zones are named {name} ({ids}); give hosted_zone_id.")
    return zones[0]["Id"].split("/")[-1]


def owned_view(zone_sets, owner: str) -> Dict[str, Dict[str, Any]]:
    return {f"{key[0]}. {key[1]}": described(zone_sets[key]) for key in sorted(owned(zone_sets, owner)) if key in zone_sets}


def change_view(change: Dict[str, Any]) -> Dict[str, Any]:
    return dict(action=change["Action"], **described(change["ResourceRecordSet"]))


def main():
    alias_spec = dict(
        dns_name=dict(type="str", required=True),
        hosted_zone_id=dict(type="str", required=True),
        evaluate_target_health=dict(type="bool", default=False),
    )
    record_spec = dict(
        name=dict(type="str", required=True),
        type=dict(type="str", required=True, choices=["A", "AAAA", "CNAME", "TXT"]),
        ttl=dict(type="int"),
        values=dict(type="list", elements="str"),
        value=dict(type="str"),
        alias=dict(type="dict", options=alias_spec),
    )
    record_spec_rules = dict(mutually_exclusive=[["values", "value", "alias"]])
    argument_spec = dict(
        zone=dict(type="str"),
        private_zone=dict(type="bool", default=False),
        hosted_zone_id=dict(type="str"),
        owner=dict(type="str", required=True),
        records=dict(type="list", elements="dict", default=[], options=record_spec, **record_spec_rules),
        purge=dict(type="bool", default=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[["zone", "hosted_zone_id"]],
        required_one_of=[["zone", "hosted_zone_id"]],
    )
    params = module.params
    fail_on_errors(module, params["zone"])

    client = module.client("route53")
    zone_id = params["hosted_zone_id"] or find_zone(module, client)
    try:
        listed = list_record_sets(client, zone_id)
    except AnsibleRoute53Error as e:
        module.fail_json_aws_error(e)
    if listed is None:
        module.fail_json(msg=f"hosted_zone_id: there is no hosted zone {zone_id}.")
    zone_name = next((r["Name"] for r in listed if r["Type"] == "SOA"), params["zone"] or "")
    if params["hosted_zone_id"]:
        fail_on_errors(module, zone_name)

    zone_sets = current(listed)
    present = params["state"] == "present"
    changes, foreign = plan(desired(params["records"]) if present else {}, zone_sets, params["owner"],
                            purge=params["purge"] or not present)
    if foreign:
        module.fail_json(msg=f"Records not owned by {params['owner']}, nothing changed in {zone_name}: " + "; ".join(foreign),
                         foreign=foreign)

    final = after(zone_sets, changes)
    result = dict(
        changed=bool(changes), zone_id=zone_id, zone_name=zone_name, changes=[change_view(c) for c in changes],
        records=[described(final[key]) for key in sorted(owned(final, params["owner"])) if key in final],
    )
    if module._diff:
        result["diff"] = dict(before=owned_view(zone_sets, params["owner"]), after=owned_view(final, params["owner"]))
    if not changes:
        module.exit_json(msg="No change.", **result)
    if module.check_mode:
        module.exit_json(msg=f"Would have sent {len(changes)} change(s) to {zone_name} if not in check mode.", **result)
    try:
        info = change_record_sets(client, zone_id, changes, f"atelier.infra.route53_record_set owner={params['owner']}")
    except AnsibleRoute53Error as e:
        module.fail_json_aws_error(e)
    module.exit_json(msg=f"Sent {len(changes)} change(s) to {zone_name}.", change_id=info.get("Id"), **result)


if __name__ == "__main__":
    main()
