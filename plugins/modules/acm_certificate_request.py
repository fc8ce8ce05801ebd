#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: acm_certificate_request
version_added: 0.1.0
short_description: Request, reuse or delete one DNS-validated ACM certificate
description:
  - Requests one public ACM certificate for O(domain_name) and O(subject_alternative_names) with DNS validation,
    or reuses the existing one, and returns the validation CNAME records to write (for example with
    M(atelier.infra.route53_record_set)). Optionally waits until the certificate is C(ISSUED).
  - Fills a gap of M(community.aws.acm_certificate) (community.aws 10.x), which only imports certificates and
    cannot request one with DNS validation.
  - A certificate is the caller's when it carries every tag of O(owner_tags). Reuse, by the set of names (the
    domain and the alternative names, regardless of case, order and trailing dot), picks the caller's
    C(ISSUED) (else C(PENDING_VALIDATION)) certificate with exactly these names; with O(reuse_any=true), else any
    such certificate of the account and region (as Terraform's C(aws_acm_certificate) data source finds one).
    Only when none matches is a certificate requested, with an idempotency token derived from the names and the
    owner tags, so that a request whose answer was lost is not made twice.
  - When the set of names changes, a new certificate is requested and the caller's certificates of the domain
    with other names are returned in RV(replaced), not deleted (a load balancer or a distribution may still use
    them); delete them with O(state=absent) and O(certificate_arn) once they are released.
  - O(state=absent) deletes the caller's certificates of O(domain_name) (or only O(certificate_arn)). A certificate
    still in use (C(InUseBy), or C(ResourceInUseException)) is kept and listed in RV(kept); that never fails the run.
  - The region is the one of the module (use C(us-east-1) for a CloudFront certificate).
  - The options are validated before any AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  domain_name:
    description:
      - The certificate's domain name, for example C(app.example.com) or C(*.example.com).
    required: true
    type: str
  subject_alternative_names:
    description:
      - The other names the certificate covers. At most 9 (10 names with O(domain_name)).
    type: list
    elements: str
    default: []
  owner_tags:
    description:
      - The tags that make a certificate the caller's (for example the stack's ownership tags). Required and not
        empty; they are added to O(tags) on a requested certificate.
    type: dict
  reuse_any:
    description:
      - Whether a certificate with the same names that does not carry O(owner_tags) may be reused when the caller
        has none. Such a certificate is neither tagged nor ever deleted by this module.
    type: bool
    default: false
  certificate_arn:
    description:
      - With O(state=absent), the one certificate to delete (it must carry O(owner_tags)), for example one listed in
        RV(replaced) by an earlier run.
    type: str
  wait:
    description:
      - Whether to wait until the certificate is C(ISSUED) (its validation records must be in DNS).
    type: bool
    default: false
  wait_timeout:
    description:
      - How long to wait for C(ISSUED), in seconds, with O(wait=true).
    type: int
    default: 300
  state:
    description:
      - V(present) requests or reuses the certificate; V(absent) deletes the caller's certificates of the domain
        that nothing uses.
    type: str
    default: present
    choices: ['present', 'absent']
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the caller's certificates of the domain before and after the change when run with C(--diff).
    support: full
notes:
  - Only DNS validation and the default key algorithm (RSA 2048) are supported.
  - O(tags) (with O(owner_tags)) are set on a requested certificate and converged on a reused certificate of the
    caller; with O(purge_tags=true) the other tags of that certificate are removed. When O(tags) is not set, the
    tags of a reused certificate are left as they are.
  - ACM adds the validation records a few seconds after the request; the module reads the certificate until every
    domain has its record (at most 60 seconds).
seealso:
  - module: community.aws.acm_certificate
  - module: atelier.infra.route53_record_set
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Request the certificate of the web tier's CloudFront aliases
  atelier.infra.acm_certificate_request:
    region: us-east-1
    domain_name: app.example.com
    subject_alternative_names: [www.example.com]
    owner_tags:
      atelier:stack: dev-atelier
    tags:
      Name: dev-atelier-web
  register: __cert

- name: Write the validation records
  atelier.infra.route53_record_set:
    zone: example.com
    owner: dev-atelier-acm
    records: "{{ __cert.validation_records | map('combine', {'ttl': 300}) }}"
    purge: false

- name: Wait for the certificate
  atelier.infra.acm_certificate_request:
    region: us-east-1
    domain_name: app.example.com
    subject_alternative_names: [www.example.com]
    owner_tags:
      atelier:stack: dev-atelier
    wait: true

- name: Delete the stack's certificates of the domain that nothing uses any more
  atelier.infra.acm_certificate_request:
    region: us-east-1
    domain_name: app.example.com
    owner_tags:
      atelier:stack: dev-atelier
    state: absent
"""

RETURN = r"""
certificate_arn:
  description: The ARN of the certificate requested or reused; none in check mode for a certificate to request, and
    with O(state=absent).
  returned: always
  type: str
  sample: arn:aws:acm:us-east-1:123456789012:certificate/0f2cd5a1-1c3b-4d8e-9a5b-3a1a8f3e8c11
status:
  description: Its status (C(PENDING_VALIDATION), C(ISSUED), ...).
  returned: when O(state=present)
  type: str
  sample: PENDING_VALIDATION
reused:
  description: Whether an existing certificate was reused.
  returned: when O(state=present)
  type: bool
owned:
  description: Whether the certificate carries O(owner_tags) (false only for one reused with O(reuse_any=true)).
  returned: when O(state=present)
  type: bool
validation_records:
  description:
    - The CNAME records that validate the certificate, one per record name (a wildcard shares its apex's record),
      in the order of the names.
  returned: when O(state=present)
  type: list
  elements: dict
  contains:
    name:
      description: The record name.
      type: str
      sample: _3f1e8c2d6b5a49e7a1c0d2f4b6e8a0c1.app.example.com.
    type:
      description: The record type.
      type: str
      sample: CNAME
    value:
      description: The record value.
      type: str
      sample: _9b2d4f6a8c0e1a3b5d7f9b1d3f5a7c9e.mhbtsbpdnt.acm-validations.aws.
in_use_by:
  description: The ARNs of the resources that use the certificate.
  returned: when O(state=present)
  type: list
  elements: str
replaced:
  description:
    - The caller's certificates of the domain with another set of names, left in place. Delete each with
      O(state=absent) and O(certificate_arn) once nothing uses it.
  returned: when O(state=present)
  type: list
  elements: dict
  contains:
    certificate_arn:
      description: The ARN.
      type: str
    subject_alternative_names:
      description: Its names.
      type: list
      elements: str
    status:
      description: Its status.
      type: str
    in_use_by:
      description: What uses it.
      type: list
      elements: str
deleted:
  description: The ARNs of the certificates deleted (or that would be, in check mode).
  returned: when O(state=absent)
  type: list
  elements: str
kept:
  description: The caller's certificates still in use, not deleted (same keys as RV(replaced)).
  returned: when O(state=absent)
  type: list
  elements: dict
msg:
  description: What the module did, or would have done in check mode.
  returned: always
  type: str
diff:
  description: The caller's certificates of the domain (names, status, tags), by ARN, before and after.
  returned: when run with C(--diff)
  type: dict
"""

import time
from typing import Any
from typing import Dict
from typing import List

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.atelier.infra.plugins.module_utils.acm import AnsibleACMError
from ansible_collections.atelier.infra.plugins.module_utils.acm import add_tags
from ansible_collections.atelier.infra.plugins.module_utils.acm import certificate_names
from ansible_collections.atelier.infra.plugins.module_utils.acm import choose
from ansible_collections.atelier.infra.plugins.module_utils.acm import delete_certificate
from ansible_collections.atelier.infra.plugins.module_utils.acm import describe_certificate
from ansible_collections.atelier.infra.plugins.module_utils.acm import idempotency_token
from ansible_collections.atelier.infra.plugins.module_utils.acm import list_certificates
from ansible_collections.atelier.infra.plugins.module_utils.acm import list_tags
from ansible_collections.atelier.infra.plugins.module_utils.acm import name_set
from ansible_collections.atelier.infra.plugins.module_utils.acm import normal
from ansible_collections.atelier.infra.plugins.module_utils.acm import option_errors
from ansible_collections.atelier.infra.plugins.module_utils.acm import owns
from ansible_collections.atelier.infra.plugins.module_utils.acm import records_ready
from ansible_collections.atelier.infra.plugins.module_utils.acm import remove_tags
from ansible_collections.atelier.infra.plugins.module_utils.acm import request_certificate
from ansible_collections.atelier.infra.plugins.module_utils.acm import summary
from ansible_collections.atelier.infra.plugins.module_utils.acm import validation_records

# How often the certificate is read while waiting, and how long at most for its validation records.
POLL_SECONDS = 2
RECORDS_TIMEOUT = 60
FAILED_STATUSES = ("FAILED", "VALIDATION_TIMED_OUT", "REVOKED", "EXPIRED", "INACTIVE")


def candidates(module: AnsibleAWSModule, client) -> List[Dict[str, Any]]:
    """The described certificates of the domain, each with its "Tags" and whether it is the caller's ("Owned")."""
    domain = normal(module.params["domain_name"])
    found = []
    try:
        for listed in list_certificates(client):
            if normal(listed.get("DomainName", "")) != domain:
                continue
            certificate = describe_certificate(client, listed["CertificateArn"])
            if certificate is None:  # deleted since it was listed
                continue
            tags = list_tags(client, certificate["CertificateArn"])
            found.append(dict(certificate, Tags=tags, Owned=owns(tags, module.params["owner_tags"])))
    except AnsibleACMError as e:
        module.fail_json_aws_error(e)
    return found


def view(certificates: List[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    return {
        c["CertificateArn"]: dict(names=sorted(certificate_names(c)), status=c.get("Status"), tags=dict(c.get("Tags") or {}))
        for c in certificates if c["Owned"]
    }


def poll(module: AnsibleAWSModule, client, arn: str, done, timeout: float) -> Dict[str, Any]:
    """Read the certificate until done(certificate) or timeout seconds went by; the last certificate read."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            certificate = describe_certificate(client, arn)
        except AnsibleACMError as e:
            module.fail_json_aws_error(e)
        if certificate is None:
            module.fail_json(msg=f"Certificate {arn} disappeared while the module read it.")
        if done(certificate) or time.monotonic() >= deadline:
            return certificate
        time.sleep(POLL_SECONDS)


def request(module: AnsibleAWSModule, client, tags: Dict[str, str]) -> Dict[str, Any]:
    """Request the certificate; the certificate once every domain has its validation record."""
    params = module.params
    token = idempotency_token(params["domain_name"], params["subject_alternative_names"], params["owner_tags"])
    try:
        arn = request_certificate(client, params["domain_name"], params["subject_alternative_names"], token, tags)
        if describe_certificate(client, arn) is None:
            # The token still points at a certificate deleted within the hour: request without it.
            arn = request_certificate(client, params["domain_name"], params["subject_alternative_names"], None, tags)
    except AnsibleACMError as e:
        module.fail_json_aws_error(e)
    return poll(module, client, arn, records_ready, RECORDS_TIMEOUT)


def converge_tags(module: AnsibleAWSModule, client, certificate: Dict[str, Any], tags: Dict[str, str]) -> bool:
    """Set the tags of a reused certificate of the caller when O(tags) is given; whether they changed."""
    if module.params["tags"] is None or not certificate["Owned"]:
        return False
    to_set, to_unset = compare_aws_tags(certificate["Tags"], tags, module.params["purge_tags"])
    if not (to_set or to_unset) or module.check_mode:
        return bool(to_set or to_unset)
    try:
        if to_unset:
            remove_tags(client, certificate["CertificateArn"], to_unset)
        if to_set:
            add_tags(client, certificate["CertificateArn"], to_set)
    except AnsibleACMError as e:
        module.fail_json_aws_error(e)
    certificate["Tags"] = dict({k: v for k, v in certificate["Tags"].items() if k not in to_unset}, **to_set)
    return True


def present(module: AnsibleAWSModule, client, found: List[Dict[str, Any]]) -> None:
    params = module.params
    owner_tags = {key: str(value) for key, value in params["owner_tags"].items()}
    tags = dict({key: str(value) for key, value in (params["tags"] or {}).items()}, **owner_tags)
    wanted = name_set(params["domain_name"], params["subject_alternative_names"])
    reused, replaced = choose(found, wanted, params["reuse_any"])
    before = view(found)

    if reused is None:
        if module.check_mode:
            after = dict(before, **{"(new)": dict(names=sorted(wanted), status=None, tags=tags)})
            exit_with(module, True, before, after, f"Would have requested a certificate for {', '.join(sorted(wanted))}"
                      " if not in check mode.", certificate_arn=None, status=None, reused=False, owned=True,
                      validation_records=[], in_use_by=[], replaced=[summary(c) for c in replaced])
        certificate = dict(request(module, client, tags), Tags=tags, Owned=True)
        changed, msg = True, f"Requested certificate {certificate['CertificateArn']}."
    else:
        certificate = reused
        changed = converge_tags(module, client, certificate, tags)
        msg = f"Reused certificate {certificate['CertificateArn']}" + (", tags updated." if changed else ".")
        if not module.check_mode and not records_ready(certificate):
            certificate = dict(poll(module, client, certificate["CertificateArn"], records_ready, RECORDS_TIMEOUT),
                               Tags=certificate["Tags"], Owned=certificate["Owned"])

    if params["wait"] and not module.check_mode and certificate.get("Status") != "ISSUED":
        certificate = dict(poll(module, client, certificate["CertificateArn"],
                                lambda c: c.get("Status") in ("ISSUED",) + FAILED_STATUSES, params["wait_timeout"]),
                           Tags=certificate["Tags"], Owned=certificate["Owned"])
        if certificate.get("Status") != "ISSUED":
            module.fail_json(
                msg=f"Certificate {certificate['CertificateArn']} is {certificate.get('Status')}, not ISSUED, after"
                    f" waiting {params['wait_timeout']} s: are its validation records in the public hosted zone?",
                certificate_arn=certificate["CertificateArn"], status=certificate.get("Status"),
                validation_records=validation_records(certificate))

    after = dict(before)
    if certificate["Owned"]:
        after.update(view([certificate]))
    result = summary(certificate)
    exit_with(module, changed, before, after, msg, certificate_arn=result["certificate_arn"], status=result["status"],
              reused=reused is not None, owned=certificate["Owned"], validation_records=validation_records(certificate),
              in_use_by=result["in_use_by"], replaced=[summary(c) for c in replaced])


def absent(module: AnsibleAWSModule, client, found: List[Dict[str, Any]]) -> None:
    arn = module.params["certificate_arn"]
    targets = [c for c in found if c["Owned"] and (not arn or c["CertificateArn"] == arn)]
    if arn and not targets and any(c["CertificateArn"] == arn for c in found):
        module.fail_json(msg=f"certificate_arn: {arn} does not carry owner_tags {module.params['owner_tags']}; not deleted.")
    deleted, kept = [], []
    for certificate in targets:
        if certificate.get("InUseBy"):
            kept.append(certificate)
            continue
        if not module.check_mode:
            try:
                gone = delete_certificate(client, certificate["CertificateArn"])
            except AnsibleACMError as e:
                module.fail_json_aws_error(e)
            if not gone:
                kept.append(certificate)
                continue
        deleted.append(certificate["CertificateArn"])
    before = view(found)
    after = {key: value for key, value in before.items() if key not in deleted}
    verb = "Would have deleted" if module.check_mode else "Deleted"
    msg = f"{verb} {len(deleted)} certificate(s), kept {len(kept)} in use."
    exit_with(module, bool(deleted), before, after, msg, certificate_arn=None, deleted=deleted,
              kept=[summary(c) for c in kept])


def exit_with(module: AnsibleAWSModule, changed: bool, before, after, msg: str, **result) -> None:
    if module._diff:
        result["diff"] = dict(before=before, after=after)
    module.exit_json(changed=changed, msg=msg, **result)


def main():
    argument_spec = dict(
        domain_name=dict(type="str", required=True),
        subject_alternative_names=dict(type="list", elements="str", default=[]),
        owner_tags=dict(type="dict"),
        reuse_any=dict(type="bool", default=False),
        certificate_arn=dict(type="str"),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=300),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    errors = option_errors(module.params)
    if errors:
        module.fail_json(msg="Invalid input for acm_certificate_request: " + "; ".join(errors), errors=errors)

    client = module.client("acm")
    found = candidates(module, client)
    if module.params["state"] == "absent":
        absent(module, client, found)
    present(module, client, found)


if __name__ == "__main__":
    main()
